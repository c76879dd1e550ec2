// Ticket changes: the status machine per role, master isolation, optimistic concurrency,
// history, events + NOTIFY, the Telegram outbox and the masters' open-ticket counts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client, errorOf, signedInAll } from '../lib/client.js';
import { connect } from '../lib/push.js';
import { startStack } from '../lib/stack.js';
import { createTicket, newMaster, newTicket, withoutMoves } from '../lib/tickets.js';

let stack, admin, operator, master, other;
before(async () => {
  stack = await startStack();
  ({ admin, operator, master } = await signedInAll(stack.base));
  other = await newMaster(admin, Client, { fullName: 'Other Master', telegramChatId: 555001 });
});
after(async () => { await stack?.stop(); });

const STATUSES = ['new', 'assigned', 'accepted', 'in_progress', 'completed', 'cancelled'];
const STAFF_MOVES = new Set(['new>assigned', 'assigned>accepted', 'accepted>in_progress', 'in_progress>completed',
  'assigned>new', 'new>cancelled', 'assigned>cancelled', 'accepted>cancelled', 'in_progress>cancelled']);
const MASTER_MOVES = new Set(['assigned>accepted', 'assigned>new', 'accepted>in_progress', 'in_progress>completed']);
const count = (table, where = 'true') => Number(stack.sql(`SELECT count(*) FROM ${table} WHERE ${where}`)[0][0]);

async function patchOk(client, t, body) {
  const r = await client.patch(`/api/tickets/${t.id}`, { version: t.version, ...body });
  assert.equal(r.status, 200, `${JSON.stringify(body)}: ${r.text}`);
  return r.body.ticket;
}

// A ticket of the demo master in the given status, moved there through the API.
async function ticketIn(status, assignTo = master) {
  if (status === 'new') return createTicket(operator);
  if (status === 'cancelled') return patchOk(operator, await ticketIn('assigned', assignTo), { status: 'cancelled' });
  let t = await createTicket(operator, { masterId: assignTo.user.id });
  for (const [next, extra] of [['accepted'], ['in_progress'], ['completed', { finalAmount: '900.00' }]]) {
    if (t.status === status) break;
    t = await patchOk(assignTo.client ?? assignTo, t, { status: next, ...extra });
  }
  assert.equal(t.status, status);
  return t;
}

// Try one move; a refusal must leave the ticket exactly as it was (same version: no history).
async function tryMove(client, t, to, extra = {}) {
  const r = await client.patch(`/api/tickets/${t.id}`, { status: to, version: t.version, ...extra });
  if (r.status !== 200) {
    assert.deepEqual(withoutMoves((await admin.get(`/api/tickets/${t.id}`)).body.ticket), withoutMoves(t), 'a refused move changes nothing');
  }
  return r;
}

describe('the status machine, every pair, per role', () => {
  for (const role of ['admin', 'operator']) {
    test(`${role}: the listed moves succeed, every other one is 422 invalid_transition`, async () => {
      const client = role === 'admin' ? admin : operator;
      for (const from of STATUSES) {
        for (const to of STATUSES.filter((s) => s !== from)) {
          const t = await ticketIn(from);
          const extra = { ...(to === 'assigned' ? { masterId: master.user.id } : {}), ...(to === 'completed' ? { finalAmount: '10.00' } : {}) };
          const r = await tryMove(client, t, to, extra);
          if (STAFF_MOVES.has(`${from}>${to}`)) {
            assert.equal(r.status, 200, `${from} → ${to}: ${r.text}`);
            assert.equal(r.body.ticket.status, to);
            assert.equal(r.body.ticket.version, t.version + 1);
          } else {
            assert.equal(r.status, 422, `${from} → ${to}: ${r.text}`);
            assert.equal(errorOf(r).code, 'invalid_transition', `${from} → ${to}`);
          }
        }
      }
    });
  }

  test('master: only their listed moves on their own tickets; the rest 422', async () => {
    for (const from of STATUSES.filter((s) => s !== 'new')) {
      for (const to of STATUSES.filter((s) => s !== from)) {
        const t = await ticketIn(from);
        const r = await tryMove(master, t, to, to === 'completed' ? { finalAmount: '10.00' } : {});
        if (MASTER_MOVES.has(`${from}>${to}`)) {
          assert.equal(r.status, 200, `${from} → ${to}: ${r.text}`);
          assert.equal(r.body.ticket.status, to);
        } else {
          assert.equal(r.status, 422, `${from} → ${to}: ${r.text}`);
          assert.equal(errorOf(r).code, 'invalid_transition', `${from} → ${to}`);
        }
      }
    }
  });
});

