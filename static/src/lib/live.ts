// live: the single WebSocket to /ws. Remembers the last event id so a reconnect asks for
// what was missed (/ws?since=N), reconnects with capped exponential backoff, and reports
// its state so the UI can say when live updates are off.

export interface LiveEvent { id?: number; type: string; at?: string; data?: any }
export type LiveState = 'connecting' | 'live' | 'off';

export interface SocketLike {
  onopen: ((ev: any) => void) | null;
  onmessage: ((ev: any) => void) | null;
  onclose: ((ev: any) => void) | null;
  onerror: ((ev: any) => void) | null;
  close(): void;
}

export interface LiveOptions {
  url: (since: number | null) => string;
  connect: (url: string) => SocketLike;
  onEvent: (ev: LiveEvent) => void;
  onResync?: () => void;
  onState?: (s: LiveState) => void;
  timers?: { set: (fn: () => void, ms: number) => unknown; clear: (h: unknown) => void };
  random?: () => number;
  minDelay?: number;
  maxDelay?: number;
}

// Delay before reconnect attempt n (0-based): min * 2^n, capped, with ±20 % jitter so a
// restarted push daemon is not hit by every browser in the same millisecond.
export function backoffDelay(attempt: number, min = 1000, max = 30000, random = Math.random): number {
  const base = Math.min(max, min * 2 ** Math.min(attempt, 16));
  return Math.round(base * (0.8 + 0.4 * random()));
}

export function liveUrl(loc: { protocol: string; host: string }, since: number | null): string {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${loc.host}/ws${since !== null ? `?since=${since}` : ''}`;
}

export class Live {
  lastId: number | null = null;
  state: LiveState = 'off';
  private sock: SocketLike | null = null;
  private timer: unknown = null;
  private attempt = 0;
  private stopped = true;
  private timers: NonNullable<LiveOptions['timers']>;

  constructor(private o: LiveOptions) {
    this.timers = o.timers ?? { set: (fn, ms) => setTimeout(fn, ms), clear: (h) => clearTimeout(h as number) };
  }

  start() {
    if (!this.stopped) return;
    this.stopped = false;
    this.open();
  }

  stop() {
    this.stopped = true;
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = null;
    const s = this.sock;
    this.sock = null;
    if (s) { s.onclose = null; s.close(); }
    this.setState('off');
  }

  private setState(s: LiveState) {
    if (this.state === s) return;
    this.state = s;
    this.o.onState?.(s);
  }

  private open() {
    this.timer = null;
    this.setState('connecting');
    let sock: SocketLike;
    try {
      sock = this.o.connect(this.o.url(this.lastId));
    } catch {
      this.retry();
      return;
    }
    this.sock = sock;
    sock.onopen = () => { this.attempt = 0; this.setState('live'); };
    sock.onmessage = (m) => this.receive(m.data);
    sock.onerror = () => { /* onclose follows */ };
    sock.onclose = () => {
      if (this.sock !== sock) return;
      this.sock = null;
      this.retry();
    };
  }

  private retry() {
    if (this.stopped) return;
    this.setState('off');
    const delay = backoffDelay(this.attempt++, this.o.minDelay, this.o.maxDelay, this.o.random);
    this.timer = this.timers.set(() => this.open(), delay);
  }

  private receive(raw: unknown) {
    let ev: LiveEvent;
    try {
      ev = JSON.parse(String(raw));
    } catch {
      return;
    }
    if (!ev || typeof ev.type !== 'string') return;
    if (typeof ev.id === 'number') {
      if (this.lastId !== null && ev.id <= this.lastId) return; // replay overlap: seen already
      this.lastId = ev.id;
    }
    if (ev.type === 'resync') {
      this.o.onResync?.();
      return;
    }
    this.o.onEvent(ev);
  }
}
