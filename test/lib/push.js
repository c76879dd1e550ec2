// push.js: WebSocket clients for brando-push tests, through nginx like a browser.
import WebSocket from 'ws';
import { execFile, spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

export function wsUrl(base, since) {
  return base.replace(/^http/, 'ws') + '/ws' + (since === undefined ? '' : `?since=${since}`);
}

// Connect as a signed-in Client (or anonymously with null). Resolves once open with
// { ws, frames (parsed, in arrival order), events (frames with an id), closed (promise of
// {code, reason}), waitFor(pred, ms) }; rejects with err.status on a refused handshake.
export function connect(base, client, { since, ...opts } = {}) {
  const headers = client?.cookies.size ? { cookie: client.cookieHeader() } : {};
  const ws = new WebSocket(wsUrl(base, since), { headers, ...opts });
  const conn = { ws, frames: [], events: [], headers: {} };
  ws.once('upgrade', (res) => { conn.headers = res.headers; });
  const waiters = new Set();
  conn.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  ws.on('message', (data) => {
    const f = JSON.parse(String(data));
    conn.frames.push(f);
    if (f.id !== undefined) conn.events.push(f);
    for (const w of waiters) w();
  });
  conn.waitFor = (pred, ms = 10000, what = 'frames') => new Promise((resolve, reject) => {
    const check = () => {
      if (pred(conn)) { cleanup(); resolve(conn); }
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out after ${ms} ms waiting for ${what}; have ${conn.frames.length} frames`));
    }, ms);
    const onClose = (code) => {
      check();
      if (waiters.has(check)) { cleanup(); reject(new Error(`closed (${code}) while waiting for ${what}; have ${conn.frames.length} frames`)); }
    };
    const cleanup = () => { clearTimeout(timer); waiters.delete(check); ws.off('close', onClose); };
    waiters.add(check);
    ws.on('close', onClose);
    check();
  });
  conn.close = async () => {
    if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close();
    await conn.closed;
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(conn));
    ws.once('unexpected-response', (req, res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => {
        const err = new Error(`handshake refused: ${res.statusCode} ${body}`);
        err.status = res.statusCode;
        err.contentType = res.headers['content-type'];
        err.headers = res.headers;
        err.body = body;
        reject(err);
      });
    });
    ws.once('error', reject);
  });
}

// Connect, retrying while the daemon is (re)starting (nginx answers 503 meanwhile).
export async function connectRetry(base, client, opts = {}, ms = 15000) {
  const end = Date.now() + ms;
  for (;;) {
    try { return await connect(base, client, opts); } catch (e) {
      if (Date.now() > end || (e.status && e.status !== 503)) throw e;
      await sleep(100);
    }
  }
}

// brando-push's /metrics on its own socket, as { name: value }.
export function pushMetrics(stack) {
  return new Promise((resolve, reject) => {
    http.get({ socketPath: path.join(stack.dir, 'run/push.sock'), path: '/metrics' }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => {
        const m = {};
        for (const line of body.split('\n')) {
          if (!line || line.startsWith('#')) continue;
          const [k, v] = line.split(' ');
          m[k] = Number(v);
        }
        resolve(m);
      });
    }).on('error', reject);
  });
}

const quote = (s) => `'${String(s).replace(/'/g, "''")}'`;

// Ids of events after `after` in the table, in order (optionally of one type).
export function eventIds(stack, after, type) {
  const where = type ? ` AND type = ${quote(type)}` : '';
  return stack.sql(`SELECT id FROM events WHERE id > ${Number(after)}${where} ORDER BY id`).map((r) => Number(r[0]));
}

export function lastEventId(stack) {
  return Number(stack.sql('SELECT coalesce(max(id), 0) FROM events')[0][0]);
}

// SQL without blocking the event loop (stack.sql does): the clients must keep answering pings.
export async function sqlAsync(stack, query) {
  const { stdout } = await run('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', stack.databaseUrl, '-c', query]);
  return stdout.split('\n').filter((l) => l !== '');
}

// Statements sent one by one (psql reading stdin), so BEGIN/COMMIT and DO ... COMMIT work.
export function sqlScript(stack, text) {
  return new Promise((resolve, reject) => {
    const p = spawn('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', stack.databaseUrl], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '', err = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { err += d; });
    p.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`psql: ${err}`))));
    p.stdin.end(text);
  });
}

const emitSql = (type, audience, payload) =>
  `SELECT emit_event(${quote(type)}, ${quote(audience)}, ${quote(JSON.stringify(payload))})`;

