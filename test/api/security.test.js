// Browser-facing security, walked over the route table: CSRF on every signed-in mutation, no
// CORS grant anywhere, Secure cookies over https, and sign-in timing that names no usernames.
import assert from 'node:assert/strict';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { after, before, describe, test } from 'node:test';
import { Client, errorOf, signedIn } from '../lib/client.js';
import { apiRoutes, fillPattern } from '../lib/routes.js';
import { startStack } from '../lib/stack.js';
import { createTicket, uniquePhone } from '../lib/tickets.js';

let stack, admin, victim, ticket, entry;
before(async () => {
  stack = await startStack();
  admin = await signedIn(stack.base, 'admin');
  victim = (await admin.post('/api/users', {
    username: 'csrf-victim', password: 'victim-pass-1', fullName: 'Victim', role: 'operator',
  })).body.user;
  ticket = await createTicket(admin);
  entry = (await admin.post('/api/blacklist', { phone: uniquePhone(), reason: 'fixture' })).body.entry;
});
after(async () => { await stack?.stop(); });

// Origins a browser may send that are not ours: another site, an opaque origin (sandboxed
// iframe, file:, data:), a look-alike host, our host on another port or scheme.
function foreignOrigins() {
  const u = new URL(stack.base);
  return ['https://evil.example', 'null', `${stack.base}.evil.example`, `http://${u.hostname}:${Number(u.port) + 1}`,
    `https://${u.host}`, `http://localhost.${u.host}`];
}

