// TicketDetail: one ticket — its fields, fraud reasons, status moves, dispatch to a master
// (with their open-ticket counts) and the history timeline; live updates apply in place.
import { useEffect, useState } from 'preact/hooks';
import { useApp, useLive } from '../app';
import { fmtDateTime, fmtMoney } from '../lib/format';
import { isOpen, mapsHref, type Ticket } from '../lib/tickets';
import { Banner, errorText, FraudBadge, FraudReasons, Loading, Phone, PriorityTag, StatusChip } from '../ui';
import { link } from './Shell';
import { TicketActions, patchTicket } from './TicketActions';
import { useMasters } from './Tickets';
import type { Key } from '../i18n';

export interface HistoryEntry { at: string; userId: string | null; userName: string | null; action: string; from: string | null; to: string | null; changes: Record<string, unknown> | null }

function changeText(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (Array.isArray(v)) return v.length ? v.map(changeText).join(', ') : '—';
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('from' in o || 'to' in o) return `${changeText(o.from)} → ${changeText(o.to)}`;
    if ('old' in o || 'new' in o) return `${changeText(o.old)} → ${changeText(o.new)}`;
    return JSON.stringify(v);
  }
  return String(v);
}

// The status shows in the entry's head, the master as masterName; ids say nothing to people.
const HIDDEN_CHANGES = ['status', 'masterId', 'createdBy', 'callId', 'completedAt'];

