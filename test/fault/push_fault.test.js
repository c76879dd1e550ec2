// brando-push under faults, on a durable cluster: PostgreSQL restarts, the daemon killed,
// stopped or restarted under write load, dead peers, and the retained window (pruning, resync).
// Pings after 2 s of silence here, pruning every second.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { signedIn } from '../lib/client.js';
import { report, TicketLoad } from '../lib/load.js';
import { connect, connectRetry, emit, emitHeld, eventIds, eventIdsFor, follow, lastEventId, pushMetrics, pushWaits, waitUntil } from '../lib/push.js';
import { startStack } from '../lib/stack.js';

let stack, operator;
before(async () => {
  stack = await startStack({
    durable: true,
    env: { BRANDO_PUSH_PING: '2', BRANDO_PUSH_PRUNE_INTERVAL: '1', BRANDO_EVENTS_RETAIN: '60', BRANDO_PUSH_IDLE_POLL_MS: '300' },
  });
  operator = await signedIn(stack.base, 'operator');
});
after(async () => { await stack?.stop(); });

const ids = (conn) => conn.events.map((e) => e.id);

const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };

test('an event whose writer never wakes the daemon (an old binary mid-deploy) is found by the idle read', async () => {
  const conn = await connect(stack.base, operator);
  await waitUntil(() => pushWaits(stack), 'brando-push to wait for NOTIFY');
  const t0 = Date.now();
  const id = await emit(stack, 'test.never_notified', '{admin,operator}', {}, { wake: false });
  await conn.waitFor((c) => ids(c).includes(id), 3000, 'the event, without a NOTIFY');
  assert.ok(Date.now() - t0 < 1500, `after ${Date.now() - t0} ms (idle read every 300 ms)`);
  await conn.close();
});

test('PostgreSQL restarted under a connected client → later events still arrive, none twice', async () => {
  const start = lastEventId(stack);
  const conn = await connect(stack.base, operator);
  let closed = false;
  conn.closed.then(() => { closed = true; });
  const first = await emit(stack, 'test.before_restart', '{admin,operator}', {});
  await conn.waitFor((c) => ids(c).includes(first));
  await stack.sh('pg-stop');
  const refused = await connect(stack.base, operator).then(() => null, (e) => e);
  assert.equal(refused?.status, 503, 'no session check without the database');
  assert.equal(JSON.parse(refused.body).error.code, 'unavailable');
  await stack.sh('pg-start');
  // Committed at once, most likely before the daemon is back: it catches up after LISTEN.
  const later = [];
  for (const n of [1, 2, 3]) later.push(await emit(stack, 'test.after_restart', '{admin,operator}', { n }));
  await conn.waitFor((c) => ids(c).includes(later[2]), 20000, 'events after the restart');
  const live = await emit(stack, 'test.live', '{admin,operator}', {});
  await conn.waitFor((c) => ids(c).includes(live));
  assert.deepEqual(ids(conn), eventIds(stack, start));
  assert.equal(closed, false, 'the client stayed connected');
  const m = await pushMetrics(stack);
  assert.ok(m.brando_push_db_failures_total >= 1);
  assert.equal(m.brando_push_db_up, 1);
  await conn.close();
});

test('brando-push killed -9 and restarted → a client reconnecting with since misses nothing', async () => {
  const conn = await connectRetry(stack.base, operator); // fcgi may still be reconnecting
  const seen = await emit(stack, 'test.before_kill', '{admin,operator}', {});
  await conn.waitFor((c) => ids(c).includes(seen));
  process.kill(stack.pid('push'), 'SIGKILL');
  await conn.closed;
  const missed = [];
  for (const n of [1, 2, 3]) missed.push(await emit(stack, 'test.while_down', '{admin,operator}', { n }));
  const refused = await connect(stack.base, operator).then(() => null, (e) => e);
  assert.equal(refused?.status, 503, 'daemon down');
  assert.equal(JSON.parse(refused.body).error.code, 'unavailable');
  await stack.sh('push-start');
  const again = await connectRetry(stack.base, operator, { since: seen });
  await again.waitFor((c) => c.events.length === 3);
  const live = await emit(stack, 'test.live', '{admin,operator}', {});
  await again.waitFor((c) => c.events.length === 4);
  assert.deepEqual(ids(again), [...missed, live]);
  assert.deepEqual(ids(again), eventIds(stack, seen));
  assert.equal(again.frames.length, 4);
  await again.close();
});

