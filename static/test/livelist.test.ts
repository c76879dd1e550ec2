// Unit tests for the paged live list's steps: upserts in place, stale answers dropped, next
// pages appended, and live items that arrive during a first page's fetch applied on top of it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arrived, begin, emptyList, failed, landed, upsert, type ListRules, type ListState } from '../src/lib/livelist';

interface Row { id: number; at: string; version: number; status: string }
const row = (id: number, over: Partial<Row> = {}): Row => ({ id, at: `2026-11-24T09:0${id}:00Z`, version: 1, status: 'open', ...over });
const time = (r: Row) => r.at;
const rules: ListRules<Row> = { time, matches: (r) => r.status !== 'closed', outdated: (live, cur) => cur.version >= live.version };
const page = (items: Row[], nextCursor: string | null = null) => ({ items, nextCursor });
const ids = (s: ListState<Row>) => s.items.map((r) => r.id);

test('upsert keeps newest first, replaces in place, drops what stopped matching', () => {
  const a = row(1), b = row(2), c = row(3);
  let list = [b, a];
  list = upsert(list, c, true, time);
  assert.deepEqual(list.map((x) => x.id), [3, 2, 1]);
  list = upsert(list, { ...a, status: 'x' }, true, time);
  assert.equal(list[2].status, 'x');
  assert.equal(upsert(list, row(9), false, time), list);
  list = upsert(list, b, false, time);
  assert.deepEqual(list.map((x) => x.id), [3, 1]);
  assert.deepEqual(upsert([c, a], row(2), true, time).map((x) => x.id), [3, 2, 1]);
  assert.deepEqual(upsert([row(4, { at: c.at })], c, true, time).map((x) => x.id), [4, 3], 'same time: the higher id first');
});

test('a first page replaces the list; the next page adds only what the list lacks', () => {
  let s = begin(emptyList<Row>(), 1, true);
  assert.equal(s.loading, true);
  s = landed(s, 1, true, page([row(5), row(4)], 'c1'), rules);
  assert.deepEqual(ids(s), [5, 4]);
  assert.equal(s.cursor, 'c1');
  assert.equal(s.loading, false);
  s = begin(s, 2, false);
  assert.deepEqual(ids(s), [5, 4], 'the list stays while the next page loads');
  s = landed(s, 2, false, page([row(4, { version: 0 }), row(3), row(2)], null), rules);
  assert.deepEqual(ids(s), [5, 4, 3, 2]);
  assert.equal(s.items[1].version, 1, 'the row shown is kept');
  assert.equal(s.cursor, null);
});

test('an answer for an older load is dropped, whichever order they land in', () => {
  let s = begin(emptyList<Row>(), 1, true);   // filters A
  s = begin(s, 2, true);                       // filters B, before A answered
  s = landed(s, 2, true, page([row(2)]), rules);
  const after = landed(s, 1, true, page([row(1)], 'old'), rules);
  assert.equal(after, s, 'A\'s late answer changes nothing');
  assert.deepEqual(ids(after), [2]);
  assert.equal(failed(s, 1, new Error('aborted')), s, 'nor does its failure');
  let t = begin(emptyList<Row>(), 1, true);
  t = begin(t, 2, true);
  t = landed(t, 1, true, page([row(1)]), rules);
  assert.equal(t.loading, true, 'B is still loading');
  assert.deepEqual(ids(t), []);
});

test('a failure keeps the list and says why; the next load clears it', () => {
  let s = landed(begin(emptyList<Row>(), 1, true), 1, true, page([row(1)], 'c'), rules);
  s = failed(begin(s, 2, false), 2, new Error('down'));
  assert.deepEqual(ids(s), [1]);
  assert.equal((s.error as Error).message, 'down');
  assert.equal(s.loading, false);
  assert.equal(begin(s, 3, false).error, null);
});

test('live items: inserted, updated by id, removed when they stop matching, older copies ignored', () => {
  let s = landed(begin(emptyList<Row>(), 1, true), 1, true, page([row(3, { version: 2 }), row(1)]), rules);
  s = arrived(s, row(2), rules);
  assert.deepEqual(ids(s), [3, 2, 1]);
  s = arrived(s, row(3, { version: 1, status: 'stale' }), rules);
  assert.equal(s.items[0].status, 'open', 'an event older than the row is ignored');
  s = arrived(s, row(1, { version: 2, status: 'closed' }), rules);
  assert.deepEqual(ids(s), [3, 2]);
  s = arrived(s, row(9, { status: 'closed' }), rules);
  assert.deepEqual(ids(s), [3, 2], 'a non-matching newcomer stays out');
  assert.equal(s.pending, null, 'nothing is kept when no first page is on its way');
});

test('live items that arrive during a first page\'s fetch survive the older page', () => {
  let s = begin(emptyList<Row>(), 1, true);
  const created = row(4), stale = row(3, { version: 1, status: 'old' }), newer = row(2, { version: 5, status: 'new' });
  s = arrived(s, created, rules);
  s = arrived(s, stale, rules);
  s = arrived(s, newer, rules);
  assert.deepEqual(ids(s), [4, 3, 2], 'shown at once, while the list loads');
  s = landed(s, 1, true, page([row(3, { version: 2 }), row(2)]), rules);
  assert.deepEqual(s.items.map((r) => [r.id, r.version, r.status]), [[4, 1, 'open'], [3, 2, 'open'], [2, 5, 'new']]);
  assert.equal(s.pending, null);
  let c = begin(emptyList<Row>(), 1, true);
  c = arrived(c, row(3, { version: 3, status: 'closed' }), rules);
  c = landed(c, 1, true, page([row(3, { version: 2 }), row(2)]), rules);
  assert.deepEqual(ids(c), [2], 'a newer event that no longer matches removes the row');
});

test('without a version rule, live items apply in arrival order (the last is the newest state)', () => {
  const calls: ListRules<Row> = { time, matches: (r) => r.status !== 'closed' };
  let s = begin(emptyList<Row>(), 1, true);
  s = arrived(s, row(1, { status: 'ringing' }), calls);
  s = arrived(s, row(1, { status: 'answered' }), calls);
  s = landed(s, 1, true, page([row(1, { status: 'ringing' })]), calls);
  assert.equal(s.items[0].status, 'answered');
});

test('a next page keeps no live items aside: the list already holds them', () => {
  let s = landed(begin(emptyList<Row>(), 1, true), 1, true, page([row(5)], 'c'), rules);
  s = begin(s, 2, false);
  s = arrived(s, row(6), rules);
  assert.equal(s.pending, null);
  s = landed(s, 2, false, page([row(4)]), rules);
  assert.deepEqual(ids(s), [6, 5, 4]);
});
