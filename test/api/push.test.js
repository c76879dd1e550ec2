// brando-push through nginx on the real stack: who may connect, what arrives, in which order.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import { Client, signedIn } from '../lib/client.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { listen } from '../lib/listen.js';
import { connect, emit, emitHeld, eventIds, lastEventId, pushMetrics, pushWaits, sqlAsync, sqlScript, waitUntil } from '../lib/push.js';
import { startStack } from '../lib/stack.js';
import { createTicket, withoutMoves } from '../lib/tickets.js';

let stack, admin, operator;
// A queue (ring) of 1,024 frames instead of 4,096: the 2,000-event run then outgrows it, so a
// late client replays from the table, and a stalled client overflows it sooner. A missing id
// holds delivery back for at most 3 s instead of 10.
const GAP_HOLD_S = 3;
before(async () => {
  stack = await startStack({ env: { BRANDO_PUSH_QUEUE: '1024', BRANDO_PUSH_GAP_HOLD: String(GAP_HOLD_S) } });
  admin = await signedIn(stack.base, 'admin');
  operator = await signedIn(stack.base, 'operator');
});
after(async () => { await stack?.stop(); });

const ids = (conn, type) => conn.events.filter((e) => !type || e.type === type).map((e) => e.id);

// A user change through the API: the handler emits user.updated in its transaction.
let renames = 0;
async function touchUser(base = stack.base, who = admin) {
  const r = await who.patch(`/api/users/${operator.user.id}`, { fullName: `Operator ${++renames}` });
  assert.equal(r.status, 200, r.text);
  return r.body.user.fullName;
}

test('anonymous is refused at the handshake with a JSON 401, even with forged identity headers', async () => {
  for (const headers of [{}, { 'x-brando-user': operator.user.id, 'x-brando-role': 'admin' }]) {
    const err = await connect(stack.base, null, { headers }).then(() => null, (e) => e);
    assert.ok(err, 'the upgrade must fail');
    assert.equal(err.status, 401);
    assert.match(err.contentType, /json/);
    assert.equal(JSON.parse(err.body).error.code, 'unauthenticated');
  }
});

test('a master is refused with a JSON 403', async () => {
  const master = await signedIn(stack.base, 'master');
  const err = await connect(stack.base, master).then(() => null, (e) => e);
  assert.equal(err?.status, 403);
  assert.equal(JSON.parse(err.body).error.code, 'forbidden');
});

test('since that is not an event id → 400 JSON', async () => {
  for (const since of ['abc', '-1', '1e3', '', '%zz', '%00', '9'.repeat(5000)]) {
    const err = await connect(stack.base, operator, { since }).then(() => null, (e) => e);
    assert.equal(err?.status, 400, `since=${since.slice(0, 20)}`);
    assert.equal(JSON.parse(err.body).error.code, 'bad_request');
    assert.match(err.headers['x-request-id'] ?? '', /^[0-9a-f]{16,}$/, 'the daemon\'s refusal carries the request id');
    assert.equal(err.headers['cache-control'], 'no-store');
  }
});

test('another site\'s page cannot open the socket with the user\'s cookie; the site\'s own can', async () => {
  for (const origin of ['https://evil.example', 'http://127.0.0.1.evil.example', 'null']) {
    const err = await connect(stack.base, operator, { origin }).then((c) => { c.close(); return null; }, (e) => e);
    assert.equal(err?.status, 403, origin);
    assert.equal(JSON.parse(err.body).error.code, 'forbidden');
  }
  const own = await connect(stack.base, operator, { origin: stack.base });
  assert.match(own.headers['x-request-id'] ?? '', /^[0-9a-f]{16,}$/, 'the 101 carries the request id');
  await own.close();
});

test('the daemon itself believes only the identity headers, and refuses without them', async () => {
  const url = `ws+unix://${path.join(stack.dir, 'run/push.sock')}:/ws`;
  const attempt = (headers) => new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => { ws.close(); resolve(101); });
    ws.on('unexpected-response', (req, res) => resolve(res.statusCode));
    ws.on('error', () => resolve(0));
  });
  assert.equal(await attempt({}), 401);
  assert.equal(await attempt({ 'x-brando-user': operator.user.id, 'x-brando-role': 'master' }), 403);
  assert.equal(await attempt({ 'x-brando-user': operator.user.id }), 401);
  assert.equal(await attempt({ 'x-brando-user': operator.user.id, 'x-brando-role': 'operator' }), 101);
});

