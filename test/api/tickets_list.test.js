// The ticket list: every filter, the search, cursor pagination under concurrent writes, and
// the CSV export (same filters, RFC 4180 quoting, formula injection neutralised).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { errorOf, signedInAll } from '../lib/client.js';
import { startStack } from '../lib/stack.js';
import { createTicket } from '../lib/tickets.js';

let stack, admin, operator, master;
before(async () => {
  stack = await startStack();
  ({ admin, operator, master } = await signedInAll(stack.base));
});
after(async () => { await stack?.stop(); });

const token = () => `zq${Math.random().toString(36).slice(2, 10)}`;
const ids = (r) => r.body.items.map((t) => t.id);

// Every ticket matching a query, following nextCursor to the end.
async function all(client, query) {
  const seen = [];
  let cursor = null;
  for (let i = 0; i < 100; i++) {
    const r = await client.get(`/api/tickets?${query}&limit=200${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(r.status, 200, r.text);
    seen.push(...ids(r));
    if (!(cursor = r.body.nextCursor)) return seen;
  }
  throw new Error('too many pages');
}

describe('filters', () => {
  let tag, t;
  before(async () => {
    tag = token();
    const make = (over) => createTicket(operator, { customerName: `Client ${tag}`, ...over });
    t = {
      plain: await make({}),
      assigned: await make({ masterId: master.user.id }),
      cancelled: await make({}),
      old: await make({}),
    };
    const c = await operator.patch(`/api/tickets/${t.cancelled.id}`, { status: 'cancelled', version: 1 });
    assert.equal(c.status, 200);
    stack.sql(`UPDATE tickets SET created_at = '2025-03-10T12:00:00Z' WHERE id = ${t.old.id}`);
    stack.sql(`UPDATE tickets SET fraud_score = 20, fraud_flags = '{frequent_tickets}' WHERE id = ${t.plain.id}`);
  });

  test('status: one value and a comma list', async () => {
    assert.deepEqual(await all(operator, `q=${tag}&status=cancelled`), [t.cancelled.id]);
    assert.deepEqual((await all(operator, `q=${tag}&status=assigned,cancelled`)).sort(), [t.assigned.id, t.cancelled.id].sort());
    assert.equal((await all(operator, `q=${tag}&status=new`)).length, 2);
  });

  test('masterId', async () => {
    assert.deepEqual(await all(operator, `q=${tag}&masterId=${master.user.id}`), [t.assigned.id]);
    assert.deepEqual(await all(operator, `q=${tag}&masterId=00000000-0000-0000-0000-000000000000`), []);
  });

  test('from / to on createdAt: dates are whole UTC days, timestamps exact', async () => {
    assert.deepEqual(await all(operator, `q=${tag}&to=2025-03-10`), [t.old.id]);
    assert.deepEqual(await all(operator, `q=${tag}&from=2025-03-10&to=2025-03-10`), [t.old.id]);
    assert.deepEqual(await all(operator, `q=${tag}&to=2025-03-09`), []);
    assert.deepEqual(await all(operator, `q=${tag}&from=2025-03-10T12:00:01Z&to=2025-12-31`), []);
    assert.deepEqual(await all(operator, `q=${tag}&from=2025-03-10T12:00:00Z&to=2025-03-10T12:00:00Z`), [t.old.id]);
    assert.equal((await all(operator, `q=${tag}&from=2025-03-11`)).length, 3);
  });

  test('an empty parameter is no filter', async () => {
    assert.equal((await all(operator, `q=${tag}&status=&masterId=&from=&to=&fraud=`)).length, 4);
  });

  test('fraud=true and fraud=false', async () => {
    assert.deepEqual(await all(operator, `q=${tag}&fraud=true`), [t.plain.id]);
    assert.equal((await all(operator, `q=${tag}&fraud=false`)).length, 3);
  });

  test('bad filter values → 422 with the field', async () => {
    for (const [query, field] of [['status=done', 'status'], ['status=new,,assigned', 'status'], ['status=new,', 'status'],
      ['masterId=42', 'masterId'], ['from=yesterday', 'from'], ['to=2025-02-30', 'to'],
      ['fraud=yes', 'fraud'], [`q=${'x'.repeat(101)}`, 'q'], ['limit=0', 'limit'], ['limit=201', 'limit'],
      ['cursor=nope', 'cursor']]) {
      const r = await operator.get(`/api/tickets?${query}`);
      assert.equal(r.status, 422, query);
      assert.equal(errorOf(r).code, 'validation_failed');
      assert.equal(errorOf(r).field, field, query);
    }
  });
});

describe('search (q)', () => {
  let tag, t;
  before(async () => {
    tag = token();
    t = await createTicket(operator, {
      customerName: `Taras ${tag}`, customerPhone: '+380441112299', address: `Poltava, ${tag} street 4`,
      deviceType: 'Dishwasher', deviceBrand: 'Miele', deviceModel: `G7-${tag}`,
    });
  });
  const finds = async (q) => (await all(operator, `q=${encodeURIComponent(q)}`)).includes(t.id);

  test('matches number, name, phone (as typed), address and device, case-insensitively', async () => {
    assert.ok(await finds(t.number));
    assert.ok(await finds(t.number.toLowerCase()));
    assert.ok(await finds(`taras ${tag}`.toUpperCase()));
    assert.ok(await finds('+380441112299'));
    assert.ok(await finds('044 111 22'));
    assert.ok(await finds('(044) 111-22-99'));
    assert.ok(await finds(`${tag} street`));
    assert.ok(await finds('dishwasher'));
    assert.ok(await finds('miele'));
    assert.ok(await finds(`g7-${tag}`));
    assert.equal(await finds(`${tag}-nothing`), false);
  });

  test('LIKE wildcards in q are literal', async () => {
    assert.equal(await finds(`${tag.slice(0, 4)}%${tag.slice(5)}`), false);
    assert.equal(await finds(`${tag.slice(0, 4)}_${tag.slice(5)}`), false);
    assert.equal(await finds('%'), false);
  });
});

describe('pagination', () => {
  test('the cursor neither skips nor repeats while tickets are being created', async () => {
    const tag = token();
    const existing = [];
    for (let i = 0; i < 25; i++) existing.push((await createTicket(operator, { customerName: `Page ${tag}` })).id);
    let writing = true;
    const writer = (async () => {
      for (let i = 0; i < 40 && writing; i++) await createTicket(admin, { customerName: `Page ${tag}` });
    })();
    const seen = [];
    let cursor = null, pages = 0;
    do {
      const r = await operator.get(`/api/tickets?q=${tag}&limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(r.status, 200);
      assert.ok(r.body.items.length <= 4);
      const created = r.body.items.map((x) => x.createdAt);
      assert.deepEqual(created, [...created].sort().reverse(), 'newest first');
      seen.push(...ids(r));
      cursor = r.body.nextCursor;
      pages++;
    } while (cursor && pages < 100);
    writing = false;
    await writer;
    assert.equal(new Set(seen).size, seen.length, 'no ticket twice');
    for (const id of existing) assert.ok(seen.includes(id), `ticket ${id} was skipped`);
    assert.ok(pages >= 7);
  });

  test('masters page through their own tickets only', async () => {
    const mine = [];
    for (let i = 0; i < 3; i++) mine.push((await createTicket(operator, { masterId: master.user.id })).id);
    const seen = await all(master, 'status=assigned');
    for (const id of mine) assert.ok(seen.includes(id));
    const owners = stack.sql(`SELECT DISTINCT master_id FROM tickets WHERE id IN (${seen.join(',')})`);
    assert.deepEqual(owners, [[master.user.id]]);
  });
});

