// Calls: Zadarma webhooks (signatures, the fold into one row per call, screen pop, missed-call
// queue) and the REST side (click-to-call, recordings, WebRTC key) against a fake Zadarma.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { Client, errorOf, signedIn } from '../lib/client.js';
import { startStack } from '../lib/stack.js';
import { notifySignature, restSign, startFakeZadarma } from '../fakes/zadarma.js';
import { connect } from '../lib/push.js';
import { createTicket } from '../lib/tickets.js';

const TZ = 'Europe/Kyiv';
let stack, zd, admin, operator, master, anon;
before(async () => {
  zd = await startFakeZadarma();
  stack = await startStack({ env: { ...zd.env, ZADARMA_TZ: TZ, BRANDO_REJECT_BLACKLISTED: '1' } });
  [admin, operator, master] = await Promise.all(['admin', 'operator', 'master'].map((r) => signedIn(stack.base, r)));
  anon = new Client(stack.base);
});
after(async () => {
  await stack?.stop();
  await zd?.close();
});

let serial = 0;
const pbxId = () => `in_${Date.now()}_${++serial}`;
const newPhone = () => `+4420${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}${serial++ % 10}`;
// call_start as the PBX writes it: local time in ZADARMA_TZ.
const pbxTime = (d) => d.toLocaleString('sv-SE', { timeZone: TZ }).slice(0, 19);
const ago = (s) => new Date(Date.now() - s * 1000);

const DID = '442037691881';
// The notifications of one incoming call, all sharing its pbx_call_id and call_start.
function incoming(phone, { start = ago(60), pbx = pbxId() } = {}) {
  const base = { pbx_call_id: pbx, caller_id: phone, call_start: pbxTime(start) };
  return {
    pbx,
    start: { event: 'NOTIFY_START', ...base, called_did: DID },
    internal: { event: 'NOTIFY_INTERNAL', ...base, called_did: DID, internal: '100' },
    answer: { event: 'NOTIFY_ANSWER', ...base, destination: '100', internal: '100' },
    end: (disposition, duration = 0, more = {}) => ({
      event: 'NOTIFY_END', ...base, called_did: DID, internal: disposition === 'answered' ? '100' : '',
      duration: String(duration), disposition, status_code: '16', is_recorded: '0', call_id_with_rec: '', ...more,
    }),
  };
}

async function send(fields) {
  const r = await zd.notify(stack.base, fields);
  assert.equal(r.status, 200, `${fields.event}: ${r.text}`);
  return r.body;
}

const callRow = async (pbx) => {
  const r = await operator.get(`/api/calls?limit=200`);
  return r.body.items.find((c) => c.pbxCallId === pbx);
};
const sqlCount = (q) => Number(stack.sql(q)[0][0]);
const eventsFor = (type, pbx) => stack.sql(
  `SELECT payload::text FROM events WHERE type = '${type}' AND payload->'call'->>'pbxCallId' = '${pbx}' ORDER BY id`,
).map(([p]) => JSON.parse(p));

async function seedTicket(phone, name, over = {}) {
  const t = await createTicket(operator, { customerPhone: phone, customerName: name, ...over });
  return [t.id, t.number];
}

