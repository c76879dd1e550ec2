// tickets: the ticket model as the UI sees it — statuses and who may move them, list
// filters (as a query string and as a predicate for live updates), and edit diffs.

export type Status = 'new' | 'assigned' | 'accepted' | 'in_progress' | 'completed' | 'cancelled';
export type Role = 'admin' | 'operator' | 'master';

export interface Ticket {
  id: number; number: string; status: Status; priority: string;
  customerName: string; customerPhone: string; customerEmail: string | null;
  address: string | null; city: string | null; deviceType: string; deviceBrand: string | null;
  deviceModel: string | null; serialNumber: string | null; problem: string; notes: string | null;
  source: string; callId: number | null; masterId: string | null; masterName: string | null;
  scheduledAt: string | null; priceEstimate: string | null; finalAmount: string | null;
  paymentStatus: string | null; fraudScore: number | null; fraudFlags: string[] | null;
  createdBy: string | null; createdAt: string; updatedAt: string; completedAt: string | null;
  version: number;
}

export const STATUSES: Status[] = ['new', 'assigned', 'accepted', 'in_progress', 'completed', 'cancelled'];
export const OPEN: Status[] = ['new', 'assigned', 'accepted', 'in_progress'];
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'];

const STAFF_MOVES: Record<Status, Status[]> = {
  new: ['assigned', 'cancelled'],
  assigned: ['accepted', 'new', 'cancelled'],
  accepted: ['in_progress', 'cancelled'],
  in_progress: ['completed', 'cancelled'],
  completed: [],
  cancelled: [],
};
const MASTER_MOVES: Partial<Record<Status, Status[]>> = {
  assigned: ['accepted', 'new'],
  accepted: ['in_progress'],
  in_progress: ['completed'],
};

// The statuses this role may move the ticket to (the server has the last word).
export function nextStatuses(t: Pick<Ticket, 'status'>, role: Role): Status[] {
  return role === 'master' ? MASTER_MOVES[t.status] ?? [] : STAFF_MOVES[t.status] ?? [];
}

export function isOpen(s: Status): boolean { return OPEN.includes(s); }

export interface TicketFilter {
  status: Status[];
  masterId: string;
  from: string; // ISO instant or ''
  to: string;
  fraud: boolean;
  q: string;
}

export const EMPTY_FILTER: TicketFilter = { status: [], masterId: '', from: '', to: '', fraud: false, q: '' };

export function filterParams(f: TicketFilter): Record<string, string | boolean> {
  return { status: f.status.join(','), masterId: f.masterId, from: f.from, to: f.to, fraud: f.fraud, q: f.q.trim() };
}

const digits = (s: string) => s.replace(/\D/g, '');

// Does a ticket that arrived live belong in the list shown for this filter? Mirrors the
// server's filters closely enough for in-place updates; a reload settles any difference.
export function matchesFilter(t: Ticket, f: TicketFilter): boolean {
  if (f.status.length && !f.status.includes(t.status)) return false;
  if (f.masterId && t.masterId !== f.masterId) return false;
  if (f.fraud && !(t.fraudFlags && t.fraudFlags.length) && !(t.fraudScore && t.fraudScore > 0)) return false;
  const created = Date.parse(t.createdAt);
  if (f.from && created < Date.parse(f.from)) return false;
  if (f.to && created >= Date.parse(f.to)) return false;
  const q = f.q.trim().toLowerCase();
  if (q) {
    const hay = [t.number, t.customerName, t.address, t.city, t.deviceType, t.deviceBrand, t.deviceModel]
      .filter(Boolean).join(' ').toLowerCase();
    const qd = digits(q);
    if (!hay.includes(q) && !(qd.length >= 3 && digits(t.customerPhone || '').includes(qd))) return false;
  }
  return true;
}

export interface Keyed { id: number; createdAt?: string }

function newer(a: Keyed, b: Keyed): number {
  const d = Date.parse(b.createdAt ?? '') - Date.parse(a.createdAt ?? '');
  return Number.isNaN(d) || d === 0 ? b.id - a.id : d;
}

// Put an item that arrived live into a newest-first list: replace it in place when present,
// drop it when it no longer matches, insert it at its place when it is new and matches.
export function upsert<T extends Keyed>(list: T[], item: T, matches: boolean): T[] {
  const i = list.findIndex((x) => x.id === item.id);
  if (i >= 0) {
    if (!matches) return list.filter((_, j) => j !== i);
    const copy = list.slice();
    copy[i] = item;
    return copy;
  }
  if (!matches) return list;
  const at = list.findIndex((x) => newer(x, item) > 0);
  const copy = list.slice();
  copy.splice(at < 0 ? copy.length : at, 0, item);
  return copy;
}

// A first page fetched while live events arrived: the page was read at some moment during
// the fetch, so an event may be newer than its row, or be a ticket created after it was read.
// Apply the events whose version the page does not have yet.
export function mergeLive(page: Ticket[], live: Ticket[], matches: (t: Ticket) => boolean): Ticket[] {
  let list = page;
  for (const tk of live) {
    const cur = list.find((x) => x.id === tk.id);
    if (cur && cur.version >= tk.version) continue;
    list = upsert(list, tk, matches(tk));
  }
  return list;
}

export const EDITABLE = ['customerName', 'customerPhone', 'customerEmail', 'address', 'city', 'deviceType',
  'deviceBrand', 'deviceModel', 'serialNumber', 'problem', 'notes', 'priority', 'scheduledAt',
  'priceEstimate'] as const;
export type Editable = typeof EDITABLE[number];
export type TicketDraft = Record<Editable, string>;

export function draftOf(t: Partial<Ticket> | null): TicketDraft {
  const d = {} as TicketDraft;
  for (const k of EDITABLE) {
    const v = t ? (t as any)[k] : null;
    d[k] = v === null || v === undefined ? '' : String(v);
  }
  if (!d.priority) d.priority = 'normal';
  return d;
}

// The body for POST (every non-empty field) or PATCH (only what changed; "" clears).
export function draftBody(draft: TicketDraft, base: TicketDraft | null): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const k of EDITABLE) {
    const v = draft[k].trim();
    if (base === null) { if (v !== '') out[k] = v; continue; }
    if (v !== base[k].trim()) out[k] = v === '' ? null : v;
  }
  return out;
}

// The fields a user changed between base and draft (to re-apply after a 409).
export function changedFields(draft: TicketDraft, base: TicketDraft): Editable[] {
  return EDITABLE.filter((k) => draft[k].trim() !== base[k].trim());
}

// <input type=datetime-local> value ↔ ISO instant.
export function toLocalInput(iso: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}
export function fromLocalInput(v: string): string {
  if (!v) return '';
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

export function telHref(phone: string | null | undefined): string {
  return phone ? `tel:${phone.replace(/[^\d+]/g, '')}` : '';
}

export function mapsHref(address: string | null | undefined, city?: string | null): string {
  const q = [address, city].filter((s) => s && s.trim()).join(', ');
  return q ? `https://www.google.com/maps/search/?api=1&query=${encodeURIComponent(q)}` : '';
}