describe('masters see and change only their own tickets', () => {
  test("another master's ticket is 404 to read and to change, and absent from lists", async () => {
    const theirs = await ticketIn('assigned', other);
    const unassigned = await createTicket(operator);
    for (const t of [theirs, unassigned]) {
      assert.equal((await master.get(`/api/tickets/${t.id}`)).status, 404);
      const r = await master.patch(`/api/tickets/${t.id}`, { status: 'accepted', version: t.version });
      assert.equal(r.status, 404);
      assert.equal(errorOf(r).code, 'not_found');
    }
    assert.equal(stack.sql(`SELECT status FROM tickets WHERE id = ${theirs.id}`)[0][0], 'assigned');
    const mine = await ticketIn('assigned');
    const list = await master.get('/api/tickets?limit=200');
    assert.equal(list.status, 200);
    assert.ok(list.body.items.some((x) => x.id === mine.id));
    assert.ok(list.body.items.every((x) => x.masterId === master.user.id));
    const spying = await master.get(`/api/tickets?masterId=${other.user.id}`);
    assert.deepEqual(spying.body.items, []);
    assert.equal((await other.client.get(`/api/tickets/${theirs.id}`)).status, 200);
  });

  test('declining (assigned → new) clears the master; the ticket is then gone for them', async () => {
    const t = await ticketIn('assigned');
    const back = await patchOk(master, t, { status: 'new' });
    assert.equal(back.status, 'new');
    assert.equal(back.masterId, null);
    assert.equal(back.masterName, null);
    assert.equal((await master.get(`/api/tickets/${t.id}`)).status, 404);
  });

  test('a master may change status and completion fields only (others → 403)', async () => {
    const t = await ticketIn('in_progress');
    for (const body of [{ priority: 'urgent' }, { customerName: 'X' }, { masterId: other.user.id }, { address: 'Y' }]) {
      const r = await master.patch(`/api/tickets/${t.id}`, { version: t.version, ...body });
      assert.equal(r.status, 403, JSON.stringify(body));
      assert.equal(errorOf(r).code, 'forbidden');
    }
    const done = await patchOk(master, t, { status: 'completed', finalAmount: 1500.5, paymentStatus: 'paid', notes: 'replaced the pump' });
    assert.equal(done.finalAmount, '1500.50');
    assert.equal(done.paymentStatus, 'paid');
    assert.equal(done.notes, 'replaced the pump');
    assert.match(done.completedAt, /^\d{4}-\d\d-\d\dT/);
  });

  test('completing needs finalAmount (sent now or recorded before)', async () => {
    const t = await ticketIn('in_progress');
    const r = await master.patch(`/api/tickets/${t.id}`, { status: 'completed', version: t.version });
    assert.equal(r.status, 422);
    assert.equal(errorOf(r).field, 'finalAmount');
    const cleared = await master.patch(`/api/tickets/${t.id}`, { status: 'completed', finalAmount: null, version: t.version });
    assert.equal(cleared.status, 422);
    assert.equal(errorOf(cleared).field, 'finalAmount');
    const priced = await patchOk(master, t, { finalAmount: '700.00' });
    assert.equal(priced.completedAt, null);
    const done = await patchOk(master, priced, { status: 'completed' });
    assert.equal(done.finalAmount, '700.00');
    assert.ok(done.completedAt);
    const unpriced = await master.patch(`/api/tickets/${t.id}`, { finalAmount: null, version: done.version });
    assert.equal(unpriced.status, 422);
    assert.equal(errorOf(unpriced).field, 'finalAmount');
    assert.equal((await patchOk(master, done, { notes: 'paid in cash' })).notes, 'paid in cash');
  });
});

