// The error contract at the edges: bad JSON, media types, sizes, routes, methods, health.
import assert from 'node:assert/strict';
import net from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Client, errorOf, signedIn } from '../lib/client.js';
import { fcgiGet } from '../lib/fcgi.js';
import { startStack } from '../lib/stack.js';
import { createTicket } from '../lib/tickets.js';

const METRICS_TOKEN = 'scrape-token-7f3a9c';
let stack, admin;
before(async () => {
  stack = await startStack({ env: { BRANDO_METRICS_TOKEN: METRICS_TOKEN } });
  admin = await signedIn(stack.base, 'admin');
});
after(async () => { await stack?.stop(); });

test('health answers ok with the database and brando-push up', async () => {
  const r = await new Client(stack.base).get('/api/health');
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, { status: 'ok', db: 'ok', push: 'ok' });
});

test('bad JSON → 400 bad_json; a JSON array is not an object', async () => {
  for (const raw of ['{"username":', 'not json', '[1,2]', '{"a":1} trailing']) {
    const r = await admin.req('POST', '/api/users', { raw, headers: { 'content-type': 'application/json' } });
    assert.equal(r.status, 400, raw);
    assert.equal(errorOf(r).code, 'bad_json');
  }
});

test('a body the checks could read differently from the database → 400, nothing changes', async () => {
  const me = (await admin.get('/api/auth/me')).body.user;
  const cases = [
    ['{"role":"admin","role":"operator"}', 'the body names a member twice'],
    ['{"fullName":"A\\u0000B"}', 'the body contains a NUL character'],
    [Buffer.from('{"fullName":"\xed\xa0\x80"}', 'latin1'), 'the body is not valid UTF-8'],
  ];
  for (const [raw, message] of cases) {
    const r = await admin.req('PATCH', `/api/users/${me.id}`, { raw, headers: { 'content-type': 'application/json' } });
    assert.equal(r.status, 400, String(raw));
    assert.equal(errorOf(r).code, 'bad_json');
    assert.equal(errorOf(r).message, message);
  }
  const after = (await admin.get('/api/auth/me')).body.user;
  assert.equal(after.role, 'admin');
  assert.equal(after.fullName, me.fullName);
  const login = await new Client(stack.base).req('POST', '/api/auth/login',
    { raw: '{"username":"admin","password":"admin2233\\u0000junk"}', headers: { 'content-type': 'application/json' } });
  assert.equal(login.status, 400, 'a NUL never cuts a password short');
});

// One raw HTTP/1.1 exchange, for requests fetch() will not send.
function rawHttp(base, text) {
  const { port } = new URL(base);
  return new Promise((resolve, reject) => {
    const sock = net.connect(Number(port), '127.0.0.1', () => sock.end(text));
    let data = '';
    sock.setTimeout(5000, () => sock.destroy(new Error('no answer in 5 s')));
    sock.on('data', (d) => { data += d; });
    sock.on('error', reject);
    sock.on('close', () => {
      const [head, ...rest] = data.split('\r\n\r\n');
      const status = Number(head.split(' ')[1]);
      const headers = Object.fromEntries(head.split('\r\n').slice(1).map((l) => {
        const i = l.indexOf(':');
        return [l.slice(0, i).toLowerCase(), l.slice(i + 1).trim()];
      }));
      resolve({ status, headers, body: rest.join('\r\n\r\n') });
    });
  });
}