test('an operator receives ticket.created for a ticket another session creates, within 1 s', async () => {
  const conn = await connect(stack.base, operator);
  const t0 = Date.now();
  const ticket = await createTicket(admin, { customerName: 'Live Event' });
  await conn.waitFor((c) => c.events.some((e) => e.data.ticket?.id === ticket.id), 5000);
  const elapsed = Date.now() - t0;
  const ev = conn.events.find((e) => e.data.ticket?.id === ticket.id);
  assert.equal(ev.type, 'ticket.created');
  assert.deepEqual(ev.data.ticket, withoutMoves(ticket));
  assert.match(ev.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(ev.id, lastEventId(stack));
  assert.ok(elapsed < 1000, `arrived ${elapsed} ms after the POST was sent`);
  await conn.close();
});

test('a user change made by an admin reaches operators as user.updated', async () => {
  const conn = await connect(stack.base, operator);
  const name = await touchUser();
  await conn.waitFor((c) => c.events.some((e) => e.data.user?.fullName === name), 5000);
  const ev = conn.events.find((e) => e.data.user?.fullName === name);
  assert.equal(ev.type, 'user.updated');
  assert.equal(ev.data.user.id, operator.user.id);
  await conn.close();
});

test('events go only to the roles in their audience', async () => {
  const a = await connect(stack.base, admin);
  const o = await connect(stack.base, operator);
  const adminOnly = await emit(stack, 'test.admin_only', '{admin}', { n: 1 });
  const everyone = await emit(stack, 'test.everyone', '{admin,operator}', { n: 2 });
  await a.waitFor((c) => ids(c).includes(everyone));
  await o.waitFor((c) => ids(c).includes(everyone));
  assert.deepEqual(ids(a), [adminOnly, everyone]);
  assert.deepEqual(ids(o), [everyone]);
  await Promise.all([a.close(), o.close()]);
});

test('reconnecting with since replays exactly the missed events, in order, then live ones', async () => {
  const first = await connect(stack.base, operator);
  await touchUser();
  await first.waitFor((c) => c.events.length === 1);
  const seen = first.events[0].id;
  await first.close();
  for (let i = 0; i < 5; i++) await touchUser();
  const missed = eventIds(stack, seen);
  assert.equal(missed.length, 5);

  const again = await connect(stack.base, operator, { since: seen });
  await again.waitFor((c) => c.events.length === 5);
  await touchUser();
  await again.waitFor((c) => c.events.length === 6);
  assert.deepEqual(ids(again), eventIds(stack, seen));
  assert.equal(again.frames.length, 6, 'no resync, nothing else');
  // The frames are the table's rows, as event_json renders them.
  const [[frame]] = stack.sql(`SELECT event_json(e) FROM events e WHERE id = ${missed[2]}`);
  assert.deepEqual(again.events[2], JSON.parse(frame));
  await again.close();
});

// Writers take event ids without a lock, so they commit out of order; clients resume by id, so
// nothing after a missing id may go out until it is there or known never to come.
test('an event whose transaction commits late holds back the ones after it; then both arrive, in id order', async () => {
  const live = await connect(stack.base, operator);
  const held = await emitHeld(stack, 'test.late', { n: 1 });
  const next = await emit(stack, 'test.after_late', '{admin,operator}', { n: 2 });
  assert.equal(next, held.id + 1);
  const resumed = await connect(stack.base, admin, { since: held.id - 1 }); // arrives during the hold
  await sleep(500); // 25 grace periods: brando-push has read the page again and again
  assert.deepEqual(ids(live), [], 'nothing past the open transaction');
  assert.deepEqual(ids(resumed), []);
  await held.commit();
  for (const c of [live, resumed]) {
    await c.waitFor((x) => x.events.length >= 2, 5000, 'both events');
    assert.deepEqual(ids(c), [held.id, next]);
  }
  await Promise.all([live.close(), resumed.close()]);
});

test('an event id whose transaction rolls back stops nothing: what follows arrives, the id never does', async () => {
  const live = await connect(stack.base, operator);
  const before = (await pushMetrics(stack)).brando_push_gap_ids_settled_total;
  const held = await emitHeld(stack, 'test.rolled_back', { n: 1 });
  const next = await emit(stack, 'test.after_rollback', '{admin,operator}', { n: 2 });
  await held.rollback();
  const t0 = Date.now();
  await live.waitFor((c) => c.events.length >= 1, 2000, 'the event after the rolled-back id');
  assert.ok(Date.now() - t0 < 1000, `settled in ${Date.now() - t0} ms`);
  assert.deepEqual(ids(live), [next]);
  assert.ok((await pushMetrics(stack)).brando_push_gap_ids_settled_total >= before + 1);
  await live.close();
});

test('a transaction that keeps its event id open longer than BRANDO_PUSH_GAP_HOLD is passed, with a warning naming the id', async () => {
  const live = await connect(stack.base, operator);
  const held = await emitHeld(stack, 'test.stuck', { n: 1 });
  const t0 = Date.now();
  const next = await emit(stack, 'test.after_stuck', '{admin,operator}', { n: 2 });
  await live.waitFor((c) => c.events.length >= 1, (GAP_HOLD_S + 5) * 1000, 'the event after the stuck one');
  const waited = Date.now() - t0;
  assert.ok(waited >= GAP_HOLD_S * 1000 - 100 && waited < (GAP_HOLD_S + 4) * 1000, `waited ${waited} ms`);
  assert.deepEqual(ids(live), [next]);
  assert.ok((await pushMetrics(stack)).brando_push_gap_ids_skipped_total >= 1);
  assert.ok(stack.log('push').split('\n').filter(Boolean).map((l) => JSON.parse(l))
    .some((l) => l.level === 'warn' && /kept event ids open/.test(l.msg) && l.fromId === held.id && l.toId === held.id));
  // Committed late after all: live clients have moved past its id, so they are told to reload.
  await held.commit();
  await live.waitFor((c) => c.frames.some((f) => f.type === 'resync'), 5000, 'a resync for the late event');
  assert.ok(stack.log('push').split('\n').filter(Boolean).map((l) => JSON.parse(l))
    .some((l) => l.level === 'warn' && /committed late/.test(l.msg) && l.fromId === held.id && l.ids === 1));
  const after = await emit(stack, 'test.after_resync', '{admin,operator}', { n: 3 });
  await live.waitFor((c) => ids(c).includes(after), 5000, 'live events after the resync');
  await live.close();
});

test('an id passed after the gap hold whose transaction then rolls back costs no resync', async () => {
  const live = await connect(stack.base, operator);
  const held = await emitHeld(stack, 'test.stuck_then_rolled_back', { n: 1 });
  const next = await emit(stack, 'test.after_stuck', '{admin,operator}', { n: 2 });
  await live.waitFor((c) => ids(c).includes(next), (GAP_HOLD_S + 5) * 1000, 'the event after the stuck one');
  await held.rollback();
  await sleep(2500); // two checks of the passed id: the writer is over, the watch ends
  const after = await emit(stack, 'test.after_rollback_watch', '{admin,operator}', { n: 3 });
  await live.waitFor((c) => ids(c).includes(after), 5000, 'the next event');
  assert.deepEqual(live.frames.filter((f) => f.type === 'resync'), []);
  await live.close();
});

// One psql session of `count` transactions that emit an event and then roll back: none of
// them may ever reach a client.
function rollbacks(count) {
  let script = '\\set ON_ERROR_STOP 1\n';
  for (let i = 0; i < count; i++) {
    script += 'BEGIN;\nSELECT count(*) FROM tickets;\n';
    script += `SELECT emit_event('ticket.created', '{admin,operator}', '{"ticket":{"rolledBack":${i}}}');\nROLLBACK;\n`;
  }
  return new Promise((resolve, reject) => {
    const p = spawn('psql', ['-X', '-q', '-o', '/dev/null', '-f', '-', stack.databaseUrl], { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => { err += d; });
    p.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`rollbacks: ${err}`))));
    p.stdin.end(script);
  });
}

