// GET /api/dashboard: the figures of a window, built here from calls and tickets made through
// the API on a stack of its own, so every number is known.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client, errorOf, signedInAll } from '../lib/client.js';
import { startStack } from '../lib/stack.js';
import { startFakeZadarma } from '../fakes/zadarma.js';
import { createTicket, uniquePhone } from '../lib/tickets.js';

const TZ = 'Europe/Kyiv';
let stack, zd, admin, operator, master, anon, window_;
const calls = {};

const pbxTime = (d) => d.toLocaleString('sv-SE', { timeZone: TZ }).slice(0, 19);
const kyivHour = (iso) => Number(new Date(iso).toLocaleString('en-GB', { timeZone: TZ, hour: '2-digit', hourCycle: 'h23' }));

async function send(fields) {
  const r = await zd.notify(stack.base, fields);
  assert.equal(r.status, 200, `${fields.event}: ${r.text}`);
}

// One incoming call: answered (talk seconds) or not (a disposition such as 'no answer').
async function incomingCall(phone, { answered = false, talk = 0, disposition = 'no answer' } = {}) {
  const pbx = `dash_${Date.now()}_${Math.random().toString(36).slice(2)}`;
  const base = { pbx_call_id: pbx, caller_id: phone, call_start: pbxTime(new Date(Date.now() - 30_000)) };
  await send({ event: 'NOTIFY_START', ...base, called_did: '442037691881' });
  if (answered) await send({ event: 'NOTIFY_ANSWER', ...base, destination: '100', internal: '100' });
  await send({ event: 'NOTIFY_END', ...base, called_did: '442037691881', internal: answered ? '100' : '',
    duration: String(talk), disposition: answered ? 'answered' : disposition, status_code: '16', is_recorded: '0' });
  const r = await operator.get('/api/calls?limit=200');
  return r.body.items.find((c) => c.pbxCallId === pbx);
}

async function patchOk(client, t, body) {
  const r = await client.patch(`/api/tickets/${t.id}`, { version: t.version, ...body });
  assert.equal(r.status, 200, `${JSON.stringify(body)}: ${r.text}`);
  return r.body.ticket;
}

before(async () => {
  zd = await startFakeZadarma();
  stack = await startStack({ env: { ...zd.env, ZADARMA_TZ: TZ } });
  ({ admin, operator, master } = await signedInAll(stack.base));
  anon = new Client(stack.base);
  const p1 = uniquePhone(), p2 = uniquePhone(), p3 = uniquePhone();
  // Calls: A answered (30 s), B missed and never called back, C missed (busy) then D from the
  // same number answered (10 s), which closes C.
  calls.a = await incomingCall(p1, { answered: true, talk: 30 });
  calls.b = await incomingCall(p2);
  calls.c = await incomingCall(p3, { disposition: 'busy' });
  calls.d = await incomingCall(p3, { answered: true, talk: 10 });
  // Tickets: one from call A, completed by the master for 300; one cancelled; one left new.
  let t1 = await createTicket(operator, { customerPhone: p1, callId: calls.a.id });
  t1 = await patchOk(admin, t1, { masterId: master.user.id });
  for (const status of ['accepted', 'in_progress']) t1 = await patchOk(master, t1, { status });
  await patchOk(master, t1, { status: 'completed', finalAmount: '300' });
  const t2 = await createTicket(operator);
  await patchOk(operator, t2, { status: 'cancelled' });
  await createTicket(admin);
  const now = Date.now();
  window_ = `from=${new Date(now - 3_600_000).toISOString()}&to=${new Date(now + 60_000).toISOString()}`;
});
after(async () => {
  await stack?.stop();
  await zd?.close();
});

