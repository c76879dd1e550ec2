// Request workers dying under write load, on a durable cluster: kill -9 every 300 ms while 8
// writers create tickets with Idempotency-Keys and retries; and the respawn backoff of a worker
// that keeps crashing right after its start.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { signedIn } from '../lib/client.js';
import { report, TicketLoad } from '../lib/load.js';
import { startStack } from '../lib/stack.js';

let stack, clients;
before(async () => {
  stack = await startStack({ durable: true, workers: 3 });
  clients = [await signedIn(stack.base, 'operator'), await signedIn(stack.base, 'admin')];
});
after(async () => { await stack?.stop(); });

const comm = (pid) => { try { return readFileSync(`/proc/${pid}/comm`, 'utf8').trim(); } catch { return ''; } };
const requestWorkers = () => stack.children(stack.pid('fcgi')).filter((p) => comm(p) === 'brando-worker');

test('the cluster under these tests is durable', () => {
  assert.deepEqual(stack.sql("SELECT current_setting('fsync'), current_setting('synchronous_commit'), current_setting('full_page_writes')"),
    [['on', 'on', 'on']]);
});

test('kill -9 a request worker every 300 ms under 8 writers: every 201 kept, no key twice, all resolved', async () => {
  const load = new TicketLoad(clients, { tag: `kill${Date.now()}`, writers: 8 });
  let kills = 0, stop = false;
  const killer = (async () => {
    for (let next = Date.now() + 300; !stop; next += 300) {
      await sleep(Math.max(0, next - Date.now())); // every 300 ms, however long pgrep takes
      const w = requestWorkers();
      if (w.length && !stop) {
        try { process.kill(w[Math.floor(Math.random() * w.length)], 'SIGKILL'); kills++; } catch { /* gone already */ }
      }
    }
  })();
  await load.run(6000);
  stop = true;
  await killer;
  const resolveMs = await load.resolve(10000);
  const books = load.check(stack);
  report('request workers killed -9 every 300 ms', books, { kills, resolveMs });
  assert.ok(kills >= 12, `${kills} kills`); // ~20 due; none while all three are being replaced
  assert.ok(books.acknowledged >= 20, `only ${books.acknowledged} tickets in 6 s`);
  assert.deepEqual(books.lost, [], 'acknowledged tickets missing from the database');
  assert.deepEqual(books.duplicated, [], 'keys with two tickets');
  assert.deepEqual(books.conflicting, [], 'keys answered with two different tickets');
  assert.deepEqual(books.unresolved, []);
  assert.ok(resolveMs < 5000, `every key answered ${resolveMs} ms after the load`);
  // A request cut by its worker's death is a 503 JSON with Retry-After (nginx's mapping of the
  // broken upstream), never a hang or an HTML page.
  for (const why of Object.keys(books.failed)) assert.match(why, /^503 unavailable \+Retry-After$/);
  assert.equal(books.nonJson, 0);
  assert.equal(requestWorkers().length, 3, 'every worker replaced');
});

// Wait for the worker that replaces `gone`; returns [pid, ms it took].
async function replacement(gone, t0) {
  for (;;) {
    const fresh = requestWorkers().filter((p) => !gone.includes(p));
    if (fresh.length) return [fresh[0], Date.now() - t0];
    assert.ok(Date.now() - t0 < 5000, 'no replacement within 5 s');
    await sleep(10);
  }
}

test('a worker that crashes soon after its start comes back after 0.5 s, then 1 s; a killed one at once', async () => {
  await sleep(2100); // the workers the test above replaced have now run long enough
  const known = requestWorkers();
  const crash = async (pid, sig) => {
    const t0 = Date.now();
    process.kill(pid, sig);
    const [next, ms] = await replacement(known, t0);
    known.push(next);
    return [next, ms];
  };
  // SIGUSR2: a crash of its own (any signal but SIGKILL, no core file); the first worker ran long.
  const [w1, first] = await crash(known[0], 'SIGUSR2');
  const [w2, second] = await crash(w1, 'SIGUSR2');
  const [w3, third] = await crash(w2, 'SIGUSR2');
  const [, killed] = await crash(w3, 'SIGKILL');
  console.log(`fault report: ${JSON.stringify({ test: 'respawn delays (ms)', first, second, third, killed })}`);
  assert.ok(first < 450, `a worker that ran long is replaced at once (${first} ms)`);
  assert.ok(second >= 480 && second < 1500, `second quick crash: ${second} ms`);
  assert.ok(third >= 980 && third < 2500, `third quick crash: ${third} ms`);
  assert.ok(killed < 450, `killed from outside: replaced at once (${killed} ms)`);
  assert.match(stack.log('fcgi'), /respawning in 1\.0 s/);
});
