// No password, session token or integration secret ever reaches a log: sign-ins (right, wrong,
// unknown user), password changes over the API and brando-ctl, sessions, signed and forged
// webhooks and outbound Zadarma calls, then every log of the stack is searched for each secret
// used. PostgreSQL logs every statement with its parameters meanwhile (log_statement=all), so
// this also proves no secret is ever sent to the database in clear, and that text a request
// carries reaches PostgreSQL only as a bound parameter, never inside a statement's SQL.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { Client, DEMO, signedIn } from '../lib/client.js';
import { startStack } from '../lib/stack.js';
import { callStart, notifySignature, startFakeZadarma } from '../fakes/zadarma.js';

const secret = (kind) => `${kind}-${crypto.randomBytes(12).toString('base64url')}`;
const S = {
  zadarmaKey: secret('zdkey'), zadarmaSecret: secret('zdsecret'),
  telegramToken: `123456789:${secret('tgtoken')}`, telegramSecret: secret('tgsecret'),
  twilioToken: secret('twtoken'),
};
const PUBLIC_URL = 'https://crm.example.test';
let stack, zd, admin;
const used = new Map(); // every secret the run used → what it is
const MARK = `mark${crypto.randomBytes(6).toString('hex')}`; // in ordinary request fields
let logs; // log file → text, once the stack is down

function use(what, value) {
  used.set(value, what);
  return value;
}

before(async () => {
  zd = await startFakeZadarma({ key: S.zadarmaKey, secret: S.zadarmaSecret });
  stack = await startStack({
    keep: true,
    env: {
      ...zd.env, ZADARMA_SIP: '100', ZADARMA_STATS_PAUSE: '1', BRANDO_ZADARMA_SYNC_HOUR: '0',
      BRANDO_PUBLIC_URL: PUBLIC_URL,
      TELEGRAM_BOT_TOKEN: S.telegramToken, TELEGRAM_WEBHOOK_SECRET: S.telegramSecret, TELEGRAM_API_URL: 'http://127.0.0.1:9',
      TWILIO_ACCOUNT_SID: 'AC0123456789abcdef0123456789abcdef', TWILIO_AUTH_TOKEN: S.twilioToken,
      TWILIO_PHONE_NUMBER: '+15005550006', TWILIO_API_URL: 'http://127.0.0.1:9',
    },
  });
  for (const [what, value] of Object.entries(S)) use(what, value);
  // The demo passwords are published (seed-demo prints them, the README lists them), yet
  // nothing else may log them: they are typed at sign-in like any other.
  for (const [role, [, password]] of Object.entries(DEMO)) use(`${role}'s demo password`, password);
  // Log everything from here on: every statement PostgreSQL runs, with its parameters, and
  // every request nginx serves (the test stack's nginx logs none by default).
  stack.sql(`ALTER SYSTEM SET log_statement = 'all'`);
  stack.sql(`ALTER SYSTEM SET log_min_messages = 'info'`);
  stack.sql('SELECT pg_reload_conf()');
  const conf = path.join(stack.dir, 'nginx/nginx.conf');
  writeFileSync(conf, readFileSync(conf, 'utf8').replace('access_log off;',
    `access_log ${stack.dir}/log/nginx-access.log combined;`).replace(/error.log warn;/, 'error.log info;'));
  process.kill(stack.pid('nginx'), 'SIGHUP');
  await sleep(500);
  admin = await signedIn(stack.base, 'admin');
});
after(async () => {
  await stack?.sh('down').catch(() => {});
  if (stack) rmSync(stack.dir, { recursive: true, force: true });
  await zd?.close();
});

// Remember the session token a client holds.
const keepToken = (c, who) => use(`${who}'s session token`, c.cookies.get('brando_sid'));

