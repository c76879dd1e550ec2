// Tickets under load: 100,000 seeded tickets; list, search, create and update through nginx
// at 32 and 128 connections, and pgbench running the same list/search SQL (the database's
// own ceiling on this machine) so the gap between the API and the database shows.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { signedIn } from '../lib/client.js';

const SEED = Number(process.env.BENCH_TICKETS ?? 100000);

function seed(stack) {
  stack.sql(`INSERT INTO tickets (number, status, customer_name, customer_phone, address, device_type,
      device_brand, problem, source, fraud_score, fraud_flags, created_at, updated_at, version)
    SELECT 'B-' || lpad(g::text, 7, '0'),
           (ARRAY['new','assigned','accepted','in_progress','completed','cancelled'])[1 + g % 6],
           (ARRAY['Ivan','Olena','Petro','Maria','Taras','Iryna'])[1 + g % 6] || ' ' ||
             (ARRAY['Shevchenko','Kovalenko','Bondarenko','Tkachenko'])[1 + g % 4] || ' ' || g,
           '+38067' || lpad((g % 9000000)::text, 7, '0'),
           'Street ' || (g % 500) || ', flat ' || (g % 90),
           (ARRAY['washer','fridge','boiler','laptop','tv'])[1 + g % 5],
           (ARRAY['Bosch','Samsung','LG','Ariston'])[1 + g % 4],
           'does not work ' || g, 'manual', 0, '{}',
           now() - make_interval(secs => g), now() - make_interval(secs => g), 1
      FROM generate_series(1, ${SEED}) g`);
  stack.sql('ANALYZE tickets');
}

function luaFile(text) {
  const f = path.join(mkdtempSync(path.join(os.tmpdir(), 'brando-wrk-')), 'script.lua');
  writeFileSync(f, text);
  return f;
}

// pgbench ships in PostgreSQL's bin directory, not on PATH.
function pgbenchPath() {
  const dirs = spawnSync('bash', ['-c', 'ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1'], { encoding: 'utf8' }).stdout.trim();
  return dirs ? `${dirs}/pgbench` : 'pgbench';
}

// The database alone: pgbench with the list and search statements the API runs.
function pgbench(stack, sql, clients) {
  const f = luaFile(sql).replace('.lua', '.sql');
  writeFileSync(f, sql);
  const out = spawnSync(pgbenchPath(), ['-n', '-f', f, '-c', String(clients), '-j', '2', '-T', '10', '-M', 'prepared',
    stack.databaseUrl], { encoding: 'utf8', timeout: 60_000 });
  const m = (out.stdout ?? '').match(/tps = ([\d.]+)/);
  return m ? Math.round(Number(m[1])) : 0;
}

export async function run(stack, { wrk, row, sections }) {
  const op = await signedIn(stack.base, 'operator');
  if ((await op.get('/api/tickets?limit=1')).status !== 200) {
    sections.push('### Tickets\n\n(skipped: the tickets API is not there)');
    return;
  }
  seed(stack);
  const cookie = `Cookie: brando_sid=${op.cookies.get('brando_sid')}`;
  const post = luaFile(`wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local n = 0
request = function()
  n = n + 1
  local body = string.format('{"customerName":"Bench %d","customerPhone":"+38050%07d","deviceType":"washer","problem":"noise"}', n, n)
  return wrk.format(nil, "/api/tickets", nil, body)
end`);
  // Each PATCH hits a different seeded ticket at version 1 (threads interleave ids, each run
  // has its own half of the seed), so no answer is a 409 by design.
  const [[firstId]] = stack.sql(`SELECT min(id) FROM tickets WHERE number LIKE 'B-%'`);
  const patchScript = (base) => luaFile(`wrk.method = "PATCH"
wrk.headers["Content-Type"] = "application/json"
local threads = 0
function setup(thread) thread:set("tid", threads); threads = threads + 1 end
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, "/api/tickets/" .. (${base} + tid + n * 2), nil, '{"version":1,"notes":"bench note"}')
end`);
  const rows = [];
  const tps = [];
  for (const c of [32, 128]) {
    rows.push(row('`GET /api/tickets?limit=50`', c, wrk(`${stack.base}/api/tickets?limit=50`, { connections: c, headers: [cookie] })));
    rows.push(row('`GET /api/tickets?q=Olen`', c, wrk(`${stack.base}/api/tickets?q=Olen&limit=50`, { connections: c, headers: [cookie] })));
    rows.push(row('`POST /api/tickets`', c, wrk(`${stack.base}/`, { connections: c, headers: [cookie], script: post, seconds: 10 })));
    const base = Number(firstId) + (c === 32 ? 0 : Math.floor(SEED / 2));
    rows.push(row('`PATCH /api/tickets/{id}`', c, wrk(`${stack.base}/`, { connections: c, headers: [cookie], script: patchScript(base), seconds: 8 })));
  }
  const listSql = process.env.BENCH_LIST_SQL ??
    'SELECT ticket_json(t)::text FROM tickets t ORDER BY created_at DESC, id DESC LIMIT 51;';
  const searchSql = process.env.BENCH_SEARCH_SQL ??
    "SELECT ticket_json(t)::text FROM tickets t WHERE t.search LIKE '%olen%' ORDER BY created_at DESC, id DESC LIMIT 51;";
  for (const c of [32]) {
    tps.push(`| list (limit 50) | ${c} | ${pgbench(stack, listSql, c)} |`);
    tps.push(`| search \`q=Olen\` | ${c} | ${pgbench(stack, searchSql, c)} |`);
  }
  sections.push(`### Tickets (${SEED.toLocaleString('en')} seeded)

| endpoint | connections | requests/s | p50 ms | p99 ms | errors |
|---|---|---|---|---|---|
${rows.join('\n')}

The database alone (pgbench, same SELECTs, 10 s):

| query | clients | transactions/s |
|---|---|---|
${tps.join('\n')}`);
}
