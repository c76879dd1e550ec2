// Live-update fan-out through nginx: N WebSocket clients (wsfan, a lean C libwebsockets
// client), a writer creating tickets at 20/s for 10 s; latency from the moment each POST is
// sent to each client's receipt, deliveries expected vs received, and brando-push's RSS.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { signedIn } from '../lib/client.js';
import { ROOT } from '../lib/stack.js';

const CLIENTS = (process.env.BENCH_WS_CLIENTS ?? '100,500').split(',').map(Number);
const RATE = 20, SECONDS = 10;

function build() {
  const out = path.join(ROOT, 'build/wsfan');
  const r = spawnSync('cc', ['-std=c17', '-D_GNU_SOURCE', '-O2', '-Wall', '-Wextra', '-Werror',
    path.join(ROOT, 'test/bench/wsfan.c'), '-o', out, '-lwebsockets'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return out;
}

async function once(stack, bin, clients, op, cookie) {
  // Warm the create path (plans, caches) so the first measured ticket is not a cold one.
  await op.post('/api/tickets', { customerName: 'Warm up', customerPhone: '+380630000000', deviceType: 'tv', problem: 'warm' });
  const child = spawn(bin, [String(stack.port), cookie, String(clients), String(SECONDS + 6)]);
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  const done = new Promise((resolve) => child.on('exit', resolve));
  await sleep(3000); // let every client finish its handshake
  let posted = 0;
  const start = Date.now();
  while (Date.now() - start < SECONDS * 1000) {
    const due = start + (posted * 1000) / RATE;
    if (Date.now() < due) await sleep(due - Date.now());
    const r = await op.post('/api/tickets', {
      customerName: `Fan ${posted}`, customerPhone: `+38063${String(1000000 + posted).slice(-7)}`,
      deviceType: 'tv', problem: 'bench', notes: `bench-ts:${Date.now() * 1000}`,
    });
    if (r.status === 201) posted++;
  }
  const pushRss = Number(readFileSync(`/proc/${stack.pid('push')}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]);
  await done;
  const res = JSON.parse(out.trim().split('\n').pop());
  return { ...res, posted, expected: res.connected * posted, pushRss };
}

export async function run(stack, { sections }) {
  if (!stack.pid('push')) {
    sections.push('### Live updates (WebSocket fan-out)\n\n(skipped: brando-push is not there)');
    return;
  }
  const bin = build();
  const admin = await signedIn(stack.base, 'admin');
  const op = await signedIn(stack.base, 'operator');
  const cookie = `brando_sid=${admin.cookies.get('brando_sid')}`;
  const rows = [];
  for (const n of CLIENTS) {
    const r = await once(stack, bin, n, op, cookie);
    rows.push(`| ${n} | ${r.connected} | ${r.posted} | ${r.expected} | ${r.samples} | ${r.p50} | ${r.p99} | ${r.max} | ${(r.pushRss / 1024).toFixed(1)} MB |`);
  }
  sections.push(`### Live updates (WebSocket fan-out)

A writer creates tickets at ${RATE}/s for ${SECONDS} s; every client should receive every
\`ticket.created\`. Latency runs from the moment the POST is sent to the client's receipt.

| clients | connected | tickets | deliveries expected | received | p50 ms | p99 ms | max ms | brando-push RSS |
|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}`);
}