// One API writer: `count` tickets in a row, through nginx and brando-fcgi.
async function writer(client, count) {
  const created = [];
  for (let i = 0; i < count; i++) created.push((await createTicket(client, { notes: `load ${i}` })).id);
  return created;
}

// Writers NOTIFY only a waiting daemon (sql/011); a daemon that has just read events reads on.
test('a waiting daemon is woken by NOTIFY; a burst of 200 commits costs a few NOTIFYs, not 200, and all arrive in order', async () => {
  const live = await connect(stack.base, operator);
  await waitUntil(() => pushWaits(stack), 'brando-push to wait for NOTIFY');
  const listener = await listen(stack.databaseUrl, 'brando_events');
  try {
    const start = lastEventId(stack);
    const woken = (await pushMetrics(stack)).brando_push_wakeups_total;
    await sqlAsync(stack, `DO $$ BEGIN FOR i IN 1..200 LOOP
      PERFORM emit_event('test.burst', '{admin,operator}', jsonb_build_object('n', i)); COMMIT; END LOOP; END $$`);
    const burst = eventIds(stack, start, 'test.burst');
    assert.equal(burst.length, 200);
    await live.waitFor((c) => ids(c, 'test.burst').length === 200, 10000, 'the whole burst');
    assert.deepEqual(ids(live, 'test.burst'), burst);
    const notified = (await listener.received()).length;
    assert.ok(notified >= 1, 'the first commit woke the waiting daemon');
    // Each commit while the daemon still waits (until its unlock lands) NOTIFYs; then none do.
    assert.ok(notified < 100, `${notified} NOTIFYs for 200 commits: the reading daemon should not be told`);
    assert.ok((await pushMetrics(stack)).brando_push_wakeups_total >= woken + 1);
    await waitUntil(() => pushWaits(stack), 'brando-push to wait again once the burst is over');
    assert.equal((await pushMetrics(stack)).brando_push_waiting, 1);
    // Every unlock matched a lock: PostgreSQL warns (a notice in the log) about one that did not.
    assert.deepEqual(stack.log('push').split('\n').filter((l) => l.includes('database notice')), []);
  } finally {
    listener.close();
    await live.close();
  }
});

