// Tickets: create, validation, phone formats, reading with history, idempotency, fraud rules.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, errorOf, signedInAll } from '../lib/client.js';
import { startStack } from '../lib/stack.js';
import { createTicket, newMaster, newTicket, uniquePhone } from '../lib/tickets.js';

let stack, admin, operator, master, anon;
before(async () => {
  stack = await startStack();
  ({ admin, operator, master } = await signedInAll(stack.base));
  anon = new Client(stack.base);
});
after(async () => { await stack?.stop(); });

const count = (table, where = 'true') => Number(stack.sql(`SELECT count(*) FROM ${table} WHERE ${where}`)[0][0]);

describe('creating a ticket', () => {
  test('operator creates → 201 with the whole contract object, a number and version 1', async () => {
    // callId must name a real call (foreign key from the calls migration)
    const callId = Number(stack.sql(`INSERT INTO calls (pbx_call_id) VALUES ('tickets-test') RETURNING id`)[0][0]);
    const body = newTicket({
      customerEmail: 'olena@example.com', city: 'Kyiv', deviceBrand: 'Bosch', deviceModel: 'WAN28',
      serialNumber: 'SN-1', notes: 'call before', priority: 'high', source: 'call', callId,
      scheduledAt: '2026-12-01T10:00:00Z', priceEstimate: 1250, paymentStatus: 'unpaid',
    });
    const r = await operator.post('/api/tickets', body);
    assert.equal(r.status, 201, r.text);
    const t = r.body.ticket;
    assert.deepEqual(Object.keys(t).sort(), ['address', 'allowedTransitions', 'callId', 'city', 'completedAt', 'createdAt', 'createdBy',
      'customerEmail', 'customerName', 'customerPhone', 'deviceBrand', 'deviceModel', 'deviceType', 'finalAmount',
      'fraudFlags', 'fraudScore', 'id', 'masterId', 'masterName', 'notes', 'number', 'paymentStatus',
      'priceEstimate', 'priority', 'problem', 'scheduledAt', 'serialNumber', 'source', 'status', 'updatedAt',
      'version'].sort());
    assert.equal(typeof t.id, 'number');
    assert.match(t.number, /^T-\d{6}$/);
    assert.equal(t.number, `T-${String(Number(stack.sql(`SELECT last_value FROM ticket_number_seq`)[0][0])).padStart(6, '0')}`);
    assert.equal(t.status, 'new');
    assert.equal(t.priority, 'high');
    assert.equal(t.source, 'call');
    assert.equal(t.callId, callId);
    assert.equal(t.priceEstimate, '1250.00');
    assert.equal(t.finalAmount, null);
    assert.equal(t.scheduledAt, '2026-12-01T10:00:00Z');
    assert.equal(t.createdBy, operator.user.id);
    assert.equal(t.masterId, null);
    assert.equal(t.version, 1);
    assert.equal(t.fraudScore, 0);
    assert.deepEqual(t.fraudFlags, []);
    assert.match(t.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  test('defaults: priority normal, source manual; empty optional strings are stored as null', async () => {
    const t = await createTicket(admin, { city: '', notes: '' });
    assert.equal(t.priority, 'normal');
    assert.equal(t.source, 'manual');
    assert.equal(t.city, null);
    assert.equal(t.notes, null);
  });

  test('created with a master: status assigned and masterName resolved', async () => {
    const t = await createTicket(operator, { masterId: master.user.id });
    assert.equal(t.status, 'assigned');
    assert.equal(t.masterId, master.user.id);
    assert.equal(t.masterName, 'Demo Master');
  });

  test('the three phone formats of one customer are stored as one number', async () => {
    const ids = [];
    for (const customerPhone of ['(067) 123-45-67', '+380671234567', '380 67 123 45 67']) {
      const t = await createTicket(operator, { customerPhone });
      assert.equal(t.customerPhone, '+380671234567', customerPhone);
      ids.push(t.id);
    }
    const lookup = await operator.get('/api/customers/lookup?phone=0671234567');
    assert.deepEqual(lookup.body.tickets.map((x) => x.id).filter((id) => ids.includes(id)).sort(), ids.sort());
  });

  test('validation: each bad field → 422 with that field, nothing stored', async () => {
    const without = (k) => { const b = newTicket(); delete b[k]; return b; };
    const cases = [
      [without('customerName'), 'customerName'], [without('customerPhone'), 'customerPhone'],
      [without('deviceType'), 'deviceType'], [without('problem'), 'problem'],
      [newTicket({ customerName: '' }), 'customerName'],
      [newTicket({ customerName: 'x'.repeat(201) }), 'customerName'],
      [newTicket({ problem: 'p'.repeat(5001) }), 'problem'],
      [newTicket({ notes: 'n'.repeat(5001) }), 'notes'],
      [newTicket({ address: 'a'.repeat(501) }), 'address'],
      [newTicket({ customerPhone: 'call me maybe' }), 'customerPhone'],
      [newTicket({ customerPhone: '123' }), 'customerPhone'],
      [newTicket({ customerEmail: 'not-an-email' }), 'customerEmail'],
      [newTicket({ customerEmail: 'a b@example.com' }), 'customerEmail'],
      [newTicket({ customerEmail: `${'e'.repeat(250)}@x.io` }), 'customerEmail'],
      [newTicket({ priority: 'asap' }), 'priority'],
      [newTicket({ source: 'fax' }), 'source'],
      [newTicket({ paymentStatus: 'maybe' }), 'paymentStatus'],
      [newTicket({ priceEstimate: -1 }), 'priceEstimate'],
      [newTicket({ priceEstimate: '10.555' }), 'priceEstimate'],
      [newTicket({ finalAmount: 'ten' }), 'finalAmount'],
      [newTicket({ scheduledAt: 'tomorrow' }), 'scheduledAt'],
      [newTicket({ scheduledAt: '2026-02-30' }), 'scheduledAt'],
      [newTicket({ callId: 'abc' }), 'callId'],
      [newTicket({ callId: 1.5 }), 'callId'],
      [newTicket({ masterId: 'not-a-uuid' }), 'masterId'],
      [newTicket({ masterId: admin.user.id }), 'masterId'],
      [newTicket({ status: 'completed' }), 'status'],
      [newTicket({ fraudScore: 0 }), 'fraudScore'],
    ];
    const tickets = count('tickets'), events = count('events'), history = count('ticket_history');
    for (const [body, field] of cases) {
      const r = await operator.post('/api/tickets', body);
      assert.equal(r.status, 422, `${field}: ${r.text}`);
      assert.equal(errorOf(r).code, 'validation_failed');
      assert.equal(errorOf(r).field, field, r.text);
    }
    assert.equal(count('tickets'), tickets);
    assert.equal(count('events'), events);
    assert.equal(count('ticket_history'), history);
  });

  test('an inactive master cannot be assigned', async () => {
    const { user } = await newMaster(admin, Client);
    assert.equal((await admin.del(`/api/users/${user.id}`)).status, 204);
    const r = await operator.post('/api/tickets', newTicket({ masterId: user.id }));
    assert.equal(r.status, 422);
    assert.equal(errorOf(r).field, 'masterId');
  });

  test('who may create: admin and operator yes, master 403, anonymous 401', async () => {
    assert.equal((await admin.post('/api/tickets', newTicket())).status, 201);
    const before = count('tickets');
    assert.equal((await master.post('/api/tickets', newTicket())).status, 403);
    assert.equal((await anon.post('/api/tickets', newTicket())).status, 401);
    assert.equal(count('tickets'), before);
  });

  test('Idempotency-Key: a retry returns the first answer and creates one ticket', async () => {
    const key = `idem-${Date.now()}`;
    const body = newTicket();
    const headers = { 'Idempotency-Key': key };
    const first = await operator.post('/api/tickets', body, { headers });
    assert.equal(first.status, 201);
    const again = await operator.post('/api/tickets', body, { headers });
    assert.equal(again.status, 201);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.equal(again.body.ticket.id, first.body.ticket.id);
    assert.equal(count('tickets', `customer_phone = '${body.customerPhone}'`), 1);
    assert.equal(count('events', `type = 'ticket.created' AND payload->'ticket'->>'id' = '${first.body.ticket.id}'`), 1);
    const other = await operator.post('/api/tickets', { ...body, problem: 'different' }, { headers });
    assert.equal(other.status, 422);
    assert.equal(errorOf(other).code, 'idempotency_mismatch');
    assert.equal(count('tickets', `customer_phone = '${body.customerPhone}'`), 1);
  });

  test('concurrent retries with one key wait for the first and replay its answer: one ticket', async () => {
    const body = newTicket();
    const headers = { 'Idempotency-Key': `race-${Date.now()}` };
    const answers = await Promise.all([1, 2, 3, 4].map(() => operator.post('/api/tickets', body, { headers })));
    assert.deepEqual(answers.map((a) => a.status), [201, 201, 201, 201], answers.map((a) => a.text).join('\n'));
    assert.equal(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true').length, 3);
    assert.equal(new Set(answers.map((a) => a.body.ticket.id)).size, 1);
    assert.equal(count('tickets', `customer_phone = '${body.customerPhone}'`), 1);
  });

  test('a key held by a request whose connection dies is free at once: the waiting retry runs', async () => {
    const key = `held-${Date.now()}`;
    const app = `idem-holder-${process.pid}`;
    // A worker mid-request: the key claimed in an open transaction.
    const holder = spawn('psql', ['-X', '-q', stack.databaseUrl], { stdio: ['pipe', 'ignore', 'ignore'], env: { ...process.env, PGAPPNAME: app } });
    const closed = new Promise((resolve) => holder.on('close', resolve));
    holder.stdin.write(`BEGIN; INSERT INTO idempotency_keys (user_id, key, request_hash) VALUES ('${operator.user.id}', '${key}', 'x');\n`);
    const idle = `SELECT count(*) FROM pg_stat_activity WHERE application_name = '${app}' AND state = 'idle in transaction'`;
    for (let i = 0; stack.sql(idle)[0][0] !== '1'; i++) {
      assert.ok(i < 200, 'the holder did not start');
      await sleep(25);
    }
    const body = newTicket();
    let answered = false;
    const retry = operator.post('/api/tickets', body, { headers: { 'Idempotency-Key': key } }).finally(() => { answered = true; });
    await sleep(700);
    assert.equal(answered, false, 'the retry waits on the key');
    holder.kill('SIGKILL'); // the worker dies: PostgreSQL rolls its transaction back
    await closed;
    const t0 = Date.now();
    const r = await retry;
    assert.equal(r.status, 201, r.text);
    assert.ok(Date.now() - t0 < 2000, `answered ${Date.now() - t0} ms after the holder died`);
    assert.equal(count('tickets', `customer_phone = '${body.customerPhone}'`), 1);
  });

  test('a key left unanswered by an older version (status NULL) is taken over, not refused', async () => {
    const key = `legacy-${Date.now()}`;
    stack.sql(`INSERT INTO idempotency_keys (user_id, key, request_hash) VALUES ('${operator.user.id}', '${key}', 'x')`);
    const r = await operator.post('/api/tickets', newTicket(), { headers: { 'Idempotency-Key': key } });
    assert.equal(r.status, 201, r.text);
    assert.equal(stack.sql(`SELECT status FROM idempotency_keys WHERE key = '${key}'`)[0][0], '201');
  });
});

describe('reading a ticket', () => {
  test('GET → {ticket, history}; unknown and malformed ids → 404', async () => {
    const t = await createTicket(operator);
    const r = await admin.get(`/api/tickets/${t.id}`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.ticket, t);
    assert.equal(r.body.history.length, 1);
    const [h] = r.body.history;
    assert.deepEqual(Object.keys(h).sort(), ['action', 'at', 'changes', 'from', 'to', 'userId', 'userName']);
    assert.equal(h.action, 'created');
    assert.equal(h.userId, operator.user.id);
    assert.equal(h.userName, 'Demo Operator');
    assert.equal(h.to, 'new');
    for (const id of ['999999999', 'abc', '0', '-1', '1.5', '12345678901234567890']) {
      const x = await admin.get(`/api/tickets/${id}`);
      assert.equal(x.status, 404, id);
      assert.equal(errorOf(x).code, 'not_found');
    }
  });

  test('anonymous → 401 on every ticket endpoint', async () => {
    for (const [m, p] of [['GET', '/api/tickets'], ['GET', '/api/tickets/1'], ['PATCH', '/api/tickets/1'],
      ['GET', '/api/tickets/export.csv'], ['GET', '/api/customers/lookup?phone=0671234567']]) {
      const r = await anon.req(m, p, { body: m === 'PATCH' ? { version: 1 } : undefined });
      assert.equal(r.status, 401, `${m} ${p}`);
    }
  });
});

describe('fraud rules (they warn, never block)', () => {
  test('blacklisted phone → flag blacklisted, 60 points', async () => {
    const phone = uniquePhone();
    assert.equal((await admin.post('/api/blacklist', { phone, reason: 'prank calls' })).status, 201);
    const t = await createTicket(operator, { customerPhone: phone });
    assert.deepEqual(t.fraudFlags, ['blacklisted']);
    assert.equal(t.fraudScore, 60);
  });

  test('two cancelled tickets in 90 days → repeated_cancellations on the third', async () => {
    const phone = uniquePhone();
    for (let i = 0; i < 2; i++) {
      const t = await createTicket(operator, { customerPhone: phone, address: `Lviv ${i}` });
      const r = await operator.patch(`/api/tickets/${t.id}`, { status: 'cancelled', version: t.version });
      assert.equal(r.status, 200, r.text);
    }
    const third = await createTicket(operator, { customerPhone: phone, address: 'Lviv 9' });
    assert.deepEqual(third.fraudFlags, ['repeated_cancellations']);
    assert.equal(third.fraudScore, 30);
    // Cancellations older than 90 days no longer count.
    stack.sql(`UPDATE tickets SET created_at = now() - interval '91 days' WHERE customer_phone = '${phone}' AND status = 'cancelled'`);
    const fourth = await createTicket(operator, { customerPhone: phone, address: 'Lviv 10' });
    assert.deepEqual(fourth.fraudFlags, []);
  });

  test('an open ticket for the same phone and address → duplicate_open_ticket', async () => {
    const phone = uniquePhone();
    const first = await createTicket(operator, { customerPhone: phone, address: 'Odesa, Derybasivska 5' });
    assert.deepEqual(first.fraudFlags, []);
    const dup = await createTicket(operator, { customerPhone: phone, address: '  odesa, derybasivska 5 ' });
    assert.deepEqual(dup.fraudFlags, ['duplicate_open_ticket']);
    assert.equal(dup.fraudScore, 25);
    const elsewhere = await createTicket(operator, { customerPhone: phone, address: 'Odesa, Pushkinska 1' });
    assert.ok(!elsewhere.fraudFlags.includes('duplicate_open_ticket'));
  });

  test('more than 3 tickets for the phone in 24 h → frequent_tickets on the fourth', async () => {
    const phone = uniquePhone();
    const made = [];
    for (let i = 0; i < 4; i++) made.push(await createTicket(operator, { customerPhone: phone, address: `Dnipro ${i}` }));
    assert.ok(made.slice(0, 3).every((t) => !t.fraudFlags.includes('frequent_tickets')));
    assert.deepEqual(made[3].fraudFlags, ['frequent_tickets']);
    assert.equal(made[3].fraudScore, 20);
  });

  test('all four rules at once: score capped at 100, every flag named', async () => {
    const phone = uniquePhone();
    for (let i = 0; i < 2; i++) {
      const t = await createTicket(operator, { customerPhone: phone, address: `Kharkiv ${i}` });
      await operator.patch(`/api/tickets/${t.id}`, { status: 'cancelled', version: t.version });
    }
    await createTicket(operator, { customerPhone: phone, address: 'Kharkiv 7' });
    assert.equal((await admin.post('/api/blacklist', { phone })).status, 201);
    const t = await createTicket(operator, { customerPhone: phone, address: 'Kharkiv 7' });
    assert.deepEqual([...t.fraudFlags].sort(), ['blacklisted', 'duplicate_open_ticket', 'frequent_tickets', 'repeated_cancellations']);
    assert.equal(t.fraudScore, 100);
    const listed = await operator.get(`/api/tickets?fraud=true&q=${encodeURIComponent(t.number)}`);
    assert.deepEqual(listed.body.items.map((x) => x.id), [t.id]);
  });

  test('changing the phone re-runs the rules; other changes do not', async () => {
    const listedPhone = uniquePhone();
    assert.equal((await admin.post('/api/blacklist', { phone: listedPhone })).status, 201);
    const t = await createTicket(operator);
    assert.equal(t.fraudScore, 0);
    let r = await operator.patch(`/api/tickets/${t.id}`, { customerPhone: listedPhone, version: 1 });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body.ticket.fraudFlags, ['blacklisted']);
    assert.equal(r.body.ticket.fraudScore, 60);
    r = await operator.patch(`/api/tickets/${t.id}`, { notes: 'still flagged', version: 2 });
    assert.deepEqual(r.body.ticket.fraudFlags, ['blacklisted']);
    r = await operator.patch(`/api/tickets/${t.id}`, { customerPhone: uniquePhone(), version: 3 });
    assert.deepEqual(r.body.ticket.fraudFlags, []);
    assert.equal(r.body.ticket.fraudScore, 0);
    r = await operator.patch(`/api/tickets/${t.id}`, { customerPhone: 'nope', version: 4 });
    assert.equal(r.status, 422);
    assert.equal(errorOf(r).field, 'customerPhone');
  });
});
