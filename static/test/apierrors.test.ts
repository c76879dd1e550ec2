// Unit tests: API errors in the user's language (English: the server's words; Russian: by code).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeT } from '../src/i18n';
import { ApiError } from '../src/lib/api';
import { apiMessage, errorText } from '../src/lib/apierrors';

const en = makeT('en'), ru = makeT('ru');
const invalidPhone = new ApiError(422, 'validation_failed', 'customerPhone is not a valid phone number', 'customerPhone');

test('English shows the server message as it is', () => {
  assert.equal(apiMessage(en, invalidPhone), 'customerPhone is not a valid phone number');
  assert.equal(apiMessage(en, new ApiError(409, 'conflict', 'username is taken', 'username')), 'username is taken');
});

test('Russian translates by code, telling a field error from a form error', () => {
  assert.equal(apiMessage(ru, invalidPhone), 'Недопустимое значение');
  assert.equal(apiMessage(ru, new ApiError(409, 'conflict', 'username is taken', 'username')), 'Такое значение уже используется');
  assert.equal(apiMessage(ru, new ApiError(409, 'conflict', 'the ticket changed')), 'Данные уже изменились; обновите и повторите');
  assert.equal(apiMessage(ru, new ApiError(422, 'invalid_transition', 'cannot go from new to completed', 'status')),
    'Такой переход статуса невозможен');
  assert.equal(apiMessage(ru, new ApiError(404, 'not_found', 'no such ticket')), 'Не найдено');
});

test('a provider\'s own words are kept inside the translation', () => {
  assert.equal(apiMessage(ru, new ApiError(502, 'upstream_failed', 'Wrong phone number')), 'Zadarma отказала: Wrong phone number');
});

test('a code the UI does not know falls back to the server message', () => {
  assert.equal(apiMessage(ru, new ApiError(418, 'teapot', 'I am a teapot')), 'I am a teapot');
});

test('errorText: throttling with its wait, server faults and network failures in words, aborts silent', () => {
  assert.equal(errorText(en, new ApiError(429, 'rate_limited', 'slow down', undefined, 7)), 'Too many requests, wait 7 s');
  assert.equal(errorText(ru, new ApiError(503, 'unavailable', 'database down')), 'Сервер недоступен, повторите чуть позже');
  assert.equal(errorText(en, new ApiError(502, 'http_502', 'Bad Gateway')), 'The server is unavailable, try again shortly');
  assert.equal(errorText(en, new ApiError(503, 'integration_disabled', 'off')), 'Telephony (Zadarma) is not configured');
  assert.equal(errorText(en, invalidPhone), 'customerPhone is not a valid phone number');
  assert.equal(errorText(en, new TypeError('Failed to fetch')), 'No connection to the server');
  assert.equal(errorText(en, new DOMException('stopped', 'AbortError')), '');
});