describe('the figures', () => {
  test('calls: totals, missed and still open, answer rate, averages, by hour in the center\'s time zone', async () => {
    const r = await admin.get(`/api/dashboard?${window_}&tz=${TZ}`);
    assert.equal(r.status, 200, r.text);
    const c = r.body.calls;
    assert.equal(r.body.tz, TZ);
    assert.deepEqual([c.total, c.incoming, c.outgoing, c.answered, c.missed, c.missedOpen], [4, 4, 0, 2, 2, 1]);
    assert.equal(c.answerRate, 0.5);
    assert.equal(c.avgTalkSeconds, 20);
    assert.equal(c.avgWaitSeconds, Math.round((calls.a.waitSeconds + calls.d.waitSeconds) / 2));
    assert.equal(c.byHour.length, 24);
    assert.deepEqual(c.byHour.map((h) => h.hour), [...Array(24).keys()]);
    const expected = Array(24).fill(0);
    for (const k of 'abcd') expected[kyivHour(calls[k].startedAt)]++;
    assert.deepEqual(c.byHour.map((h) => h.total), expected);
    assert.equal(c.byHour.reduce((n, h) => n + h.answered, 0), 2);
    assert.equal(c.byHour.reduce((n, h) => n + h.missed, 0), 2);
  });

  test('tickets: created, completed, cancelled, by status, revenue, conversion from calls', async () => {
    const t = (await admin.get(`/api/dashboard?${window_}`)).body.tickets;
    assert.deepEqual([t.created, t.completed, t.cancelled, t.fromCalls], [3, 1, 1, 1]);
    assert.deepEqual(t.byStatus, { new: 1, assigned: 0, accepted: 0, in_progress: 0, completed: 1, cancelled: 1 });
    assert.equal(t.revenue, '300.00');
    assert.equal(t.conversion, 0.5, 'one ticket from two answered calls');
  });

  test('masters and operators: one row each, with their own numbers', async () => {
    const d = (await admin.get(`/api/dashboard?${window_}`)).body;
    const m = d.masters.find((x) => x.id === master.user.id);
    assert.equal(m.name, 'Demo Master');
    assert.deepEqual([m.open, m.completed, m.revenue], [0, 1, '300.00']);
    assert.ok(Number.isInteger(m.avgCompletionSeconds) && m.avgCompletionSeconds >= 0);
    const op = d.operators.find((x) => x.id === operator.user.id);
    assert.deepEqual([op.callsHandled, op.ticketsCreated], [2, 2]);
    const ad = d.operators.find((x) => x.id === admin.user.id);
    assert.deepEqual([ad.callsHandled, ad.ticketsCreated], [0, 1]);
    assert.ok(!d.operators.some((x) => x.id === master.user.id), 'masters are not operators');
  });

  test('series: one entry per day of the window, adding up to the totals', async () => {
    const d = (await admin.get(`/api/dashboard?${window_}`)).body;
    const days = d.series.days;
    assert.ok(days.length >= 1 && days.length <= 2, `${days.length} days in a 61-minute window`);
    const sum = (k) => days.reduce((n, x) => n + x[k], 0);
    assert.deepEqual([sum('calls'), sum('answered'), sum('missed'), sum('ticketsCreated'), sum('ticketsCompleted')],
      [4, 2, 2, 3, 1]);
    assert.equal(days.reduce((n, x) => n + Number(x.revenue), 0), 300);
    assert.ok(days.every((x) => /^\d{4}-\d{2}-\d{2}$/.test(x.date)));
  });

  test('a window with nothing in it: zeros, and no rate where there is nothing to divide', async () => {
    const d = (await admin.get('/api/dashboard?from=2025-01-01&to=2025-01-07')).body;
    assert.deepEqual([d.calls.total, d.calls.answerRate, d.calls.avgWaitSeconds, d.tickets.created, d.tickets.conversion],
      [0, null, null, 0, null]);
    assert.equal(d.tickets.revenue, '0.00');
    assert.equal(d.series.days.length, 7);
    assert.deepEqual(d.series.days.map((x) => x.date), ['2025-01-01', '2025-01-02', '2025-01-03', '2025-01-04',
      '2025-01-05', '2025-01-06', '2025-01-07']);
  });
});

describe('the window', () => {
  test('dates are whole days in tz; by default today there, in the configured time zone', async () => {
    let d = (await admin.get(`/api/dashboard?from=2026-03-29&to=2026-03-29&tz=${TZ}`)).body;
    assert.deepEqual([d.from, d.to], ['2026-03-28T22:00:00Z', '2026-03-29T21:00:00Z'], 'the spring-forward day is 23 h');
    d = (await admin.get('/api/dashboard?from=2026-07-01&to=2026-07-02&tz=America/New_York')).body;
    assert.deepEqual([d.from, d.to, d.series.days.length], ['2026-07-01T04:00:00Z', '2026-07-03T04:00:00Z', 2]);
    d = (await admin.get('/api/dashboard')).body;
    assert.equal(d.tz, TZ);
    const today = new Date().toLocaleString('sv-SE', { timeZone: TZ }).slice(0, 10);
    assert.deepEqual(d.series.days.map((x) => x.date), [today]);
    assert.equal(d.calls.total, 4);
  });

  test('bad windows → 422 on the field, with a message', async () => {
    for (const [q, field] of [
      ['tz=Mars/Olympus', 'tz'], ['tz=UTC%2B3', 'tz'], [`tz=${'A'.repeat(65)}`, 'tz'], ['tz=%FF', 'tz'],
      ['from=yesterday', 'from'], ['to=2026-13-01', 'to'], ['from=2026-11-24&to=2026-11-23', 'to'],
      ['from=2026-11-24T10:00:00Z&to=2026-11-24T10:00:00Z', 'to'], ['from=2020-01-01&to=2026-01-01', 'from'],
    ]) {
      const r = await admin.get(`/api/dashboard?${q}`);
      assert.equal(r.status, 422, `${q}: ${r.text}`);
      assert.equal(errorOf(r).code, 'validation_failed');
      assert.equal(errorOf(r).field, field, q);
      assert.ok(errorOf(r).message);
    }
  });
});

describe('who sees what', () => {
  test('an operator sees the center\'s totals and only their own operator row', async () => {
    const a = (await admin.get(`/api/dashboard?${window_}`)).body;
    const o = (await operator.get(`/api/dashboard?${window_}`)).body;
    assert.deepEqual(o.calls, a.calls);
    assert.deepEqual(o.tickets, a.tickets);
    assert.deepEqual(o.series, a.series);
    assert.deepEqual(o.masters, []);
    assert.deepEqual(o.operators, a.operators.filter((x) => x.id === operator.user.id));
  });

  test('a master → 403; no session → 401', async () => {
    assert.equal((await master.get('/api/dashboard')).status, 403);
    assert.equal(errorOf(await master.get('/api/dashboard')).code, 'forbidden');
    assert.equal((await anon.get('/api/dashboard')).status, 401);
  });
});
