// Unit tests for the live connection: since=, reconnect with backoff, dedup, resync, stop.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffDelay, Live, liveUrl, type LiveEvent, type SocketLike } from '../src/lib/live';

class FakeSocket implements SocketLike {
  onopen: ((ev: any) => void) | null = null;
  onmessage: ((ev: any) => void) | null = null;
  onclose: ((ev: any) => void) | null = null;
  onerror: ((ev: any) => void) | null = null;
  closed = false;
  constructor(public url: string) {}
  close() { this.closed = true; }
  open() { this.onopen?.({}); }
  send(ev: object | string) { this.onmessage?.({ data: typeof ev === 'string' ? ev : JSON.stringify(ev) }); }
  drop() { this.onclose?.({ code: 1006 }); }
}

function harness() {
  const sockets: FakeSocket[] = [];
  const timers: { fn: () => void; ms: number; id: number }[] = [];
  const events: LiveEvent[] = [];
  const states: string[] = [];
  let resyncs = 0, nextId = 1;
  const live = new Live({
    url: (since) => liveUrl({ protocol: 'https:', host: 'crm.example' }, since),
    connect: (url) => { const s = new FakeSocket(url); sockets.push(s); return s; },
    onEvent: (e) => events.push(e),
    onResync: () => { resyncs++; },
    onState: (s) => states.push(s),
    timers: { set: (fn, ms) => { const id = nextId++; timers.push({ fn, ms, id }); return id; }, clear: (h) => { const i = timers.findIndex((x) => x.id === h); if (i >= 0) timers.splice(i, 1); } },
    random: () => 0.5,
  });
  const fire = () => { const t = timers.shift(); assert.ok(t, 'a reconnect is scheduled'); t.fn(); return t.ms; };
  return { live, sockets, timers, events, states, fire, resyncs: () => resyncs };
}

test('backoff doubles from 1 s, is capped at 30 s, with ±20 % jitter', () => {
  assert.equal(backoffDelay(0, 1000, 30000, () => 0.5), 1000);
  assert.equal(backoffDelay(1, 1000, 30000, () => 0.5), 2000);
  assert.equal(backoffDelay(4, 1000, 30000, () => 0.5), 16000);
  assert.equal(backoffDelay(5, 1000, 30000, () => 0.5), 30000);
  assert.equal(backoffDelay(50, 1000, 30000, () => 0.5), 30000);
  assert.equal(backoffDelay(0, 1000, 30000, () => 0), 800);
  assert.equal(backoffDelay(0, 1000, 30000, () => 1), 1200);
});

test('liveUrl picks ws/wss and adds since only when known', () => {
  assert.equal(liveUrl({ protocol: 'http:', host: '127.0.0.1:8080' }, null), 'ws://127.0.0.1:8080/ws');
  assert.equal(liveUrl({ protocol: 'https:', host: 'crm.example' }, 42), 'wss://crm.example/ws?since=42');
});

test('events flow, the last id is remembered, and a reconnect asks for what was missed', () => {
  const h = harness();
  h.live.start();
  assert.equal(h.sockets[0].url, 'wss://crm.example/ws');
  h.sockets[0].open();
  assert.equal(h.live.state, 'live');
  h.sockets[0].send({ id: 5, type: 'ticket.created', data: { ticket: { id: 1 } } });
  h.sockets[0].send({ id: 6, type: 'ticket.updated', data: {} });
  h.sockets[0].send('not json');
  h.sockets[0].send({ id: 7 });
  assert.deepEqual(h.events.map((e) => e.id), [5, 6]);
  h.sockets[0].drop();
  assert.equal(h.live.state, 'off');
  assert.equal(h.fire(), 1000);
  assert.equal(h.sockets[1].url, 'wss://crm.example/ws?since=6');
  // the replay overlaps what was seen: nothing twice
  h.sockets[1].open();
  h.sockets[1].send({ id: 6, type: 'ticket.updated', data: {} });
  h.sockets[1].send({ id: 8, type: 'call.ringing', data: {} });
  assert.deepEqual(h.events.map((e) => e.id), [5, 6, 8]);
  assert.deepEqual(h.states, ['connecting', 'live', 'off', 'connecting', 'live']);
});

test('failed attempts back off further; a successful open resets the backoff', () => {
  const h = harness();
  h.live.start();
  h.sockets[0].drop();
  assert.equal(h.fire(), 1000);
  h.sockets[1].drop();
  assert.equal(h.fire(), 2000);
  h.sockets[2].drop();
  assert.equal(h.fire(), 4000);
  h.sockets[3].open();
  h.sockets[3].drop();
  assert.equal(h.fire(), 1000);
});

test('resync is handed to onResync, not to the screens', () => {
  const h = harness();
  h.live.start();
  h.sockets[0].open();
  h.sockets[0].send({ type: 'resync' });
  h.sockets[0].send({ id: 100, type: 'resync' });
  assert.equal(h.resyncs(), 2);
  assert.equal(h.events.length, 0);
  assert.equal(h.live.lastId, 100);
});

test('stop closes the socket and no reconnect follows', () => {
  const h = harness();
  h.live.start();
  h.sockets[0].open();
  h.live.stop();
  assert.ok(h.sockets[0].closed);
  assert.equal(h.timers.length, 0);
  assert.equal(h.live.state, 'off');
  h.sockets[0].drop(); // a late close event changes nothing
  assert.equal(h.timers.length, 0);
  h.live.start();
  assert.equal(h.sockets.length, 2);
});
