// Calls: the live call log and the "missed — not called back" queue with a call-back button.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useApp, useLive } from '../app';
import { qs, type Page } from '../lib/api';
import { fmtDateTime, fmtDuration } from '../lib/format';
import { upsert } from '../lib/tickets';
import { Banner, errorText, Phone } from '../ui';
import { link } from './Shell';
import type { Key } from '../i18n';

export interface Call {
  id: number; pbxCallId: string; direction: 'in' | 'out'; status: string; callerNumber: string | null;
  calledNumber: string | null; extension: string | null; operatorId: string | null; customerPhone: string | null;
  startedAt: string; answeredAt: string | null; endedAt: string | null; waitSeconds: number | null;
  talkSeconds: number | null; duration: number | null; disposition: string | null; recorded: boolean;
  ticketId: number | null; calledBack: boolean; operatorName?: string | null; createdAt?: string;
}

const STATUSES = ['ringing', 'answered', 'completed', 'missed', 'busy', 'failed'];
export const callPhone = (c: Call) => c.customerPhone ?? (c.direction === 'in' ? c.callerNumber : c.calledNumber);
const isMissedOpen = (c: Call) => c.direction === 'in' && c.status === 'missed' && !c.calledBack;
// The API refuses a phone filter that is not a number yet: send it once it looks like one.
// Live calls that arrived while a list was being fetched, applied again on top of the answer
// (in arrival order: the last event of a call is its newest state).
const withLive = (list: Call[], live: Call[], match: (c: Call) => boolean) =>
  live.reduce((l, c) => upsert(l, { ...c, createdAt: c.startedAt }, match(c)), list);

const phoneFilter = (s: string) => (s.replace(/\D/g, '').length >= 6 ? s.trim() : '');

export function CallStatus({ status }: { status: string }) {
  const { t } = useApp();
  const label = t(`call.${status}` as Key);
  return <span class={`chip cs-${status}`}>{label === `call.${status}` ? status : label}</span>;
}