describe('webhook verification and signatures', () => {
  test('zd_echo is answered first, as plain text', async () => {
    const r = await anon.get('/api/calls/incoming?zd_echo=Echo-123_x');
    assert.equal(r.status, 200);
    assert.equal(r.text, 'Echo-123_x');
    assert.match(r.headers.get('content-type'), /^text\/plain/);
    const none = await anon.get('/api/calls/incoming');
    assert.equal(none.status, 400);
    assert.equal(errorOf(none).field, 'zd_echo');
  });

  test('bad or missing Signature → 401, nothing stored, a warning logged', async () => {
    const c = incoming(newPhone());
    for (const signature of [null, 'ZTg2YjQ4MDYyZjgwNGIwNDkwOWUzZjZjNDI2Nzg5ODZkYzQwYzNlYg==', '']) {
      const r = await zd.notify(stack.base, c.start, { signature });
      assert.equal(r.status, 401, r.text);
      assert.equal(r.body.error.code, 'unauthenticated');
    }
    // signed with another secret
    const forged = await zd.notify(stack.base, { ...c.end('answered', 5) },
      { signature: Buffer.from('0'.repeat(40)).toString('base64') });
    assert.equal(forged.status, 401);
    assert.equal(sqlCount(`SELECT count(*) FROM call_events WHERE pbx_call_id = '${c.pbx}'`), 0);
    assert.equal(sqlCount(`SELECT count(*) FROM calls WHERE pbx_call_id = '${c.pbx}'`), 0);
    assert.match(stack.log('fcgi'), /"level":"warn".*bad or missing Signature/);
  });

  test('unknown or missing event, malformed fields → 422 and nothing stored', async () => {
    const c = incoming(newPhone());
    let r = await zd.notify(stack.base, { ...c.start, event: 'NOTIFY_IVR' }, { signature: 'x' });
    assert.equal(r.status, 422);
    assert.equal(r.body.error.field, 'event');
    for (const callStart of ['01.05.2024 12:00', '0001-01-01 00:00:00', '1999-12-31 23:59:59', '2200-01-01 00:00:00']) {
      r = await zd.notify(stack.base, { ...c.start, call_start: callStart });
      assert.equal(r.status, 422, callStart);
      assert.equal(r.body.error.field, 'call_start');
    }
    r = await zd.notify(stack.base, { ...c.end('answered', 5), duration: '-3' });
    assert.equal(r.body.error.field, 'duration');
    r = await zd.notify(stack.base, { ...c.start, pbx_call_id: '' });
    assert.equal(r.body.error.field, 'pbx_call_id');
    // A correctly signed notification with one more field whose bytes are not UTF-8.
    const bad = await fetch(`${stack.base}/api/calls/incoming`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', signature: notifySignature(zd.secret, c.start) },
      body: `${new URLSearchParams(c.start)}&note=%FF`,
    });
    assert.equal(bad.status, 422);
    assert.equal((await bad.json()).error.field, 'note');
    assert.equal(sqlCount(`SELECT count(*) FROM call_events WHERE pbx_call_id = '${c.pbx}'`), 0);
  });
});