// Emit an event straight through SQL the way a handler does: emit_event() NOTIFYs at COMMIT
// when a brando-push waits (sql/011). wake: false writes the row without that, like a writer
// still on an old binary would, leaving brando-push to its idle read.
export async function emit(stack, type, audience, payload, { wake = true } = {}) {
  const sql = wake ? emitSql(type, audience, payload)
    : `INSERT INTO events (type, audience, payload) VALUES (${quote(type)}, ${quote(audience)}, ${quote(JSON.stringify(payload))}) RETURNING id`;
  const { stdout } = await run('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', stack.databaseUrl, '-c', sql]);
  return Number(stdout.trim().split('\n')[0]);
}

// Polls pred (sync or async) every 20 ms until it holds; throws after ms.
export async function waitUntil(pred, what, ms = 5000) {
  for (const t0 = Date.now(); !(await pred());) {
    if (Date.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(20);
  }
}

// Whether brando-push waits for NOTIFY right now (it holds the share lock of sql/011).
export async function pushWaits(stack) {
  const [n] = await sqlAsync(stack, `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = 7243011
                                     AND mode = 'ShareLock' AND granted`);
  return Number(n) > 0;
}

// A transaction that emits an event and stays open: { id, commit(), rollback() }. commit()
// ends it like a handler's; rollback() leaves the id missing for good.
export async function emitHeld(stack, type, payload) {
  const name = `held-${process.pid}-${Math.random().toString(36).slice(2)}`;
  const p = spawn('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', stack.databaseUrl],
    { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, PGAPPNAME: name } });
  let err = '';
  p.stdout.resume();
  p.stderr.on('data', (d) => { err += d; });
  const exited = new Promise((resolve) => p.on('close', resolve));
  p.stdin.write(`BEGIN;\n${emitSql(type, '{admin,operator}', payload)};\n`);
  // Open once its backend sits idle in the transaction, holding the id.
  for (let i = 0; ; i++) {
    const [n] = await sqlAsync(stack, `SELECT count(*) FROM pg_stat_activity WHERE application_name = '${name}' AND state = 'idle in transaction'`);
    if (n === '1') break;
    if (i > 200) throw new Error(`held transaction did not start: ${err}`);
    await sleep(25);
  }
  // Its id is not visible yet; the sequence shows it (tests emit one at a time).
  const [seq] = await sqlAsync(stack, 'SELECT last_value FROM events_id_seq');
  const end = async (sql) => {
    p.stdin.end(sql);
    const code = await exited;
    if (code !== 0) throw new Error(`held transaction: ${err}`);
  };
  return {
    id: Number(seq),
    commit: () => end('COMMIT;\n'),
    rollback: () => end('ROLLBACK;\n'),
  };
}

// A client that stays subscribed the way the web UI does: when its socket closes (daemon
// restarted, instance stopped) it reconnects with since = the last id it got. Resolves once
// connected with { ids (every event id received, in order, across connections), reconnects,
// waitFor(pred, ms), close() }.
export async function follow(base, client, since, opts = {}) {
  const f = { ids: [], reconnects: 0, closing: false };
  const waiters = new Set();
  const attach = (conn) => {
    f.conn = conn;
    // What came with the handshake (a replay can share its packet) is already in conn.events.
    for (const e of conn.events) f.ids.push(e.id);
    for (const w of waiters) w();
    conn.ws.on('message', (data) => {
      const frame = JSON.parse(String(data));
      if (frame.id !== undefined) f.ids.push(frame.id);
      for (const w of waiters) w();
    });
    conn.closed.then(async () => {
      if (f.closing) return;
      f.reconnects++;
      const again = await connectRetry(base, client, { ...opts, since: f.ids.length ? f.ids.at(-1) : since }, 30000)
        .catch((e) => { f.error = e; });
      if (again && f.closing) again.close();
      else if (again) attach(again);
    });
  };
  attach(await connectRetry(base, client, { ...opts, since }));
  f.waitFor = (pred, ms = 15000, what = 'events') => new Promise((resolve, reject) => {
    const check = () => { if (pred(f)) { clearTimeout(timer); waiters.delete(check); resolve(f); } };
    const timer = setTimeout(() => { waiters.delete(check); reject(new Error(`timed out waiting for ${what}; have ${f.ids.length}`)); }, ms);
    waiters.add(check);
    check();
  });
  f.close = async () => { f.closing = true; await f.conn.close(); };
  // f.error: why reconnecting failed, when it did
  return f;
}

// Ids of events after `after` that a role is sent, in order.
export function eventIdsFor(stack, after, role) {
  return stack.sql(`SELECT id FROM events WHERE id > ${Number(after)} AND '${role}' = ANY (audience) ORDER BY id`).map((r) => Number(r[0]));
}
