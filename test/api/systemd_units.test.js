// conf/systemd units: they parse (systemd-analyze verify), their exposure stays low
// (systemd-analyze security --offline), and the release binaries, traced with strace through
// a representative run, do nothing their unit would forbid: every system call and socket family
// within what the unit's SystemCallFilter= and RestrictAddressFamilies= allow, no writable and
// executable memory, no namespaces, no devices or other processes' /proc, no files written but
// their sockets. systemd cannot run the units here (it is not PID 1), so this is what is checked.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { Client, signedIn } from '../lib/client.js';
import { connect } from '../lib/push.js';
import { ROOT, startStack } from '../lib/stack.js';
import { createTicket } from '../lib/tickets.js';
import { callStart, startFakeZadarma } from '../fakes/zadarma.js';

const UNITS = ['brando-fcgi', 'brando-push'];
const RELEASE = path.join(ROOT, 'fcgi');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'brando-units-'));
after(() => { if (!process.env.BRANDO_KEEP_TRACES) rmSync(tmp, { recursive: true, force: true }); });

// A root holding the units, the binaries where the units expect them and systemd's own units.
let staged;
function stagedRoot() {
  if (staged) return staged;
  const root = staged = path.join(tmp, 'root');
  for (const d of ['usr/local/bin', 'etc/systemd/system', 'usr/lib/systemd', 'bin']) mkdirSync(path.join(root, d), { recursive: true });
  for (const b of ['brando-fcgi', 'brando-push', 'brando-ctl']) copyFileSync(path.join(RELEASE, b), path.join(root, 'usr/local/bin', b));
  for (const u of UNITS) copyFileSync(path.join(ROOT, 'conf/systemd', `${u}.service`), path.join(root, 'etc/systemd/system', `${u}.service`));
  cpSync('/usr/lib/systemd/system', path.join(root, 'usr/lib/systemd/system'), { recursive: true });
  copyFileSync('/bin/kill', path.join(root, 'bin/kill'));
  return root;
}