test('a writer that found the daemon reading, and commits only after it began to wait, still arrives (no NOTIFY, no idle read)', async () => {
  // One session: events every 5 ms keep the daemon reading; at once the last one takes its id
  // (no daemon waits: no NOTIFY), then stays open 600 ms, during which the daemon begins to wait.
  for (let attempt = 1; ; attempt++) {
    const live = await connect(stack.base, operator);
    const listener = await listen(stack.databaseUrl, 'brando_events');
    const tag = `${process.pid}-${attempt}`;
    const writer = sqlScript(stack, `
      DO $$ BEGIN FOR i IN 1..40 LOOP PERFORM emit_event('test.stream', '{admin,operator}', '{}'); COMMIT;
        PERFORM pg_sleep(0.005); END LOOP; END $$;
      BEGIN; SELECT emit_event('test.last', '{admin,operator}', '{"tag":"${tag}"}'); SELECT pg_sleep(0.6); COMMIT;`);
    try {
      await live.waitFor((c) => ids(c, 'test.stream').length === 40, 10000, 'the stream');
      await waitUntil(async () => (await sqlAsync(stack, `SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(0.6)%' AND state = 'active' AND pid <> pg_backend_pid()`))[0] === '1', 'the open writer');
      await waitUntil(() => pushWaits(stack), 'brando-push to wait while the writer is open', 2000);
      const before = (await listener.received()).length;
      await writer;
      await live.waitFor((c) => c.events.some((e) => e.type === 'test.last' && e.data.tag === tag), 3000, 'the late writer\'s event');
      const notified = (await listener.received()).length - before;
      if (notified === 0) return; // delivered by reading on until the open writer ended
      assert.ok(attempt < 5, 'the writer saw a waiting daemon in 5 attempts: the race was never exercised');
    } finally {
      listener.close();
      await live.close();
      await writer.catch(() => {});
    }
  }
});

test('8 concurrent writers create 2,000 tickets (and rolled-back events race them) → every client gets every committed event, in id order, once', async (t) => {
  const start = lastEventId(stack);
  const clients = await Promise.all([operator, operator, admin].map((c) => connect(stack.base, c)));
  t.after(() => Promise.all(clients.map((c) => c.close())));
  const writers = Array.from({ length: 8 }, (_, w) => writer(w % 2 ? admin : operator, 250));
  const rolledBack = rollbacks(300);
  // Clients that join mid-stream with since: one while the ring still holds everything after
  // `start`, one after it no longer does (replay pages from the table, then the live seam).
  await clients[0].waitFor((c) => c.events.length >= 300, 60000, '300 events');
  const early = await connect(stack.base, operator, { since: start });
  clients.push(early);
  await clients[0].waitFor((c) => c.events.length >= 1200, 60000, '1,200 events');
  const late = await connect(stack.base, admin, { since: start });
  clients.push(late);
  const ticketIds = (await Promise.all(writers)).flat();
  await rolledBack;

  const committed = eventIds(stack, start);
  assert.equal(committed.length, 2000);
  assert.equal(new Set(ticketIds).size, 2000);
  for (const c of clients) {
    await c.waitFor((x) => x.events.length >= 2000, 60000, '2,000 events');
    assert.deepEqual(ids(c), committed);
    assert.ok(c.events.every((e) => e.type === 'ticket.created' && e.data.ticket.rolledBack === undefined));
    assert.deepEqual(c.events.map((e) => e.data.ticket.id).sort((a, b) => a - b), [...ticketIds].sort((a, b) => a - b));
    assert.equal(c.frames.length, 2000);
  }
  const m = await pushMetrics(stack);
  assert.ok(m.brando_push_replay_pages_total >= 1, 'the late client read a page from the table');
  assert.equal(m.brando_push_dropped_clients_total, 0);
});

