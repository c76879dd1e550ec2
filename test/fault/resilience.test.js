// Faults under load on a durable cluster: PostgreSQL stopped, hung and killed -9 while writers
// create tickets; a worker killed; SIGHUP and SIGTERM. Answers stay JSON, no acknowledged
// write is lost, and each test prints what it sent, what succeeded and what failed.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, errorOf, signedIn } from '../lib/client.js';
import { report, TicketLoad } from '../lib/load.js';
import { startStack } from '../lib/stack.js';

const envDir = mkdtempSync(path.join(os.tmpdir(), 'brando-env-'));
const envFile = path.join(envDir, 'brando.env');
let stack, admin, operator;
before(async () => {
  writeFileSync(envFile, 'BRANDO_METRICS_TOKEN=before-reload\n');
  stack = await startStack({ durable: true, env: { BRANDO_ENV_FILE: envFile } });
  [admin, operator] = [await signedIn(stack.base, 'admin'), await signedIn(stack.base, 'operator')];
});
after(async () => {
  await stack?.stop();
  rmSync(envDir, { recursive: true, force: true });
});

async function eventually(fn, ms = 15000) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    try { return await fn(); } catch (e) { last = e; }
    await sleep(100);
  }
  throw last;
}

// Every process of the instance: none may die (or be replaced) while the database misbehaves.
const processes = () => ({
  fcgi: stack.pid('fcgi'), workers: stack.children(stack.pid('fcgi')).sort(), push: stack.pid('push'), nginx: stack.pid('nginx'),
});

// ms from now until a write and a read both succeed.
async function fullService(t0 = Date.now()) {
  await eventually(async () => {
    assert.equal((await admin.get('/api/users?limit=1', { timeout: 8000 })).status, 200);
    assert.equal((await operator.post('/api/tickets', { customerName: 'Probe', customerPhone: '+380501112233',
      deviceType: 'Fridge', problem: 'probe after a fault', address: 'Kyiv' }, { timeout: 8000 })).status, 201);
  }, 20000);
  return Date.now() - t0;
}

// Requests sent during a fault: each must end as the contract's 503 JSON with Retry-After.
async function probeWhile(ms, paths = ['/api/health', '/api/auth/me', '/api/users']) {
  const answers = [];
  for (const end = Date.now() + ms; Date.now() < end;) {
    await Promise.all(paths.map(async (p) => {
      const t0 = Date.now();
      const r = await admin.get(p, { timeout: 15000 }).catch((e) => ({ status: `no answer (${e.name})` }));
      answers.push({ p, status: r.status, ms: Date.now() - t0, code: r.body?.error?.code, retry: r.headers?.get('retry-after') });
    }));
  }
  return answers;
}

function assertBooks(books) {
  assert.deepEqual(books.lost, [], 'acknowledged tickets missing from the database');
  assert.deepEqual(books.duplicated, [], 'keys with two tickets');
  assert.deepEqual(books.unresolved, []);
  for (const why of Object.keys(books.failed)) assert.match(why, /^503 unavailable \+Retry-After$/);
  assert.equal(books.nonJson, 0);
}

test('the cluster under these tests is durable', () => {
  assert.deepEqual(stack.sql("SELECT current_setting('fsync'), current_setting('synchronous_commit'), current_setting('full_page_writes')"),
    [['on', 'on', 'on']]);
});

test('PostgreSQL stopped 5 s under write load: 503 JSON meanwhile, nothing dies, full service within 5 s, every 201 kept', async () => {
  const before = processes();
  const load = new TicketLoad([operator, admin], { tag: `pgstop${Date.now()}` }).start();
  await sleep(1000);
  await stack.sh('pg-stop');
  const during = await probeWhile(5000);
  await stack.sh('pg-start');
  const recoveredMs = await fullService();
  await sleep(1000);
  const books = await load.finish(stack);
  report('PostgreSQL stopped 5 s', books, { probes: during.length, slowestProbeMs: Math.max(...during.map((a) => a.ms)), recoveredMs });
  for (const a of during) {
    assert.equal(a.status, 503, JSON.stringify(a));
    assert.equal(a.code, 'unavailable');
    assert.equal(a.retry, '1');
    assert.ok(a.ms < 5000, JSON.stringify(a));
  }
  assert.ok(recoveredMs < 5000, `full service ${recoveredMs} ms after the restart`);
  assertBooks(books);
  assert.ok(books.acknowledged > 0);
  assert.deepEqual(processes(), before, 'no process died');
});

