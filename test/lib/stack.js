// stack.js: start the real product (PostgreSQL, brando-fcgi, brando-push, nginx) in a temp
// folder on a free port, through conf/stack.sh — the same script `make run` uses.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const run = promisify(execFile);
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const STACK = path.join(ROOT, 'conf/stack.sh');

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function parseEnv(text) {
  return Object.fromEntries(text.trim().split('\n').map((l) => {
    const i = l.indexOf('=');
    return [l.slice(0, i), l.slice(i + 1)];
  }));
}

// opts.env: extra environment (integration keys, fake server URLs); opts.workers;
// opts.wrapper(dir): a command prefix for brando-fcgi (valgrind); opts.durable: PostgreSQL with
// fsync, synchronous_commit and full_page_writes on (a test of what survives a crash needs it);
// opts.databaseUrl: use that database (another stack's) instead of a private cluster.
export async function startStack(opts = {}) {
  const dir = opts.dir ?? mkdtempSync(path.join(os.tmpdir(), 'brando-test-'));
  const port = opts.port ?? await freePort();
  const env = {
    ...process.env,
    BRANDO_BIN_DIR: process.env.BRANDO_BIN_DIR ?? path.join(ROOT, 'build-san'),
    BRANDO_WORKERS: String(opts.workers ?? 2),
    STACK_FAST: opts.durable ? '0' : '1',
    STACK_DURABLE: opts.durable ? '1' : '0',
    ASAN_OPTIONS: 'detect_leaks=0:abort_on_error=0',
    // No timer reads in tests: an event that brando-push would only find by its backstop read
    // (a missed wake-up, sql/011) shows as a late event.
    BRANDO_PUSH_IDLE_POLL_MS: '3600000',
    // No nightly zadarma-sync on its own: tests that count Zadarma requests stay exact
    // (test/api/calls_sync_job.test.js turns it on).
    BRANDO_ZADARMA_SYNC_HOUR: '-1',
    ...(opts.env ?? {}),
  };
  if (opts.databaseUrl) env.DATABASE_URL = opts.databaseUrl;
  if (opts.wrapper) env.BRANDO_FCGI_WRAPPER = opts.wrapper(dir);
  const sh = (cmd, ...args) => run('bash', [STACK, cmd, dir, ...args], { env, timeout: 120_000 });
  try {
    await sh('up', String(port));
  } catch (e) {
    await sh('down').catch(() => {});
    throw new Error(`stack did not start: ${e.stderr || e.message}`);
  }
  const info = parseEnv(readFileSync(path.join(dir, 'stack.env'), 'utf8'));
  const stack = {
    dir, port, base: info.BASE_URL, databaseUrl: info.DATABASE_URL, env,
    sh,
    // Run SQL as the database owner; returns rows as arrays of strings (psql -A -t).
    // Blocks the event loop: use test/lib/push.js sqlAsync while WebSockets must stay served.
    sql(query) {
      const args = ['-X', '-q', '-A', '-t', '-F', '\t', '-v', 'ON_ERROR_STOP=1', info.DATABASE_URL];
      const out = execFileSync('psql', [...args, '-c', query], { encoding: 'utf8' });
      return out.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
    },
    log(name) {
      try { return readFileSync(path.join(dir, 'log', `${name}.log`), 'utf8'); } catch { return ''; }
    },
    // Pid of a process stack.sh started: 'fcgi' (the master), 'push', 'nginx'.
    pid(name) {
      try { return Number(readFileSync(path.join(dir, 'run', `${name}.pid`), 'utf8').trim()); } catch { return 0; }
    },
    // Pids of the children of pid (e.g. brando-fcgi's workers): from /proc when the kernel
    // lists them there (no process to start: fault tests poll this every few ms), else pgrep.
    children(pid) {
      try {
        return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ').filter(Boolean).map(Number);
      } catch { /* no such file: fall back */ }
      try {
        return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).trim().split('\n').map(Number);
      } catch { return []; }
    },
    // The postmaster and its children (backends and helpers), for SIGSTOP / SIGKILL tests.
    pgPids() {
      try {
        const pm = Number(readFileSync(path.join(dir, 'pg/data/postmaster.pid'), 'utf8').split('\n')[0]);
        return pm ? [pm, ...this.children(pm)] : [];
      } catch { return []; }
    },
    pids(pattern) {
      try {
        return execFileSync('pgrep', ['-f', pattern], { encoding: 'utf8' }).trim().split('\n').map(Number);
      } catch { return []; }
    },
    async stop() {
      await sh('down').catch(() => {});
      if (!opts.keep) rmSync(dir, { recursive: true, force: true });
    },
  };
  return stack;
}
