// Master: the phone-sized view for field technicians — my open tickets and today's done,
// accept / decline / start / complete, tap-to-call, address as a maps link. Masters have no
// WebSocket (/ws refuses them), so the list refreshes when the page regains focus.
import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../app';
import { qs, type Page } from '../lib/api';
import { fmtDateTime, fmtMoney, isSameLocalDay } from '../lib/format';
import { isOpen, mapsHref, telHref, type Ticket } from '../lib/tickets';
import { Banner, errorText, Icon, PriorityTag, StatusChip } from '../ui';
import { link } from './Shell';
import { TicketActions } from './TicketActions';

const ORDER = ['in_progress', 'accepted', 'assigned'];

function sortOpen(a: Ticket, b: Ticket): number {
  const d = ORDER.indexOf(a.status) - ORDER.indexOf(b.status);
  if (d) return d;
  const sa = a.scheduledAt ? Date.parse(a.scheduledAt) : Infinity, sb = b.scheduledAt ? Date.parse(b.scheduledAt) : Infinity;
  return sa - sb || a.id - b.id;
}

function Card({ tk, onChange, onConflict }: { tk: Ticket; onChange: (t: Ticket) => void; onConflict: (t: Ticket) => void }) {
  const { t, locale, currency } = useApp();
  const maps = mapsHref(tk.address, tk.city);
  return (
    <article class={`mcard st-border-${tk.status}`} data-ticket={tk.number} aria-labelledby={`mc-${tk.id}`}>
      <header>
        <h2 id={`mc-${tk.id}`}><a href={`/tickets/${tk.id}`} onClick={(e) => link(e, `/tickets/${tk.id}`)}>{tk.number}</a></h2>
        <StatusChip status={tk.status} /> <PriorityTag priority={tk.priority} />
        {tk.scheduledAt ? <time class="when" dateTime={tk.scheduledAt}>{fmtDateTime(tk.scheduledAt, locale)}</time> : null}
      </header>
      <div class="mc-customer">{tk.customerName}</div>
      <div class="mc-links">
        <a class="btn btn-tel" href={telHref(tk.customerPhone)} aria-label={t('master.callCustomer', { phone: tk.customerPhone })}><Icon name="phone" size={18} /> {tk.customerPhone}</a>
        {maps ? <a class="btn btn-map" href={maps} target="_blank" rel="noopener noreferrer"><Icon name="pin" size={18} /> {[tk.address, tk.city].filter(Boolean).join(', ')}</a> : null}
      </div>
      <p class="mc-device"><strong>{[tk.deviceType, tk.deviceBrand, tk.deviceModel].filter(Boolean).join(' · ')}</strong></p>
      <p class="mc-problem prewrap">{tk.problem}</p>
      {tk.priceEstimate ? <p class="muted small">{t('ticket.priceEstimate')}: {fmtMoney(tk.priceEstimate, locale, currency)}</p> : null}
      {tk.finalAmount ? <p class="small">{t('ticket.finalAmount')}: <strong>{fmtMoney(tk.finalAmount, locale, currency)}</strong></p> : null}
      <TicketActions ticket={tk} onSaved={onChange} onConflict={onConflict} big />
    </article>
  );
}

export function MasterView() {
  const { api, t, locale } = useApp();
  const [items, setItems] = useState<Ticket[] | null>(null);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');

  const load = () => api.get<Page<Ticket>>(`/api/tickets${qs({ limit: 200 })}`).then((r) => { setItems(r.items); setError(''); },
    (err) => setError(errorText(t, err)));
  useEffect(() => {
    load();
    const onVis = () => { if (document.visibilityState === 'visible') load(); };
    document.addEventListener('visibilitychange', onVis);
    const h = setInterval(onVis, 60000);
    return () => { document.removeEventListener('visibilitychange', onVis); clearInterval(h); };
  }, []);

  // A declined ticket (back to new) drops out of the open list by its status.
  const replace = (tk: Ticket) => setItems((l) => (l ?? []).map((x) => (x.id === tk.id ? tk : x)));
  const conflict = (tk: Ticket) => { replace(tk); setNotice(t('conflict.detail', { at: fmtDateTime(tk.updatedAt, locale) })); };
  const now = new Date();
  const open = (items ?? []).filter((x) => isOpen(x.status) && x.status !== 'new').sort(sortOpen);
  const done = (items ?? []).filter((x) => x.status === 'completed' && x.completedAt && isSameLocalDay(new Date(x.completedAt), now));

  return (
    <section class="page master" aria-labelledby="my-h">
      <div class="page-head">
        <h1 id="my-h">{t('master.title')}</h1>
        <button type="button" class="btn btn-ghost" onClick={load}>{t('common.refresh')}</button>
      </div>
      {error ? <Banner kind="error">{error}</Banner> : null}
      {notice ? <Banner kind="warn">{notice}</Banner> : null}
      {items === null && !error ? <p class="muted" role="status">{t('common.loading')}</p> : null}
      {items !== null && !open.length ? <p class="empty">{t('master.none')}</p> : null}
      <div class="mcards">{open.map((tk) => <Card key={tk.id} tk={tk} onChange={replace} onConflict={conflict} />)}</div>
      {done.length ? (
        <>
          <h2 class="section-h">{t('master.doneToday', { n: done.length })}</h2>
          <div class="mcards">{done.map((tk) => <Card key={tk.id} tk={tk} onChange={replace} onConflict={conflict} />)}</div>
        </>
      ) : null}
    </section>
  );
}
