// tickets: the ticket model as the UI sees it — statuses, the moves the server allows, list
// filters (as a query string and as a predicate for live updates), and edit diffs.

export type Status = 'new' | 'assigned' | 'accepted' | 'in_progress' | 'completed' | 'cancelled';

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
  allowedTransitions?: Status[]; // absent in live events: see withMoves
}

export const STATUSES: Status[] = ['new', 'assigned', 'accepted', 'in_progress', 'completed', 'cancelled'];
export const OPEN: Status[] = ['new', 'assigned', 'accepted', 'in_progress'];
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'];

// The server owns the status machine (lib/ticket_status.c): every ticket it sends carries the
// statuses the signed-in user may move it to now, and GET /api/config carries the same table
// per status for the user's role (`ticketMoves`), for tickets that arrive in live events
// without the field. The UI only reads them; an absent field means no actions.
export type TicketMoves = Partial<Record<Status, Status[]>>;

export function allowedMoves(t: Pick<Ticket, 'allowedTransitions'>): Status[] {
  return Array.isArray(t.allowedTransitions) ? t.allowedTransitions : [];
}

// A ticket from a live event gets its allowedTransitions from the role's table; a master's
// table is for the tickets assigned to them, so another master's ticket allows nothing.
export function withMoves(t: Ticket, moves: TicketMoves | null | undefined, viewer: { id: string; role: string }): Ticket {
  if (Array.isArray(t.allowedTransitions)) return t;
  const mine = viewer.role !== 'master' || t.masterId === viewer.id;
  return { ...t, allowedTransitions: mine ? moves?.[t.status] ?? [] : [] };
}

// Does the dispatch panel (staff only) show for this ticket? Assigning is the move to
// "assigned". Reassigning keeps the status, so no listed move says it; it is offered while the
// ticket is assigned and may still go back to "new" (which also changes its master). Either
// way the server judges the PATCH.
export function canDispatch(t: Pick<Ticket, 'status' | 'allowedTransitions'>): boolean {
  const moves = allowedMoves(t);
  return moves.includes('assigned') || (t.status === 'assigned' && moves.includes('new'));
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