describe('assigning', () => {
  test('setting masterId on a new ticket assigns it; null on an assigned one unassigns it', async () => {
    const t = await createTicket(operator);
    const a = await patchOk(operator, t, { masterId: master.user.id });
    assert.equal(a.status, 'assigned');
    assert.equal(a.masterName, 'Demo Master');
    const re = await patchOk(operator, a, { masterId: other.user.id });
    assert.equal(re.status, 'assigned');
    assert.equal(re.masterId, other.user.id);
    const un = await patchOk(operator, re, { masterId: null });
    assert.equal(un.status, 'new');
    assert.equal(un.masterId, null);
  });

  test('assigning needs an active master; the master is fixed once accepted', async () => {
    const t = await createTicket(operator);
    for (const body of [{ status: 'assigned' }, { masterId: admin.user.id }, { masterId: '00000000-0000-0000-0000-000000000000' },
      { status: 'new', masterId: master.user.id }]) {
      const r = await operator.patch(`/api/tickets/${t.id}`, { version: t.version, ...body });
      assert.equal(r.status, 422, JSON.stringify(body));
      assert.equal(errorOf(r).field, 'masterId', JSON.stringify(body));
    }
    const { user: gone } = await newMaster(admin, Client);
    await admin.del(`/api/users/${gone.id}`);
    const r = await operator.patch(`/api/tickets/${t.id}`, { masterId: gone.id, version: t.version });
    assert.equal(r.status, 422);
    assert.equal(errorOf(r).field, 'masterId');
    const accepted = await ticketIn('accepted');
    const swap = await operator.patch(`/api/tickets/${accepted.id}`, { masterId: other.user.id, version: accepted.version });
    assert.equal(swap.status, 422);
    assert.equal(errorOf(swap).code, 'invalid_transition');
  });

  test('the Telegram outbox: one row when a master with a chat id gets the ticket', async () => {
    const before = count('outbox');
    const t = await createTicket(operator, { masterId: other.user.id, deviceType: 'Fridge <LG>' });
    const rows = stack.sql(`SELECT channel, recipient, payload->>'ticketId', payload->>'number', payload->>'text' FROM outbox WHERE id > (SELECT max(id) - 1 FROM outbox)`);
    assert.equal(count('outbox'), before + 1);
    const [[channel, recipient, ticketId, number, text]] = rows;
    assert.equal(channel, 'telegram');
    assert.equal(recipient, '555001');
    assert.equal(Number(ticketId), t.id);
    assert.equal(number, t.number);
    assert.ok(text.includes(t.number) && text.includes('Fridge &lt;LG&gt;'), text);
    // The demo master has no chat id: nothing to send. A refused change sends nothing.
    const u = await patchOk(operator, t, { masterId: master.user.id });
    assert.equal(count('outbox'), before + 1);
    assert.equal((await operator.patch(`/api/tickets/${u.id}`, { masterId: other.user.id, status: 'accepted', version: u.version })).status, 422);
    assert.equal(count('outbox'), before + 1);
    await patchOk(operator, u, { masterId: other.user.id });
    assert.equal(count('outbox'), before + 2);
  });

  test('GET /api/masters counts each master\'s open tickets', async () => {
    const { user, client } = await newMaster(admin, Client);
    const me = { user, client };
    const counted = async () => (await operator.get('/api/masters')).body.items.find((m) => m.id === user.id).openTickets;
    assert.equal(await counted(), 0);
    const a = await ticketIn('assigned', me);
    await ticketIn('in_progress', me);
    await ticketIn('completed', me);
    await ticketIn('cancelled', me);
    assert.equal(await counted(), 2);
    await patchOk(client, a, { status: 'new' });
    assert.equal(await counted(), 1);
  });
});

