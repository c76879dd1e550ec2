// The fake Twilio itself: auth, Twilio's refusals, failures, and signed status callbacks.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import { startFakeTwilio, twilioSignature } from './twilio.js';

let tw;
before(async () => { tw = await startFakeTwilio(); });
after(async () => { await tw?.close(); });

async function send(fields, { sid = tw.sid, token = tw.token, type = 'application/x-www-form-urlencoded' } = {}) {
  const res = await fetch(`${tw.url}/2010-04-01/Accounts/${sid}/Messages.json`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${sid}:${token}`).toString('base64')}`, 'content-type': type },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: res.status, body: await res.json() };
}

const sms = (to, more = {}) => ({ To: to, From: tw.from, Body: 'Repair T-1 is done', ...more });

test("Twilio's own signature vector", () => {
  const fields = { CallSid: 'CA1234567890ABCDE', Caller: '+14158675309', Digits: '1234', From: '+14158675309', To: '+18005551212' };
  assert.equal(twilioSignature('12345', 'https://mycompany.com/myapp.php?foo=1&bar=2', fields), 'RSOYDt4T1cUTdK1PDd93/VVr8B8=');
  // the vector lib/twilio.c's unit test also checks: sorted by name then value, a repeat signed once
  assert.equal(twilioSignature('test-token', 'https://crm.example.com/api/webhooks/twilio/status',
    [['Body', 'Привет & пока'], ['A', '2'], ['A', '1'], ['A', '2']]), 'SkwP94rNogCmaI1jI83a2iL03Rk=');
});

test('a message is accepted with a sid and recorded', async () => {
  const r = await send(sms('+380671234567', { Body: 'Заявка принята', StatusCallback: 'https://crm.example.com/api/webhooks/twilio/status' }));
  assert.equal(r.status, 201);
  assert.match(r.body.sid, /^SM[0-9a-f]{32}$/);
  assert.equal(r.body.status, 'queued');
  const [m] = tw.sentTo('+380671234567');
  assert.equal(m.body, 'Заявка принята');
  assert.equal(m.statusCallback, 'https://crm.example.com/api/webhooks/twilio/status');
});

test("refusals carry Twilio's codes", async () => {
  const refused = async (fields, status, code, opts) => {
    const r = await send(fields, opts);
    assert.equal(r.status, status, JSON.stringify(r.body));
    assert.equal(r.body.code, code);
  };
  await refused(sms('+380671234567'), 401, 20003, { token: 'wrong' });
  await refused(sms('+380671234567'), 404, 20404, { sid: 'ACother' });
  await refused(sms('380671234567'), 400, 21211);
  await refused(sms('+0671234567'), 400, 21211);
  await refused({ From: tw.from, Body: 'x' }, 400, 21604);
  await refused(sms('+380671234567', { From: '+15550000000' }), 400, 21606);
  await refused(sms('+380671234567', { Body: '' }), 400, 21602);
  await refused(sms('+380671234567', { Body: 'ж'.repeat(1601) }), 400, 21617);
  await refused(sms('+380671234567', { StatusCallback: 'not a url' }), 400, 21609);
  await refused(sms('+380671234567'), 400, 21601, { type: 'application/json' });
  tw.optOut('+380501112233');
  await refused(sms('+380501112233'), 400, 21610);
  tw.landline('+442071112233');
  await refused(sms('+442071112233'), 400, 21614);
  assert.equal((await send(sms('+380671234567', { Body: 'ж'.repeat(1600) }))).status, 201);
});

test('told to fail, hang or go down', async () => {
  tw.fail({ status: 429, code: 20429, message: 'Too Many Requests' });
  tw.fail({ status: 503, code: 20503, message: 'Service Unavailable' });
  assert.equal((await send(sms('+380671234567'))).status, 429);
  assert.equal((await send(sms('+380671234567'))).status, 503);
  assert.equal((await send(sms('+380671234567'))).status, 201);
  tw.hang();
  const hung = await Promise.race([send(sms('+380671234567')).then(() => 'answered'), new Promise((res) => setTimeout(() => res('hung'), 300))]);
  assert.equal(hung, 'hung');
  tw.release();
  await tw.down();
  await assert.rejects(send(sms('+380671234567')));
  await tw.up();
  assert.equal((await send(sms('+380671234567'))).status, 201);
});

test('status callbacks are signed over the public URL and posted to the product', async () => {
  const got = [];
  const product = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => { got.push({ path: req.url, signature: req.headers['x-twilio-signature'], body }); res.end(); });
  });
  await new Promise((res) => product.listen(0, '127.0.0.1', res));
  const publicUrl = 'https://crm.example.com/api/webhooks/twilio/status';
  const r = await send(sms('+380931234567', { StatusCallback: publicUrl }));
  const via = `http://127.0.0.1:${product.address().port}`;
  await tw.sendStatus(r.body.sid, 'undelivered', { via, errorCode: 30005 });
  await tw.sendStatus(r.body.sid, 'delivered', { via, signature: null });
  product.close();
  assert.equal(got[0].path, '/api/webhooks/twilio/status');
  const fields = Object.fromEntries(new URLSearchParams(got[0].body));
  assert.equal(fields.MessageSid, r.body.sid);
  assert.equal(fields.MessageStatus, 'undelivered');
  assert.equal(fields.ErrorCode, '30005');
  assert.equal(got[0].signature, twilioSignature(tw.token, publicUrl, fields));
  assert.notEqual(got[0].signature, twilioSignature(tw.token, via + got[0].path, fields));
  assert.equal(got[1].signature, undefined);
});