test('nginx\'s own refusals are JSON too: malformed URL, oversized header or URL, bad framing, TRACE', async () => {
  const cases = [
    ['GET /api/tickets/%00 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 400, 'bad_request'],
    [`GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20000)}\r\nConnection: close\r\n\r\n`, 400, 'bad_request'],
    [`GET /api/tickets?q=${'a'.repeat(10000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, 400, 'bad_request'],
    ['POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\nConnection: close\r\n\r\n', 400, 'bad_request'],
    ['TRACE /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 405, 'method_not_allowed'],
  ];
  for (const [text, status, code] of cases) {
    const r = await rawHttp(stack.base, text);
    assert.equal(r.status, status, text.slice(0, 40));
    assert.match(r.headers['content-type'] ?? '', /application\/json/, text.slice(0, 40));
    assert.equal(JSON.parse(r.body).error.code, code);
    assert.match(r.headers['x-request-id'] ?? '', /^[0-9a-f]{16,}$/);
  }
});

test('a database refusal is logged by its message and code, never with the row it quotes', async () => {
  // A constraint only the database knows (added for this test) quotes the failing row.
  stack.sql("ALTER TABLE blacklist ADD CONSTRAINT test_only_check CHECK (reason IS DISTINCT FROM 'refused by the test')");
  try {
    const r = await admin.post('/api/blacklist', { phone: '+380671110077', reason: 'refused by the test' });
    assert.equal(r.status, 422, r.text);
    const id = r.headers.get('x-request-id');
    const line = stack.log('fcgi').split('\n').find((l) => l.includes(id) && l.includes('database error'));
    assert.ok(line, 'the refusal is logged');
    assert.match(line, /violates check constraint.*\(SQLSTATE 23514, constraint test_only_check\)/);
    assert.doesNotMatch(line, /Failing row|DETAIL|380671110077/, 'the row is not in the log');
  } finally {
    stack.sql('ALTER TABLE blacklist DROP CONSTRAINT test_only_check');
  }
});

test('a query string that is not UTF-8 once decoded is refused before any handler', async () => {
  for (const [q, status, field] of [['q=%FF', 422, 'q'], ['role=%ED%A0%80', 422, 'role'], ['%C0%AF=1', 400, undefined]]) {
    const r = await admin.get(`/api/users?${q}`);
    assert.equal(r.status, status, q);
    assert.equal(errorOf(r).code, status === 400 ? 'bad_request' : 'validation_failed');
    assert.equal(errorOf(r).field, field);
  }
});

test('null for a field that has no empty state → 422 on that field, never a database error', async () => {
  const created = await admin.post('/api/tickets', { customerName: 'Null Check', customerPhone: '+380671112288', deviceType: 'TV',
    problem: 'No picture' });
  assert.equal(created.status, 201, created.text);
  const { id, version } = created.body.ticket;
  for (const field of ['status', 'priority', 'source', 'version']) {
    const r = await admin.patch(`/api/tickets/${id}`, { version, [field]: null });
    assert.equal(r.status, 422, field);
    assert.equal(errorOf(r).field, field);
  }
  const other = await admin.post('/api/users', { username: `nn${Date.now()}`, password: 'secret-pass-1', fullName: 'N N', role: 'operator' });
  const r = await admin.patch(`/api/users/${other.body.user.id}`, { active: null });
  assert.equal(r.status, 422);
  assert.equal(errorOf(r).field, 'active');
  assert.equal((await admin.get(`/api/tickets/${id}`)).body.ticket.version, version, 'nothing changed');
});

test('a list cursor this server did not give → 422 on cursor, on every list; a real one pages', async () => {
  const uuid = '6f1c2b9e-1d2a-4c3b-9e8f-0a1b2c3d4e5f';
  const bad = {
    '/api/tickets': ['123_abc', `123_${uuid}`, '123_99999999999999999999', '99999999999999999999_1', '_1', '1_', 'x',
      '9223372036854775807_1', '-5_1'],
    '/api/calls': ['123_abc', `123_${uuid}`, '123_-1'],
    '/api/blacklist': ['1_1e3', `1_${uuid}`],
    '/api/users': ['123_45', `123_${uuid.toUpperCase()}`, `123_${uuid}0`, '123_6f1c2b9e1d2a4c3b9e8f0a1b2c3d4e5f'],
  };
  for (const [list, cursors] of Object.entries(bad)) {
    for (const cursor of cursors) {
      const r = await admin.get(`${list}?cursor=${encodeURIComponent(cursor)}`);
      assert.equal(r.status, 422, `${list} ${cursor}: ${r.text}`);
      assert.equal(errorOf(r).field, 'cursor', `${list} ${cursor}`);
    }
  }
  const first = await admin.get('/api/users?limit=1');
  assert.ok(first.body.nextCursor, 'demo data has more than one user');
  const next = await admin.get(`/api/users?limit=1&cursor=${encodeURIComponent(first.body.nextCursor)}`);
  assert.equal(next.status, 200, next.text);
  assert.notEqual(next.body.items[0].id, first.body.items[0].id);
});

test('a date that does not exist (year 0) → 422 on its field, never a database error', async () => {
  for (const [url, field] of [['/api/tickets?from=0000-01-01', 'from'], ['/api/calls?to=0000-12-31', 'to']]) {
    const r = await admin.get(url);
    assert.equal(r.status, 422, `${url}: ${r.text}`);
    assert.equal(errorOf(r).field, field, url);
  }
  const tickets = () => Number(stack.sql('SELECT count(*) FROM tickets')[0][0]);
  const before = tickets();
  const r = await admin.post('/api/tickets', { customerName: 'Year Zero', customerPhone: '+380671234567', deviceType: 'Fridge', problem: 'x', scheduledAt: '0000-06-01T10:00:00Z' });
  assert.equal(r.status, 422, r.text);
  assert.equal(errorOf(r).field, 'scheduledAt');
  assert.equal(tickets(), before, 'nothing written');
});

test('a mutation without application/json → 415', async () => {
  const r = await admin.req('POST', '/api/users', { raw: 'username=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(r.status, 415);
  assert.equal(errorOf(r).code, 'unsupported_media_type');
  const none = await admin.req('POST', '/api/users', { raw: '{}' });
  assert.equal(none.status, 415);
});

test('a body over 1 MiB → 413 JSON', async () => {
  const raw = JSON.stringify({ username: 'x', fullName: 'y'.repeat(1024 * 1024 + 10) });
  const r = await admin.req('POST', '/api/users', { raw, headers: { 'content-type': 'application/json' } });
  assert.equal(r.status, 413);
  assert.equal(errorOf(r).code, 'too_large');
});

test('unknown endpoint → 404, wrong method → 405 with Allow', async () => {
  const r = await admin.get('/api/nothing-here');
  assert.equal(r.status, 404);
  assert.equal(errorOf(r).code, 'not_found');
  const m = await admin.req('PUT', '/api/users', { body: {} });
  assert.equal(m.status, 405);
  assert.equal(errorOf(m).code, 'method_not_allowed');
  assert.equal(m.headers.get('allow'), 'GET, POST');
});

test('a named path beside an {id} route answers 405 for other methods, never 404', async () => {
  for (const [method, path, allow] of [['GET', '/api/calls/outgoing', 'POST'], ['PATCH', '/api/tickets/export.csv', 'GET'],
    ['PUT', '/api/calls/incoming', 'GET, POST']]) {
    for (const who of [admin, new Client(stack.base)]) {
      const r = await who.req(method, path, { body: method === 'GET' ? undefined : {} });
      assert.equal(r.status, 405, `${method} ${path}`);
      assert.equal(errorOf(r).code, 'method_not_allowed');
      assert.equal(r.headers.get('allow'), allow, `${method} ${path}`);
    }
  }
  const one = await admin.get('/api/tickets/999999999');
  assert.equal(one.status, 404); // still the {id} route: no such ticket
  assert.equal(errorOf(one).code, 'not_found');
});

// The router checks every id against its route's type ({id:int}: a positive bigint written
// without a leading zero; {id:uuid}: lowercase 8-4-4-4-12): one 404, after the access rule.
test('an id of the wrong form is the same 404 on every id route, after the access rule; nothing changes', async () => {
  const operator = await signedIn(stack.base, 'operator');
  const t = await createTicket(operator);
  const me = admin.user.id;
  const ints = ['abc', '0', '007', `0${t.id}`, '-1', '+1', '1.5', '1e3', '9223372036854775808', '12345678901234567890'];
  const uuids = ['abc', '12', me.toUpperCase(), me.replaceAll('-', ''), `${me}0`, `{${me}}`];
  const routes = [
    ['GET', '/api/tickets/{id}', ints], ['PATCH', '/api/tickets/{id}', ints, { status: 'cancelled', version: 1 }],
    ['DELETE', '/api/blacklist/{id}', ints], ['GET', '/api/calls/{id}', ints], ['GET', '/api/calls/{id}/recording', ints],
    ['GET', '/api/users/{id}', uuids], ['PATCH', '/api/users/{id}', uuids, { active: false }], ['DELETE', '/api/users/{id}', uuids],
  ];
  const before = stack.sql('SELECT (SELECT count(*) FROM ticket_history), (SELECT count(*) FROM users WHERE active), (SELECT count(*) FROM blacklist)');
  let first;
  for (const [method, pattern, ids, body] of routes) {
    for (const id of ids) {
      const p = pattern.replace('{id}', encodeURIComponent(id));
      const r = await admin.req(method, p, { body });
      assert.equal(r.status, 404, `${method} ${p}: ${r.text}`);
      first ??= r.body;
      assert.deepEqual(r.body, first, `${method} ${p}: the same answer everywhere`);
    }
    const p = pattern.replace('{id}', 'abc');
    assert.equal((await new Client(stack.base).req(method, p, { body })).status, 401, `anonymous ${method} ${p}`);
  }
  assert.equal(first.error.code, 'not_found');
  assert.equal((await operator.get('/api/users/abc')).status, 403, 'a role the route refuses learns nothing more');
  assert.deepEqual(stack.sql('SELECT (SELECT count(*) FROM ticket_history), (SELECT count(*) FROM users WHERE active), (SELECT count(*) FROM blacklist)'), before);
  assert.equal((await admin.get('/api/auth/me')).status, 200, 'the admin was not deactivated by an id in capitals');
  // The right form still reaches the handler; another method on the same shape is still a 405.
  assert.equal((await admin.get(`/api/tickets/${t.id}`)).status, 200);
  const m = await admin.del('/api/tickets/abc');
  assert.equal(m.status, 405);
  assert.equal(m.headers.get('allow'), 'GET, PATCH');
});

test('every answer carries X-Request-Id, errors and static files included', async () => {
  const bare = await fetch(`${stack.base}/api`, { redirect: 'manual' });
  assert.equal(bare.status, 404, '/api alone is an unknown endpoint, not a redirect');
  assert.equal((await bare.json()).error.code, 'not_found');
  assert.match(bare.headers.get('x-request-id') ?? '', /^[0-9a-f]{16,}$/);
  for (const path of ['/api/health', '/api/nothing', '/api/auth/me', '/api', '/', '/tickets/12', '/assets/none.js']) {
    const r = await new Client(stack.base).get(path);
    assert.match(r.headers.get('x-request-id') ?? '', /^[0-9a-f]{16,}$/, path);
  }
});

test('Idempotency-Key replays the first answer and creates nothing new', async () => {
  const body = { username: `idem${Date.now()}`, password: 'secret-pass-1', fullName: 'Once', role: 'operator' };
  const headers = { 'idempotency-key': `k-${Date.now()}` };
  const a = await admin.post('/api/users', body, { headers });
  const b = await admin.post('/api/users', body, { headers });
  assert.equal(a.status, 201);
  assert.equal(b.status, 201);
  assert.deepEqual(b.body, a.body);
  assert.equal(b.headers.get('idempotent-replayed'), 'true');
  const c = await admin.post('/api/users', { ...body, fullName: 'Different' }, { headers });
  assert.equal(c.status, 422);
  assert.equal(errorOf(c).code, 'idempotency_mismatch');
  assert.equal(stack.sql(`SELECT count(*) FROM users WHERE username = '${body.username}'`)[0][0], '1');
});

test('a refused first attempt is the first answer too: the key cannot create with another body', async () => {
  const headers = { 'idempotency-key': `k-bad-${Date.now()}` };
  const good = { username: `idem-bad${Date.now()}`, password: 'secret-pass-1', fullName: 'Later', role: 'operator' };
  const { fullName, ...missing } = good;
  const a = await admin.post('/api/users', missing, { headers });
  assert.equal(a.status, 422);
  assert.equal(errorOf(a).field, 'fullName', fullName);
  const again = await admin.post('/api/users', missing, { headers });
  assert.equal(again.status, 422);
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.deepEqual(again.body, a.body);
  const fixed = await admin.post('/api/users', good, { headers });
  assert.equal(fixed.status, 422);
  assert.equal(errorOf(fixed).code, 'idempotency_mismatch');
  assert.equal(stack.sql(`SELECT count(*) FROM users WHERE username = '${good.username}'`)[0][0], '0');
  const fresh = await admin.post('/api/users', good, { headers: { 'idempotency-key': `${headers['idempotency-key']}-2` } });
  assert.equal(fresh.status, 201, 'a new key runs the request');
});

test('config tells the UI which integrations are on, never a secret', async () => {
  const r = await admin.get('/api/config');
  assert.equal(r.status, 200);
  assert.equal(r.body.integrations.zadarma.enabled, false);
  assert.equal(r.body.integrations.telegram.enabled, false);
  assert.equal(r.body.integrations.twilio.enabled, false);
  assert.equal(typeof r.body.version, 'string');
  assert.equal((await new Client(stack.base).get('/api/config')).status, 401);
});

test('metrics: Prometheus text for the bearer token or an admin; not for the peer address', async () => {
  const anon = new Client(stack.base); // on loopback, as a proxy on the same host would be
  const r = await anon.get('/api/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  assert.equal(r.status, 200);
  assert.match(r.text, /brando_requests_total\{route="\/api\/health",status="200"\} \d+/);
  assert.match(r.text, /brando_request_duration_seconds_bucket\{le="\+Inf"\} \d+/);
  assert.match(r.text, /brando_outbox_backlog\{status="pending"\} 0/);
  assert.equal((await admin.get('/api/metrics')).status, 200);
  assert.equal(errorOf(await anon.get('/api/metrics')).code, 'unauthenticated');
  for (const bad of [`Bearer ${METRICS_TOKEN}x`, `Bearer ${METRICS_TOKEN.slice(1)}`, 'Bearer ', 'Basic eDp5']) {
    const refused = await anon.get('/api/metrics', { headers: { authorization: bad } });
    assert.equal(refused.status, 401, bad);
    assert.doesNotMatch(refused.text, /brando_requests_total/);
  }
  const operator = await signedIn(stack.base, 'operator');
  assert.equal((await operator.get('/api/metrics')).status, 403);
});

// /api/metrics has its own rule in the route table: an admin session, or a trusted caller (the
// bearer token) without one. These requests go straight to brando-fcgi's FastCGI socket with
// the peer address they name: no address is trusted, loopback included.
test('metrics: any peer needs an admin session or the token; labels keep their {id}', async () => {
  const sock = path.join(stack.dir, 'run', 'fcgi.sock');
  const peer = { REMOTE_ADDR: '203.0.113.9' };
  const operator = await signedIn(stack.base, 'operator');
  const anonymous = await fcgiGet(sock, '/api/metrics', peer);
  assert.equal(anonymous.status, 401);
  assert.equal(JSON.parse(anonymous.body).error.code, 'unauthenticated');
  const op = await fcgiGet(sock, '/api/metrics', { ...peer, HTTP_COOKIE: operator.cookieHeader() });
  assert.equal(op.status, 403);
  assert.equal(JSON.parse(op.body).error.code, 'forbidden');
  await admin.get('/api/tickets/1');
  const adm = await fcgiGet(sock, '/api/metrics', { ...peer, HTTP_COOKIE: admin.cookieHeader() });
  assert.equal(adm.status, 200, adm.body);
  assert.match(adm.body, /brando_requests_total\{route="\/api\/tickets\/\{id\}",status="\d+"\} \d+/);
  for (const local of ['127.0.0.1', '127.1.2.3', '::1']) {
    assert.equal((await fcgiGet(sock, '/api/metrics', { REMOTE_ADDR: local })).status, 401, local);
    assert.equal((await fcgiGet(sock, '/api/metrics', { REMOTE_ADDR: local, HTTP_X_REAL_IP: local })).status, 401, local);
  }
  assert.equal((await fcgiGet(sock, '/api/metrics', { ...peer, HTTP_AUTHORIZATION: `Bearer ${METRICS_TOKEN}` })).status, 200);
});

test('the SPA is served with index.html revalidated', async () => {
  const r = await fetch(stack.base + '/');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('cache-control') ?? '', /no-cache/);
  assert.match(await r.text(), /<html/i);
});
