// Calls without Zadarma configured: verification still answers, notifications are refused
// (never accepted unsigned), the REST-backed endpoints say integration_disabled, the log works.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, errorOf, signedIn } from '../lib/client.js';
import { startStack } from '../lib/stack.js';
import { notifySignature } from '../fakes/zadarma.js';

let stack, operator;
before(async () => {
  stack = await startStack();
  operator = await signedIn(stack.base, 'operator');
});
after(async () => { await stack?.stop(); });

test('zd_echo answers; unsigned and signed notifications → 503, nothing stored', async () => {
  const anon = new Client(stack.base);
  const echo = await anon.get('/api/calls/incoming?zd_echo=abc');
  assert.equal(echo.status, 200);
  assert.equal(echo.text, 'abc');
  const fields = { event: 'NOTIFY_START', pbx_call_id: 'in_disabled', caller_id: '+442037691880',
    called_did: '442037691881', call_start: '2024-05-01 12:00:00' };
  for (const signature of [undefined, notifySignature('test-secret', fields)]) {
    const headers = { 'content-type': 'application/x-www-form-urlencoded' };
    if (signature) headers.signature = signature;
    const r = await anon.req('POST', '/api/calls/incoming', { raw: new URLSearchParams(fields).toString(), headers });
    assert.equal(r.status, 503);
    assert.equal(errorOf(r).code, 'integration_disabled');
  }
  assert.equal(stack.sql('SELECT count(*) FROM call_events')[0][0], '0');
  assert.equal(stack.sql('SELECT count(*) FROM calls')[0][0], '0');
});

test('click-to-call, WebRTC key and recordings → 503 integration_disabled; the log still lists', async () => {
  for (const r of [await operator.post('/api/calls/outgoing', { to: '+442037691881' }),
    await operator.get('/api/zadarma/webrtc-key'), await operator.get('/api/calls/1/recording')]) {
    assert.equal(r.status, 503, r.text);
    assert.equal(errorOf(r).code, 'integration_disabled');
  }
  const list = await operator.get('/api/calls?status=missed&open=true');
  assert.equal(list.status, 200);
  assert.deepEqual(list.body, { items: [], nextCursor: null });
});
