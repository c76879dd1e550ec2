// Unit tests: API errors in the user's language (English: the server's words; Russian: by code).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeT } from '../src/i18n';
import { ApiError } from '../src/lib/api';
import { apiMessage } from '../src/lib/apierrors';

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
