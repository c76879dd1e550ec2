// Tickets: the list — status chips, filters, search as you type, endless scroll on the
// cursor, and rows that appear or change in place when live events arrive.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useApp, useLive } from '../app';
import { qs, type Page } from '../lib/api';
import { dayBound, fmtDateTime } from '../lib/format';
import { navigate } from '../lib/router';
import { EMPTY_FILTER, filterParams, matchesFilter, mergeLive, STATUSES, upsert, type Status, type Ticket, type TicketFilter } from '../lib/tickets';
import { Banner, errorText, FraudBadge, Phone, PriorityTag, StatusChip } from '../ui';
import { link } from './Shell';
import type { Key } from '../i18n';

export interface Master { id: string; fullName: string; username: string; openTickets?: number }

// Active masters with their open-ticket counts (null while loading); `stamp` changing
// fetches them again.
export function useMasters(stamp: unknown = 0): Master[] | null {
  const { api } = useApp();
  const [masters, setMasters] = useState<Master[] | null>(null);
  useEffect(() => {
    api.get<Page<Master>>('/api/masters').then((r) => setMasters(r.items), () => setMasters([]));
  }, [stamp]);
  return masters;
}

export function TicketList() {
  const { api, t, locale } = useApp();
  const masters = useMasters();
  const [filter, setFilter] = useState<TicketFilter>(EMPTY_FILTER);
  const [search, setSearch] = useState('');
  const [days, setDays] = useState({ from: '', to: '' });
  const [items, setItems] = useState<Ticket[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState('');
  const [fresh, setFresh] = useState<Set<number>>(new Set());
  const [reload, setReload] = useState(0);
  const ctl = useRef<AbortController | null>(null);
  // Live tickets that arrive while a first page is being fetched: applied again on top of it.
  const liveDuringLoad = useRef<Ticket[] | null>(null);
  const sentinel = useRef<HTMLDivElement>(null);

  // Search as you type: the query settles 250 ms after the last key.
  useEffect(() => {
    const h = setTimeout(() => setFilter((f) => (f.q === search ? f : { ...f, q: search })), 250);
    return () => clearTimeout(h);
  }, [search]);

  const load = async (after: string | null) => {
    ctl.current?.abort();
    const c = new AbortController();
    ctl.current = c;
    setLoading(true);
    setError('');
    if (!after) liveDuringLoad.current = [];
    try {
      const page = await api.get<Page<Ticket>>(`/api/tickets${qs({ ...filterParams(filter), limit: 50, cursor: after })}`, { signal: c.signal });
      if (after) {
        setItems((prev) => [...prev, ...page.items.filter((x) => !prev.some((p) => p.id === x.id))]);
      } else {
        const live = liveDuringLoad.current ?? [];
        liveDuringLoad.current = null;
        setItems(mergeLive(page.items, live, (x) => matchesFilter(x, filter)));
      }
      setCursor(page.nextCursor);
    } catch (err) {
      if (!c.signal.aborted) setError(errorText(t, err));
      if (ctl.current === c) liveDuringLoad.current = null;
    } finally {
      if (ctl.current === c) setLoading(false);
    }
  };

  useEffect(() => { load(null); }, [filter, reload]);

  useEffect(() => {
    const el = sentinel.current;
    if (!el || !cursor) return;
    const io = new IntersectionObserver((es) => { if (es[0].isIntersecting && !loading) load(cursor); }, { rootMargin: '300px' });
    io.observe(el);
    return () => io.disconnect();
  }, [cursor, loading, filter]);

  useLive('ticket.*', (ev) => {
    const tk: Ticket | undefined = ev.data?.ticket;
    if (!tk || typeof tk.id !== 'number') return;
    liveDuringLoad.current?.push(tk);
    setItems((list) => upsert(list, tk, matchesFilter(tk, filter)));
    if (ev.type === 'ticket.created') {
      setFresh((s) => new Set(s).add(tk.id));
      setTimeout(() => setFresh((s) => { const n = new Set(s); n.delete(tk.id); return n; }), 4000);
    }
  });
  useLive('resync', () => setReload((n) => n + 1));

  const toggleStatus = (s: Status) => setFilter((f) => ({
    ...f, status: f.status.includes(s) ? f.status.filter((x) => x !== s) : [...f.status, s],
  }));
  const setDay = (which: 'from' | 'to', v: string) => {
    setDays((d) => ({ ...d, [which]: v }));
    setFilter((f) => ({ ...f, [which]: v ? dayBound(v, which === 'to') : '' }));
  };
  const filtered = filter.status.length || filter.masterId || filter.from || filter.to || filter.fraud || filter.q;

  return (
    <section class="page" aria-labelledby="tickets-h">
      <div class="page-head">
        <h1 id="tickets-h">{t('tickets.title')}</h1>
        <a class="btn btn-primary" href="/tickets/new" onClick={(e) => link(e, '/tickets/new')}>+ {t('tickets.new')}</a>
      </div>
      <div class="toolbar toolbar-2" role="search">
        <div class="toolbar-row">
          <label class="search">
            <span class="sr-only">{t('tickets.search')}</span>
            <input type="search" placeholder={t('tickets.searchHint')} value={search} aria-label={t('tickets.search')}
              onInput={(e) => setSearch((e.target as HTMLInputElement).value)} />
          </label>
          <label class="inline-field">
            <span>{t('tickets.master')}</span>
            <select value={filter.masterId} onChange={(e) => setFilter((f) => ({ ...f, masterId: (e.target as HTMLSelectElement).value }))}>
              <option value="">{t('tickets.allMasters')}</option>
              {(masters ?? []).map((m) => <option key={m.id} value={m.id}>{m.fullName || m.username}</option>)}
            </select>
          </label>
          <div class="inline-field" role="group" aria-label={t('tickets.created')}>
            <span aria-hidden="true">{t('tickets.created')}</span>
            <input type="date" value={days.from} aria-label={t('tickets.from')} onChange={(e) => setDay('from', (e.target as HTMLInputElement).value)} />
            <span aria-hidden="true">–</span>
            <input type="date" value={days.to} aria-label={t('tickets.to')} onChange={(e) => setDay('to', (e.target as HTMLInputElement).value)} />
          </div>
        </div>
        <div class="toolbar-row">
          <div class="chips" role="group" aria-label={t('tickets.status')}>
            {STATUSES.map((s) => (
              <button key={s} type="button" class={`chip-toggle st-${s}`} aria-pressed={filter.status.includes(s)}
                onClick={() => toggleStatus(s)}>{t(`status.${s}` as Key)}</button>
            ))}
          </div>
          <label class="check">
            <input type="checkbox" checked={filter.fraud} onChange={(e) => setFilter((f) => ({ ...f, fraud: (e.target as HTMLInputElement).checked }))} />
            {t('tickets.fraudOnly')}
          </label>
          {filtered ? <button type="button" class="btn btn-ghost btn-small" onClick={() => { setSearch(''); setDays({ from: '', to: '' }); setFilter(EMPTY_FILTER); }}>{t('common.clear')}</button> : null}
        </div>
      </div>
      {error ? <Banner kind="error">{error} <button type="button" class="btn btn-small" onClick={() => setReload((n) => n + 1)}>{t('common.retry')}</button></Banner> : null}
      <div class="table-wrap">
        <table class="grid grid-stack tickets-grid">
          <thead>
            <tr>
              <th scope="col">{t('ticket.number')}</th>
              <th scope="col">{t('ticket.status')}</th>
              <th scope="col">{t('ticket.customer')}</th>
              <th scope="col">{t('ticket.phone')}</th>
              <th scope="col">{t('ticket.device')}</th>
              <th scope="col">{t('ticket.master')}</th>
              <th scope="col">{t('ticket.created')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((tk) => (
              <tr key={tk.id} class={fresh.has(tk.id) ? 'flash' : ''} data-ticket={tk.number}
                onClick={(e) => { if (!(e.target as HTMLElement).closest('a,button')) navigate(`/tickets/${tk.id}`); }}>
                <td class="nowrap">
                  <a class="num" href={`/tickets/${tk.id}`} onClick={(e) => link(e, `/tickets/${tk.id}`)}>{tk.number}</a>
                  {' '}<PriorityTag priority={tk.priority} />
                </td>
                <td><StatusChip status={tk.status} /> <FraudBadge flags={tk.fraudFlags} score={tk.fraudScore} /></td>
                <td class="ellipsis">{tk.customerName}<div class="sub ellipsis">{[tk.address, tk.city].filter(Boolean).join(', ')}</div></td>
                <td class="nowrap"><Phone phone={tk.customerPhone} ticketId={tk.id} /></td>
                <td class="ellipsis">{[tk.deviceType, tk.deviceBrand, tk.deviceModel].filter(Boolean).join(' · ')}</td>
                <td class="ellipsis">{tk.masterName ?? <span class="muted">—</span>}</td>
                <td class="nowrap">{fmtDateTime(tk.createdAt, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {!loading && !items.length && !error ? <p class="empty">{filtered ? t('tickets.noneFiltered') : t('tickets.none')}</p> : null}
      </div>
      <div ref={sentinel} class="sentinel" />
      {loading ? <p class="muted loading" role="status">{t('common.loading')}</p> : null}
      {cursor && !loading ? <button type="button" class="btn btn-block" onClick={() => load(cursor)}>{t('common.more')}</button> : null}
    </section>
  );
}
