// load.js: bounded write load for the fault tests. Writers create tickets, each with its own
// Idempotency-Key, and retry a failed one with the same key and body, as a careful client
// would; the books they keep are checked against the database afterwards.
import { setTimeout as sleep } from 'node:timers/promises';
import { newTicket } from './tickets.js';

// Longer than any wait the server bounds (a hung database: 5.5 s per statement, 3 s per connect,
// behind other queued requests), shorter than nginx's 30-s read timeout.
const REQUEST_TIMEOUT = 25000;

function reason(r) {
  if (r.error) return `no answer (${r.error})`;
  const code = r.body?.error?.code;
  return `${r.status}${code ? ` ${code}` : ''}${r.headers?.get('retry-after') ? ' +Retry-After' : ''}`;
}

export class TicketLoad {
  // clients: signed-in staff Clients, used in turn by `writers` loops; tag: unique per test.
  constructor(clients, { tag, writers = 8, retryMs = 100 } = {}) {
    Object.assign(this, { clients, tag, writers, retryMs });
    this.keys = new Map(); // key → { body, ticketId, ackAt }
    this.sent = 0;
    this.failed = new Map(); // reason → count
    this.nonJson = 0; // answers that were not the contract's JSON
  }

  async attempt(client, key) {
    const k = this.keys.get(key);
    this.sent++;
    const r = await client.post('/api/tickets', k.body, { headers: { 'Idempotency-Key': key }, timeout: REQUEST_TIMEOUT })
      .catch((e) => ({ error: e.cause?.code ?? e.name }));
    if (r.status === 201) {
      if (k.ticketId && k.ticketId !== r.body.ticket.id) k.conflicting = r.body.ticket.id;
      k.ticketId ??= r.body.ticket.id;
      k.ackAt ??= Date.now();
      return true;
    }
    const why = reason(r);
    this.failed.set(why, (this.failed.get(why) ?? 0) + 1);
    if (!r.error && typeof r.body !== 'object') this.nonJson++;
    return false;
  }

  // Run the writers until `stop()` resolves (or for `ms` when given a number). A writer that
  // is refused retries the same key every retryMs while the load lasts.
  async run(stop) {
    const until = typeof stop === 'number' ? sleep(stop) : stop;
    let done = false;
    until.then(() => { done = true; });
    let n = 0;
    const writer = async (w) => {
      const client = this.clients[w % this.clients.length];
      while (!done) {
        const key = `${this.tag}-${w}-${n++}`;
        this.keys.set(key, { body: newTicket({ problem: `fault load ${key}` }) });
        while (!done && !(await this.attempt(client, key))) await sleep(this.retryMs);
      }
    };
    this.startedAt = Date.now();
    await Promise.all(Array.from({ length: this.writers }, (_, w) => writer(w)));
    this.endedAt = Date.now();
  }

  // The load in the background until finish(), which then retries every unanswered key and
  // returns the books (check) with resolveMs.
  start() {
    this.running = this.run(new Promise((resolve) => { this.end = resolve; }));
    return this;
  }

  async finish(stack, resolveWithin = 10000) {
    this.end();
    await this.running;
    const resolveMs = await this.resolve(resolveWithin);
    return { ...this.check(stack), resolveMs };
  }

  unresolved() { return [...this.keys].filter(([, k]) => !k.ticketId).map(([key]) => key); }

  // After the load: retry every unanswered key until it is answered or ms have passed.
  // Returns the ms it took (Infinity when some stay unanswered).
  async resolve(ms = 10000) {
    const t0 = Date.now();
    for (;;) {
      const left = this.unresolved();
      if (!left.length) return Date.now() - t0;
      if (Date.now() - t0 > ms) return Infinity;
      await Promise.all(left.map((key, i) => this.attempt(this.clients[i % this.clients.length], key)));
      await sleep(this.retryMs);
    }
  }

  // The books against the database: tickets per key, acknowledged ones missing.
  check(stack) {
    const rows = stack.sql(`SELECT substr(problem, 12), array_agg(id ORDER BY id) FROM tickets
                            WHERE problem LIKE 'fault load ${this.tag}-%' GROUP BY 1`);
    const inDb = new Map(rows.map(([key, ids]) => [key, ids.replace(/[{}]/g, '').split(',').map(Number)]));
    const keys = [...this.keys];
    const acked = keys.filter(([, k]) => k.ticketId);
    return {
      keys: keys.length,
      sent: this.sent,
      acknowledged: acked.length,
      failed: Object.fromEntries([...this.failed].sort((a, b) => b[1] - a[1])),
      nonJson: this.nonJson,
      lost: acked.filter(([key, k]) => !(inDb.get(key) ?? []).includes(Number(k.ticketId))).map(([key]) => key),
      duplicated: [...inDb].filter(([, ids]) => ids.length > 1).map(([key]) => key),
      conflicting: keys.filter(([, k]) => k.conflicting).map(([key]) => key),
      unresolved: this.unresolved(),
    };
  }
}

// One line a reader of the test output can take in at a glance.
export function report(what, books, extra = {}) {
  const line = { test: what, ...books, ...extra };
  for (const k of ['lost', 'duplicated', 'conflicting', 'unresolved']) line[k] = books[k].length ? books[k] : 0;
  console.log(`fault report: ${JSON.stringify(line)}`);
}
