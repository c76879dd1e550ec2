// MasterView: the phone-sized view for field technicians — my open tickets and today's done.
// Masters have no WebSocket (/ws refuses them), so the list refreshes when the page regains
// focus and once a minute.
import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../../app';
import { qs, type Page } from '../../lib/api';
import { errorText } from '../../lib/apierrors';
import { fmtDateTime, isSameLocalDay } from '../../lib/format';
import { isOpen, type Ticket } from '../../lib/tickets';
import { Banner } from '../../ui/Banner';
import { MasterCard } from './MasterCard';

// Work in hand first, then by the time it is due.
const ORDER = ['in_progress', 'accepted', 'assigned'];

function sortOpen(a: Ticket, b: Ticket): number {
  const d = ORDER.indexOf(a.status) - ORDER.indexOf(b.status);
  if (d) return d;
  const sa = a.scheduledAt ? Date.parse(a.scheduledAt) : Infinity, sb = b.scheduledAt ? Date.parse(b.scheduledAt) : Infinity;
  return sa - sb || a.id - b.id;
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
  const cards = (list: Ticket[]) => <div class="mcards">{list.map((tk) => <MasterCard key={tk.id} tk={tk} onChange={replace} onConflict={conflict} />)}</div>;

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
      {cards(open)}
      {done.length ? <><h2 class="section-h">{t('master.doneToday', { n: done.length })}</h2>{cards(done)}</> : null}
    </section>
  );
}
