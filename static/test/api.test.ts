// Unit tests for the API client: query strings, Retry-After, headers, and the error shape.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Api, ApiError, parseRetryAfter, qs } from '../src/lib/api';

function fakeFetch(status: number, body: unknown, headers: Record<string, string> = {}) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fn = async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const text = body === undefined ? null : JSON.stringify(body);
    return new Response(status === 204 ? null : text, { status, headers: { 'Content-Type': 'application/json', ...headers } });
  };
  return { fn, calls };
}

test('qs leaves out empty values and encodes the rest', () => {
  assert.equal(qs({ a: '', b: null, c: undefined, d: false }), '');
  assert.equal(qs({ status: 'new,assigned', q: 'a b&c', fraud: true, limit: 50 }), '?status=new%2Cassigned&q=a%20b%26c&fraud=true&limit=50');
});

test('Retry-After in seconds or as an HTTP date becomes whole seconds', () => {
  assert.equal(parseRetryAfter('120'), 120);
  assert.equal(parseRetryAfter('0'), 1);
  assert.equal(parseRetryAfter(null), undefined);
  assert.equal(parseRetryAfter('soon'), undefined);
  const now = Date.parse('2026-11-24T10:00:00Z');
  assert.equal(parseRetryAfter('Tue, 24 Nov 2026 10:01:30 GMT', now), 90);
});

test('a POST sends JSON with its Idempotency-Key and returns the parsed body', async () => {
  const f = fakeFetch(201, { ticket: { id: 7 } });
  const api = new Api(f.fn);
  const r = await api.post<{ ticket: { id: number } }>('/api/tickets', { problem: 'x' }, { idempotencyKey: 'k1' });
  assert.equal(r.ticket.id, 7);
  const h = f.calls[0].init.headers as Record<string, string>;
  assert.equal(f.calls[0].init.method, 'POST');
  assert.equal(h['Content-Type'], 'application/json');
  assert.equal(h['Idempotency-Key'], 'k1');
  assert.equal(f.calls[0].init.body, '{"problem":"x"}');
});

test('a GET and a DELETE carry no body and no Content-Type; 204 answers null', async () => {
  const f = fakeFetch(204, undefined);
  const api = new Api(f.fn);
  assert.equal(await api.del('/api/users/1'), null);
  const h = f.calls[0].init.headers as Record<string, string>;
  assert.equal(h['Content-Type'], undefined);
  assert.equal(f.calls[0].init.body, undefined);
});

test('an error answer becomes ApiError with code, field and the wait', async () => {
  const api = new Api(fakeFetch(422, { error: { code: 'validation_failed', message: 'customerPhone is not a valid phone number', field: 'customerPhone' } }).fn);
  await assert.rejects(api.post('/api/tickets', {}), (e: unknown) => {
    assert.ok(e instanceof ApiError);
    assert.equal(e.status, 422);
    assert.equal(e.code, 'validation_failed');
    assert.equal(e.field, 'customerPhone');
    assert.match(e.message, /not a valid phone/);
    return true;
  });
  const throttled = new Api(fakeFetch(429, { error: { code: 'rate_limited', message: 'wait' } }, { 'Retry-After': '37' }).fn);
  await assert.rejects(throttled.post('/api/auth/login', {}), (e: unknown) => e instanceof ApiError && e.retryAfter === 37);
});

test('a body that is not JSON still gives an ApiError with the status', async () => {
  const api = new Api(async () => new Response('<html>bad gateway</html>', { status: 502 }));
  await assert.rejects(api.get('/api/x'), (e: unknown) => e instanceof ApiError && e.status === 502 && e.code === 'http_502');
});

test('401 signals a lost session, except for the login itself', async () => {
  let lost = 0;
  const api = new Api(fakeFetch(401, { error: { code: 'unauthenticated', message: 'sign in' } }).fn);
  api.onUnauthenticated = () => { lost++; };
  await assert.rejects(api.get('/api/tickets'));
  assert.equal(lost, 1);
  await assert.rejects(api.post('/api/auth/login', { username: 'a', password: 'b' }));
  assert.equal(lost, 1);
});
