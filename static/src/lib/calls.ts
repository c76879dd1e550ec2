// calls: the call model as the UI sees it — the customer's number of a call, the missed-call
// queue's rule, and the call log's filters (as a query and as a predicate for live calls).
import type { LiveEvent } from './live';

export interface Call {
  id: number; pbxCallId: string; direction: 'in' | 'out'; status: string; callerNumber: string | null;
  calledNumber: string | null; extension: string | null; operatorId: string | null; customerPhone: string | null;
  startedAt: string; answeredAt: string | null; endedAt: string | null; waitSeconds: number | null;
  talkSeconds: number | null; duration: number | null; disposition: string | null; recorded: boolean;
  ticketId: number | null; calledBack: boolean; operatorName?: string | null;
}

// The call a live call.* event carries, or null when it carries none.
export function callOf(ev: LiveEvent): Call | null {
  const c = ev.data?.call;
  return c && typeof c.id === 'number' ? c : null;
}

export const CALL_STATUSES = ['ringing', 'answered', 'completed', 'missed', 'busy', 'failed'];

export const callPhone = (c: Call) => c.customerPhone ?? (c.direction === 'in' ? c.callerNumber : c.calledNumber);
export const callTime = (c: Call) => c.startedAt;

// The missed-call queue: incoming, missed, nobody has called back yet.
export const isMissedOpen = (c: Call) => c.direction === 'in' && c.status === 'missed' && !c.calledBack;

export interface CallFilter { direction: string; status: string; phone: string }

const digits = (s: string) => s.replace(/\D/g, '');

// The API refuses a phone filter that is not a number yet: send it once it looks like one.
export const phoneFilter = (s: string) => (digits(s).length >= 6 ? s.trim() : '');

export function callParams(f: CallFilter): Record<string, string> {
  return { direction: f.direction, status: f.status, phone: phoneFilter(f.phone) };
}

// Does a call that arrived live belong in the log shown for this filter? The server compares
// the normalized customer number; a typed number without its country code (or with a trunk 0)
// is matched by its tail here, and a reload settles any difference.
export function matchesCall(c: Call, f: CallFilter): boolean {
  if (f.direction && c.direction !== f.direction) return false;
  if (f.status && c.status !== f.status) return false;
  const want = digits(phoneFilter(f.phone)).replace(/^0+/, '');
  return !want || digits(c.customerPhone ?? '').endsWith(want);
}
