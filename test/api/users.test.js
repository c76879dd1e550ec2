// Users and masters: admin-only management, role rules for every endpoint, validation.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client, errorOf, signedIn } from '../lib/client.js';
import { startStack } from '../lib/stack.js';

let stack, admin, operator, master, anon;
before(async () => {
  stack = await startStack();
  [admin, operator, master] = await Promise.all(['admin', 'operator', 'master'].map((r) => signedIn(stack.base, r)));
  anon = new Client(stack.base);
});
after(async () => { await stack?.stop(); });

const newUser = (over = {}) => ({
  username: `u${Date.now().toString(36)}${Math.floor(Math.random() * 1e6)}`,
  password: 'secret-pass-1', fullName: 'Test Person', role: 'operator', ...over,
});

describe('RBAC on every users endpoint', () => {
  const calls = (id) => [
    ['GET', '/api/users'], ['POST', '/api/users', newUser()], ['GET', `/api/users/${id}`],
    ['PATCH', `/api/users/${id}`, { fullName: 'X' }], ['DELETE', `/api/users/${id}`],
  ];
  test('anonymous → 401, master → 403, operator → 403 on all of them', async () => {
    const id = operator.user.id;
    for (const [method, path, body] of calls(id)) {
      const a = await anon.req(method, path, { body });
      assert.equal(a.status, 401, `${method} ${path} anonymous`);
      assert.equal(errorOf(a).code, 'unauthenticated');
      for (const c of [master, operator]) {
        const r = await c.req(method, path, { body });
        assert.equal(r.status, 403, `${method} ${path} as ${c.user.role}`);
        assert.equal(errorOf(r).code, 'forbidden');
      }
    }
    assert.equal(stack.sql(`SELECT count(*) FROM users`)[0][0], '3', 'nothing was created');
  });

  test('masters list: admin and operator yes, master no, anonymous no', async () => {
    for (const c of [admin, operator]) {
      const r = await c.get('/api/masters');
      assert.equal(r.status, 200);
      assert.ok(r.body.items.some((m) => m.username === 'master' && m.openTickets === 0));
      assert.ok(r.body.items.every((m) => m.role === 'master' && m.active));
    }
    assert.equal((await master.get('/api/masters')).status, 403);
    assert.equal((await anon.get('/api/masters')).status, 401);
  });
});

