// brando-ctl: migrations (idempotent, race-free), users from the command line, demo guard.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { Client } from '../lib/client.js';
import { startStack } from '../lib/stack.js';

const run = promisify(execFile);
let stack, ctl, env;
before(async () => {
  stack = await startStack();
  ctl = path.join(stack.env.BRANDO_BIN_DIR, 'brando-ctl');
  env = { ...stack.env, DATABASE_URL: stack.databaseUrl };
});
after(async () => { await stack?.stop(); });

const ctlSync = (args, input = '') => spawnSync(ctl, args, { env, input, encoding: 'utf8' });

test('migrate again is a no-op; two at once never race', async () => {
  const before = stack.sql('SELECT version FROM schema_migrations ORDER BY 1').flat();
  assert.ok(before.includes('001_users_sessions.sql'));
  stack.sql(`CREATE DATABASE race`);
  const raceEnv = { ...env, DATABASE_URL: stack.databaseUrl.replace('/brando?', '/race?') };
  const both = await Promise.all([run(ctl, ['migrate'], { env: raceEnv }), run(ctl, ['migrate'], { env: raceEnv })]);
  const applied = both.map((r) => (r.stdout.match(/applied/g) ?? []).length);
  assert.equal(applied[0] + applied[1], before.length, 'each migration applied exactly once');
  const again = ctlSync(['migrate']);
  assert.equal(again.status, 0);
  assert.equal(again.stdout, '');
  assert.deepEqual(stack.sql('SELECT version FROM schema_migrations ORDER BY 1').flat(), before);
});

test('seed-demo refuses without --yes and is idempotent with it', () => {
  const refused = ctlSync(['seed-demo']);
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, /--yes/);
  assert.equal(ctlSync(['seed-demo', '--yes']).status, 0);
  assert.equal(stack.sql(`SELECT count(*) FROM users WHERE username IN ('admin','operator','master')`)[0][0], '3');
});

test('create-user and passwd read the password from stdin', async () => {
  const made = ctlSync(['create-user', '--username', 'cli.admin', '--role', 'admin', '--full-name', 'CLI Admin'], 'first-pass-1\n');
  assert.equal(made.status, 0, made.stderr);
  const c = new Client(stack.base);
  await c.login('cli.admin', 'first-pass-1');
  const changed = ctlSync(['passwd', 'cli.admin'], 'second-pass-2\n');
  assert.equal(changed.status, 0, changed.stderr);
  assert.equal((await c.get('/api/auth/me')).status, 401, 'passwd ends sessions');
  await new Client(stack.base).login('cli.admin', 'second-pass-2');
  assert.equal(ctlSync(['passwd', 'nobody-here'], 'second-pass-2\n').status, 1);
  assert.equal(ctlSync(['create-user', '--username', 'short', '--role', 'admin'], 'x\n').status, 2);
  assert.equal(ctlSync(['create-user', '--username', 'cli.admin', '--role', 'admin'], 'another-pass\n').status, 1, 'duplicate');
});

test('check-config reports the database and integrations without secrets', () => {
  const r = spawnSync(ctl, ['check-config'], { env: { ...env, ZADARMA_SECRET_KEY: 'top-secret-value' }, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /database: reachable/);
  assert.match(r.stdout, /zadarma: enabled/);
  assert.doesNotMatch(r.stdout, /top-secret-value/);
  const down = spawnSync(ctl, ['check-config'], { env: { ...env, DATABASE_URL: 'postgresql://nobody@/none?host=/nonexistent' }, encoding: 'utf8' });
  assert.equal(down.status, 1);
});
