// Zadarma webhooks under load: signed NOTIFY_START + NOTIFY_END pairs through nginx at 32
// connections. Bodies are signed ahead of time (wrk's Lua has no HMAC) and each thread walks
// its own half, so every START precedes its END and every pbx_call_id is new.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { callStart, notifySignature } from '../fakes/zadarma.js';

export const BENCH_ZADARMA_SECRET = 'bench-secret';
const PAIRS = Number(process.env.BENCH_CALL_PAIRS ?? 30000);

const form = (fields) => new URLSearchParams(fields).toString();
const lua = (s) => JSON.stringify(s); // a JSON string literal is a valid Lua string literal here

function requests() {
  const start = callStart(new Date());
  const out = [];
  for (let i = 0; i < PAIRS; i++) {
    const base = { call_start: start, pbx_call_id: `bench-${process.pid}-${i}`, caller_id: `+38067${String(1000000 + i).slice(-7)}`, called_did: '442037691881' };
    const s = { event: 'NOTIFY_START', ...base };
    const e = { event: 'NOTIFY_END', ...base, internal: '100', duration: '42', disposition: 'answered', status_code: '16', is_recorded: '0', call_id_with_rec: '' };
    out.push([form(s), notifySignature(BENCH_ZADARMA_SECRET, s)], [form(e), notifySignature(BENCH_ZADARMA_SECRET, e)]);
  }
  return out;
}

export async function run(stack, { wrk, row, sections }) {
  const probe = await fetch(`${stack.base}/api/calls/incoming?zd_echo=ping`);
  if (probe.status !== 200) {
    sections.push('### Zadarma webhooks\n\n(skipped: the calls API is not there)');
    return;
  }
  const reqs = requests();
  const half = reqs.length / 2;
  const script = path.join(mkdtempSync(path.join(os.tmpdir(), 'brando-wrk-')), 'calls.lua');
  writeFileSync(script, `local R = {
${reqs.map(([b, s]) => `{${lua(b)},${lua(s)}}`).join(',\n')}
}
local threads = 0
function setup(thread) thread:set("tid", threads); threads = threads + 1 end
local n = 0
request = function()
  n = n + 1
  local r = R[(tid * ${half} + (n - 1) % ${half}) + 1]
  return wrk.format("POST", "/api/calls/incoming",
    {["Content-Type"] = "application/x-www-form-urlencoded", ["Signature"] = r[2]}, r[1])
end`);
  const r = wrk(`${stack.base}/`, { connections: 32, script, seconds: 10 });
  const [[calls]] = stack.sql(`SELECT count(*) FROM calls WHERE pbx_call_id LIKE 'bench-%'`);
  sections.push(`### Zadarma webhooks (signed NOTIFY_START + NOTIFY_END pairs)

| endpoint | connections | notifications/s | p50 ms | p99 ms | errors |
|---|---|---|---|---|---|
${row('`POST /api/calls/incoming`', 32, r)}

Calls folded during the run: ${calls}. Target: ≥ 1,200 notifications/s with p99 < 30 ms.`);
}
