// Two instances (brando-fcgi + brando-push + nginx each) on one durable database behind the
// example balancer, conf/lb-nginx.conf.example, run as shipped with only the addresses replaced:
// shared sessions and events, the real client address, half-dead instances skipped, and one
// instance stopped under load.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, signedIn } from '../lib/client.js';
import { report, TicketLoad } from '../lib/load.js';
import { connect, eventIdsFor, follow, lastEventId } from '../lib/push.js';
import { freePort, ROOT, startStack } from '../lib/stack.js';
import { newTicket } from '../lib/tickets.js';

// Each instance's nginx trusts the balancer (it connects from 127.0.0.1) and nothing else;
// test clients that must look like other hosts connect from 127.0.0.3 and up.
const instanceEnv = { BRANDO_TRUSTED_PROXIES: '127.0.0.1' };
let a, b, lb;

async function startBalancer(ports) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'brando-lb-'));
  const port = await freePort();
  const example = readFileSync(path.join(ROOT, 'conf/lb-nginx.conf.example'), 'utf8');
  const conf = example.replace('192.0.2.11:80', `127.0.0.1:${ports[0]}`).replace('192.0.2.12:80', `127.0.0.1:${ports[1]}`)
    .replace(/^    listen 80;$/m, `    listen 127.0.0.1:${port};`);
  assert.notEqual(conf, example);
  writeFileSync(path.join(dir, 'lb.conf'), conf);
  writeFileSync(path.join(dir, 'nginx.conf'), `${process.getuid() === 0 ? 'user root;' : ''}
daemon off; pid ${dir}/nginx.pid; error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  include ${dir}/lb.conf;
}
`);
  const proc = spawn('nginx', ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log')], { stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (await fetch(`${base}/api/health`).then((r) => r.ok, () => false)) break;
    assert.ok(i < 100, `the balancer did not start: ${readFileSync(path.join(dir, 'error.log'), 'utf8')}`);
    await sleep(50);
  }
  return {
    base,
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((resolve) => (proc.exitCode !== null ? resolve() : proc.once('exit', resolve)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

before(async () => {
  a = await startStack({ durable: true, env: instanceEnv });
  b = await startStack({ durable: true, env: instanceEnv, databaseUrl: a.databaseUrl });
  lb = await startBalancer([a.port, b.port]);
});
after(async () => {
  await lb?.stop();
  await b?.stop(); // on a's database: stops only its own processes
  await a?.stop();
});

// One HTTP request from a chosen local address (another "host" on the loopback network).
function requestFrom(localAddress, base, method, p, { body, headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(`${base}${p}`, {
      method, localAddress,
      headers: { ...headers, ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}) },
    }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

test('a session made on A works on B, and an event committed through A reaches a client on B', async () => {
  const onA = await signedIn(a.base, 'operator');
  const onB = new Client(b.base);
  onB.cookies = new Map(onA.cookies);
  const me = await onB.get('/api/auth/me');
  assert.equal(me.status, 200);
  assert.equal(me.body.user.username, 'operator');
  const ws = await connect(b.base, onB);
  const created = await onA.post('/api/tickets', newTicket());
  assert.equal(created.status, 201);
  await ws.waitFor((c) => c.events.some((e) => e.type === 'ticket.created' && e.data?.ticket?.id === created.body.ticket.id), 5000, 'the ticket on B');
  await ws.close();
});

test('behind the balancer the client address is the real one: login throttling per client, a forged X-Forwarded-For ignored', async () => {
  // 127.0.0.3 has had 50 failed sign-ins: it is throttled, 127.0.0.4 is not.
  a.sql("INSERT INTO login_attempts (username, ip) SELECT 'nobody' || n, '127.0.0.3' FROM generate_series(1, 50) n");
  const good = { username: 'operator', password: 'callcenter123' };
  const throttled = await requestFrom('127.0.0.3', lb.base, 'POST', '/api/auth/login', { body: good });
  assert.equal(throttled.status, 429, throttled.text);
  const other = await requestFrom('127.0.0.4', lb.base, 'POST', '/api/auth/login', { body: good });
  assert.equal(other.status, 200, other.text);
  // A failed sign-in is recorded under the real client, whatever X-Forwarded-For it sent,
  // through the balancer and straight to an instance alike.
  const bad = { username: `ghost${Date.now()}`, password: 'wrong-password' };
  const forged = { 'x-forwarded-for': '203.0.113.9', 'x-real-ip': '203.0.113.9' };
  assert.equal((await requestFrom('127.0.0.5', lb.base, 'POST', '/api/auth/login', { body: bad, headers: forged })).status, 401);
  assert.equal((await requestFrom('127.0.0.6', a.base, 'POST', '/api/auth/login', { body: bad, headers: forged })).status, 401);
  assert.deepEqual(a.sql(`SELECT ip FROM login_attempts WHERE username = '${bad.username}' ORDER BY id`), [['127.0.0.5'], ['127.0.0.6']]);
  // Metrics are not open to whoever reaches the balancer.
  assert.equal((await new Client(lb.base).get('/api/metrics')).status, 401);
});

test('A stopped under load: B serves everything, clients reconnect with since and miss nothing, no key twice', async () => {
  const start = lastEventId(a);
  const followers = await Promise.all([0, 1, 2, 3].map(async () => follow(lb.base, await signedIn(lb.base, 'operator'), start)));
  const writers = [await signedIn(lb.base, 'operator'), await signedIn(lb.base, 'admin')];
  const load = new TicketLoad(writers, { tag: `lb${Date.now()}`, writers: 8 }).start();
  await sleep(1500);
  await a.sh('app-stop');
  await sleep(2500);
  const books = await load.finish(a);
  const expected = eventIdsFor(a, start, 'operator');
  await Promise.all(followers.map((f) => f.waitFor((x) => x.ids.length >= expected.length, 15000).catch(() => {})));
  await sleep(300); // a duplicate would arrive about now
  report('instance A stopped behind the balancer', books, {
    events: expected.length, received: followers.map((f) => f.ids.length), reconnects: followers.map((f) => f.reconnects),
  });
  assert.deepEqual(books.lost, []);
  assert.deepEqual(books.duplicated, []);
  assert.deepEqual(books.unresolved, []);
  assert.equal(books.nonJson, 0);
  assert.ok(followers.some((f) => f.reconnects >= 1), 'some clients were on A');
  for (const f of followers) {
    assert.deepEqual(expected.filter((id) => !f.ids.includes(id)), [], 'events missed');
    assert.deepEqual(f.ids, expected, 'every event once, in order');
  }
  assert.equal((await new Client(lb.base).get('/api/health')).status, 200);
  await Promise.all(followers.map((f) => f.close()));
  await a.sh('app-start', String(a.port));
});

test('a half-dead instance is skipped: its health says which part is down, every request and handshake still succeeds', async () => {
  await sleep(10500); // the balancer sends to A again once its fail_timeout (10 s) is over
  const operator = await signedIn(lb.base, 'operator');
  await a.sh('push-stop');
  try {
    const health = await new Client(a.base).get('/api/health');
    assert.equal(health.status, 503);
    assert.deepEqual({ ...health.body, error: undefined }, { status: 'unavailable', db: 'ok', push: 'unavailable', error: undefined });
    for (let i = 0; i < 10; i++) {
      const ws = await connect(lb.base, operator);
      await ws.close();
    }
  } finally {
    await a.sh('push-start');
  }
  await a.sh('app-stop'); // brando-fcgi and all: nginx refuses connections
  try {
    for (let i = 0; i < 10; i++) assert.equal((await new Client(lb.base).get('/api/health')).status, 200);
  } finally {
    await a.sh('app-start', String(a.port));
  }
});
