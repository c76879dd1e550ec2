// TicketDetail: one ticket — its facts, the status moves the server allows, dispatch to a
// master and the history timeline. A live change shows at once and the history follows.
import { useEffect, useState } from 'preact/hooks';
import { useApp, useLive } from '../../app';
import { errorText } from '../../lib/apierrors';
import { fmtDateTime } from '../../lib/format';
import { link } from '../../lib/router';
import { isOpen, withMoves, type Ticket } from '../../lib/tickets';
import { Banner } from '../../ui/Banner';
import { FraudBadge } from '../../ui/FraudBadge';
import { Loading } from '../../ui/Loading';
import { PriorityTag } from '../../ui/PriorityTag';
import { StatusChip } from '../../ui/StatusChip';
import { Dispatch } from './Dispatch';
import { TicketActions } from './TicketActions';
import { TicketCard } from './TicketCard';
import { Timeline, type HistoryEntry } from './Timeline';

function Head({ ticket }: { ticket: Ticket }) {
  const { t, user } = useApp();
  const staff = user.role !== 'master';
  const edit = `/tickets/${ticket.id}/edit`;
  return (
    <div class="page-head">
      <div>
        {staff ? <a class="back" href="/tickets" onClick={(e) => link(e, '/tickets')}>← {t('tickets.title')}</a>
          : <a class="back" href="/my" onClick={(e) => link(e, '/my')}>← {t('nav.my')}</a>}
        <h1 id="detail-h">{ticket.number} <StatusChip status={ticket.status} /> <PriorityTag priority={ticket.priority} /> <FraudBadge flags={ticket.fraudFlags} score={ticket.fraudScore} /></h1>
      </div>
      {staff && isOpen(ticket.status) ? <a class="btn" href={edit} onClick={(e) => link(e, edit)}>{t('common.edit')}</a> : null}
    </div>
  );
}

export function TicketDetail({ params }: { params: Record<string, string> }) {
  const { api, t, locale, user, config } = useApp();
  const [ticket, setTicket] = useState<Ticket | null>(null);
  const [history, setHistory] = useState<HistoryEntry[]>([]);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');

  const load = () => api.get<{ ticket: Ticket; history: HistoryEntry[] }>(`/api/tickets/${params.id}`).then((r) => {
    setTicket(r.ticket);
    setHistory(r.history ?? []);
  }, (err) => setError(errorText(t, err)));
  useEffect(() => { load(); }, [params.id]);

  useLive('resync', () => { load(); });
  useLive('ticket.updated', (ev) => {
    const tk: Ticket | undefined = ev.data?.ticket;
    if (!tk || String(tk.id) !== params.id || (ticket && tk.version <= ticket.version)) return;
    setTicket((cur) => (cur && cur.version >= tk.version ? cur : withMoves(tk, config?.ticketMoves, user)));
    load();
  });

  if (error) return <Banner kind="error">{error}</Banner>;
  if (!ticket) return <Loading />;
  const saved = (tk: Ticket) => { setTicket(tk); setNotice(''); load(); };
  const conflict = (tk: Ticket) => { setTicket(tk); setNotice(t('conflict.detail', { at: fmtDateTime(tk.updatedAt, locale) })); load(); };

  return (
    <section class="page" aria-labelledby="detail-h">
      <Head ticket={ticket} />
      {notice ? <Banner kind="warn">{notice}</Banner> : null}
      <div class="detail-grid">
        <div class="stack">
          <TicketCard tk={ticket} actions={<TicketActions ticket={ticket} onSaved={saved} onConflict={conflict} />} />
        </div>
        <div class="stack">
          {user.role !== 'master' ? <Dispatch ticket={ticket} onSaved={saved} onConflict={conflict} /> : null}
          <div class="card">
            <h2>{t('history.title')}</h2>
            <Timeline history={history} />
          </div>
        </div>
      </div>
    </section>
  );
}