describe('admin manages users', () => {
  test('create → 201, then get, list by role, sign in as the new user', async () => {
    const body = newUser({ role: 'master', masterCode: `MC-${Date.now()}`, phone: '(067) 123-45-67', sipExtension: '105', telegramChatId: 123456789 });
    const r = await admin.post('/api/users', body);
    assert.equal(r.status, 201);
    const u = r.body.user;
    assert.match(u.id, /^[0-9a-f-]{36}$/);
    assert.equal(u.username, body.username);
    assert.equal(u.phone, '+380671234567', 'phones are stored normalized');
    assert.equal(u.telegramChatId, 123456789);
    assert.equal(u.active, true);
    assert.equal(u.password, undefined);
    assert.equal((await admin.get(`/api/users/${u.id}`)).body.user.username, body.username);
    const list = await admin.get('/api/users?role=master');
    assert.ok(list.body.items.some((x) => x.id === u.id));
    assert.ok(list.body.items.every((x) => x.role === 'master'));
    const c = new Client(stack.base);
    assert.equal((await c.post('/api/auth/login', { username: body.username, password: body.password })).status, 200);
    const hash = stack.sql(`SELECT password_hash FROM users WHERE id = '${u.id}'`)[0][0];
    assert.match(hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  test('duplicate username → 409 with the field; nothing changes', async () => {
    const r = await admin.post('/api/users', newUser({ username: 'operator' }));
    assert.equal(r.status, 409);
    assert.equal(errorOf(r).code, 'conflict');
    assert.equal(errorOf(r).field, 'username');
  });

  test('validation: required, enum, lengths, types, unknown fields, weak password', async () => {
    const cases = [
      [{ ...newUser(), role: 'boss' }, 'role'],
      [{ ...newUser(), fullName: '' }, 'fullName'],
      [{ ...newUser(), fullName: 'x'.repeat(201) }, 'fullName'],
      [{ ...newUser(), password: 'short' }, 'password'],
      [{ ...newUser(), username: 'Has Space' }, 'username'],
      [{ ...newUser(), telegramChatId: 'abc' }, 'telegramChatId'],
      [{ ...newUser(), phone: 'call me' }, 'phone'],
      [{ ...newUser(), isAdmin: true }, 'isAdmin'],
      [(({ role, ...rest }) => rest)(newUser()), 'role'],
    ];
    const before = stack.sql('SELECT count(*) FROM users')[0][0];
    for (const [body, field] of cases) {
      const r = await admin.post('/api/users', body);
      assert.equal(r.status, 422, `${field}: ${r.text}`);
      assert.equal(errorOf(r).code, 'validation_failed');
      assert.equal(errorOf(r).field, field);
    }
    assert.equal(stack.sql('SELECT count(*) FROM users')[0][0], before);
  });

  test('PATCH changes fields, password change ends that user\'s sessions', async () => {
    const body = newUser();
    const { user } = (await admin.post('/api/users', body)).body;
    const them = new Client(stack.base);
    await them.login(body.username, body.password);
    let r = await admin.patch(`/api/users/${user.id}`, { fullName: 'Renamed', sipExtension: '' });
    assert.equal(r.status, 200);
    assert.equal(r.body.user.fullName, 'Renamed');
    assert.equal(r.body.user.sipExtension, null);
    assert.equal((await them.get('/api/auth/me')).status, 200, 'a rename keeps sessions');
    r = await admin.patch(`/api/users/${user.id}`, { password: 'another-pass-2' });
    assert.equal(r.status, 200);
    assert.equal((await them.get('/api/auth/me')).status, 401, 'new password ends sessions');
    await them.login(body.username, 'another-pass-2');
    r = await admin.patch(`/api/users/${user.id}`, { role: null });
    assert.equal(r.status, 422);
    assert.equal(errorOf(r).field, 'role');
  });

  test('DELETE deactivates: history stays, sign-in and sessions stop', async () => {
    const body = newUser();
    const { user } = (await admin.post('/api/users', body)).body;
    const them = new Client(stack.base);
    await them.login(body.username, body.password);
    assert.equal((await admin.del(`/api/users/${user.id}`)).status, 204);
    assert.equal((await them.get('/api/auth/me')).status, 401);
    assert.equal((await new Client(stack.base).post('/api/auth/login', { username: body.username, password: body.password })).status, 401);
    const still = await admin.get(`/api/users/${user.id}`);
    assert.equal(still.status, 200);
    assert.equal(still.body.user.active, false);
  });

  test('an admin cannot deactivate or demote themselves', async () => {
    assert.equal((await admin.del(`/api/users/${admin.user.id}`)).status, 422);
    assert.equal((await admin.patch(`/api/users/${admin.user.id}`, { role: 'operator' })).status, 422);
    assert.equal((await admin.get('/api/auth/me')).body.user.role, 'admin');
  });

  test('unknown or malformed ids → 404', async () => {
    assert.equal((await admin.get('/api/users/00000000-0000-0000-0000-000000000000')).status, 404);
    assert.equal((await admin.get('/api/users/not-a-uuid')).status, 404);
    assert.equal((await admin.patch('/api/users/not-a-uuid', { fullName: 'x' })).status, 404);
  });

  test('every change writes a user.updated event for the live UI', async () => {
    const before = Number(stack.sql(`SELECT count(*) FROM events WHERE type = 'user.updated'`)[0][0]);
    const { user } = (await admin.post('/api/users', newUser())).body;
    await admin.patch(`/api/users/${user.id}`, { fullName: 'Evented' });
    const after = Number(stack.sql(`SELECT count(*) FROM events WHERE type = 'user.updated'`)[0][0]);
    assert.equal(after - before, 2);
    const [[name]] = stack.sql(`SELECT payload->'user'->>'fullName' FROM events ORDER BY id DESC LIMIT 1`);
    assert.equal(name, 'Evented');
  });

  test('pagination: limit and cursor walk the list without repeats', async () => {
    for (let i = 0; i < 5; i++) await admin.post('/api/users', newUser());
    const seen = [];
    let cursor = null;
    do {
      const r = await admin.get(`/api/users?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(r.status, 200);
      assert.ok(r.body.items.length <= 2);
      seen.push(...r.body.items.map((u) => u.id));
      cursor = r.body.nextCursor;
    } while (cursor);
    const total = Number(stack.sql('SELECT count(*) FROM users')[0][0]);
    assert.equal(seen.length, total);
    assert.equal(new Set(seen).size, total);
    assert.equal((await admin.get('/api/users?limit=0')).status, 422);
    assert.equal((await admin.get('/api/users?limit=201')).status, 422);
    assert.equal((await admin.get('/api/users?cursor=garbage')).status, 422);
  });
});
