// valgrind: a worker serving a loop of every kind of request leaks nothing and touches no
// invalid memory (release build, 1 worker, full leak check at each process's exit).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Client, signedIn } from '../lib/client.js';
import { ROOT, startStack } from '../lib/stack.js';

let stack;
before(async () => {
  stack = await startStack({
    workers: 1,
    env: { BRANDO_BIN_DIR: path.join(ROOT, 'fcgi') },
    // Definite and indirect leaks count as errors, so the ERROR SUMMARY says it all.
    wrapper: (dir) => `valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect --log-file=${dir}/log/vg.%p.log`,
  });
});
after(async () => { await stack?.stop(); });

test('a request loop under valgrind: no leaks, no invalid accesses', { timeout: 240_000 }, async () => {
  const admin = await signedIn(stack.base, 'admin');
  const anon = new Client(stack.base);
  for (let i = 0; i < 30; i++) {
    assert.equal((await anon.get('/api/health')).status, 200);
    assert.equal((await admin.get('/api/auth/me')).status, 200);
    assert.equal((await admin.get('/api/users?limit=2')).status, 200);
    assert.equal((await admin.get('/api/masters')).status, 200);
    assert.equal((await admin.patch(`/api/users/${admin.user.id}`, { fullName: `Admin ${i}` })).status, 200);
    assert.equal((await admin.req('POST', '/api/users', { raw: '{bad', headers: { 'content-type': 'application/json' } })).status, 400);
    assert.equal((await admin.post('/api/users', { username: 'x' })).status, 422);
    assert.equal((await admin.get('/api/nope')).status, 404);
    assert.equal((await anon.get('/api/users')).status, 401);
    assert.equal((await admin.get('/api/metrics')).status, 200);
  }
  await stack.sh('down');
  const logs = readdirSync(path.join(stack.dir, 'log')).filter((f) => f.startsWith('vg.'));
  assert.ok(logs.length >= 3, `valgrind logs for master + worker + jobs: ${logs}`);
  for (const f of logs) {
    const text = readFileSync(path.join(stack.dir, 'log', f), 'utf8');
    const summary = text.match(/ERROR SUMMARY: (\d+) errors/);
    assert.ok(summary, `${f}: no valgrind summary`);
    assert.equal(summary[1], '0', `${f}:\n${text.slice(-4000)}`);
    assert.doesNotMatch(text, /definitely lost: [1-9]/, f);
    assert.doesNotMatch(text, /indirectly lost: [1-9]/, f);
  }
});