// One digest per table (sessions aside: a read may slide a session's expiry) of every row.
function fingerprint() {
  const tables = stack.sql(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'sessions' ORDER BY 1`).map(([t]) => t);
  const q = tables.map((t) => `SELECT '${t}', md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM "${t}" x`).join(' UNION ALL ');
  return Object.fromEntries(stack.sql(q));
}

const ids = (resource, name, type) => {
  if (resource === 'users' || type === 'uuid') return victim.id;
  if (resource === 'tickets') return String(ticket.id);
  if (resource === 'blacklist') return String(entry.id);
  return '1';
};

describe('CSRF: a foreign Origin never changes anything', () => {
  test('every signed-in mutation in the route table → 403 for every foreign Origin, data unchanged', async () => {
    const routes = apiRoutes().filter((r) => r.method !== 'GET' && r.method !== 'HEAD' && !r.webhook);
    assert.ok(routes.length >= 8, `found ${routes.length} mutating routes in fcgi/: is the table still readable?`);
    for (const want of ['PATCH', 'DELETE', 'POST']) assert.ok(routes.some((r) => r.method === want), want);
    assert.ok(routes.some((r) => r.pattern === '/api/auth/logout'));
    const before = fingerprint();
    for (const r of routes) {
      const path = fillPattern(r.pattern, ids);
      const body = r.pattern === '/api/auth/login' ? { username: 'admin', password: 'admin2233' } : {};
      for (const origin of foreignOrigins()) {
        const res = await admin.req(r.method, path, { body, headers: { origin } });
        assert.equal(res.status, 403, `${r.method} ${path} Origin ${origin}: ${res.text}`);
        assert.equal(errorOf(res).code, 'forbidden');
        assert.equal(res.headers.getSetCookie().length, 0, `${r.method} ${path}: no cookie set or cleared`);
      }
    }
    assert.deepEqual(fingerprint(), before, 'no table changed');
    assert.equal((await admin.get('/api/auth/me')).status, 200, 'the session survived every refused logout');
  });

  // The same requests that were refused succeed from our own origin: the Origin alone decided.
  const cases = () => [
    ['PATCH', `/api/users/${victim.id}`, { fullName: 'Changed by CSRF' }, 200],
    ['PATCH', `/api/tickets/${ticket.id}`, { version: ticket.version, notes: 'changed by CSRF' }, 200],
    ['POST', '/api/tickets', { customerName: 'CSRF', customerPhone: uniquePhone(), deviceType: 'TV', problem: 'x' }, 201],
    ['POST', '/api/blacklist', { phone: uniquePhone(), reason: 'CSRF' }, 201],
    ['DELETE', `/api/blacklist/${entry.id}`, undefined, 204],
    ['DELETE', `/api/users/${victim.id}`, undefined, 204],
  ];
  test('PATCH, POST and DELETE with a foreign or null Origin → 403; the same from our origin succeed', async () => {
    const before = fingerprint();
    for (const [method, path, body] of cases()) {
      for (const origin of ['https://evil.example', 'null']) {
        const r = await admin.req(method, path, { body, headers: { origin } });
        assert.equal(r.status, 403, `${method} ${path} from ${origin}`);
      }
    }
    assert.deepEqual(fingerprint(), before, 'nothing changed');
    for (const [method, path, body, status] of cases()) {
      const r = await admin.req(method, path, { body, headers: { origin: stack.base } });
      assert.equal(r.status, status, `${method} ${path} from our own origin: ${r.text}`);
    }
    assert.notDeepEqual(fingerprint(), before, 'our own origin did change the data');
  });

  test('logout with a foreign or null Origin → 403 and the session lives on', async () => {
    const c = await signedIn(stack.base, 'operator');
    for (const origin of ['https://evil.example', 'null']) {
      const r = await c.req('POST', '/api/auth/logout', { headers: { origin } });
      assert.equal(r.status, 403, origin);
      assert.equal(r.headers.getSetCookie().length, 0, 'the cookie is not cleared');
      assert.equal((await c.get('/api/auth/me')).status, 200, `session alive after logout from ${origin}`);
    }
    const own = await c.req('POST', '/api/auth/logout', { headers: { origin: stack.base } });
    assert.equal(own.status, 204);
    assert.equal((await c.get('/api/auth/me')).status, 401);
  });

  test('a body that is not JSON (a cross-site form could send one without a preflight) → 415', async () => {
    const before = fingerprint();
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const r = await admin.req('POST', '/api/blacklist', { raw: JSON.stringify({ phone: uniquePhone(), reason: 'x' }), headers: { 'content-type': type } });
      assert.equal(r.status, 415, type);
      assert.equal(errorOf(r).code, 'unsupported_media_type');
    }
    assert.deepEqual(fingerprint(), before);
  });
});

// One HTTP/1.1 exchange with bytes fetch() refuses to send (control characters in a header).
// write, not end: nginx drops a request to the workers whose client half-closed (499).
function rawRequest(base, head, body) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(Number(new URL(base).port), '127.0.0.1', () => sock.write(Buffer.concat([head, body])));
    const chunks = [];
    sock.setTimeout(10_000, () => sock.destroy(new Error('no answer in 10 s')));
    sock.on('data', (d) => chunks.push(d));
    sock.on('error', reject);
    sock.on('close', () => {
      const text = Buffer.concat(chunks).toString();
      resolve({ status: Number(text.split(' ')[1]), body: JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4) || 'null') });
    });
  });
}

describe('Idempotency-Key is checked before it is stored', () => {
  const post = (key) => {
    const body = Buffer.from(JSON.stringify({ phone: uniquePhone(), reason: 'idem' }));
    const head = Buffer.concat([Buffer.from(`POST /api/blacklist HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n`
      + `Cookie: ${admin.cookieHeader()}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n`
      + 'Idempotency-Key: '), key, Buffer.from('\r\n\r\n')]);
    return rawRequest(stack.base, head, body);
  };
  test('a key with control characters, bytes that are not UTF-8 or over 200 bytes → 422 on the header, nothing stored', async () => {
    const before = fingerprint();
    for (const key of [Buffer.from([0xff, 0xfe]), Buffer.from('a\x01b'), Buffer.from('tab\there'), Buffer.from('k'.repeat(201))]) {
      const r = await post(key);
      assert.equal(r.status, 422, JSON.stringify(key.toString('latin1')));
      assert.equal(r.body.error.field, 'Idempotency-Key');
    }
    assert.deepEqual(fingerprint(), before);
    assert.equal((await post(Buffer.from('ключ-1'))).status, 201, 'a UTF-8 key is fine');
  });
});

describe('CORS: nothing is ever shared with another origin', () => {
  const isCors = (h) => [...h.keys()].filter((k) => k.startsWith('access-control-'));
  test('a preflight for any route, method and header is never granted', async () => {
    const paths = [...new Set(apiRoutes().map((r) => fillPattern(r.pattern, ids)))];
    paths.push('/ws', '/', '/index.html', '/api', '/api/nowhere');
    for (const path of paths) {
      for (const method of ['GET', 'POST', 'PATCH', 'DELETE', 'PUT']) {
        const r = await admin.req('OPTIONS', path, {
          headers: {
            origin: 'https://evil.example', 'access-control-request-method': method,
            'access-control-request-headers': 'content-type, idempotency-key',
          },
        });
        assert.ok(r.status >= 400, `OPTIONS ${path} (${method}) answered ${r.status}`);
        assert.deepEqual(isCors(r.headers), [], `OPTIONS ${path} (${method}) must not grant CORS`);
      }
    }
  });

  test('an answer to a foreign Origin never allows it to read the body', async () => {
    for (const path of ['/api/auth/me', '/api/users', '/api/tickets', '/api/config']) {
      const r = await admin.get(path, { headers: { origin: 'https://evil.example' } });
      assert.equal(r.status, 200, path);
      assert.deepEqual(isCors(r.headers), [], path);
    }
  });
});

describe('Secure cookie over https', () => {
  test('X-Forwarded-Proto: https marks the session cookie and its clearing Secure', async () => {
    const c = new Client(stack.base);
    const headers = { 'x-forwarded-proto': 'https' };
    const r = await c.post('/api/auth/login', { username: 'operator', password: 'callcenter123' }, { headers });
    assert.equal(r.status, 200);
    const set = r.headers.getSetCookie()[0];
    assert.match(set, /^brando_sid=[A-Za-z0-9_-]{43};/);
    assert.match(set, /; Secure(;|$)/);
    assert.match(set, /HttpOnly/);
    const out = await c.req('POST', '/api/auth/logout', { headers });
    assert.equal(out.status, 204);
    assert.match(out.headers.getSetCookie()[0], /Max-Age=0.*; Secure(;|$)/);
  });

  test('over https our origin is https://host: the http one is then foreign', async () => {
    const headers = { 'x-forwarded-proto': 'https' };
    const body = { username: 'operator', password: 'callcenter123' };
    const https = await new Client(stack.base).post('/api/auth/login', body, { headers: { ...headers, origin: stack.base.replace('http:', 'https:') } });
    assert.equal(https.status, 200);
    const http = await new Client(stack.base).post('/api/auth/login', body, { headers: { ...headers, origin: stack.base } });
    assert.equal(http.status, 403);
  });
});

describe('password hashes', () => {
  test('argon2id with OWASP parameters and a fresh 16-byte salt, even for equal passwords', async () => {
    const hashes = [];
    for (const username of ['salt-one', 'salt-two']) {
      const r = await admin.post('/api/users', { username, password: 'the-same-password', fullName: 'Salt', role: 'master' });
      assert.equal(r.status, 201, r.text);
      hashes.push(stack.sql(`SELECT password_hash FROM users WHERE username = '${username}'`)[0][0]);
    }
    for (const h of hashes) {
      const [, alg, v, params, salt, hash] = h.split('$');
      assert.deepEqual([alg, v, params], ['argon2id', 'v=19', 'm=19456,t=2,p=1']);
      assert.equal(Buffer.from(salt, 'base64').length, 16);
      assert.equal(Buffer.from(hash, 'base64').length, 32);
    }
    assert.notEqual(hashes[0].split('$')[4], hashes[1].split('$')[4], 'each hash has its own salt');
  });

  test('no GET route in the table ever answers a hash or a password field', async () => {
    const master = await signedIn(stack.base, 'master');
    const gets = apiRoutes().filter((r) => r.method === 'GET');
    assert.ok(gets.length >= 15, `${gets.length} GET routes`);
    for (const r of gets) {
      const path = fillPattern(r.pattern, (res, name, type) => (res === 'users' || type === 'uuid' ? admin.user.id : ids(res, name, type)));
      for (const c of [admin, master]) {
        const res = await c.get(path);
        assert.doesNotMatch(res.text, /\$argon2|password/i, `GET ${path} as ${c.user.role}`);
      }
    }
  });
});

describe('sign-in timing', () => {
  const quantile = (xs, q) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(q * s.length))]; };
  async function timed(username) {
    const t0 = performance.now();
    const r = await new Client(stack.base).post('/api/auth/login', { username, password: 'not-the-password' });
    const ms = performance.now() - t0;
    assert.equal(r.status, 401, `${username}: ${r.text}`);
    return ms;
  }

  test('an unknown or inactive username costs the same time as a wrong password', async (t) => {
    stack.sql(`INSERT INTO users (username, password_hash, full_name, role, active)
               SELECT 'timing-inactive', password_hash, 'Inactive', 'operator', false FROM users WHERE username = 'operator'`);
    const N = 30, kinds = { existing: 'operator', unknown: 'no-such-user', inactive: 'timing-inactive' };
    const times = { existing: [], unknown: [], inactive: [] };
    await timed('operator'); // warm the worker's prepared statements
    for (let i = 0; i < N; i++) {
      if (i % 3 === 0) stack.sql('DELETE FROM login_attempts'); // stay under the throttle
      for (const [kind, username] of Object.entries(kinds)) times[kind].push(await timed(`${username}${kind === 'unknown' ? i : ''}`));
    }
    stack.sql('DELETE FROM login_attempts');
    const med = Object.fromEntries(Object.entries(times).map(([k, xs]) => [k, quantile(xs, 0.5)]));
    for (const [k, xs] of Object.entries(times)) {
      t.diagnostic(`${k}: n=${xs.length} p10=${quantile(xs, 0.1).toFixed(1)} ms median=${med[k].toFixed(1)} ms p90=${quantile(xs, 0.9).toFixed(1)} ms`);
    }
    // Skipping argon2 would make a miss ~20x faster; a loaded box moves medians by far less
    // than the 2x allowed here.
    for (const k of ['unknown', 'inactive']) {
      const ratio = med[k] / med.existing;
      t.diagnostic(`${k}/existing median ratio ${ratio.toFixed(2)}`);
      assert.ok(ratio > 0.5 && ratio < 2, `${k} usernames answer in ${med[k].toFixed(1)} ms, existing ones in ${med.existing.toFixed(1)} ms`);
    }
  });
});