function Timeline({ history }: { history: HistoryEntry[] }) {
  const { t, locale } = useApp();
  if (!history.length) return <p class="muted">{t('history.none')}</p>;
  return (
    <ol class="timeline">
      {history.map((h, i) => {
        const label = t(`history.${h.action}` as Key);
        return (
          <li key={i}>
            <div class="tl-head">
              <strong>{label === `history.${h.action}` ? h.action : label}</strong>
              {h.from && h.to && h.from !== h.to ? <span> {t(`status.${h.from}` as Key)} → {t(`status.${h.to}` as Key)}</span> : null}
            </div>
            <div class="tl-meta muted"><time dateTime={h.at}>{fmtDateTime(h.at, locale)}</time>{h.userName ? ` · ${h.userName}` : ''}</div>
            {h.changes && Object.keys(h.changes).length ? (
              <ul class="tl-changes">
                {Object.entries(h.changes).filter(([k]) => !HIDDEN_CHANGES.includes(k)).map(([k, v]) => {
                  const name = t(`ticket.${k}` as Key);
                  return <li key={k}><span class="muted">{name === `ticket.${k}` ? k : name}:</span> {changeText(v)}</li>;
                })}
              </ul>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}

function Dispatch({ ticket, onSaved, onConflict }: { ticket: Ticket; onSaved: (t: Ticket) => void; onConflict: (t: Ticket) => void }) {
  const { api, t, toast } = useApp();
  const masters = useMasters(ticket.version);
  const [pick, setPick] = useState(ticket.masterId ?? '');
  const [busy, setBusy] = useState(false);
  useEffect(() => setPick(ticket.masterId ?? ''), [ticket.masterId]);
  // The master changes only by assigning (from new) or reassigning (while still assigned).
  if (ticket.status !== 'new' && ticket.status !== 'assigned') return null;
  const assign = async (e: Event) => {
    e.preventDefault();
    if (!pick) return;
    setBusy(true);
    try {
      await patchTicket(api, ticket, { masterId: pick }, (tk) => { onSaved(tk); toast(t('dispatch.done', { name: tk.masterName ?? '' })); }, onConflict);
    } catch (err) {
      toast(errorText(t, err), 'error');
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card dispatch" onSubmit={assign} aria-labelledby="dispatch-h">
      <h2 id="dispatch-h">{t('dispatch.title')}</h2>
      {masters === null ? <p class="muted">{t('common.loading')}</p> : masters.length ? (
        <fieldset class="master-pick">
          <legend class="sr-only">{t('dispatch.pick')}</legend>
          {masters.map((m) => (
            <label key={m.id} class={`master-opt${pick === m.id ? ' picked' : ''}`}>
              <input type="radio" name="master" value={m.id} checked={pick === m.id} onChange={() => setPick(m.id)} />
              <span class="mo-name">{m.fullName || m.username}</span>
              <span class="mo-count" title={t('dispatch.open')}>{t('dispatch.openN', { n: m.openTickets ?? 0 })}</span>
            </label>
          ))}
        </fieldset>
      ) : <p class="muted">{t('dispatch.noMasters')}</p>}
      <button class="btn btn-primary" type="submit" disabled={busy || !pick || pick === ticket.masterId}>
        {ticket.masterId ? t('dispatch.reassign') : t('dispatch.assign')}
      </button>
    </form>
  );
}

export function TicketDetail({ params }: { params: Record<string, string> }) {
  const { api, t, locale, user, currency } = useApp();
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
    if (tk && String(tk.id) === params.id && (!ticket || tk.version > ticket.version)) load();
  });

  if (error) return <Banner kind="error">{error}</Banner>;
  if (!ticket) return <Loading />;
  const saved = (tk: Ticket) => { setTicket(tk); setNotice(''); load(); };
  const conflict = (tk: Ticket) => { setTicket(tk); setNotice(t('conflict.detail', { at: fmtDateTime(tk.updatedAt, locale) })); load(); };
  const staff = user.role !== 'master';
  const maps = mapsHref(ticket.address, ticket.city);
  const row = (k: Key, v: preact.ComponentChildren) => (v === null || v === undefined || v === '' ? null : <><dt>{t(k)}</dt><dd>{v}</dd></>);

  return (
    <section class="page" aria-labelledby="detail-h">
      <div class="page-head">
        <div>
          {staff ? <a class="back" href="/tickets" onClick={(e) => link(e, '/tickets')}>← {t('tickets.title')}</a>
            : <a class="back" href="/my" onClick={(e) => link(e, '/my')}>← {t('nav.my')}</a>}
          <h1 id="detail-h">{ticket.number} <StatusChip status={ticket.status} /> <PriorityTag priority={ticket.priority} /> <FraudBadge flags={ticket.fraudFlags} score={ticket.fraudScore} /></h1>
        </div>
        {staff && isOpen(ticket.status) ? <a class="btn" href={`/tickets/${ticket.id}/edit`} onClick={(e) => link(e, `/tickets/${ticket.id}/edit`)}>{t('common.edit')}</a> : null}
      </div>
      {notice ? <Banner kind="warn">{notice}</Banner> : null}
      <div class="detail-grid">
        <div class="stack">
          <div class="card">
            <TicketActions ticket={ticket} onSaved={saved} onConflict={conflict} />
            <dl class="props">
              {row('ticket.customer', ticket.customerName)}
              {row('ticket.phone', <Phone phone={ticket.customerPhone} ticketId={ticket.id} />)}
              {row('ticket.customerEmail', ticket.customerEmail)}
              {row('ticket.address', maps ? <a href={maps} target="_blank" rel="noopener noreferrer">{[ticket.address, ticket.city].filter(Boolean).join(', ')}</a> : null)}
              {row('ticket.device', [ticket.deviceType, ticket.deviceBrand, ticket.deviceModel].filter(Boolean).join(' · '))}
              {row('ticket.serialNumber', ticket.serialNumber)}
              {row('ticket.master', ticket.masterName)}
              {row('ticket.scheduledAt', fmtDateTime(ticket.scheduledAt, locale))}
              {row('ticket.priceEstimate', fmtMoney(ticket.priceEstimate, locale, currency))}
              {row('ticket.finalAmount', fmtMoney(ticket.finalAmount, locale, currency))}
              {row('ticket.source', ticket.source ? t(`source.${ticket.source}` as Key) : null)}
              {row('ticket.created', fmtDateTime(ticket.createdAt, locale))}
              {row('ticket.completedAt', fmtDateTime(ticket.completedAt, locale))}
            </dl>
            <h2 class="h-small">{t('ticket.problem')}</h2>
            <p class="prewrap">{ticket.problem}</p>
            {ticket.notes ? <><h2 class="h-small">{t('ticket.notes')}</h2><p class="prewrap">{ticket.notes}</p></> : null}
            {ticket.fraudFlags?.length ? <><h2 class="h-small">{t('fraud.reasons')}</h2><FraudReasons flags={ticket.fraudFlags} /></> : null}
          </div>
        </div>
        <div class="stack">
          {staff ? <Dispatch ticket={ticket} onSaved={saved} onConflict={conflict} /> : null}
          <div class="card">
            <h2>{t('history.title')}</h2>
            <Timeline history={history} />
          </div>
        </div>
      </div>
    </section>
  );
}