function MissedQueue({ reload }: { reload: number }) {
  const { api, t, locale, toast } = useApp();
  const [items, setItems] = useState<Call[] | null>(null);
  const [calling, setCalling] = useState<Set<number>>(new Set());
  const liveDuringLoad = useRef<Call[] | null>(null);
  useEffect(() => {
    const live: Call[] = [];
    liveDuringLoad.current = live;
    const done = (l: Call[]) => {
      if (liveDuringLoad.current !== live) return; // a newer load owns the list
      liveDuringLoad.current = null;
      setItems(withLive(l, live, isMissedOpen));
    };
    api.get<Page<Call>>(`/api/calls${qs({ open: true, limit: 100 })}`)
      .then((r) => done(r.items.filter(isMissedOpen)), () => done([]));
  }, [reload]);
  useLive('call.*', (ev) => {
    const c: Call | undefined = ev.data?.call;
    if (!c || typeof c.id !== 'number') return;
    liveDuringLoad.current?.push(c);
    setItems((l) => (l ? upsert(l, { ...c, createdAt: c.startedAt }, isMissedOpen(c)) : l));
  });
  const callBack = async (c: Call) => {
    setCalling((s) => new Set(s).add(c.id));
    try {
      await api.post('/api/calls/outgoing', { to: callPhone(c) });
      toast(t('calls.dialing', { phone: callPhone(c) ?? '' }));
      // The outgoing call now exists, so the missed one counts as called back.
      setItems((l) => (l ?? []).filter((x) => x.id !== c.id));
    } catch (err) {
      toast(errorText(t, err), 'error');
      setCalling((s) => { const n = new Set(s); n.delete(c.id); return n; });
    }
  };
  return (
    <aside class="card missed" aria-labelledby="missed-h">
      <h2 id="missed-h">{t('calls.missedQueue')} {items?.length ? <span class="count">{items.length}</span> : null}</h2>
      {items === null ? <p class="muted">{t('common.loading')}</p> : !items.length ? <p class="muted">{t('calls.noMissed')}</p> : (
        <ul class="missed-list">
          {items.map((c) => (
            <li key={c.id} data-call={c.id}>
              <div>
                <strong>{callPhone(c)}</strong>
                <div class="muted small">{fmtDateTime(c.startedAt, locale)}{c.waitSeconds ? ` · ${t('calls.waited', { d: fmtDuration(c.waitSeconds) })}` : ''}</div>
              </div>
              <button type="button" class="btn btn-primary btn-small" disabled={calling.has(c.id)} onClick={() => callBack(c)}>
                {calling.has(c.id) ? t('calls.calling') : t('calls.callBack')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}

export function Calls() {
  const { api, t, locale } = useApp();
  const [direction, setDirection] = useState('');
  const [status, setStatus] = useState('');
  const [phone, setPhone] = useState('');
  const [items, setItems] = useState<Call[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState('');
  const [loading, setLoading] = useState(true);
  const [reload, setReload] = useState(0);
  const seq = useRef(0);
  const liveDuringLoad = useRef<Call[] | null>(null);
  const matches = (c: Call) => (!direction || c.direction === direction) && (!status || c.status === status);

  const load = async (after: string | null) => {
    const mine = ++seq.current;
    const live: Call[] = [];
    if (!after) liveDuringLoad.current = live;
    setLoading(true);
    setError('');
    try {
      const r = await api.get<Page<Call>>(`/api/calls${qs({ direction, status, phone: phoneFilter(phone), limit: 50, cursor: after })}`);
      if (mine !== seq.current) return; // the filters changed meanwhile: a newer load answers
      if (after) {
        setItems((prev) => [...prev, ...r.items.filter((x) => !prev.some((p) => p.id === x.id))]);
      } else {
        liveDuringLoad.current = null;
        setItems(withLive(r.items, live, matches));
      }
      setCursor(r.nextCursor);
    } catch (err) {
      if (mine === seq.current) setError(errorText(t, err));
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  };
  useEffect(() => {
    const h = setTimeout(() => load(null), phone ? 250 : 0);
    return () => clearTimeout(h);
  }, [direction, status, phoneFilter(phone), reload]);
  useLive('call.*', (ev) => {
    const c: Call | undefined = ev.data?.call;
    if (!c || typeof c.id !== 'number') return;
    liveDuringLoad.current?.push(c);
    setItems((l) => upsert(l, { ...c, createdAt: c.startedAt }, matches(c)));
  });
  useLive('resync', () => setReload((n) => n + 1));

  return (
    <section class="page" aria-labelledby="calls-h">
      <div class="page-head"><h1 id="calls-h">{t('calls.title')}</h1></div>
      <div class="calls-layout">
        <MissedQueue reload={reload} />
        <div>
          <div class="toolbar">
            <label class="inline-field"><span>{t('calls.direction')}</span>
              <select value={direction} onChange={(e) => setDirection((e.target as HTMLSelectElement).value)}>
                <option value="">{t('common.all')}</option>
                <option value="in">{t('calls.in')}</option>
                <option value="out">{t('calls.out')}</option>
              </select>
            </label>
            <label class="inline-field"><span>{t('calls.status')}</span>
              <select value={status} onChange={(e) => setStatus((e.target as HTMLSelectElement).value)}>
                <option value="">{t('common.all')}</option>
                {STATUSES.map((s) => <option key={s} value={s}>{t(`call.${s}` as Key)}</option>)}
              </select>
            </label>
            <label class="search"><span class="sr-only">{t('calls.phone')}</span>
              <input type="search" value={phone} placeholder={t('calls.phone')} aria-label={t('calls.phone')}
                onInput={(e) => setPhone((e.target as HTMLInputElement).value)} />
            </label>
          </div>
          {error ? <Banner kind="error">{error}</Banner> : null}
          <div class="table-wrap">
            <table class="grid grid-stack">
              <thead><tr>
                <th scope="col">{t('calls.time')}</th><th scope="col"><span class="sr-only">{t('calls.direction')}</span></th>
                <th scope="col">{t('calls.status')}</th><th scope="col">{t('calls.number')}</th>
                <th scope="col">{t('calls.operator')}</th><th scope="col">{t('calls.wait')}</th>
                <th scope="col">{t('calls.talk')}</th><th scope="col">{t('calls.ticket')}</th>
              </tr></thead>
              <tbody>
                {items.map((c) => (
                  <tr key={c.id} data-call={c.id}>
                    <td class="nowrap">{fmtDateTime(c.startedAt, locale)}</td>
                    <td aria-label={c.direction === 'in' ? t('calls.in') : t('calls.out')} class={`dir dir-${c.direction}`}>{c.direction === 'in' ? '↙' : '↗'}</td>
                    <td><CallStatus status={c.status} /></td>
                    <td class="nowrap"><Phone phone={callPhone(c)} /></td>
                    <td class="ellipsis">{c.operatorName ?? ''}{c.extension ? <span class="muted small"> {c.extension}</span> : null}</td>
                    <td class="num-cell">{fmtDuration(c.waitSeconds)}</td>
                    <td class="num-cell">{fmtDuration(c.talkSeconds)}</td>
                    <td>{c.ticketId ? <a href={`/tickets/${c.ticketId}`} onClick={(e) => link(e, `/tickets/${c.ticketId}`)}>#{c.ticketId}</a>
                      : callPhone(c) ? <a class="btn btn-small" href={`/tickets/new?phone=${encodeURIComponent(callPhone(c)!)}&callId=${c.id}`}
                        onClick={(e) => link(e, `/tickets/new?phone=${encodeURIComponent(callPhone(c)!)}&callId=${c.id}`)}>{t('pop.newTicket')}</a> : null}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {!loading && !items.length && !error ? <p class="empty">{t('calls.none')}</p> : null}
          </div>
          {loading ? <p class="muted loading" role="status">{t('common.loading')}</p> : null}
          {cursor && !loading ? <button type="button" class="btn btn-block" onClick={() => load(cursor)}>{t('common.more')}</button> : null}
        </div>
      </div>
    </section>
  );
}