test('systemd-analyze verify finds nothing to say about the units', () => {
  const root = stagedRoot();
  const out = execFileSync('systemd-analyze', ['verify', `--root=${root}`, ...UNITS.map((u) => `/etc/systemd/system/${u}.service`)],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  assert.equal(out, '');
});

test('systemd-analyze security rates each unit 2.0 or lower (OK)', (t) => {
  const root = stagedRoot();
  for (const u of UNITS) {
    const out = execFileSync('systemd-analyze', ['security', '--offline=true', `--root=${root}`, `/etc/systemd/system/${u}.service`],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const level = Number(/Overall exposure level for \S+: ([\d.]+)/.exec(out)?.[1]);
    t.diagnostic(`${u}: exposure ${level}; still open: ${out.split('\n').filter((l) => l.startsWith('✗')).map((l) => l.slice(2).split(/\s{2,}/)[0]).join(', ')}`);
    assert.ok(level <= 2.0, `${u}: ${level}`);
    assert.match(readFileSync(path.join(ROOT, 'conf/systemd', `${u}.service`), 'utf8'), /^User=brando$/m);
  }
});

// ---- the binaries under strace ------------------------------------------------------------

// Every system call a group allows, nested groups expanded.
function syscallGroups() {
  const groups = {};
  let cur;
  for (const line of execFileSync('systemd-analyze', ['syscall-filter'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')) {
    if (/^@/.test(line)) groups[cur = line.trim()] = [];
    else if (/^ {4}[^#\s]/.test(line) && cur) groups[cur].push(line.trim());
  }
  const expand = (name, seen = new Set()) => {
    if (seen.has(name)) return seen;
    if (!name.startsWith('@')) { seen.add(name); return seen; }
    for (const m of groups[name] ?? []) expand(m, seen);
    return seen;
  };
  return { expand };
}

// Wrap a binary in strace -f; TERM and HUP go on to the traced program so stack.sh's stop and
// reload work as they do without the wrapper.
function wrap(dir, name, out) {
  const script = `#!/bin/bash
strace -f -qq -s 256 -o '${out}/${name}.'$$ '${path.join(RELEASE, name)}' "$@" &
tracer=$!
forward() { kill -"$1" $(pgrep -P "$tracer") 2>/dev/null; }
trap 'forward TERM' TERM INT
trap 'forward HUP' HUP
while kill -0 "$tracer" 2>/dev/null; do wait "$tracer"; done
`;
  writeFileSync(path.join(dir, name), script);
  chmodSync(path.join(dir, name), 0o755);
}

let stack, zd, traces;
before(async () => {
  const bin = path.join(tmp, 'bin'), out = path.join(tmp, 'strace');
  mkdirSync(bin);
  mkdirSync(out);
  for (const b of ['brando-fcgi', 'brando-push', 'brando-ctl']) wrap(bin, b, out);
  zd = await startFakeZadarma();
  stack = await startStack({
    env: {
      BRANDO_BIN_DIR: bin, ...zd.env, ZADARMA_API_URL: zd.url.replace('127.0.0.1', 'localhost'), ZADARMA_SIP: '100',
      BRANDO_ZADARMA_SYNC_HOUR: '0', ZADARMA_STATS_PAUSE: '1',
    },
  });
  traces = out;
});
after(async () => {
  await stack?.stop();
  await zd?.close();
});

test('traced through a representative run, the programs stay inside the sandbox', async (t) => {
  // The work each part does: sign-in (argon2), writes and lists, live events with a replay,
  // a signed webhook, outbound HTTPS-style calls resolved by name, the nightly sync, a reload.
  const admin = await signedIn(stack.base, 'admin');
  const ws = await connect(stack.base, admin, { since: 0 });
  const ticket = await createTicket(admin);
  assert.equal((await admin.patch(`/api/tickets/${ticket.id}`, { version: ticket.version, notes: 'traced' })).status, 200);
  await ws.waitFor((c) => c.events.some((e) => e.type === 'ticket.updated'));
  await ws.close();
  assert.equal((await admin.get('/api/tickets?limit=1')).status, 200);
  assert.equal((await admin.get('/api/dashboard')).status, 200);
  const fields = { event: 'NOTIFY_START', pbx_call_id: `in_units_${Date.now()}`, caller_id: '+442037691880', called_did: '442037691881', call_start: callStart() };
  assert.equal((await zd.notify(stack.base, fields)).status, 200);
  stack.sql(`UPDATE users SET sip_extension = '100' WHERE username = 'admin'`);
  assert.equal((await admin.post('/api/calls/outgoing', { to: '+380671234567' })).status, 202);
  for (let i = 0; i < 100 && !zd.requests.some((q) => q.path === '/v1/statistics/pbx/'); i++) await sleep(100);
  assert.ok(zd.requests.some((q) => q.path === '/v1/statistics/pbx/'), 'the jobs worker ran zadarma-sync');
  process.kill(stack.pid('fcgi'), 'SIGHUP');
  await sleep(1500);
  assert.equal((await new Client(stack.base).get('/api/health')).status, 200);
  assert.equal((await admin.req('POST', '/api/auth/logout')).status, 204);
  await stack.sh('down');

  // What each unit allows, read from the unit itself: SystemCallFilter= lines (an allow list,
  // then ~ deny lists) and RestrictAddressFamilies=. brando-ctl runs under brando-fcgi's unit.
  const { expand } = syscallGroups();
  const sandbox = Object.fromEntries(UNITS.map((u) => {
    const text = readFileSync(path.join(ROOT, 'conf/systemd', `${u}.service`), 'utf8');
    const calls = new Set();
    for (const [, deny, list] of text.matchAll(/^SystemCallFilter=(~?)(.*)$/gm)) {
      for (const name of list.trim().split(/\s+/)) {
        for (const c of expand(name)) if (deny) calls.delete(c); else calls.add(c);
      }
    }
    const families = /^RestrictAddressFamilies=(.*)$/m.exec(text)[1].trim().split(/\s+/);
    assert.ok(calls.size > 100 && families.length > 0, `${u}: no filter read`);
    return [u, { calls, families }];
  }));
  const unitOf = { 'brando-fcgi': 'brando-fcgi', 'brando-ctl': 'brando-fcgi', 'brando-push': 'brando-push' };
  const files = readdirSync(traces);
  assert.ok(files.some((f) => f.startsWith('brando-fcgi.')) && files.some((f) => f.startsWith('brando-push.')), files.join(' '));
  const runDir = path.join(stack.dir, 'run');
  const seen = new Map(), problems = [];
  for (const f of files) {
    const prog = f.split('.')[0];
    const { calls, families } = sandbox[unitOf[prog]];
    for (const line of readFileSync(path.join(traces, f), 'utf8').split('\n')) {
      const m = /^\d+ +(\w+)\((.*)/.exec(line);
      if (!m) continue;
      const [, call, args] = m;
      seen.set(call, (seen.get(call) ?? 0) + 1);
      const bad = (why) => problems.push(`${prog}: ${why}: ${line.slice(0, 200)}`);
      if (!calls.has(call)) bad('system call its unit\'s SystemCallFilter= refuses');
      if (call === 'socket' && !families.includes(args.split(',')[0])) bad('address family its unit refuses');
      if (/^(mmap|mprotect|pkey_mprotect)$/.test(call) && /PROT_WRITE/.test(args) && /PROT_EXEC/.test(args)) bad('writable and executable memory');
      if (/^(clone|clone3|unshare|setns)$/.test(call) && /CLONE_NEW/.test(args)) bad('namespace');
      if (call === 'personality' && !/0xffffffff/.test(args)) bad('personality');
      const file = /^(?:AT_FDCWD, )?"([^"]*)"/.exec(args)?.[1];
      if (/^(open|openat|creat)$/.test(call) && file) {
        const writes = /O_WRONLY|O_RDWR|O_CREAT|O_TRUNC/.test(args) || call === 'creat';
        if (writes && !file.startsWith(runDir) && !/^\/dev\/(null|tty)$/.test(file) && !file.startsWith('/tmp/')) bad('writes outside the runtime directory');
        if (/^\/dev\//.test(file) && !/^\/dev\/(null|zero|full|u?random|tty)$/.test(file)) bad('device');
        if (/^\/proc\//.test(file) && !/^\/proc\/(self|thread-self|\d+)\//.test(file)) bad('/proc outside the process');
        if (/^\/(home|root|run\/user)\//.test(file) && !/= -1 /.test(line)) bad('home directory read');
      }
      if (/^(mkdir|mkdirat|unlink|unlinkat|rename|renameat2?|rmdir|chmod|fchmodat|symlink|link)$/.test(call) && file && !file.startsWith(runDir) && !file.startsWith('/tmp/')) {
        bad('changes the file system outside the runtime directory');
      }
    }
  }
  t.diagnostic(`${files.length} traced processes, ${[...seen.values()].reduce((a, b) => a + b, 0)} system calls of ${seen.size} kinds`);
  assert.ok(seen.has('connect') && seen.has('bind') && seen.has('execve'), 'the trace saw the run');
  assert.deepEqual(problems.slice(0, 20), []);
});
