// Unit tests for locale formatting and input parsing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dayBound, fmtDateTime, fmtDuration, fmtMoney, fmtNumber, parseMoney } from '../src/lib/format';

const norm = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

test('money is shown with 2 decimals in the chosen locale', () => {
  assert.equal(norm(fmtMoney('1250.00', 'en', 'UAH')), 'UAH 1,250.00');
  assert.equal(norm(fmtMoney('1250.5', 'ru', 'UAH')), '1 250,50 ₴');
  assert.equal(fmtMoney(null, 'en'), '');
  assert.equal(fmtMoney('abc', 'en'), 'abc');
});

test('numbers and dates follow the locale', () => {
  assert.equal(norm(fmtNumber(1234567, 'ru')), '1 234 567');
  assert.equal(fmtNumber(1234567, 'en'), '1,234,567');
  const iso = '2026-11-24T09:15:00Z';
  assert.match(fmtDateTime(iso, 'en', 'UTC'), /Nov 24, 2026.*9:15/);
  assert.match(fmtDateTime(iso, 'ru', 'Europe/Kyiv'), /24 нояб\.? 2026.*11:15/);
  assert.equal(fmtDateTime('not a date', 'en'), '');
});

test('durations as m:ss and h:mm:ss', () => {
  assert.equal(fmtDuration(0), '0:00');
  assert.equal(fmtDuration(75), '1:15');
  assert.equal(fmtDuration(3725), '1:02:05');
  assert.equal(fmtDuration(null), '');
  assert.equal(fmtDuration(-1), '');
});

test('typed amounts become the API decimal string', () => {
  assert.equal(parseMoney('1250'), '1250.00');
  assert.equal(parseMoney('1 250,5'), '1250.50');
  assert.equal(parseMoney('99.99'), '99.99');
  assert.equal(parseMoney('1.999'), null);
  assert.equal(parseMoney('-5'), null);
  assert.equal(parseMoney(''), null);
});

test('a calendar day becomes a half-open window of instants', () => {
  const from = dayBound('2026-11-24'), to = dayBound('2026-11-24', true);
  assert.equal(Date.parse(to) - Date.parse(from), 24 * 3600 * 1000);
  assert.equal(new Date(from).getDate(), 24);
  assert.equal(dayBound('24.11.2026'), '');
});