test('/metrics on the daemon socket counts connections and events; connects and disconnects are logged', async () => {
  const conn = await connect(stack.base, operator);
  await touchUser();
  await conn.waitFor((c) => c.events.length === 1);
  const m = await pushMetrics(stack);
  assert.equal(m.brando_push_connections, 1);
  assert.ok(m.brando_push_connections_total >= 10);
  assert.ok(m.brando_push_events_total >= 2009);
  assert.ok(m.brando_push_frames_sent_total >= 5 * 2000);
  assert.equal(m.brando_push_db_up, 1);
  assert.equal(m.brando_push_last_event_id, lastEventId(stack));
  assert.equal(m.brando_push_dropped_clients_total, 0);
  await conn.close();
  const lines = stack.log('push').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const mine = lines.filter((l) => l.user === operator.user.id);
  assert.ok(mine.some((l) => l.msg === 'ws connect' && l.role === 'operator'));
  assert.ok(mine.some((l) => l.msg === 'ws disconnect' && l.sent >= 2000));
});

test('two instances on one database: an event made through A reaches a client on B', async () => {
  const b = await startStack({ env: { DATABASE_URL: stack.databaseUrl } });
  try {
    const onB = await connect(b.base, await signedIn(b.base, 'operator'));
    const onA = await connect(stack.base, operator);
    const ticket = await createTicket(operator, { customerName: 'Made on A' });
    await onB.waitFor((c) => c.events.some((e) => e.data.ticket?.id === ticket.id));
    await onA.waitFor((c) => c.events.some((e) => e.data.ticket?.id === ticket.id));
    assert.deepEqual(ids(onB), ids(onA));
    assert.deepEqual(onB.events[0].data.ticket, withoutMoves(ticket));
    // and the other way round, with the session made on A
    const viaB = new Client(b.base);
    viaB.cookies = admin.cookies;
    const name2 = await touchUser(b.base, viaB);
    await onA.waitFor((c) => c.events.some((e) => e.data.user?.fullName === name2));
    await Promise.all([onA.close(), onB.close()]);
  } finally {
    await b.stop();
  }
});

test('a client that stops reading is dropped when it falls a whole queue behind; the others and the daemon carry on', async () => {
  const pid = stack.pid('push');
  const start = lastEventId(stack);
  const stalled = await connect(stack.base, operator);
  const reader = await connect(stack.base, admin);
  stalled.ws._socket.pause(); // stops reading: kernel and nginx buffers fill, then the queue
  const before = (await pushMetrics(stack)).brando_push_dropped_clients_total;
  let batches = 0;
  while ((await pushMetrics(stack)).brando_push_dropped_clients_total === before) {
    assert.ok(++batches <= 10, 'never dropped after 10,000 events of 4 KiB');
    await sqlAsync(stack, `SELECT count(emit_event('test.bulk', '{admin,operator}', jsonb_build_object('n', g, 'pad', repeat('x', 4096))))
                           FROM generate_series(1, 1000) g`);
    await reader.waitFor((c) => c.events.length >= batches * 1000, 30000, 'the reader to keep up');
  }
  assert.equal((await pushMetrics(stack)).brando_push_dropped_clients_total, before + 1);
  assert.deepEqual(ids(reader), eventIds(stack, start));
  stalled.ws._socket.resume();
  await stalled.closed;
  const got = ids(stalled);
  assert.deepEqual(got, eventIds(stack, start).slice(0, got.length), 'what it did get was in order');
  const line = stack.log('push').split('\n').filter(Boolean).map((l) => JSON.parse(l))
    .find((l) => l.msg === 'ws disconnect' && l.reason === 'slow');
  assert.ok(line, 'a disconnect line with reason slow');
  // Still serving, and the dropped client catches up with since.
  assert.equal(stack.pid('push'), pid);
  const back = await connect(stack.base, operator, { since: got.at(-1) ?? start });
  const rest = eventIds(stack, got.at(-1) ?? start);
  await back.waitFor((c) => c.events.length >= rest.length, 30000, 'the rest');
  assert.deepEqual(ids(back), rest);
  await Promise.all([reader.close(), back.close()]);
});