describe('optimistic concurrency', () => {
  test('missing version → 422; stale version → 409; nothing changes', async () => {
    const t = await createTicket(operator);
    const missing = await operator.patch(`/api/tickets/${t.id}`, { notes: 'x' });
    assert.equal(missing.status, 422);
    assert.equal(errorOf(missing).field, 'version');
    for (const version of [0, 'one', 1.5, null]) {
      const r = await operator.patch(`/api/tickets/${t.id}`, { notes: 'x', version });
      assert.equal(r.status, 422, String(version));
    }
    await patchOk(operator, t, { notes: 'first' });
    const stale = await operator.patch(`/api/tickets/${t.id}`, { notes: 'second', version: 1 });
    assert.equal(stale.status, 409);
    assert.equal(errorOf(stale).code, 'conflict');
    const now = (await operator.get(`/api/tickets/${t.id}`)).body.ticket;
    assert.equal(now.notes, 'first');
    assert.equal(now.version, 2);
  });

  test('two concurrent PATCHes with the same version: exactly one 409', async () => {
    for (let round = 0; round < 5; round++) {
      const t = await createTicket(operator);
      const answers = await Promise.all([
        operator.patch(`/api/tickets/${t.id}`, { notes: 'from operator', version: 1 }),
        admin.patch(`/api/tickets/${t.id}`, { notes: 'from admin', version: 1 }),
      ]);
      assert.deepEqual(answers.map((a) => a.status).sort(), [200, 409], answers.map((a) => a.text).join('\n'));
      const winner = answers.find((a) => a.status === 200).body.ticket;
      const [[notes, version]] = stack.sql(`SELECT notes, version FROM tickets WHERE id = ${t.id}`);
      assert.equal(notes, winner.notes);
      assert.equal(version, '2');
      assert.equal(count('ticket_history', `ticket_id = ${t.id}`), 2);
    }
  });

  test('a PATCH that changes nothing keeps the version and writes no history', async () => {
    const t = await createTicket(operator, { notes: 'same' });
    const r = await patchOk(operator, t, { notes: 'same', customerPhone: t.customerPhone });
    assert.equal(r.version, 1);
    assert.equal(count('ticket_history', `ticket_id = ${t.id}`), 1);
  });
});

describe('history and live events', () => {
  test('each change writes a history row with who, what, from → to and the changed fields', async () => {
    let t = await createTicket(operator);
    t = await patchOk(operator, t, { masterId: master.user.id });
    t = await patchOk(master, t, { status: 'accepted' });
    t = await patchOk(operator, t, { priority: 'urgent', notes: 'VIP' });
    t = await patchOk(master, t, { status: 'in_progress' });
    t = await patchOk(master, t, { status: 'completed', finalAmount: '300' });
    const { history } = (await admin.get(`/api/tickets/${t.id}`)).body;
    assert.deepEqual(history.map((h) => [h.action, h.from, h.to, h.userId]), [
      ['created', null, 'new', operator.user.id],
      ['assigned', 'new', 'assigned', operator.user.id],
      ['status', 'assigned', 'accepted', master.user.id],
      ['updated', null, null, operator.user.id],
      ['status', 'accepted', 'in_progress', master.user.id],
      ['status', 'in_progress', 'completed', master.user.id],
    ]);
    assert.deepEqual(history[1].changes.masterId, { from: null, to: master.user.id });
    assert.deepEqual(history[3].changes, { priority: { from: 'normal', to: 'urgent' }, notes: { from: null, to: 'VIP' } });
    assert.deepEqual(history[5].changes.finalAmount, { from: null, to: '300.00' });
    assert.equal(history[5].changes.completedAt.from, null);
    assert.equal(history[2].userName, 'Demo Master');
  });

  test('every committed change: one events row that reaches a live client; a refused change: neither', async () => {
    const live = await connect(stack.base, admin);
    try {
      const start = Number(stack.sql('SELECT coalesce(max(id), 0) FROM events')[0][0]);
      const t = await createTicket(operator);
      const moved = await patchOk(operator, t, { masterId: master.user.id });
      // Refusals of every kind: bad move, stale version, bad value, master's field, isolation.
      assert.equal((await operator.patch(`/api/tickets/${t.id}`, { status: 'completed', version: moved.version })).status, 422);
      assert.equal((await operator.patch(`/api/tickets/${t.id}`, { notes: 'late', version: 1 })).status, 409);
      assert.equal((await operator.patch(`/api/tickets/${t.id}`, { priority: 'asap', version: moved.version })).status, 422);
      assert.equal((await master.patch(`/api/tickets/${t.id}`, { problem: 'x', version: moved.version })).status, 403);
      assert.equal((await other.client.patch(`/api/tickets/${t.id}`, { status: 'accepted', version: moved.version })).status, 404);
      assert.equal((await operator.post('/api/tickets', newTicket({ customerPhone: 'bad' }))).status, 422);
      const last = await patchOk(master, moved, { status: 'accepted' });
      const rows = stack.sql(`SELECT id, type, payload->'ticket'->>'id', payload->'ticket'->>'status', payload->'changes' FROM events WHERE id > ${start} ORDER BY id`);
      assert.deepEqual(rows.map((r) => [r[1], Number(r[2]), r[3]]), [
        ['ticket.created', t.id, 'new'], ['ticket.updated', t.id, 'assigned'], ['ticket.updated', t.id, 'accepted'],
      ]);
      assert.deepEqual(JSON.parse(rows[2][4]), { status: { from: 'assigned', to: 'accepted' } });
      assert.equal(last.version, 3);
      const ids = rows.map((r) => r[0]);
      await live.waitFor((c) => c.events.some((e) => e.id === Number(ids[2])));
      assert.deepEqual(live.events.filter((e) => e.id > start).map((e) => e.id), ids.map(Number),
        'each committed change live, once, in order; nothing for refusals');
      const [[audience]] = stack.sql(`SELECT audience::text FROM events WHERE id = ${ids[0]}`);
      assert.equal(audience, '{admin,operator}');
    } finally {
      await live.close();
    }
  });
});

