// Blacklist: admins list and unlist phones (normalized); operators read; tickets get flagged.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, errorOf, signedInAll } from '../lib/client.js';
import { startStack } from '../lib/stack.js';
import { createTicket, uniquePhone } from '../lib/tickets.js';

let stack, admin, operator, master, anon;
before(async () => {
  stack = await startStack();
  ({ admin, operator, master } = await signedInAll(stack.base));
  anon = new Client(stack.base);
});
after(async () => { await stack?.stop(); });

const entries = () => Number(stack.sql('SELECT count(*) FROM blacklist')[0][0]);

test('admin adds a phone typed any way → 201 {entry} with the normalized phone', async () => {
  const r = await admin.post('/api/blacklist', { phone: '(063) 765-43-21', reason: 'abusive caller' });
  assert.equal(r.status, 201, r.text);
  const e = r.body.entry;
  assert.deepEqual(Object.keys(e).sort(), ['createdAt', 'createdBy', 'id', 'phone', 'reason']);
  assert.equal(e.phone, '+380637654321');
  assert.equal(e.reason, 'abusive caller');
  assert.equal(e.createdBy, admin.user.id);
  assert.equal(r.headers.get('location'), `/api/blacklist/${e.id}`);
  const again = await admin.post('/api/blacklist', { phone: '380 63 765 43 21' });
  assert.equal(again.status, 409);
  assert.equal(errorOf(again).field, 'phone');
  assert.equal(stack.sql(`SELECT count(*) FROM blacklist WHERE phone = '+380637654321'`)[0][0], '1');
});

test('validation: phone required and valid, reason at most 500, no unknown fields', async () => {
  const before = entries();
  for (const [body, field] of [[{}, 'phone'], [{ phone: '' }, 'phone'], [{ phone: 'not a phone' }, 'phone'],
    [{ phone: '12' }, 'phone'], [{ phone: uniquePhone(), reason: 'r'.repeat(501) }, 'reason'],
    [{ phone: uniquePhone(), note: 'x' }, 'note'], [{ phone: 380501234567 }, 'phone']]) {
    const r = await admin.post('/api/blacklist', body);
    assert.equal(r.status, 422, JSON.stringify(body));
    assert.equal(errorOf(r).field, field);
  }
  assert.equal(entries(), before);
});

test('roles: operator reads only, master nothing, anonymous 401', async () => {
  const phone = uniquePhone();
  assert.equal((await operator.post('/api/blacklist', { phone })).status, 403);
  assert.equal((await master.post('/api/blacklist', { phone })).status, 403);
  assert.equal((await anon.post('/api/blacklist', { phone })).status, 401);
  assert.equal((await operator.get('/api/blacklist')).status, 200);
  assert.equal((await master.get('/api/blacklist')).status, 403);
  assert.equal((await anon.get('/api/blacklist')).status, 401);
  const { entry } = (await admin.post('/api/blacklist', { phone })).body;
  assert.equal((await operator.del(`/api/blacklist/${entry.id}`)).status, 403);
  assert.equal((await master.del(`/api/blacklist/${entry.id}`)).status, 403);
  assert.equal(stack.sql(`SELECT count(*) FROM blacklist WHERE id = ${entry.id}`)[0][0], '1');
});

test('list: newest first, paginated, filtered by phone in any format', async () => {
  const made = [];
  for (let i = 0; i < 5; i++) made.push((await admin.post('/api/blacklist', { phone: uniquePhone(), reason: `r${i}` })).body.entry);
  const seen = [];
  let cursor = null;
  do {
    const r = await operator.get(`/api/blacklist?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(r.status, 200);
    seen.push(...r.body.items.map((e) => e.id));
    cursor = r.body.nextCursor;
  } while (cursor);
  assert.equal(seen.length, entries());
  assert.equal(new Set(seen).size, seen.length);
  assert.deepEqual(seen.slice(0, 5), made.map((e) => e.id).reverse());
  const national = `0${made[2].phone.slice(4)}`;
  const one = await operator.get(`/api/blacklist?phone=${encodeURIComponent(national)}`);
  assert.deepEqual(one.body.items.map((e) => e.id), [made[2].id]);
  assert.equal((await operator.get('/api/blacklist?phone=nope')).status, 422);
});

test('delete → 204, then 404; an unlisted phone is no longer flagged', async () => {
  const phone = uniquePhone();
  const { entry } = (await admin.post('/api/blacklist', { phone })).body;
  assert.deepEqual((await createTicket(operator, { customerPhone: phone, address: 'A' })).fraudFlags, ['blacklisted']);
  assert.equal((await admin.del(`/api/blacklist/${entry.id}`)).status, 204);
  assert.equal((await admin.del(`/api/blacklist/${entry.id}`)).status, 404);
  assert.equal((await admin.del('/api/blacklist/abc')).status, 404);
  assert.equal((await admin.del('/api/blacklist/99999999999999999999')).status, 404);
  assert.ok(!(await createTicket(operator, { customerPhone: phone, address: 'B' })).fraudFlags.includes('blacklisted'));
});

test('Idempotency-Key on POST: the retry replays, one entry', async () => {
  const phone = uniquePhone();
  const headers = { 'Idempotency-Key': `bl-${Date.now()}` };
  const first = await admin.post('/api/blacklist', { phone }, { headers });
  const again = await admin.post('/api/blacklist', { phone }, { headers });
  assert.equal(first.status, 201);
  assert.equal(again.status, 201);
  assert.equal(again.body.entry.id, first.body.entry.id);
  assert.equal(stack.sql(`SELECT count(*) FROM blacklist WHERE phone = '${phone}'`)[0][0], '1');
});