// A strict RFC 4180 reader: returns rows of cells; throws on malformed quoting.
function parseCsv(text) {
  const rows = [];
  let row = [], cell = '', i = 0, quoted = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i += 2; continue; }
      if (c === '"') { quoted = false; i++; continue; }
      cell += c; i++; continue;
    }
    if (c === '"') {
      if (cell !== '') throw new Error(`quote inside an unquoted cell at ${i}`);
      quoted = true; i++; continue;
    }
    if (c === ',') { row.push(cell); cell = ''; i++; continue; }
    if (c === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i += 2; continue; }
    if (c === '\n' || c === '\r') throw new Error(`bare line break at ${i}`);
    cell += c; i++;
  }
  if (quoted || cell !== '' || row.length) throw new Error('the file does not end with CRLF');
  return rows;
}

describe('CSV export', () => {
  test('same filters, RFC 4180 quoting, formulas neutralised', async () => {
    const tag = token();
    const nasty = await createTicket(operator, {
      customerName: `=HYPERLINK("http://evil","${tag}")`, address: `Kyiv, "Podil", ${tag}`,
      problem: 'line one\nline two, "quoted"', deviceType: '+cmd|calc', deviceBrand: '@SUM(A1)',
      notes: '-2+3', finalAmount: '99.90',
    });
    const plain = await createTicket(operator, { customerName: `Plain ${tag}`, deviceType: 'Oven' });
    await operator.patch(`/api/tickets/${plain.id}`, { status: 'cancelled', version: 1 });
    const r = await admin.get(`/api/tickets/export.csv?q=${tag}`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^text\/csv/);
    assert.match(r.headers.get('content-disposition'), /^attachment; filename="tickets-\d{8}\.csv"$/);
    const rows = parseCsv(r.text);
    const [header, ...body] = rows;
    assert.equal(header[0], 'number');
    assert.ok(rows.every((row) => row.length === header.length));
    assert.deepEqual(body.map((row) => row[0]), [plain.number, nasty.number], 'newest first');
    const cell = (row, name) => row[header.indexOf(name)];
    const n = body[1];
    assert.equal(cell(n, 'customerName'), `'=HYPERLINK("http://evil","${tag}")`);
    assert.equal(cell(n, 'address'), `Kyiv, "Podil", ${tag}`);
    assert.equal(cell(n, 'problem'), 'line one\nline two, "quoted"');
    assert.equal(cell(n, 'deviceType'), "'+cmd|calc");
    assert.equal(cell(n, 'deviceBrand'), "'@SUM(A1)");
    assert.equal(cell(n, 'notes'), "'-2+3");
    assert.equal(cell(n, 'customerPhone'), `'${nasty.customerPhone}`);
    assert.equal(cell(n, 'finalAmount'), '99.90');
    assert.equal(cell(n, 'status'), 'new');
    assert.equal(cell(body[0], 'customerName'), `Plain ${tag}`);
    assert.ok(body.every((row) => row.every((c) => !/^[=+\-@]/.test(c))), 'no cell starts with a formula character');
    const filtered = parseCsv((await operator.get(`/api/tickets/export.csv?q=${tag}&status=cancelled`)).text);
    assert.deepEqual(filtered.slice(1).map((row) => row[0]), [plain.number]);
  });

  test('masters may not export; bad filters are JSON 422', async () => {
    assert.equal((await master.get('/api/tickets/export.csv')).status, 403);
    const r = await operator.get('/api/tickets/export.csv?status=bogus');
    assert.equal(r.status, 422);
    assert.equal(errorOf(r).field, 'status');
  });
});