describe('allowedTransitions and ticketMoves: the UI asks where a ticket may go', () => {
  // The contract's table, written out per reader (the every-pair test above proves each is accepted).
  const STAFF = {
    new: ['assigned', 'cancelled'], assigned: ['accepted', 'new', 'cancelled'], accepted: ['in_progress', 'cancelled'],
    in_progress: ['completed', 'cancelled'], completed: [], cancelled: [],
  };
  const MASTER = { new: [], assigned: ['accepted', 'new'], accepted: ['in_progress'], in_progress: ['completed'], completed: [], cancelled: [] };

  test("GET /api/config carries the moves of the caller's role, for every status", async () => {
    for (const [client, moves] of [[admin, STAFF], [operator, STAFF], [master, MASTER]]) {
      const r = await client.get('/api/config');
      assert.equal(r.status, 200);
      assert.deepEqual(r.body.ticketMoves, moves);
    }
  });

  test('GET one and the list: staff see every listed move, the assigned master theirs, a closed ticket none', async () => {
    for (const status of STATUSES) {
      const t = await ticketIn(status);
      for (const [client, moves] of [[admin, STAFF], [operator, STAFF], [master, MASTER]]) {
        if (client === master && status === 'new') continue; // not theirs: 404, shown above
        const one = await client.get(`/api/tickets/${t.id}`);
        assert.equal(one.status, 200, one.text);
        assert.deepEqual(one.body.ticket.allowedTransitions, moves[status], `${status}, GET one`);
        const list = await client.get(`/api/tickets?q=${t.number}`);
        const item = list.body.items.find((x) => x.id === t.id);
        assert.deepEqual(item.allowedTransitions, moves[status], `${status}, list`);
      }
    }
  });

  test('POST and PATCH answers carry them for the user who sent the change', async () => {
    const fresh = await createTicket(operator);
    assert.deepEqual(fresh.allowedTransitions, ['assigned', 'cancelled']);
    const assigned = await createTicket(operator, { masterId: master.user.id });
    assert.deepEqual(assigned.allowedTransitions, ['accepted', 'new', 'cancelled']);
    const accepted = await patchOk(master, assigned, { status: 'accepted' });
    assert.deepEqual(accepted.allowedTransitions, ['in_progress']);
    const done = await patchOk(operator, await patchOk(master, accepted, { status: 'in_progress' }),
      { status: 'completed', finalAmount: '100.00' });
    assert.deepEqual(done.allowedTransitions, []);
    // Declined: the ticket is no longer the master's, so they may move it nowhere.
    const declined = await patchOk(master, await createTicket(operator, { masterId: master.user.id }), { status: 'new' });
    assert.equal(declined.masterId, null);
    assert.deepEqual(declined.allowedTransitions, []);
    // Another master's ticket in the admin's list: the admin's moves, not the master's.
    const theirs = await ticketIn('assigned', other);
    assert.deepEqual((await admin.get(`/api/tickets/${theirs.id}`)).body.ticket.allowedTransitions, STAFF.assigned);
  });

  test('events do not carry them: each client computes its own from ticketMoves', async () => {
    const live = await connect(stack.base, admin);
    try {
      const t = await createTicket(operator);
      await live.waitFor((c) => c.events.some((e) => e.data.ticket?.id === t.id));
      const ev = live.events.find((e) => e.data.ticket?.id === t.id);
      assert.equal('allowedTransitions' in ev.data.ticket, false);
      assert.deepEqual(ev.data.ticket, withoutMoves(t));
    } finally {
      await live.close();
    }
  });
});
