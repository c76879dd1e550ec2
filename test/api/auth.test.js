// Sign-in, sessions, throttling and the nginx auth_request check, through nginx.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client, DEMO, errorOf, signedIn } from '../lib/client.js';
import { startStack } from '../lib/stack.js';

let stack;
before(async () => { stack = await startStack(); });
after(async () => { await stack?.stop(); });

describe('sign in', () => {
  for (const [role, [username, password]] of Object.entries(DEMO)) {
    test(`${role} signs in and /me answers who they are`, async () => {
      const c = new Client(stack.base);
      const r = await c.post('/api/auth/login', { username, password });
      assert.equal(r.status, 200);
      assert.equal(r.body.user.username, username);
      assert.equal(r.body.user.role, role);
      assert.equal(r.body.user.passwordHash, undefined);
      assert.match(r.body.user.lastLogin, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      const cookie = r.headers.getSetCookie()[0];
      assert.match(cookie, /^brando_sid=[A-Za-z0-9_-]{43};/);
      assert.match(cookie, /HttpOnly/);
      assert.match(cookie, /SameSite=Lax/);
      assert.match(cookie, /Path=\//);
      assert.doesNotMatch(cookie, /Secure/, 'plain http must not mark the cookie Secure');
      const me = await c.get('/api/auth/me');
      assert.equal(me.status, 200);
      assert.equal(me.body.user.id, r.body.user.id);
      assert.ok(me.headers.get('x-request-id'));
    });
  }

  test('the session is stored only as a SHA-256 of the token', async () => {
    const c = await signedIn(stack.base, 'operator');
    const token = c.cookies.get('brando_sid');
    const rows = stack.sql(`SELECT count(*) FROM sessions WHERE token_hash = '${token}'`);
    assert.equal(rows[0][0], '0');
    const hashed = stack.sql(`SELECT count(*) FROM sessions WHERE token_hash = encode(sha256('${token}'::bytea), 'hex')`);
    assert.equal(hashed[0][0], '1');
  });

  test('wrong password and unknown user give the same 401', async () => {
    const a = await new Client(stack.base).post('/api/auth/login', { username: 'operator', password: 'nope-nope' });
    const b = await new Client(stack.base).post('/api/auth/login', { username: 'ghost', password: 'nope-nope' });
    assert.equal(a.status, 401);
    assert.equal(b.status, 401);
    assert.equal(errorOf(a).code, 'invalid_credentials');
    assert.deepEqual(a.body, b.body);
  });

  test('usernames are case-insensitive at sign-in', async () => {
    const r = await new Client(stack.base).post('/api/auth/login', { username: 'Admin', password: 'admin2233' });
    assert.equal(r.status, 200);
  });

  test('missing or empty fields are 422 with the field', async () => {
    const c = new Client(stack.base);
    let r = await c.post('/api/auth/login', { username: 'admin' });
    assert.equal(r.status, 422);
    assert.equal(errorOf(r).field, 'password');
    r = await c.post('/api/auth/login', { username: '', password: 'x' });
    assert.equal(r.status, 422);
    assert.equal(errorOf(r).field, 'username');
  });

  test('a foreign Origin is refused at login (CSRF)', async () => {
    const c = new Client(stack.base, { origin: 'https://evil.example' });
    const r = await c.post('/api/auth/login', { username: 'admin', password: 'admin2233' });
    assert.equal(r.status, 403);
    assert.equal(errorOf(r).code, 'forbidden');
    const own = new Client(stack.base, { origin: stack.base });
    assert.equal((await own.post('/api/auth/login', { username: 'admin', password: 'admin2233' })).status, 200);
  });
});

describe('sessions end', () => {
  test('logout deletes the session and makes the cookie useless', async () => {
    const c = await signedIn(stack.base, 'admin');
    const token = c.cookies.get('brando_sid');
    const r = await c.post('/api/auth/logout');
    assert.equal(r.status, 204);
    assert.match(r.headers.getSetCookie()[0], /Max-Age=0/);
    const replay = new Client(stack.base);
    replay.cookies.set('brando_sid', token);
    const me = await replay.get('/api/auth/me');
    assert.equal(me.status, 401);
    assert.equal(errorOf(me).code, 'unauthenticated');
  });

  test('a forged or garbage cookie is simply unauthenticated', async () => {
    const c = new Client(stack.base);
    c.cookies.set('brando_sid', 'A'.repeat(43));
    assert.equal((await c.get('/api/auth/me')).status, 401);
    c.cookies.set('brando_sid', '"; DROP TABLE users; --');
    assert.equal((await c.get('/api/auth/me')).status, 401);
  });

  test('an expired session is refused', async () => {
    const c = await signedIn(stack.base, 'operator');
    const token = c.cookies.get('brando_sid');
    stack.sql(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE token_hash = encode(sha256('${token}'::bytea), 'hex')`);
    assert.equal((await c.get('/api/auth/me')).status, 401);
  });

  test('sliding expiry is refreshed at most once a minute', async () => {
    const c = await signedIn(stack.base, 'operator');
    const where = `token_hash = encode(sha256('${c.cookies.get('brando_sid')}'::bytea), 'hex')`;
    stack.sql(`UPDATE sessions SET last_seen = now() - interval '30 seconds', expires_at = now() + interval '1 hour' WHERE ${where}`);
    await c.get('/api/auth/me');
    const [[fresh]] = stack.sql(`SELECT expires_at < now() + interval '2 hours' FROM sessions WHERE ${where}`);
    assert.equal(fresh, 't', 'touched within the minute: expiry unchanged');
    stack.sql(`UPDATE sessions SET last_seen = now() - interval '2 minutes' WHERE ${where}`);
    await c.get('/api/auth/me');
    const [[slid]] = stack.sql(`SELECT expires_at > now() + interval '11 hours' FROM sessions WHERE ${where}`);
    assert.equal(slid, 't', 'older than a minute: expiry slides to now + TTL');
  });
});

describe('ws-check for nginx auth_request', () => {
  test('admin and operator get 204 with identity headers; master 403; anonymous 401', async () => {
    for (const role of ['admin', 'operator']) {
      const c = await signedIn(stack.base, role);
      const r = await c.get('/api/auth/ws-check');
      assert.equal(r.status, 204);
      assert.equal(r.headers.get('x-brando-user'), c.user.id);
      assert.equal(r.headers.get('x-brando-role'), role);
    }
    const m = await signedIn(stack.base, 'master');
    assert.equal((await m.get('/api/auth/ws-check')).status, 403);
    assert.equal((await new Client(stack.base).get('/api/auth/ws-check')).status, 401);
  });
});

describe('throttling', () => {
  test('10 failures for a username → 429 with Retry-After, even with the right password', async () => {
    const c = new Client(stack.base);
    for (let i = 0; i < 10; i++) {
      const r = await c.post('/api/auth/login', { username: 'master', password: `wrong-${i}` });
      assert.equal(r.status, 401, `attempt ${i + 1}`);
    }
    const r = await c.post('/api/auth/login', { username: 'master', password: 'MS123' });
    assert.equal(r.status, 429);
    assert.equal(errorOf(r).code, 'rate_limited');
    const wait = Number(r.headers.get('retry-after'));
    assert.ok(wait > 0 && wait <= 900, `Retry-After ${wait}`);
    // Other users are not affected by master's lock.
    assert.equal((await new Client(stack.base).post('/api/auth/login', { username: 'operator', password: 'callcenter123' })).status, 200);
    // Once the window has passed, the right password works and clears the count.
    stack.sql(`UPDATE login_attempts SET at = at - interval '16 minutes' WHERE username = 'master'`);
    assert.equal((await c.post('/api/auth/login', { username: 'master', password: 'MS123' })).status, 200);
    assert.equal(stack.sql(`SELECT count(*) FROM login_attempts WHERE username = 'master'`)[0][0], '0');
  });

  test('50 failures from one address lock that address for every username', async () => {
    stack.sql(`INSERT INTO login_attempts (username, ip) SELECT 'u' || g, '127.0.0.1' FROM generate_series(1, 50) g`);
    const r = await new Client(stack.base).post('/api/auth/login', { username: 'admin', password: 'admin2233' });
    assert.equal(r.status, 429);
    stack.sql(`DELETE FROM login_attempts WHERE ip = '127.0.0.1'`);
    assert.equal((await new Client(stack.base).post('/api/auth/login', { username: 'admin', password: 'admin2233' })).status, 200);
  });
});
