// The fake Telegram itself: a broken fake would make every notification test meaningless.
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { parseJsonExact, stringifyExact } from './common.js';
import { parseHtml, startFakeTelegram } from './telegram.js';

let tg, tight; // tight: small limits, for the tests of the limits
before(async () => { [tg, tight] = await Promise.all([startFakeTelegram(), startFakeTelegram({ rate: 5, perChatMs: 300 })]); });
after(async () => { await tg?.close(); await tight?.close(); });

// Call a method as the product does: JSON body, the token in the path.
async function call(method, params, { fake = tg, token = fake.token, raw } = {}) {
  const res = await fetch(`${fake.url}/bot${token}/${method}`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: raw ?? stringifyExact(params ?? {}),
  });
  return { status: res.status, body: parseJsonExact(await res.text()) };
}

// How a fresh connection to url fails ('' when it connects).
const connectError = (url) => new Promise((resolve) => {
  const s = net.connect(Number(new URL(url).port), '127.0.0.1');
  s.on('connect', () => { s.destroy(); resolve(''); });
  s.on('error', (e) => resolve(e.code));
});

let chatSerial = 1000n;
const newChat = () => 8999999999990000n + chatSerial++;

describe('requests', () => {
  test('the token is checked and unknown methods are refused', async () => {
    assert.deepEqual((await call('getMe', {}, { token: 'wrong' })).body, { ok: false, error_code: 401n, description: 'Unauthorized' });
    assert.equal((await call('sendSticker', {})).status, 404);
    const me = await call('getme', {}); // method names are case-insensitive
    assert.equal(me.status, 200);
    assert.equal(me.body.result.username, tg.username);
    assert.equal((await call('getMe', null, { raw: '{"a":' })).status, 400);
  });

  test('a message is recorded with its exact chat id, text and buttons', async () => {
    const chat = 8999999999999999n;
    const markup = { inline_keyboard: [[{ text: 'Accept', callback_data: 't:1:acc' }]] };
    const r = await call('sendMessage', { chat_id: chat, text: '<b>T-1</b> &amp; co', parse_mode: 'HTML', reply_markup: markup });
    assert.equal(r.status, 200);
    assert.equal(r.body.result.chat.id, chat);
    assert.equal(r.body.result.text, 'T-1 & co');
    const [m] = tg.sentTo(chat);
    assert.equal(m.messageId, Number(r.body.result.message_id));
    assert.equal(m.text, '<b>T-1</b> &amp; co');
    assert.deepEqual(m.replyMarkup, markup);
    // message ids count per chat, as Telegram's do
    const other = await call('sendMessage', { chat_id: newChat(), text: 'x' });
    assert.equal(other.body.result.message_id, 1n);
  });

  test('malformed messages are refused the way Telegram does', async () => {
    const refuse = async (params, description) => {
      const r = await call('sendMessage', { chat_id: newChat(), ...params });
      assert.equal(r.status, 400, description);
      assert.match(r.body.description, description);
    };
    await refuse({ text: '' }, /message text is empty/);
    await refuse({ text: 'x'.repeat(4097) }, /message is too long/);
    await refuse({ text: '<b>x</b>'.repeat(100) + '&amp;'.repeat(3000) + 'x'.repeat(997), parse_mode: 'HTML' }, /message is too long/);
    await refuse({ text: 'a < b', parse_mode: 'HTML' }, /can't parse entities/);
    await refuse({ text: 'a & b', parse_mode: 'HTML' }, /Unsupported HTML entity/);
    await refuse({ text: '<b>open', parse_mode: 'HTML' }, /Can't find end tag/);
    await refuse({ text: '<script>x</script>', parse_mode: 'HTML' }, /Unsupported start tag/);
    await refuse({ text: '<a href="javascript:x">x</a>', parse_mode: 'HTML' }, /Unsupported URL protocol/);
    await refuse({ text: 'x', parse_mode: 'html5' }, /unsupported parse_mode/);
    await refuse({ text: 'x', reply_markup: { inline_keyboard: [[{ text: 'a', callback_data: 'x'.repeat(65) }]] } }, /BUTTON_DATA_INVALID/);
    await refuse({ text: 'x', reply_markup: { inline_keyboard: [[{ text: 'a' }]] } }, /Text buttons are unallowed/);
    const noChat = await call('sendMessage', { text: 'x' });
    assert.match(noChat.body.description, /chat not found/);
    // exactly 4096 characters after the entities are read is fine
    const ok = await call('sendMessage', { chat_id: newChat(), text: `<b>${'&lt;'.repeat(4096)}</b>`, parse_mode: 'HTML' });
    assert.equal(ok.status, 200);
  });

  test('missing and blocked chats', async () => {
    const gone = newChat(), blocked = newChat();
    tg.setChat(gone, 'missing');
    tg.setChat(blocked, 'blocked');
    assert.deepEqual((await call('sendMessage', { chat_id: gone, text: 'x' })).body,
      { ok: false, error_code: 400n, description: 'Bad Request: chat not found' });
    const r = await call('sendMessage', { chat_id: blocked, text: 'x' });
    assert.equal(r.status, 403);
    assert.match(r.body.description, /blocked by the user/);
  });
});

describe('limits and failures', () => {
  test('one message per chat per interval, then 429 with retry_after', async () => {
    const chat = newChat();
    assert.equal((await call('sendMessage', { chat_id: chat, text: '1' }, { fake: tight })).status, 200);
    const r = await call('sendMessage', { chat_id: chat, text: '2' }, { fake: tight });
    assert.equal(r.status, 429);
    assert.equal(r.body.parameters.retry_after, 1n);
    await new Promise((res) => setTimeout(res, 320));
    assert.equal((await call('sendMessage', { chat_id: chat, text: '3' }, { fake: tight })).status, 200);
  });

  test('the overall rate holds across chats', async () => {
    await new Promise((res) => setTimeout(res, 1000));
    const before = tight.stats.tooMany;
    const results = await Promise.all(Array.from({ length: 8 }, () => call('sendMessage', { chat_id: newChat(), text: 'x' }, { fake: tight })));
    assert.equal(results.filter((r) => r.status === 200).length, 5);
    assert.equal(results.filter((r) => r.status === 429).length, 3);
    assert.equal(tight.stats.tooMany - before, 3);
  });

  test('told to fail, hang or go down', async () => {
    tg.fail('getMe', { status: 500 });
    tg.fail('getMe', { status: 429, retryAfter: 9 });
    assert.equal((await call('getMe')).status, 500);
    const busy = await call('getMe');
    assert.equal(busy.status, 429);
    assert.equal(busy.body.parameters.retry_after, 9n);
    assert.equal((await call('getMe')).status, 200);

    tg.hang();
    const hung = await Promise.race([call('getMe').then(() => 'answered'), new Promise((res) => setTimeout(() => res('hung'), 300))]);
    assert.equal(hung, 'hung');
    tg.release();

    await tg.down();
    await assert.rejects(call('getMe'));
    assert.equal(await connectError(tg.url), 'ECONNREFUSED');
    await tg.up();
    assert.equal((await call('getMe')).status, 200);
  });
});

describe('edits, buttons and updates', () => {
  test('edits and callback answers', async () => {
    const chat = newChat();
    const sent = await call('sendMessage', { chat_id: chat, text: 'card', reply_markup: { inline_keyboard: [[{ text: 'A', callback_data: 't:1:acc' }]] } });
    const mid = sent.body.result.message_id;
    const edited = await call('editMessageText', { chat_id: chat, message_id: mid, text: 'accepted' });
    assert.equal(edited.status, 200);
    assert.equal(tg.sentTo(chat)[0].replyMarkup, undefined); // an edit without markup removes the buttons
    const same = await call('editMessageText', { chat_id: chat, message_id: mid, text: 'accepted' });
    assert.match(same.body.description, /message is not modified/);
    assert.match((await call('editMessageText', { chat_id: chat, message_id: 999, text: 'x' })).body.description, /message to edit not found/);
    assert.equal(tg.sentTo(chat)[0].edits.length, 1);

    const update = tg.buttonUpdate({ fromId: chat, messageId: mid, data: 't:1:acc' });
    assert.equal(update.callback_query.message.text, 'accepted');
    const answered = await call('answerCallbackQuery', { callback_query_id: update.callback_query.id, text: 'Accepted' });
    assert.equal(answered.status, 200);
    assert.equal((await call('answerCallbackQuery', { callback_query_id: update.callback_query.id })).status, 400);
    assert.equal(tg.answers.at(-1).text, 'Accepted');
  });

  test('webhook setup and updates posted with the secret header', async () => {
    assert.match((await call('setWebhook', { url: 'http://crm.example/hook' })).body.description, /HTTPS URL/);
    assert.match((await call('setWebhook', { url: 'https://crm.example/hook', secret_token: 'bad secret!' })).body.description, /unallowed characters/);
    assert.equal((await call('setWebhook', { url: 'https://crm.example/hook', secret_token: 's3cr3t', allowed_updates: ['message'] })).status, 200);
    const info = await call('getWebhookInfo');
    assert.equal(info.body.result.url, 'https://crm.example/hook');
    assert.equal((await call('getUpdates', { timeout: 0 })).status, 409);
    assert.equal((await call('deleteWebhook')).status, 200);

    const got = [];
    const product = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => { got.push({ path: req.url, secret: req.headers['x-telegram-bot-api-secret-token'], body }); res.end('{}'); });
    });
    await new Promise((res) => product.listen(0, '127.0.0.1', res));
    const base = `http://127.0.0.1:${product.address().port}`;
    await tg.pressButton(base, { fromId: 8999999999999999n, messageId: 1, data: 't:7:way' });
    await tg.sendStart(base, '9007199254740993', 'abc', { secret: null });
    product.close();
    assert.equal(got[0].path, '/api/webhooks/telegram');
    assert.equal(got[0].secret, tg.env.TELEGRAM_WEBHOOK_SECRET);
    assert.match(got[0].body, /"from":\{"id":8999999999999999,/); // exact on the wire
    assert.equal(got[1].secret, undefined);
    assert.match(got[1].body, /"text":"\/start abc"/);
    assert.match(got[1].body, /"chat":\{"id":9007199254740993,/);
  });

  test('long polling: a queue, offsets, a wait, and one poller at a time', async () => {
    const first = tg.queueUpdate(tg.startUpdate(42, 'code1'));
    const r = await call('getUpdates', { offset: 0, timeout: 0 });
    assert.equal(r.body.result.length, 1);
    assert.equal(r.body.result[0].update_id, BigInt(first.update_id));
    const next = first.update_id + 1;
    assert.equal((await call('getUpdates', { offset: next, timeout: 0 })).body.result.length, 0);

    const waiting = call('getUpdates', { offset: next, timeout: 5 });
    await new Promise((res) => setTimeout(res, 100));
    const rival = call('getUpdates', { offset: next, timeout: 5 });
    assert.equal((await waiting).status, 409); // terminated by the other getUpdates
    await new Promise((res) => setTimeout(res, 100));
    const t0 = Date.now();
    tg.queueUpdate(tg.buttonUpdate({ fromId: 42, messageId: 3, data: 't:1:start' }));
    const answer = await rival;
    assert.ok(Date.now() - t0 < 1000);
    assert.equal(answer.body.result[0].callback_query.data, 't:1:start');
    const filtered = await call('getUpdates', { offset: next, timeout: 0, allowed_updates: ['message'] });
    assert.equal(filtered.body.result.length, 0);
    const slow = Date.now();
    assert.equal((await call('getUpdates', { offset: next + 5, timeout: 1 })).body.result.length, 0);
    assert.ok(Date.now() - slow >= 900);
  });
});

test('the HTML reader keeps the visible text and the links', () => {
  const { plain, links } = parseHtml('<b>T &amp; 1</b> <a href="tel:+380671234567">call</a> <a href=\'https://maps.google.com/?q=a+b&amp;c\'>map</a> &#128295;');
  assert.equal(plain, 'T & 1 call map 🔧');
  assert.deepEqual(links, ['tel:+380671234567', 'https://maps.google.com/?q=a+b&c']);
});