describe('the fold: one call per pbx_call_id', () => {
  test('START → INTERNAL → ANSWER → END → RECORD, each step visible on the call', async () => {
    const phone = newPhone();
    const [ticketId, number] = await seedTicket(phone, 'Ivan Petrenko');
    const start = ago(90);
    const c = incoming(phone, { start });

    const answer = await send(c.start);
    assert.deepEqual(answer, { caller_name: `Ivan Petrenko – ${number}` });
    let call = await callRow(c.pbx);
    assert.equal(call.status, 'ringing');
    assert.equal(call.direction, 'in');
    assert.equal(call.callerNumber, phone);
    assert.equal(call.calledNumber, DID);
    assert.equal(call.customerPhone, phone);
    assert.equal(call.startedAt, start.toISOString().slice(0, 19) + 'Z', 'call_start read in ZADARMA_TZ');
    const [ringing] = eventsFor('call.ringing', c.pbx);
    assert.equal(ringing.customer.phone, phone);
    assert.deepEqual(ringing.customer.tickets.map((t) => t.id), [ticketId], 'screen pop carries the tickets');
    assert.equal(ringing.customer.blacklisted, false);

    await send(c.internal);
    call = await callRow(c.pbx);
    assert.equal(call.extension, '100');
    assert.equal(call.operatorId, operator.user.id, 'operator matched by SIP extension');
    assert.equal(call.status, 'ringing');

    await send(c.answer);
    call = await callRow(c.pbx);
    assert.equal(call.status, 'answered');
    assert.ok(call.answeredAt);
    assert.ok(call.waitSeconds >= 85 && call.waitSeconds < 200, `wait ${call.waitSeconds}`);
    assert.equal(eventsFor('call.answered', c.pbx).length, 1);

    await send(c.end('answered', 42, { is_recorded: '1', call_id_with_rec: `rec-${c.pbx}` }));
    call = await callRow(c.pbx);
    assert.equal(call.status, 'completed');
    assert.equal(call.talkSeconds, 42);
    assert.equal(call.duration, 42);
    assert.equal(call.disposition, 'answered');
    assert.equal(call.recorded, true);
    assert.ok(call.endedAt);
    const [ended] = eventsFor('call.ended', c.pbx);
    assert.equal(ended.call.status, 'completed');

    await send({ event: 'NOTIFY_RECORD', pbx_call_id: c.pbx, call_id_with_rec: `rec-${c.pbx}` });
    assert.equal(stack.sql(`SELECT recording_id FROM calls WHERE pbx_call_id = '${c.pbx}'`)[0][0], `rec-${c.pbx}`);
    assert.equal(sqlCount(`SELECT count(*) FROM call_events WHERE pbx_call_id = '${c.pbx}'`), 5, 'every notification kept raw');
    const [[raw]] = stack.sql(`SELECT fields->>'caller_id' FROM call_events WHERE pbx_call_id = '${c.pbx}' AND event = 'NOTIFY_START'`);
    assert.equal(raw, phone);
  });

  test('the same notification twice → one call, one event, same answer', async () => {
    const c = incoming(newPhone());
    const first = await send(c.start);
    assert.deepEqual(await send(c.start), first);
    await send(c.end('no answer'));
    await send(c.end('no answer'));
    assert.equal(sqlCount(`SELECT count(*) FROM calls WHERE pbx_call_id = '${c.pbx}'`), 1);
    assert.equal(sqlCount(`SELECT count(*) FROM call_events WHERE pbx_call_id = '${c.pbx}'`), 2);
    assert.equal(eventsFor('call.ringing', c.pbx).length, 1);
    assert.equal(eventsFor('call.ended', c.pbx).length, 1);
  });

  test('END before ANSWER (and START last) gives the same final call', async () => {
    const start = ago(120);
    const inOrder = incoming(newPhone(), { start });
    const shuffled = incoming(newPhone(), { start });
    for (const f of [inOrder.start, inOrder.answer, inOrder.end('answered', 30)]) await send(f);
    for (const f of [shuffled.end('answered', 30), shuffled.answer, shuffled.start]) await send(f);
    const a = await callRow(inOrder.pbx), b = await callRow(shuffled.pbx);
    for (const k of ['status', 'direction', 'extension', 'operatorId', 'talkSeconds', 'duration', 'disposition',
      'startedAt', 'calledNumber', 'recorded']) {
      assert.deepEqual(b[k], a[k], k);
    }
    assert.equal(b.status, 'completed');
    assert.ok(b.answeredAt && b.answeredAt <= b.endedAt);
    assert.equal(eventsFor('call.answered', shuffled.pbx).length, 0, 'no "answered" after the end');
    assert.equal(eventsFor('call.ringing', shuffled.pbx).length, 0, 'no screen pop after the end');
  });

  test('busy and failed endings', async () => {
    const busy = incoming(newPhone()), failed = incoming(newPhone());
    await send(busy.start);
    await send(busy.end('busy'));
    await send(failed.end('no money'));
    assert.equal((await callRow(busy.pbx)).status, 'missed', 'a busy incoming line is a missed customer');
    assert.equal((await callRow(busy.pbx)).disposition, 'busy');
    assert.equal((await callRow(failed.pbx)).status, 'failed');
  });

  test('a blacklisted caller is rejected when BRANDO_REJECT_BLACKLISTED=1', async () => {
    const phone = newPhone();
    assert.equal((await admin.post('/api/blacklist', { phone, reason: 'fraud' })).status, 201);
    const c = incoming(phone);
    assert.deepEqual(await send(c.start), { redirect: 'blacklist' });
    const [ringing] = eventsFor('call.ringing', c.pbx);
    assert.equal(ringing.customer.blacklisted, true);
  });
});

