// Unit tests for path matching.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { match, route } from '../src/lib/router';

test('patterns match whole paths and decode params', () => {
  assert.deepEqual(match('/tickets/:id', '/tickets/42'), { id: '42' });
  assert.deepEqual(match('/tickets/:id/edit', '/tickets/42/edit/'), { id: '42' });
  assert.equal(match('/tickets/:id', '/tickets'), null);
  assert.equal(match('/tickets/:id', '/calls/1'), null);
  assert.deepEqual(match('/x/:a', '/x/a%20b'), { a: 'a b' });
  assert.equal(match('/x/:a', '/x/%E0%A4%A'), null);
});

test('route picks the first pattern that fits', () => {
  const table: [string, string][] = [['/tickets/new', 'form'], ['/tickets/:id', 'detail']];
  assert.equal(route(table, '/tickets/new')?.value, 'form');
  assert.equal(route(table, '/tickets/7')?.params.id, '7');
  assert.equal(route(table, '/nope'), null);
});