test('PostgreSQL hung 8 s (SIGSTOP): requests end in 503 within the deadline, no worker stays stuck', async () => {
  const before = processes();
  const load = new TicketLoad([operator, admin], { tag: `pghang${Date.now()}`, writers: 4 }).start();
  await sleep(1000);
  const pg = stack.pgPids();
  assert.ok(pg.length > 3, 'postmaster and backends');
  const logFrom = stack.log('fcgi').length;
  for (const p of pg) process.kill(p, 'SIGSTOP');
  let during;
  try {
    during = await probeWhile(8000, ['/api/auth/me']);
  } finally {
    for (const p of pg) { try { process.kill(p, 'SIGCONT'); } catch { /* exited */ } }
  }
  const recoveredMs = await fullService();
  const books = await load.finish(stack);
  const slowest = Math.max(...during.map((a) => a.ms));
  // Time inside a worker, from its request log: a statement on a stopped server ends 0.5 s
  // after the 5-s statement timeout, a connection attempt after 3 s. A client also waits in
  // the queue for a free worker (2 workers, 5 clients here), so its own wait is longer.
  const inWorker = stack.log('fcgi').slice(logFrom).split('\n').filter((l) => l.includes('"msg":"request"'))
    .map((l) => JSON.parse(l).durationUs / 1000);
  const slowestInWorker = Math.round(Math.max(...inWorker));
  report('PostgreSQL hung 8 s', books, { probes: during.length, slowestProbeMs: slowest, slowestInWorkerMs: slowestInWorker, recoveredMs });
  for (const a of during) {
    assert.equal(a.status, 503, JSON.stringify(a));
    assert.equal(a.code, 'unavailable');
  }
  assert.ok(slowestInWorker < 7000, `a request held a worker ${slowestInWorker} ms`);
  assert.ok(slowest < 20000, `slowest answer ${slowest} ms`);
  assert.ok(recoveredMs < 5000, `full service ${recoveredMs} ms after SIGCONT`);
  // Every worker answers again: as many parallel requests as there are workers, all served.
  const all = await Promise.all([1, 2, 3, 4].map(() => admin.get('/api/auth/me', { timeout: 3000 })));
  assert.deepEqual(all.map((r) => r.status), [200, 200, 200, 200]);
  assertBooks(books);
  assert.deepEqual(processes(), before, 'no process died');
});

test('PostgreSQL killed -9 under write load: after crash recovery every 201 is there', async () => {
  const load = new TicketLoad([operator, admin], { tag: `pgkill${Date.now()}` }).start();
  await sleep(1500);
  const pg = stack.pgPids();
  for (const p of pg) { try { process.kill(p, 'SIGKILL'); } catch { /* exited */ } }
  await eventually(async () => assert.equal(pg.filter((p) => { try { process.kill(p, 0); return true; } catch { return false; } }).length, 0), 5000);
  await stack.sh('pg-start'); // crash recovery replays the WAL
  const recoveredMs = await fullService();
  await sleep(1000);
  const books = await load.finish(stack);
  report('PostgreSQL killed -9', books, { recoveredMs });
  assertBooks(books);
  assert.ok(books.acknowledged > 0);
  assert.match(stack.sql("SELECT 'recovered'")[0][0], /recovered/);
});

test('kill -9 a worker → the master respawns it and requests keep succeeding', async () => {
  const children = () => stack.children(stack.pid('fcgi'));
  const before = children();
  assert.equal(before.length, 3, '2 request workers + 1 jobs worker');
  process.kill(before[0], 'SIGKILL');
  await eventually(async () => {
    const now = children();
    assert.equal(now.length, 3);
    assert.ok(!now.includes(before[0]));
  });
  const c = new Client(stack.base);
  for (let i = 0; i < 20; i++) assert.equal((await c.get('/api/health')).status, 200);
});

test('SIGHUP under mixed GET/POST load: every worker replaced, no failed request, the changed env file in force', async () => {
  const children = () => stack.children(stack.pid('fcgi'));
  const before = children();
  const token = (t) => new Client(stack.base).get('/api/metrics', { headers: { authorization: `Bearer ${t}` } });
  assert.equal((await token('before-reload')).status, 200);
  writeFileSync(envFile, 'BRANDO_METRICS_TOKEN=after-reload\n');
  const load = new TicketLoad([operator, admin], { tag: `hup${Date.now()}`, writers: 4 });
  let reads = 0, readFailures = 0, end;
  const stop = new Promise((resolve) => { end = resolve; });
  let done = false;
  stop.then(() => { done = true; });
  const reader = async (p) => {
    while (!done) {
      const r = await admin.get(p, { timeout: 10000 }).catch(() => ({ status: 0 }));
      reads++;
      if (r.status !== 200) readFailures++;
    }
  };
  const running = Promise.all([load.run(stop), reader('/api/tickets?limit=5'), reader('/api/health'), reader('/api/auth/me')]);
  await sleep(500);
  process.kill(stack.pid('fcgi'), 'SIGHUP');
  await eventually(async () => {
    const now = children();
    assert.equal(now.length, 3);
    assert.ok(now.every((p) => !before.includes(p)), 'all workers replaced');
  });
  await sleep(500);
  end();
  await running;
  const books = load.check(stack);
  report('SIGHUP under load', books, { reads, readFailures });
  assert.equal(readFailures, 0);
  assert.deepEqual(books.failed, {});
  assert.deepEqual(books.unresolved, []);
  assert.deepEqual(books.lost, []);
  assert.ok(books.acknowledged > 0 && reads > 0);
  assert.equal((await token('after-reload')).status, 200);
  assert.equal((await token('before-reload')).status, 401);
});

test('SIGTERM lets in-flight requests finish, then the master exits', async () => {
  const pid = stack.pid('fcgi');
  const clients = [0, 1].map(() => new Client(stack.base));
  // Sign-ins spend ~tens of ms in argon2: they are in flight when the signal lands.
  const inflight = clients.map((c) => c.post('/api/auth/login', { username: 'operator', password: 'callcenter123' }));
  await sleep(15);
  process.kill(pid, 'SIGTERM');
  const answers = await Promise.all(inflight);
  assert.deepEqual(answers.map((r) => r.status), [200, 200]);
  await eventually(async () => assert.throws(() => process.kill(pid, 0)), 12000);
  assert.match(stack.log('fcgi'), /"msg":"stopped"/);
  await stack.sh('fcgi-restart');
  assert.equal((await new Client(stack.base).get('/api/health')).status, 200);
});
