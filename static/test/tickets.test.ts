// Unit tests for the ticket model: the server's moves as the UI reads them, live-update
// filtering, diffs and links.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allowedMoves, canDispatch, changedFields, draftBody, draftOf, EMPTY_FILTER, fromLocalInput, mapsHref, matchesFilter, telHref, toLocalInput, withMoves, type Ticket, type TicketMoves } from '../src/lib/tickets';

const tk = (over: Partial<Ticket> = {}): Ticket => ({
  id: 1, number: 'T-000001', status: 'new', priority: 'normal', customerName: 'Ivan Petrenko', customerPhone: '+380671234567',
  customerEmail: null, address: 'Khreshchatyk 1', city: 'Kyiv', deviceType: 'Washer', deviceBrand: 'Bosch', deviceModel: 'WAN28',
  serialNumber: null, problem: 'Leaks', notes: null, source: 'call', callId: null, masterId: null, masterName: null,
  scheduledAt: null, priceEstimate: null, finalAmount: null, paymentStatus: null, fraudScore: 0, fraudFlags: [],
  createdBy: null, createdAt: '2026-11-24T09:00:00Z', updatedAt: '2026-11-24T09:00:00Z', completedAt: null, version: 1, ...over,
});

// The table GET /api/config sends as ticketMoves (an operator's, and a master's).
const STAFF: TicketMoves = { new: ['assigned', 'cancelled'], assigned: ['accepted', 'new', 'cancelled'], accepted: ['in_progress', 'cancelled'], in_progress: ['completed', 'cancelled'] };
const MASTER: TicketMoves = { assigned: ['accepted', 'new'], accepted: ['in_progress'], in_progress: ['completed'] };
const operator = { id: 'op1', role: 'operator' }, master = { id: 'm1', role: 'master' };

test('allowedMoves: the server\'s allowedTransitions as sent; absent means no actions', () => {
  assert.deepEqual(allowedMoves(tk({ allowedTransitions: ['in_progress', 'cancelled'] })), ['in_progress', 'cancelled']);
  assert.deepEqual(allowedMoves(tk({ allowedTransitions: [] })), []);
  assert.deepEqual(allowedMoves(tk()), [], 'an answer from before the contract extension');
  assert.deepEqual(allowedMoves({ allowedTransitions: null as any }), []);
});

test('withMoves: a live ticket gets the role\'s moves for its status; a master only on their own', () => {
  assert.deepEqual(withMoves(tk({ status: 'new' }), STAFF, operator).allowedTransitions, ['assigned', 'cancelled']);
  assert.deepEqual(withMoves(tk({ status: 'completed' }), STAFF, operator).allowedTransitions, []);
  const theirs = tk({ status: 'assigned', masterId: 'm1' }), others = tk({ status: 'assigned', masterId: 'm2' });
  assert.deepEqual(withMoves(theirs, MASTER, master).allowedTransitions, ['accepted', 'new']);
  assert.deepEqual(withMoves(others, MASTER, master).allowedTransitions, []);
  assert.deepEqual(withMoves(others, STAFF, operator).allowedTransitions, ['accepted', 'new', 'cancelled'], 'staff: whoever the master');
  assert.deepEqual(withMoves(tk({ status: 'new' }), undefined, operator).allowedTransitions, [], 'no table (older server): no actions');
  const sent = tk({ status: 'new', allowedTransitions: ['cancelled'] });
  assert.equal(withMoves(sent, STAFF, operator), sent, 'what the server sent wins');
  const live = tk({ status: 'accepted' });
  withMoves(live, STAFF, operator);
  assert.equal(live.allowedTransitions, undefined, 'the event\'s own object is left alone');
});

test('canDispatch: when the ticket may become assigned, or an assigned one may lose its master', () => {
  assert.ok(canDispatch({ status: 'new', allowedTransitions: ['assigned', 'cancelled'] }));
  assert.ok(canDispatch({ status: 'assigned', allowedTransitions: ['accepted', 'new', 'cancelled'] }));
  assert.ok(!canDispatch({ status: 'assigned', allowedTransitions: ['accepted'] }));
  assert.ok(!canDispatch({ status: 'accepted', allowedTransitions: ['in_progress', 'cancelled'] }));
  assert.ok(!canDispatch({ status: 'new' }), 'absent: no dispatch');
});

test('matchesFilter: status, master, fraud, dates and search (phone digits too)', () => {
  const t = tk({ status: 'assigned', masterId: 'm1', fraudScore: 60, fraudFlags: ['blacklisted'] });
  assert.ok(matchesFilter(t, EMPTY_FILTER));
  assert.ok(matchesFilter(t, { ...EMPTY_FILTER, status: ['new', 'assigned'] }));
  assert.ok(!matchesFilter(t, { ...EMPTY_FILTER, status: ['new'] }));
  assert.ok(!matchesFilter(t, { ...EMPTY_FILTER, masterId: 'm2' }));
  assert.ok(matchesFilter(t, { ...EMPTY_FILTER, fraud: true }));
  assert.ok(!matchesFilter(tk(), { ...EMPTY_FILTER, fraud: true }));
  assert.ok(matchesFilter(t, { ...EMPTY_FILTER, from: '2026-11-24T00:00:00Z', to: '2026-11-25T00:00:00Z' }));
  assert.ok(!matchesFilter(t, { ...EMPTY_FILTER, from: '2026-11-24T09:00:01Z' }));
  assert.ok(!matchesFilter(t, { ...EMPTY_FILTER, to: '2026-11-24T09:00:00Z' }));
  assert.ok(matchesFilter(t, { ...EMPTY_FILTER, q: 'bosch' }));
  assert.ok(matchesFilter(t, { ...EMPTY_FILTER, q: 't-000001' }));
  assert.ok(matchesFilter(t, { ...EMPTY_FILTER, q: '067 123' }));
  assert.ok(!matchesFilter(t, { ...EMPTY_FILTER, q: 'samsung' }));
});

test('draftBody: POST sends what is filled; PATCH only changes, "" as null', () => {
  const d = draftOf(null);
  d.customerName = ' Ivan ';
  d.problem = 'Leaks';
  assert.deepEqual(draftBody(d, null), { customerName: 'Ivan', problem: 'Leaks', priority: 'normal' });
  const base = draftOf(tk({ notes: 'call first' }));
  const edit = { ...base, city: 'Lviv', notes: '' };
  assert.deepEqual(draftBody(edit, base), { city: 'Lviv', notes: null });
  assert.deepEqual(changedFields(edit, base), ['city', 'notes']);
  assert.deepEqual(draftBody(base, base), {});
});

test('links: tel: keeps digits and +, maps searches address and city', () => {
  assert.equal(telHref('+380 (67) 123-45-67'), 'tel:+380671234567');
  assert.equal(telHref(null), '');
  assert.equal(mapsHref('Khreshchatyk 1', 'Kyiv'), 'https://www.google.com/maps/search/?api=1&query=Khreshchatyk%201%2C%20Kyiv');
  assert.equal(mapsHref('', null), '');
});

test('datetime-local values round-trip through ISO', () => {
  const iso = '2026-11-24T15:30:00.000Z';
  assert.equal(fromLocalInput(toLocalInput(iso)), iso);
  assert.equal(toLocalInput(''), '');
  assert.equal(fromLocalInput('nonsense'), '');
});
