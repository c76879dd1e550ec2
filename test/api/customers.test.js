// Customer lookup (the operator's screen pop): a phone's tickets newest first, blacklist state.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, errorOf, signedInAll } from '../lib/client.js';
import { startStack } from '../lib/stack.js';
import { createTicket, uniquePhone, withoutMoves } from '../lib/tickets.js';

let stack, admin, operator, master;
before(async () => {
  stack = await startStack();
  ({ admin, operator, master } = await signedInAll(stack.base));
});
after(async () => { await stack?.stop(); });

test('every format of a phone finds the same tickets, newest first', async () => {
  const made = [];
  for (const customerPhone of ['(097) 555-11-22', '+380975551122', '380 97 555 11 22']) {
    made.push(await createTicket(operator, { customerPhone }));
  }
  await createTicket(operator); // another customer
  for (const phone of ['0975551122', '+380 (97) 555-11-22', '00380975551122']) {
    const r = await operator.get(`/api/customers/lookup?phone=${encodeURIComponent(phone)}`);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(Object.keys(r.body).sort(), ['blacklisted', 'calls', 'phone', 'tickets']);
    assert.equal(r.body.phone, '+380975551122');
    assert.equal(r.body.blacklisted, false);
    assert.deepEqual(r.body.calls, []);
    assert.deepEqual(r.body.tickets.map((t) => t.id), made.map((t) => t.id).reverse());
    assert.deepEqual(r.body.tickets[0], withoutMoves(made[2]));
  }
});

test('blacklisted shows; an unknown phone has no tickets; at most 20 tickets', async () => {
  const phone = uniquePhone();
  assert.equal((await admin.post('/api/blacklist', { phone })).status, 201);
  let r = await admin.get(`/api/customers/lookup?phone=${encodeURIComponent(phone)}`);
  assert.equal(r.body.blacklisted, true);
  assert.deepEqual(r.body.tickets, []);
  const busy = uniquePhone();
  for (let i = 0; i < 22; i++) await createTicket(operator, { customerPhone: busy, address: `addr ${i}` });
  r = await operator.get(`/api/customers/lookup?phone=${encodeURIComponent(busy)}`);
  assert.equal(r.body.tickets.length, 20);
  const newest = stack.sql(`SELECT id FROM tickets WHERE customer_phone = '${busy}' ORDER BY created_at DESC, id DESC LIMIT 1`)[0][0];
  assert.equal(r.body.tickets[0].id, Number(newest));
});

test('a missing or invalid phone → 422 phone; masters 403, anonymous 401', async () => {
  for (const q of ['', '?phone=', '?phone=abc', '?phone=12']) {
    const r = await operator.get(`/api/customers/lookup${q}`);
    assert.equal(r.status, 422, q);
    assert.equal(errorOf(r).field, 'phone');
  }
  assert.equal((await master.get('/api/customers/lookup?phone=0975551122')).status, 403);
  assert.equal((await new Client(stack.base).get('/api/customers/lookup?phone=0975551122')).status, 401);
});
