// Faults: the database goes away and comes back; a worker is killed. Answers stay JSON.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, errorOf, signedIn } from '../lib/client.js';
import { startStack } from '../lib/stack.js';

let stack;
before(async () => { stack = await startStack(); });
after(async () => { await stack?.stop(); });

async function eventually(fn, ms = 15000) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    try { return await fn(); } catch (e) { last = e; }
    await sleep(200);
  }
  throw last;
}

test('PostgreSQL stopped → 503 JSON quickly; started again → answers recover without a restart', async () => {
  const admin = await signedIn(stack.base, 'admin');
  const fcgiPid = stack.pid('fcgi');
  assert.ok(fcgiPid > 0);
  await stack.sh('pg-stop');
  for (const path of ['/api/health', '/api/auth/me', '/api/users']) {
    const t0 = Date.now();
    const r = await admin.get(path);
    assert.equal(r.status, 503, `${path}: ${r.text}`);
    assert.equal(errorOf(r).code, 'unavailable');
    assert.ok(Date.now() - t0 < 5000, `${path} answered in ${Date.now() - t0} ms`);
  }
  await stack.sh('pg-start');
  await eventually(async () => assert.equal((await admin.get('/api/health')).status, 200));
  await eventually(async () => assert.equal((await admin.get('/api/auth/me')).status, 200));
  assert.equal((await admin.get('/api/users')).status, 200);
  assert.equal(stack.pid('fcgi'), fcgiPid);
  assert.doesNotThrow(() => process.kill(fcgiPid, 0), 'brando-fcgi was not restarted');
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

test('SIGHUP replaces every worker one by one without a failed request', async () => {
  const children = () => stack.children(stack.pid('fcgi'));
  const before = children();
  const c = new Client(stack.base);
  let failures = 0, done = false;
  const load = (async () => {
    while (!done) if ((await c.get('/api/health')).status !== 200) failures++;
  })();
  process.kill(stack.pid('fcgi'), 'SIGHUP');
  await eventually(async () => {
    const now = children();
    assert.equal(now.length, 3);
    assert.ok(now.every((p) => !before.includes(p)), 'all workers replaced');
  });
  done = true;
  await load;
  assert.equal(failures, 0);
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