test('a run full of secrets, then none of them in any log', async (t) => {
  // Sign-ins: right, wrong, unknown user, broken JSON around a password, throttled.
  for (const role of Object.keys(DEMO)) {
    const c = await signedIn(stack.base, role);
    keepToken(c, role);
  }
  const r = await new Client(stack.base).post('/api/auth/login', { username: 'operator', password: DEMO.operator[1] });
  assert.match(r.headers.getSetCookie()[0], /; Secure(;|$)/, 'BRANDO_PUBLIC_URL https: Secure cookie');
  const wrong = use('a wrong password', secret('wrongpw'));
  for (const username of ['operator', 'nobody-here', 'master']) {
    assert.equal((await new Client(stack.base).post('/api/auth/login', { username, password: wrong })).status, 401);
  }
  const broken = await new Client(stack.base).req('POST', '/api/auth/login',
    { raw: `{"username":"admin","password":"${use('a password in broken JSON', secret('brokenpw'))}"`, headers: { 'content-type': 'application/json' } });
  assert.equal(broken.status, 400);
  const forged = new Client(stack.base);
  forged.cookies.set('brando_sid', use('a forged session token', crypto.randomBytes(32).toString('base64url')));
  assert.equal((await forged.get('/api/auth/me')).status, 401);

  // Passwords set and changed through the API, refused ones included, then used.
  const username = `logs${Date.now()}`;
  const p1 = use('a new user\'s password', secret('p1'));
  const created = await admin.post('/api/users', { username, password: p1, fullName: 'Log Check', role: 'operator' });
  assert.equal(created.status, 201, created.text);
  const id = created.body.user.id;
  assert.equal((await admin.post('/api/users', { username, password: use('a refused duplicate\'s password', secret('dup')), fullName: 'x', role: 'operator' })).status, 409);
  assert.equal((await admin.patch(`/api/users/${id}`, { password: use('a too short password', crypto.randomBytes(3).toString('base64url').slice(0, 5)) })).status, 422);
  const them = new Client(stack.base);
  await them.login(username, p1);
  keepToken(them, 'the new user');
  const p2 = use('a changed password', secret('p2'));
  assert.equal((await admin.patch(`/api/users/${id}`, { password: p2 }, { headers: { 'idempotency-key': 'not-a-post' } })).status, 200);
  await them.login(username, p2);
  keepToken(them, 'the new user (again)');

  // Passwords through brando-ctl (stdin), then used.
  const ctl = path.join(stack.env.BRANDO_BIN_DIR, 'brando-ctl');
  const ctlEnv = { ...stack.env, DATABASE_URL: stack.databaseUrl };
  const ctlLog = path.join(stack.dir, 'log/ctl-test.log');
  const runCtl = (args, input) => {
    const out = spawnSync(ctl, args, { env: ctlEnv, input, encoding: 'utf8' });
    writeFileSync(ctlLog, out.stdout + out.stderr, { flag: 'a' });
    return out.status;
  };
  const p3 = use('a password set by brando-ctl passwd', secret('p3'));
  assert.equal(runCtl(['passwd', username], `${p3}\n`), 0);
  await them.login(username, p3);
  const p4 = use('a password given to brando-ctl create-user', secret('p4'));
  assert.equal(runCtl(['create-user', '--username', `${username}b`, '--role', 'master', '--full-name', 'Ctl'], `${p4}\n`), 0);
  assert.equal(runCtl(['passwd', username], 'short\n'), 2);
  keepToken(await signedIn(stack.base, 'admin'), 'admin (second)');
  await new Client(stack.base).login(`${username}b`, p4);

  // Webhooks: signed, forged, and a provider secret sent where it is checked (or not yet served).
  const fields = { event: 'NOTIFY_START', pbx_call_id: `in_logs_${Date.now()}`, caller_id: '+442037691880', called_did: '442037691881', call_start: callStart() };
  use('a valid Zadarma signature', notifySignature(S.zadarmaSecret, fields));
  assert.equal((await zd.notify(stack.base, fields)).status, 200);
  const bad = use('a forged Zadarma signature', Buffer.from(secret('forged')).toString('base64'));
  assert.equal((await zd.notify(stack.base, { ...fields, event: 'NOTIFY_END' }, { signature: bad })).status, 401);
  for (const value of [S.telegramSecret, use('a wrong Telegram secret', secret('tgwrong'))]) {
    await fetch(`${stack.base}/api/webhooks/telegram`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': value },
      body: JSON.stringify({ update_id: 1, message: { chat: { id: 1 }, text: '/start' } }),
    });
  }

  // Outbound Zadarma calls signed with the key and secret: one answered, one failing.
  const op = await signedIn(stack.base, 'operator');
  stack.sql(`UPDATE users SET sip_extension = '100' WHERE username = 'operator'`);
  assert.equal((await op.post('/api/calls/outgoing', { to: '+380671234567' })).status, 202);
  zd.fail('/v1/request/callback/', { status: 500, body: { status: 'error', message: 'boom' } });
  assert.ok((await op.post('/api/calls/outgoing', { to: '+380671234568' })).status >= 500);
  assert.equal((await op.get('/api/zadarma/webrtc-key')).status, 200);
  for (let i = 0; i < 100 && !zd.requests.some((q) => q.path === '/v1/statistics/pbx/'); i++) await sleep(100);
  assert.ok(zd.requests.every((q) => q.signatureOk), 'the fake Zadarma accepted every signed call');
  for (const q of zd.requests) use('a Zadarma Authorization header', q.authorization);

  // Ordinary request text in every kind of place: bodies, query strings, path segments, forms.
  const tk = await admin.post('/api/tickets', { customerName: `Name ${MARK}`, customerPhone: '+380501231234', deviceType: `TV ${MARK}`, problem: `${MARK}'; DROP TABLE users; --`, address: MARK });
  assert.equal(tk.status, 201, tk.text);
  assert.equal((await admin.patch(`/api/tickets/${tk.body.ticket.id}`, { version: tk.body.ticket.version, notes: MARK })).status, 200);
  assert.equal((await admin.get(`/api/tickets?q=${MARK}&status=new`)).status, 200);
  assert.equal((await admin.get(`/api/tickets/${MARK}`)).status, 404);
  assert.equal((await admin.get(`/api/users/${MARK}`)).status, 404);
  assert.equal((await admin.patch(`/api/users/${id}`, { fullName: MARK })).status, 200);
  assert.equal((await admin.post('/api/blacklist', { phone: '+380501231235', reason: MARK })).status, 201);
  assert.equal((await zd.notify(stack.base, { ...fields, pbx_call_id: `in_${MARK}` })).status, 200);

  // Sign out; stop everything so every log is flushed and closed.
  assert.equal((await admin.req('POST', '/api/auth/logout')).status, 204);
  await stack.sh('down');

  const files = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.log$/.test(e.name)) files.push(p);
    }
  };
  for (const d of ['log', 'nginx', 'pg']) walk(path.join(stack.dir, d));
  const text = Object.fromEntries(files.map((f) => [path.relative(stack.dir, f), readFileSync(f, 'latin1')]));
  logs = { ...text };
  const sizes = Object.entries(text).map(([f, t]) => `${f} ${t.length} B`).join(', ');
  // The search must look where the secrets would be: each log holds what this run did.
  assert.match(text['log/fcgi.log'] ?? '', /"path":"\/api\/auth\/login"/, `fcgi log (${sizes})`);
  assert.match(text['log/fcgi.log'], /zadarma-sync/);
  assert.match(text['log/nginx-access.log'] ?? '', /"POST \/api\/users\/?[^"]* HTTP\/1.1" 201/, 'nginx access log');
  assert.match(text['pg/server.log'] ?? '', /parameters: \$1 = /, 'PostgreSQL logged statement parameters');
  assert.match(text['pg/server.log'], /duplicate key value/, 'PostgreSQL logged the refused duplicate');
  assert.ok(text['log/push.log'] !== undefined, 'push log');
  assert.match(text['log/ctl-test.log'] ?? '', /password changed for/, 'brando-ctl output captured');
  // seed-demo's one line announcing the published demo users is the only exception.
  const seedLine = /^demo users ready: admin\/admin2233, operator\/callcenter123, master\/MS123$/m;
  assert.match(text['log/ctl.log'] ?? '', seedLine);
  text['log/ctl.log'] = text['log/ctl.log'].replace(new RegExp(seedLine.source, 'gm'), '');

  const found = [];
  for (const [value, what] of used) {
    for (const [file, t] of Object.entries(text)) {
      if (t.includes(value) || t.includes(encodeURIComponent(value))) found.push(`${what} in ${file}`);
    }
  }
  const total = Object.values(text).reduce((n, t) => n + t.length, 0);
  t.diagnostic(`searched ${files.length} logs (${total} bytes) for ${used.size} secrets: ${sizes}`);
  assert.deepEqual(found, [], 'secrets found in logs');
  assert.ok(statSync(path.join(stack.dir, 'pg/server.log')).size > 10_000);
});

test('request text reaches PostgreSQL only as bound parameters, never inside SQL', () => {
  assert.ok(logs, 'the run above collected the logs');
  // Each logged statement is one line ("LOG:  execute <name>: <sql>" or "statement: <sql>");
  // its values follow on a "DETAIL:  parameters: $1 = '…'" line.
  const lines = logs['pg/server.log'].split('\n');
  const withMark = lines.filter((l) => l.includes(MARK));
  assert.ok(withMark.length >= 6, `the marker reached PostgreSQL (${withMark.length} lines)`);
  const statements = lines.filter((l) => /\b(LOG|ERROR):  (execute|statement)\b/.test(l));
  assert.ok(statements.length > 50, `${statements.length} statements logged`);
  assert.deepEqual(withMark.filter((l) => !/\bDETAIL:  parameters: /.test(l)), [], 'lines with request text that are not parameters');
});