describe('missed-call queue', () => {
  const openMissed = async () => (await operator.get('/api/calls?status=missed&open=true&limit=200')).body.items;

  test('missed calls open; an answered call back from the number or a call to it closes them', async () => {
    const p1 = newPhone(), p2 = newPhone(), p3 = newPhone();
    const m1 = incoming(p1, { start: ago(300) }), m2 = incoming(p2, { start: ago(300) });
    const m3 = incoming(p3, { start: ago(300) });
    for (const m of [m1, m2, m3]) {
      await send(m.start);
      await send(m.end(m === m2 ? 'cancel' : 'no answer'));
    }
    let open = (await openMissed()).map((c) => c.pbxCallId);
    for (const m of [m1, m2, m3]) assert.ok(open.includes(m.pbx), `${m.pbx} is in the queue`);

    // p1 calls again and is answered
    const again = incoming(p1, { start: ago(10) });
    for (const f of [again.start, again.answer, again.end('answered', 12)]) await send(f);
    // p2 is called back from the CRM (click-to-call)
    assert.equal((await operator.post('/api/calls/outgoing', { to: p2 })).status, 202);
    // p3 is called back from a desk phone: the PBX reports the outgoing call
    await send({ event: 'NOTIFY_OUT_START', pbx_call_id: pbxId(), internal: '101', destination: p3.slice(1), call_start: pbxTime(new Date()) });

    open = (await openMissed()).map((c) => c.pbxCallId);
    for (const m of [m1, m2, m3]) assert.ok(!open.includes(m.pbx), `${m.pbx} left the queue`);
    const m1call = await callRow(m1.pbx);
    assert.equal(m1call.calledBack, true);
    assert.equal(m1call.status, 'missed');
    const closed = (await operator.get('/api/calls?status=missed&open=false&limit=200')).body.items.map((c) => c.pbxCallId);
    assert.ok(closed.includes(m1.pbx));
  });

  test('a call back before the missed call\'s END arrives still closes it', async () => {
    const p = newPhone();
    const m = incoming(p, { start: ago(200) });
    await send(m.start);
    await send({ event: 'NOTIFY_OUT_START', pbx_call_id: pbxId(), internal: '100', destination: p, call_start: pbxTime(ago(100)) });
    await send(m.end('no answer'));
    assert.ok(!(await openMissed()).some((c) => c.pbxCallId === m.pbx));
  });
});