test('brando-push restarted under API writers, an event id held open across it: every client gets every event once, in order', async () => {
  const start = lastEventId(stack);
  const clients = await Promise.all([0, 1, 2].map(() => follow(stack.base, operator, start)));
  const load = new TicketLoad([operator], { tag: `pushrestart${Date.now()}`, writers: 4 }).start();
  await sleep(500);
  const held = await emitHeld(stack, 'test.held_across_restart', {}); // a handler mid-transaction
  await sleep(300);
  const pid = stack.pid('push');
  await stack.sh('push-stop');
  await stack.sh('push-start');
  assert.notEqual(stack.pid('push'), pid);
  await sleep(500);
  await held.commit();
  await sleep(500);
  const books = await load.finish(stack);
  const expected = eventIdsFor(stack, start, 'operator');
  await Promise.all(clients.map((c) => c.waitFor((f) => f.ids.length >= expected.length, 15000, `${expected.length} events`)));
  await sleep(300); // a duplicate would arrive about now
  report('brando-push restarted under writers', books, {
    events: expected.length, received: clients.map((c) => c.ids.length), reconnects: clients.map((c) => c.reconnects),
  });
  for (const c of clients) {
    assert.ok(c.reconnects >= 1, 'the restart closed the socket');
    assert.deepEqual(c.ids, expected, 'every event once, in id order');
  }
  assert.ok(expected.length > books.acknowledged, 'the ticket events and the held one');
  assert.deepEqual(books.lost, []);
  assert.deepEqual(books.unresolved, []);
  await Promise.all(clients.map((c) => c.close()));
});

test('SIGTERM closes every client with 1001 (going away) and the daemon exits', async () => {
  const conns = await Promise.all([connectRetry(stack.base, operator), connectRetry(stack.base, operator)]);
  const pid = stack.pid('push');
  await stack.sh('push-stop');
  for (const c of conns) assert.equal((await c.closed).code, 1001);
  assert.equal(alive(pid), false);
  assert.match(stack.log('push'), /"msg":"SIGTERM: closing clients with 1001"/);
  await stack.sh('push-start');
});

test('a peer that stops answering pings is dropped; one that answers stays', async () => {
  const quiet = await connectRetry(stack.base, operator, { autoPong: false });
  const chatty = await connectRetry(stack.base, operator);
  let pings = 0;
  chatty.ws.on('ping', () => { pings++; });
  const t0 = Date.now();
  await quiet.closed;
  const elapsed = Date.now() - t0;
  assert.ok(elapsed < 10000, `dropped after ${elapsed} ms`);
  assert.ok(pings >= 1, 'the answering client was pinged');
  assert.equal(chatty.ws.readyState, chatty.ws.OPEN);
  const ev = await emit(stack, 'test.after_pings', '{admin,operator}', {});
  await chatty.waitFor((c) => ids(c).includes(ev));
  await chatty.close();
});

test('pruning keeps the window (one instance at a time); since older than it → one resync, then live', async () => {
  // Three events from two days ago: beyond BRANDO_EVENTS_RETAIN=60, so the timer prunes them.
  const old = stack.sql(`INSERT INTO events (type, created_at) SELECT 'test.old', now() - interval '2 days'
                         FROM generate_series(1, 3) RETURNING id`).map((r) => Number(r[0]));
  const upto = Math.max(...old);
  const end = Date.now() + 15000;
  while (Number(stack.sql('SELECT upto FROM events_pruned')[0][0]) < upto) {
    assert.ok(Date.now() < end, 'not pruned within 15 s');
    await sleep(200);
  }
  assert.equal(stack.sql(`SELECT count(*) FROM events WHERE id <= ${upto}`)[0][0], '0');
  assert.ok((await pushMetrics(stack)).brando_push_pruned_events_total >= 3);

  // While one session holds the pruning lock, another instance's attempt gives way at once.
  const holder = spawn('psql', ['-X', '-q', '-c', 'SELECT pg_advisory_lock(7243002), pg_sleep(3)', stack.databaseUrl]);
  await sleep(500);
  assert.equal(stack.sql('SELECT prune_events(60, 10)')[0][0], '-1');
  holder.kill();

  // A fresh daemon no longer holds the pruned events in memory either: since=1 is too old.
  await stack.sh('push-stop');
  await stack.sh('push-start');
  const stale = await connectRetry(stack.base, operator, { since: 1 });
  const current = await connect(stack.base, operator, { since: upto });
  await stale.waitFor((c) => c.frames.length === 1);
  const live = await emit(stack, 'test.after_prune', '{admin,operator}', {});
  await stale.waitFor((c) => c.events.length === 1);
  await current.waitFor((c) => ids(c).includes(live));
  assert.deepEqual(stale.frames[0], { type: 'resync' });
  assert.deepEqual(ids(stale), [live]);
  assert.deepEqual(ids(current), eventIds(stack, upto));
  assert.ok(current.frames.every((f) => f.type !== 'resync'));
  await Promise.all([stale.close(), current.close()]);
});
