// Unit tests for the translations and locale choice.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { interpolate, makeT, pickLocale } from '../src/i18n';

test('t() fills placeholders and switches language', () => {
  const en = makeT('en'), ru = makeT('ru');
  assert.equal(en('dispatch.openN', { n: 3 }), '3 open');
  assert.equal(ru('dispatch.openN', { n: 3 }), 'открыто: 3');
  assert.equal(ru('nav.tickets'), 'Заявки');
});

test('an unknown key comes back as itself (screens show raw server values then)', () => {
  assert.equal(makeT('ru')('fraud.something_new' as any), 'fraud.something_new');
});

test('interpolate leaves unknown placeholders alone', () => {
  assert.equal(interpolate('{a} and {b}', { a: 1 }), '1 and {b}');
});

test('the stored choice wins, then the browser languages, then English', () => {
  assert.equal(pickLocale('ru', ['en-US']), 'ru');
  assert.equal(pickLocale(null, ['uk-UA', 'en']), 'ru');
  assert.equal(pickLocale(null, ['de-DE', 'en-GB']), 'en');
  assert.equal(pickLocale('xx', []), 'en');
});

test('every Russian string keeps the English placeholders', () => {
  const en = makeT('en'), ru = makeT('ru');
  const probe = { n: 'N', name: 'NAME', phone: 'PH', at: 'AT', wait: 'W', s: 'S', d: 'D', sip: 'SIP' };
  for (const key of ['dispatch.openN', 'user.edit', 'calls.dialing', 'conflict.detail', 'login.throttled', 'err.rate_limited', 'calls.waited', 'integrations.sip'] as const) {
    const a = en(key, probe).match(/N|NAME|PH|AT|W|S|D|SIP/g)?.sort();
    const b = ru(key, probe).match(/N|NAME|PH|AT|W|S|D|SIP/g)?.sort();
    assert.deepEqual(b, a, key);
  }
});
