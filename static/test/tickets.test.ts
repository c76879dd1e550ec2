// Unit tests for the ticket model: moves per role, live-update filtering, list upserts, diffs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { changedFields, draftBody, draftOf, EMPTY_FILTER, fromLocalInput, mapsHref, matchesFilter, mergeLive, nextStatuses, telHref, toLocalInput, upsert, type Ticket } from '../src/lib/tickets';

const tk = (over: Partial<Ticket> = {}): Ticket => ({
  id: 1, number: 'T-000001', status: 'new', priority: 'normal', customerName: 'Ivan Petrenko', customerPhone: '+380671234567',
  customerEmail: null, address: 'Khreshchatyk 1', city: 'Kyiv', deviceType: 'Washer', deviceBrand: 'Bosch', deviceModel: 'WAN28',
  serialNumber: null, problem: 'Leaks', notes: null, source: 'call', callId: null, masterId: null, masterName: null,
  scheduledAt: null, priceEstimate: null, finalAmount: null, paymentStatus: null, fraudScore: 0, fraudFlags: [],
  createdBy: null, createdAt: '2026-11-24T09:00:00Z', updatedAt: '2026-11-24T09:00:00Z', completedAt: null, version: 1, ...over,
});

test('moves: staff per the contract, masters only their own steps', () => {
  assert.deepEqual(nextStatuses({ status: 'new' }, 'operator'), ['assigned', 'cancelled']);
  assert.deepEqual(nextStatuses({ status: 'assigned' }, 'master'), ['accepted', 'new']);
  assert.deepEqual(nextStatuses({ status: 'accepted' }, 'master'), ['in_progress']);
  assert.deepEqual(nextStatuses({ status: 'in_progress' }, 'master'), ['completed']);
  assert.deepEqual(nextStatuses({ status: 'new' }, 'master'), []);
  assert.deepEqual(nextStatuses({ status: 'completed' }, 'admin'), []);
  assert.ok(nextStatuses({ status: 'in_progress' }, 'admin').includes('cancelled'));
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

test('upsert keeps newest first, replaces in place, drops what stopped matching', () => {
  const a = tk({ id: 1, createdAt: '2026-11-24T09:00:00Z' });
  const b = tk({ id: 2, createdAt: '2026-11-24T10:00:00Z' });
  const c = tk({ id: 3, createdAt: '2026-11-24T11:00:00Z' });
  let list = [b, a];
  list = upsert(list, c, true);
  assert.deepEqual(list.map((x) => x.id), [3, 2, 1]);
  list = upsert(list, { ...a, status: 'cancelled' }, true);
  assert.equal(list[2].status, 'cancelled');
  assert.equal(upsert(list, tk({ id: 9 }), false), list);
  list = upsert(list, b, false);
  assert.deepEqual(list.map((x) => x.id), [3, 1]);
  const mid = tk({ id: 4, createdAt: '2026-11-24T10:30:00Z' });
  assert.deepEqual(upsert([c, a], mid, true).map((x) => x.id), [3, 4, 1]);
});

test('mergeLive: events that came during the first page\'s fetch survive it, older ones do not win', () => {
  const page = [tk({ id: 3, createdAt: '2026-11-24T09:03:00Z', version: 2 }), tk({ id: 2, createdAt: '2026-11-24T09:02:00Z' })];
  const created = tk({ id: 4, createdAt: '2026-11-24T09:04:00Z' });
  const stale = tk({ id: 3, createdAt: '2026-11-24T09:03:00Z', version: 1, city: 'Old' });
  const newer = tk({ id: 2, createdAt: '2026-11-24T09:02:00Z', version: 5, city: 'Lviv' });
  const cancelled = tk({ id: 3, createdAt: '2026-11-24T09:03:00Z', version: 3, status: 'cancelled' });
  const open = (t: Ticket) => t.status !== 'cancelled';
  assert.deepEqual(mergeLive(page, [created, stale, newer], open).map((t) => [t.id, t.version, t.city]),
    [[4, 1, 'Kyiv'], [3, 2, 'Kyiv'], [2, 5, 'Lviv']]);
  assert.deepEqual(mergeLive(page, [cancelled], open).map((t) => t.id), [2], 'a newer event that no longer matches removes the row');
  assert.equal(mergeLive(page, [], open), page);
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
