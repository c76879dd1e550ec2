// Upgrades: a database built the old way — the 13 numbered files as main had them at 623371a
// (test/fixtures/sql-v1), each in its own transaction and recorded by name, as brando-ctl did
// then — holding rows in every table, brought to the new layout by brando-ctl migrate. Its
// schema must equal a fresh build's and no row may be lost or changed. A second migrate
// changes nothing; a failing function file leaves the database as it was.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT } from '../lib/stack.js';

const STACK = path.join(ROOT, 'conf/stack.sh');
const BIN = process.env.BRANDO_BIN_DIR ?? path.join(ROOT, 'build-san');
const FIXTURE = path.join(ROOT, 'test/fixtures/sql-v1');
let dir, host;

const url = (db) => `postgresql://brando@/${db}?host=${host}`;
const psql = (db, ...args) => execFileSync('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', url(db), ...args],
  { encoding: 'utf8' });
const rows = (db, query) => psql(db, '-F', '\t', '-c', query).split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
// brando-ctl migrate; sqlDir: another sql/ folder than the one next to the binary.
const migrate = (db, sqlDir) => spawnSync(path.join(BIN, 'brando-ctl'), ['migrate'], {
  encoding: 'utf8',
  env: { ...process.env, DATABASE_URL: url(db), BRANDO_SQL_DIR: sqlDir ?? '', BRANDO_ENV_FILE: '/dev/null' },
});

before(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'brando-upgrade-'));
  execFileSync('bash', [STACK, 'pg-start', dir], { env: { ...process.env, STACK_FAST: '1' }, stdio: 'ignore' });
  host = path.join(dir, 'pg/sock');
});
after(() => {
  if (!dir) return;
  spawnSync('bash', [STACK, 'pg-stop', dir]);
  rmSync(dir, { recursive: true, force: true });
});