describe('call log and detail', () => {
  test('filters, detail with the customer, validation, roles', async () => {
    const phone = newPhone();
    await seedTicket(phone, 'Olena');
    const c = incoming(phone);
    await send(c.start);
    await send(c.end('no answer'));
    let r = await operator.get(`/api/calls?phone=${encodeURIComponent(phone)}`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.items.map((x) => x.pbxCallId), [c.pbx]);
    r = await operator.get(`/api/calls?direction=in&status=missed,completed&from=${ago(3600).toISOString()}`);
    assert.ok(r.body.items.some((x) => x.pbxCallId === c.pbx));
    assert.ok(r.body.items.every((x) => x.direction === 'in' && ['missed', 'completed'].includes(x.status)));
    r = await operator.get(`/api/calls?to=${ago(3600).toISOString()}`);
    assert.ok(!r.body.items.some((x) => x.pbxCallId === c.pbx));

    const id = (await callRow(c.pbx)).id;
    r = await admin.get(`/api/calls/${id}`);
    assert.equal(r.status, 200);
    assert.equal(r.body.call.id, id);
    assert.equal(r.body.customer.phone, phone);
    assert.equal(r.body.customer.tickets[0].customerName, 'Olena');
    assert.deepEqual(r.body.customer.calls.map((x) => x.id), [id]);

    for (const [q, field] of [['direction=up', 'direction'], ['status=lost', 'status'], ['from=yesterday', 'from'],
      ['phone=call-me', 'phone'], ['open=maybe', 'open'], ['limit=0', 'limit'], ['cursor=zz', 'cursor']]) {
      const bad = await operator.get(`/api/calls?${q}`);
      assert.equal(bad.status, 422, q);
      assert.equal(errorOf(bad).field, field);
    }
    assert.equal((await admin.get('/api/calls/999999999')).status, 404);
    assert.equal((await admin.get('/api/calls/abc')).status, 404);
    assert.equal((await master.get('/api/calls')).status, 403);
    assert.equal((await anon.get('/api/calls')).status, 401);
    assert.equal((await master.get(`/api/calls/${id}`)).status, 403);
  });

  test('a ticket created from a call links the call back; an unknown callId is refused', async () => {
    const c = incoming(newPhone());
    await send(c.start);
    const call = await callRow(c.pbx);
    assert.equal(call.ticketId, null);
    const [ticketId] = await seedTicket(c.start.caller_id, 'From a call', { source: 'call', callId: call.id });
    assert.equal((await operator.get(`/api/calls/${call.id}`)).body.call.ticketId, ticketId);
    const r = await operator.post('/api/tickets', { customerName: 'X', customerPhone: newPhone(), deviceType: 'TV',
      problem: 'No picture', callId: 987654321 });
    assert.equal(r.status, 422);
    assert.equal(r.body.error.field, 'callId');
    assert.equal(sqlCount(`SELECT count(*) FROM tickets WHERE call_id = 987654321`), 0);
  });

  test('pagination walks the log without repeats', async () => {
    for (let i = 0; i < 3; i++) await send(incoming(newPhone(), { start: ago(i) }).start);
    const seen = [];
    let cursor = null;
    do {
      const r = await admin.get(`/api/calls?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...r.body.items.map((x) => x.id));
      cursor = r.body.nextCursor;
    } while (cursor);
    assert.equal(seen.length, sqlCount('SELECT count(*) FROM calls'));
    assert.equal(new Set(seen).size, seen.length);
  });
});

describe('click-to-call', () => {
  test('signs the callback request as Zadarma does → 202 with the pending call; the PBX claims it', async () => {
    const before = zd.count('/v1/request/callback/');
    const r = await operator.post('/api/calls/outgoing', { to: '+44 20 3769 1881' });
    assert.equal(r.status, 202, r.text);
    assert.equal(zd.count('/v1/request/callback/'), before + 1);
    const sent = zd.requests.at(-1);
    assert.deepEqual(sent.params, { format: 'json', from: '100', to: '442037691881' });
    // INTEGRATIONS.md's documented vector for exactly these parameters
    assert.equal(sent.authorization, 'test-key:NWRiZTZlYzIyYzkxNzRhYzNiMDM5NmZhY2JkNzViOWQ0YWI4Y2E5MA==');
    const call = r.body.call;
    assert.equal(call.direction, 'out');
    assert.equal(call.status, 'ringing');
    assert.equal(call.pbxCallId, null);
    assert.equal(call.customerPhone, '+442037691881');
    assert.equal(call.operatorId, operator.user.id);

    const pbx = `out_${Date.now()}`;
    await send({ event: 'NOTIFY_OUT_START', pbx_call_id: pbx, internal: '100', destination: '442037691881', call_start: pbxTime(new Date()) });
    await send({ event: 'NOTIFY_OUT_END', pbx_call_id: pbx, internal: '100', destination: '442037691881', caller_id: DID,
      call_start: pbxTime(new Date()), duration: '7', disposition: 'answered', status_code: '16', is_recorded: '0', call_id_with_rec: '' });
    const got = (await operator.get(`/api/calls/${call.id}`)).body.call;
    assert.equal(got.pbxCallId, pbx, 'the PBX call landed on the pending row');
    assert.equal(got.status, 'completed');
    assert.equal(got.talkSeconds, 7);
  });

  test('a ticket id links the call; Zadarma errors → 502 with its message; no extension → 422', async () => {
    const [ticketId] = await seedTicket(newPhone(), 'Linked');
    let r = await operator.post('/api/calls/outgoing', { to: '+442037691882', ticketId });
    assert.equal(r.status, 202);
    assert.equal(r.body.call.ticketId, ticketId);

    const calls = sqlCount('SELECT count(*) FROM calls');
    zd.fail('/v1/request/callback/', { message: 'Wrong phone number' });
    r = await operator.post('/api/calls/outgoing', { to: '+442037691883' });
    assert.equal(r.status, 502);
    assert.equal(errorOf(r).code, 'upstream_failed');
    assert.equal(errorOf(r).message, 'Wrong phone number');
    zd.fail('/v1/request/callback/', { status: 500, body: 'oops' });
    r = await operator.post('/api/calls/outgoing', { to: '+442037691883' });
    assert.equal(r.status, 502);
    assert.equal(sqlCount('SELECT count(*) FROM calls'), calls, 'no call row for a refused request');

    r = await admin.post('/api/calls/outgoing', { to: '+442037691883' });
    assert.equal(r.status, 422);
    assert.equal(errorOf(r).field, 'sipExtension');
    for (const [body, field] of [[{ to: 'call me' }, 'to'], [{}, 'to'], [{ to: '+442037691883', ticketId: 987654321 }, 'ticketId'],
      [{ to: '+442037691883', extra: 1 }, 'extra']]) {
      r = await operator.post('/api/calls/outgoing', body);
      assert.equal(r.status, 422, JSON.stringify(body));
      assert.equal(errorOf(r).field, field);
    }
    assert.equal((await master.post('/api/calls/outgoing', { to: '+442037691883' })).status, 403);
  });

  test('a click-to-call the PBX never reports ends as failed after 10 minutes, with call.ended', async () => {
    const stale = (await operator.post('/api/calls/outgoing', { to: '+442037691884' })).body.call;
    const fresh = (await operator.post('/api/calls/outgoing', { to: '+442037691885' })).body.call;
    stack.sql(`UPDATE calls SET created_at = now() - interval '11 minutes', started_at = now() - interval '11 minutes' WHERE id = ${stale.id}`);
    const live = await connect(stack.base, operator);
    await stack.sh('fcgi-restart'); // the jobs worker's housekeeping runs at start, then every minute
    await live.waitFor((c) => c.events.some((e) => e.type === 'call.ended' && e.data.call.id === stale.id), 15000, 'call.ended');
    let got;
    for (let i = 0; i < 50 && got?.status !== 'failed'; i++) {
      const r = await operator.get(`/api/calls/${stale.id}`);
      got = r.status === 200 ? r.body.call : got;
      if (got?.status !== 'failed') await new Promise((res) => setTimeout(res, 100));
    }
    assert.equal(got.status, 'failed');
    assert.equal(got.disposition, 'unreported');
    assert.equal(Date.parse(got.endedAt) - Date.parse(got.startedAt), 600_000);
    assert.equal(got.talkSeconds, 0);
    assert.equal((await operator.get(`/api/calls/${fresh.id}`)).body.call.status, 'ringing', 'a recent one keeps waiting for the PBX');
    assert.equal(live.events.filter((e) => e.type === 'call.ended' && e.data.call.id === stale.id).length, 1);
    await live.close();
  });

  test('the fake refuses a request signed with the wrong secret, in Zadarma\'s error shape', async () => {
    const params = { format: 'json', sip: '100' };
    const sign = restSign('wrong-secret', '/v1/webrtc/get_key/', params);
    const res = await fetch(`${zd.url}/v1/webrtc/get_key/?format=json&sip=100`, { headers: { authorization: `test-key:${sign}` } });
    assert.equal(res.status, 401);
    assert.deepEqual(await res.json(), { status: 'error', message: 'Not authorized' });
  });
});

describe('WebRTC key and recordings', () => {
  test('the key is fetched once and shared until shortly before it expires', async () => {
    const before = zd.count('/v1/webrtc/get_key/');
    const a = await operator.get('/api/zadarma/webrtc-key');
    const b = await operator.get('/api/zadarma/webrtc-key');
    assert.equal(a.status, 200);
    assert.deepEqual(b.body, a.body);
    assert.equal(a.body.sip, '100');
    assert.match(a.body.key, /^webrtc-key-\d+$/);
    assert.equal(zd.count('/v1/webrtc/get_key/'), before + 1, 'one upstream call for two requests');
    stack.sql(`UPDATE zadarma_webrtc_keys SET expires_at = now() + interval '30 minutes'`);
    const c = await operator.get('/api/zadarma/webrtc-key');
    assert.notEqual(c.body.key, a.body.key);
    assert.equal(zd.count('/v1/webrtc/get_key/'), before + 2);
    stack.sql('DELETE FROM zadarma_webrtc_keys');
    const [x, y] = await Promise.all([operator.get('/api/zadarma/webrtc-key'), operator.get('/api/zadarma/webrtc-key')]);
    assert.equal(x.body.key, y.body.key, 'two workers at once still share one key');
    assert.equal(zd.count('/v1/webrtc/get_key/'), before + 3);
    assert.equal(JSON.stringify(a.body).includes(zd.secret), false);
    assert.equal((await admin.get('/api/zadarma/webrtc-key')).status, 422, 'admin has no extension and no ZADARMA_SIP');
  });

  test('recording link for a recorded call; 404 otherwise', async () => {
    const rec = incoming(newPhone()), plain = incoming(newPhone());
    await send(rec.end('answered', 20, { is_recorded: '1', call_id_with_rec: '1714564800.123' }));
    await send(plain.end('answered', 20));
    const id = (await callRow(rec.pbx)).id;
    const r = await operator.get(`/api/calls/${id}/recording`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.link, 'https://api.zadarma.com/records/1714564800.123.mp3');
    assert.equal(r.body.lifetimeTill, '2029-12-31T22:00:00Z', "Zadarma's 2030-01-01 00:00:00 in ZADARMA_TZ (Kyiv, +02:00)");
    assert.deepEqual(zd.requests.at(-1).params, { format: 'json', call_id: '1714564800.123', lifetime: '1800' });
    assert.equal((await operator.get(`/api/calls/${(await callRow(plain.pbx)).id}/recording`)).status, 404);
    assert.equal((await operator.get('/api/calls/999999999/recording')).status, 404);
    zd.fail('/v1/pbx/record/request/', { message: 'Record not found' });
    const failed = await operator.get(`/api/calls/${id}/recording`);
    assert.equal(failed.status, 502);
    assert.equal(errorOf(failed).message, 'Record not found');
  });
});

describe('brando-ctl zadarma-sync', () => {
  const ctl = (...args) => promisify(execFile)(path.join(stack.env.BRANDO_BIN_DIR, 'brando-ctl'), ['zadarma-sync', ...args],
    { env: { ...stack.env, DATABASE_URL: stack.databaseUrl, ZADARMA_STATS_PAUSE: '1' } });

  test('folds calls whose notifications were lost, page by page; known calls keep what they have', async () => {
    const known = incoming(newPhone(), { start: ago(3000) });
    await send(known.start);
    await send(known.end('answered', 33));
    const lostIn = newPhone(), lostOut = newPhone();
    const tag = Date.now();
    zd.stats.push(
      { call_id: 1714564800.25, sip: 100, callstart: pbxTime(ago(3000)), clid: Number(known.start.caller_id.slice(1)),
        destination: 100, disposition: 'no answer', seconds: 0, is_recorded: 'false', pbx_call_id: known.pbx },
      { call_id: 1714564801.1234567, sip: 100, callstart: pbxTime(ago(2000)), clid: Number(lostIn.slice(1)),
        destination: 100, disposition: 'answered', seconds: 61, is_recorded: 'true', pbx_call_id: `in_lost_${tag}` },
      { call_id: 1714564802.5, sip: 101, callstart: pbxTime(ago(1000)), clid: 442037691881,
        destination: Number(lostOut.slice(1)), disposition: 'busy', seconds: 0, is_recorded: 'false', pbx_call_id: `out_lost_${tag}` },
    );
    const seen = zd.requests.length;
    const from = pbxTime(ago(2 * 86400));
    const out = await ctl('--from', from, '--limit', '2');
    assert.match(out.stdout, /zadarma-sync: 3 calls/);
    const pages = zd.requests.slice(seen).filter((q) => q.path === '/v1/statistics/pbx/');
    assert.equal(pages.length, 2, 'a second page only because the first was full');
    assert.deepEqual(pages.map((q) => [q.params.skip, q.params.limit, q.params.version, q.params.start]),
      [['0', '2', '2', from], ['2', '2', '2', from]]);
    assert.ok(pages.every((q) => q.signatureOk));
    assert.ok(pages[1].at - pages[0].at >= 900, 'paused between pages');

    const k = await callRow(known.pbx);
    assert.equal(k.status, 'completed');
    assert.equal(k.talkSeconds, 33);
    const i = await callRow(`in_lost_${tag}`);
    assert.equal(i.direction, 'in');
    assert.equal(i.status, 'completed');
    assert.equal(i.talkSeconds, 61);
    assert.equal(i.customerPhone, lostIn);
    assert.equal(i.operatorId, operator.user.id);
    assert.equal(stack.sql(`SELECT recording_id FROM calls WHERE pbx_call_id = 'in_lost_${tag}'`)[0][0], '1714564801.1234567');
    const o = await callRow(`out_lost_${tag}`);
    assert.equal(o.direction, 'out');
    assert.equal(o.status, 'busy');
    assert.equal(o.customerPhone, lostOut);
    assert.equal(o.extension, '101');

    const events = sqlCount('SELECT count(*) FROM call_events');
    zd.stats.splice(0); // the rerun sees one short page: no pause, nothing new
    zd.stats.push({ call_id: 1714564802.5, sip: 101, callstart: pbxTime(ago(1000)), clid: 442037691881,
      destination: Number(lostOut.slice(1)), disposition: 'busy', seconds: 0, is_recorded: 'false', pbx_call_id: `out_lost_${tag}` });
    await ctl('--from', from);
    assert.equal(sqlCount('SELECT count(*) FROM call_events'), events, 'a rerun changes nothing');
    await assert.rejects(ctl('--from', 'yesterday'), (e) => e.code === 2);
  });

  test('a window over a month goes month by month, and a 429 waits and asks again', async () => {
    const tag = Date.now();
    const row = (callstart, n) => ({ call_id: 1706000000 + n, sip: 100, callstart, clid: 380671230000 + n, destination: 100,
      disposition: 'answered', seconds: 10, is_recorded: 'false', pbx_call_id: `month_${tag}_${n}` });
    zd.stats.splice(0);
    zd.stats.push(row('2024-02-20 10:00:00', 1), row('2024-04-05 09:30:00', 2), row('2024-04-20 12:00:00', 3));
    zd.limitStats(2, 2500); // with a 1 s pause the third request comes too soon
    const seen = zd.requests.length;
    let busy;
    try {
      const out = await ctl('--from', '2024-01-15', '--to', '2024-04-10');
      assert.match(out.stdout, /zadarma-sync: 2 calls from 2024-01-15 00:00:00 to 2024-04-10 23:59:59/);
      assert.match(out.stderr, /rate limit.*asking again/);
      busy = zd.statsBusy;
    } finally {
      zd.limitStats(null);
    }
    assert.ok(busy >= 1, 'Zadarma answered 429 at least once');
    const windows = [...new Set(zd.requests.slice(seen).filter((q) => q.path === '/v1/statistics/pbx/')
      .map((q) => `${q.params.start} – ${q.params.end}`))];
    assert.deepEqual(windows, ['2024-01-15 00:00:00 – 2024-02-14 23:59:59', '2024-02-15 00:00:00 – 2024-03-14 23:59:59',
      '2024-03-15 00:00:00 – 2024-04-10 23:59:59'], 'each window at most a month, contiguous, the last ending at --to');
    assert.deepEqual(stack.sql(`SELECT status, talk_seconds FROM calls WHERE pbx_call_id LIKE 'month_${tag}_%' ORDER BY pbx_call_id`),
      [['completed', '10'], ['completed', '10']]);
    assert.equal(sqlCount(`SELECT count(*) FROM calls WHERE pbx_call_id = 'month_${tag}_3'`), 0, 'after --to');
    await assert.rejects(ctl('--from', '2024-04-10', '--to', '2024-04-01'), (e) => e.code === 2 && /after --to/.test(e.stderr));
  });

  test('a ZADARMA_TZ that is not a time zone stops the programs at start, before any call is refused', async () => {
    await assert.rejects(promisify(execFile)(path.join(stack.env.BRANDO_BIN_DIR, 'brando-ctl'), ['zadarma-sync'],
      { env: { ...stack.env, DATABASE_URL: stack.databaseUrl, ZADARMA_TZ: 'Europe/Kiev2' } }),
    (e) => e.code !== 0 && /ZADARMA_TZ is not a known time zone/.test(e.stderr));
  });
});
