// make bench: start the release build like the tests do, load it through nginx with wrk,
// and write the figures (with the machine's core count) into docs/benchmarks.md between
// the bench markers. Every load is bounded in time; the only target is 127.0.0.1.
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, startStack } from '../lib/stack.js';
import { signedIn } from '../lib/client.js';

const DURATION = Number(process.env.BENCH_SECONDS ?? 15);
const DOC = path.join(ROOT, 'docs/benchmarks.md');
const sections = [];

// wrk with --latency; returns { rps, p50, p99, errors, non2xx }.
export function wrk(url, { connections, seconds = DURATION, headers = [], script } = {}) {
  const args = ['-t', '2', '-c', String(connections), '-d', `${seconds}s`, '--latency', '--timeout', '5s'];
  for (const h of headers) args.push('-H', h);
  if (script) args.push('-s', script);
  args.push(url);
  const out = spawnSync('wrk', args, { encoding: 'utf8', timeout: (seconds + 30) * 1000 }).stdout ?? '';
  const num = (re) => { const m = out.match(re); return m ? m[1] : null; };
  const ms = (v) => !v ? null : v.endsWith('us') ? parseFloat(v) / 1000 : v.endsWith('ms') ? parseFloat(v) : parseFloat(v) * 1000;
  const errs = out.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
  return {
    rps: Math.round(parseFloat(num(/Requests\/sec:\s+([\d.]+)/) ?? '0')),
    p50: ms(num(/50%\s+([\d.]+\w+)/)),
    p99: ms(num(/99%\s+([\d.]+\w+)/)),
    errors: errs ? errs.slice(1).reduce((a, b) => a + Number(b), 0) : 0,
    non2xx: Number(num(/Non-2xx or 3xx responses: (\d+)/) ?? 0),
    raw: out,
  };
}

function rssKb(pid) {
  try { return Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]); } catch { return 0; }
}

function row(name, c, r) {
  return `| ${name} | ${c} | ${r.rps} | ${r.p50?.toFixed(2) ?? '-'} | ${r.p99?.toFixed(2) ?? '-'} | ${r.errors + r.non2xx} |`;
}

async function foundation(stack) {
  const admin = await signedIn(stack.base, 'admin');
  const cookie = `Cookie: brando_sid=${admin.cookies.get('brando_sid')}`;
  const rows = [];
  for (const c of [32, 128]) {
    rows.push(row('`GET /api/health`', c, wrk(`${stack.base}/api/health`, { connections: c })));
    rows.push(row('`GET /api/auth/me` (signed in)', c, wrk(`${stack.base}/api/auth/me`, { connections: c, headers: [cookie] })));
  }
  const workers = stack.children(stack.pid('fcgi'));
  const rss = workers.map(rssKb);
  sections.push(`### Sign-in and health (foundation)

| endpoint | connections | requests/s | p50 ms | p99 ms | errors |
|---|---|---|---|---|---|
${rows.join('\n')}

brando-fcgi worker RSS after the runs: ${rss.map((k) => `${(k / 1024).toFixed(1)} MB`).join(', ')}
(${workers.length - 1} request workers + 1 jobs worker).`);
}

const SUITES = { foundation };
// Later suites register themselves in test/bench/*.bench.js files exporting `run(stack, api)`.
async function loadExtraSuites() {
  const dir = path.join(ROOT, 'test/bench');
  // Push first: its latency figures should not inherit the webhook run's write backlog.
  const order = ['push', 'calls', 'tickets'];
  const rank = (f) => { const i = order.indexOf(f.replace('.bench.js', '')); return i < 0 ? order.length : i; };
  const files = execFileSync('ls', [dir], { encoding: 'utf8' }).split('\n').filter((f) => f.endsWith('.bench.js'))
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  for (const f of files) {
    const mod = await import(path.join(dir, f));
    SUITES[f.replace('.bench.js', '')] = (stack) => mod.run(stack, { wrk, row, rssKb, sections });
  }
}

async function main() {
  await loadExtraSuites();
  const only = process.env.BENCH_ONLY?.split(',');
  const stack = await startStack({
    workers: Number(process.env.BENCH_WORKERS ?? os.availableParallelism() * 2),
    env: {
      BRANDO_BIN_DIR: path.join(ROOT, 'fcgi'), STACK_FAST: '0',
      // Zadarma webhooks are signed; the REST base URL points nowhere (not used by the bench).
      ZADARMA_API_KEY: 'bench-key', ZADARMA_SECRET_KEY: 'bench-secret', ZADARMA_API_URL: 'http://127.0.0.1:9',
    },
  });
  try {
    for (const [name, fn] of Object.entries(SUITES)) {
      if (only && !only.includes(name)) continue;
      console.log(`bench: ${name}`);
      await fn(stack);
    }
  } finally {
    await stack.stop();
    // The suites' generated wrk scripts.
    for (const f of readdirSync(os.tmpdir()).filter((n) => n.startsWith('brando-wrk-'))) {
      rmSync(path.join(os.tmpdir(), f), { recursive: true, force: true });
    }
  }
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const body = `<!-- bench:start -->
Measured ${new Date().toISOString().slice(0, 10)} by \`make bench\` on ${os.availableParallelism()} cores (${cpu}),
${Math.round(os.totalmem() / 2 ** 30)} GiB; wrk, nginx, brando-fcgi (release build, ${process.env.BENCH_WORKERS ?? os.availableParallelism() * 2} request workers),
brando-push and PostgreSQL all share those cores. ${DURATION} s per run, wrk with 2 threads.

${sections.join('\n\n')}
<!-- bench:end -->`;
  let doc = existsSync(DOC) ? readFileSync(DOC, 'utf8') : '# Benchmarks\n\n';
  if (doc.includes('<!-- bench:start -->')) doc = doc.replace(/<!-- bench:start -->[\s\S]*<!-- bench:end -->/, body);
  else doc = doc.trimEnd() + '\n\n' + body + '\n';
  writeFileSync(DOC, doc);
  console.log(sections.join('\n\n'));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e) => { console.error(e); process.exit(1); });
}