// The old way: schema_migrations as brando-ctl created it, then each file in one transaction
// with its name recorded. fixture: a folder of numbered files (test/fixtures/sql-v1).
function buildOld(db, fixture = FIXTURE) {
  psql('brando', '-c', `CREATE DATABASE ${db}`);
  psql(db, '-c', 'CREATE TABLE schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
  for (const f of readdirSync(fixture).filter((n) => /^\d{3}_[a-z0-9_]+\.sql$/.test(n)).sort()) {
    psql(db, '-1', '-f', path.join(fixture, f), '-c', `INSERT INTO schema_migrations (version) VALUES ('${f}')`);
  }
}

function buildFresh(db) {
  psql('brando', '-c', `CREATE DATABASE ${db}`);
  const r = migrate(db);
  assert.equal(r.status, 0, r.stderr);
}

// Rows in every table, written through the old functions where they exist: users, sessions,
// throttling, idempotency, blacklist, calls (+ raw notifications), tickets with history and an
// assignment (outbox), events, WebRTC keys, job runs.
const SEED = `
INSERT INTO users (username, password_hash, full_name, role, sip_extension)
  VALUES ('admin', 'h', 'Admin', 'admin', NULL), ('operator', 'h', 'Operator', 'operator', '100');
INSERT INTO users (username, password_hash, full_name, role, master_code, telegram_chat_id)
  VALUES ('master1', 'h', 'Master One', 'master', 'M1', 555001);
INSERT INTO sessions (token_hash, user_id, expires_at, ip, user_agent)
  SELECT 'tok', id, now() + interval '1 day', '127.0.0.1', 'test' FROM users WHERE username = 'operator';
INSERT INTO login_attempts (username, ip) VALUES ('operator', '10.0.0.1');
INSERT INTO idempotency_keys (user_id, key, request_hash, status, response)
  SELECT id, 'key-1', 'hash', 201, '{}' FROM users WHERE username = 'operator';
INSERT INTO blacklist (phone, reason, created_by) SELECT '+380671234567', 'fraud', id FROM users WHERE username = 'admin';
SELECT call_notify('NOTIFY_START', '{"pbx_call_id":"p1","caller_id":"+380501112233","called_did":"442037691881","call_start":"2024-05-01 12:00:00"}', '+380501112233', 'UTC', false);
SELECT call_notify('NOTIFY_ANSWER', '{"pbx_call_id":"p1","caller_id":"+380501112233","destination":"100","internal":"100","call_start":"2024-05-01 12:00:00"}', '+380501112233', 'UTC', false);
SELECT call_notify('NOTIFY_END', '{"pbx_call_id":"p1","caller_id":"+380501112233","called_did":"442037691881","internal":"100","call_start":"2024-05-01 12:00:00","duration":"30","disposition":"answered","status_code":"16","is_recorded":"1","call_id_with_rec":"1714564801.1234567"}', '+380501112233', 'UTC', false);
SELECT call_notify('NOTIFY_END', '{"pbx_call_id":"p2","caller_id":"+380671234567","called_did":"442037691881","call_start":"2024-05-01 13:00:00","duration":"0","disposition":"no answer","is_recorded":"0"}', '+380671234567', 'UTC', false);
SELECT ticket_create(jsonb_build_object('customerName', 'Ivan', 'customerPhone', '+380501112233', 'deviceType', 'Fridge',
  'problem', 'Not cold', 'callId', (SELECT id FROM calls WHERE pbx_call_id = 'p1')), (SELECT id FROM users WHERE username = 'operator'));
SELECT ticket_create(jsonb_build_object('customerName', 'Olga', 'customerPhone', '+380671234567', 'deviceType', 'Washer',
  'problem', 'Leaks', 'masterId', (SELECT id FROM users WHERE username = 'master1')), (SELECT id FROM users WHERE username = 'operator'));
SELECT ticket_patch((SELECT min(id) FROM tickets), 1, (SELECT id FROM users WHERE username = 'operator'), '{"status":"cancelled"}');
SELECT emit_event('user.updated', '{admin,operator}', '{"user":{}}');
INSERT INTO zadarma_webrtc_keys (sip, key, expires_at) VALUES ('100', 'webrtc-key', now() + interval '3 days');
INSERT INTO job_runs (job, day) VALUES ('zadarma-sync', '2024-05-01');
`;

// pg_dump --schema-only without comments, blank lines and pg_dump's per-run \restrict key, sorted.
function schema(db) {
  return execFileSync('pg_dump', ['--schema-only', url(db)], { encoding: 'utf8' }).split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('--') && !/^\\(un)?restrict\b/.test(l)).sort();
}

function assertSameSchema(a, b, message) {
  const sa = schema(a), sb = schema(b);
  const only = (x, y) => x.filter((l) => !y.includes(l));
  assert.deepEqual(sa, sb, `${message}\nonly in ${a}:\n${only(sa, sb).join('\n')}\nonly in ${b}:\n${only(sb, sa).join('\n')}`);
}

// Every table's row count and a hash of its rows, over the columns it has now (a column a
// later migration adds does not count as a change to the rows that were there).
function tableColumns(db) {
  return Object.fromEntries(rows(db, `SELECT table_name, string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position)
    FROM information_schema.columns WHERE table_schema = 'public' GROUP BY 1 ORDER BY 1`));
}
function contents(db, columns) {
  return Object.fromEntries(Object.entries(columns).map(([table, cols]) => [table, rows(db,
    `SELECT count(*) || ' ' || md5(coalesce(string_agg(r::text, E'\\n' ORDER BY r::text), '')) FROM (SELECT ${cols} FROM ${table}) r`)[0][0]]));
}

test('an old database migrates to the new layout: schema equal to a fresh one, every row kept', () => {
  buildOld('upgraded');
  psql('upgraded', '-1', '-c', SEED);
  const { schema_migrations: _, ...columns } = tableColumns('upgraded'); // that one grows: compared with fresh below
  const data = contents('upgraded', columns);
  for (const [table, v] of Object.entries(data)) assert.ok(!v.startsWith('0 '), `the old database has rows in ${table}`);

  const r = migrate('upgraded');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^applied 014_functions_apart\.sql$/m);
  assert.doesNotMatch(r.stdout, /applied 0(0|1[0-3])/, 'the recorded migrations are not run again');
  assert.match(r.stdout, /functions replaced from/);

  buildFresh('fresh');
  assertSameSchema('upgraded', 'fresh', 'upgraded and fresh schemas differ');
  assert.deepEqual(rows('upgraded', 'SELECT version FROM schema_migrations ORDER BY 1'),
    rows('fresh', 'SELECT version FROM schema_migrations ORDER BY 1'));
  assert.deepEqual(contents('upgraded', columns), data, 'no row lost or changed');

  // The new functions run on the old rows: numbers go on from the old sequence, the dashboard reads.
  const made = rows('upgraded', `SELECT ticket_create(jsonb_build_object('status', 'new', 'customerName', 'Petro',
    'customerPhone', '+380501112233', 'deviceType', 'Oven', 'problem', 'Cold'), NULL)->>'number'`);
  assert.deepEqual(made, [['T-000003']]);
  const dash = rows('upgraded', `SELECT dashboard_json('2024-05-01T00:00:00Z', '2024-05-02T00:00:00Z', 'UTC', NULL, true)->'calls'->>'total'`);
  assert.deepEqual(dash, [['2']]);
});

test('migrate again is a no-op: nothing printed, nothing changed', () => {
  buildOld('twice');
  psql('twice', '-1', '-c', SEED);
  assert.equal(migrate('twice').status, 0);
  const before = [schema('twice'), contents('twice', tableColumns('twice'))];
  const r = migrate('twice');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '');
  assert.deepEqual([schema('twice'), contents('twice', tableColumns('twice'))], before);
});

// A copy of sql/ to break or change; returns its path.
function sqlCopy() {
  const copy = mkdtempSync(path.join(dir, 'sql-'));
  cpSync(path.join(ROOT, 'sql'), copy, { recursive: true });
  return copy;
}

test('a failing function file rolls everything back: migrations, earlier function files, the record', () => {
  buildOld('broken');
  psql('broken', '-1', '-c', SEED);
  const before = [schema('broken'), contents('broken', tableColumns('broken'))];
  const copy = sqlCopy();
  writeFileSync(path.join(copy, 'migrations/999_probe.sql'), 'CREATE TABLE upgrade_probe (id int);\nINSERT INTO upgrade_probe VALUES (1);\n');
  appendFileSync(path.join(copy, 'functions/core.sql'), "\nCREATE OR REPLACE FUNCTION iso(ts timestamptz) RETURNS text\nLANGUAGE sql STABLE AS $$ SELECT 'changed' $$;\n");
  appendFileSync(path.join(copy, 'functions/tickets.sql'), '\nCREATE OR REPLACE FUNCTION broken() RETURNS int\nLANGUAGE sql AS $$ SELECT no_such_column FROM tickets $$;\n');
  const r = migrate('broken', copy);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /functions\/tickets\.sql failed; nothing was applied/);
  assert.match(r.stderr, /no_such_column/, 'the database says why');
  assert.equal(r.stdout, '', 'nothing reported as applied');
  assert.deepEqual([schema('broken'), contents('broken', tableColumns('broken'))], before);
  assert.deepEqual(rows('broken', "SELECT count(*) FROM schema_migrations WHERE version >= '014'"), [['0']]);
});

test('the comparison catches drift: an upgrade that leaves a dead function differs from a fresh build', () => {
  const copy = sqlCopy();
  const m = path.join(copy, 'migrations/014_functions_apart.sql');
  writeFileSync(m, readFileSync(m, 'utf8').replace(/^DROP FUNCTION IF EXISTS events_head\(\);$/m, ''));
  buildOld('drifted');
  const r = migrate('drifted', copy);
  assert.equal(r.status, 0, r.stderr);
  buildFresh('fresh_again');
  assert.throws(() => assertSameSchema('drifted', 'fresh_again', 'drift'), /events_head/);
});
