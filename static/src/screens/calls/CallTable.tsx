// CallTable: the call log's rows — time, direction, status, number, operator, wait and talk,
// and the call's ticket (or a "New ticket" prefilled from the call).
import { useApp } from '../../app';
import { callPhone, type Call } from '../../lib/calls';
import { fmtDateTime, fmtDuration } from '../../lib/format';
import { link } from '../../lib/router';
import { Phone } from '../../ui/Phone';
import { CallStatus } from './CallStatus';

function TicketCell({ c }: { c: Call }) {
  const { t } = useApp();
  const phone = callPhone(c);
  if (c.ticketId) return <a href={`/tickets/${c.ticketId}`} onClick={(e) => link(e, `/tickets/${c.ticketId}`)}>#{c.ticketId}</a>;
  if (!phone) return null;
  const to = `/tickets/new?phone=${encodeURIComponent(phone)}&callId=${c.id}`;
  return <a class="btn btn-small" href={to} onClick={(e) => link(e, to)}>{t('pop.newTicket')}</a>;
}

function CallRow({ c }: { c: Call }) {
  const { t, locale } = useApp();
  return (
    <tr data-call={c.id}>
      <td class="nowrap">{fmtDateTime(c.startedAt, locale)}</td>
      <td aria-label={c.direction === 'in' ? t('calls.in') : t('calls.out')} class={`dir dir-${c.direction}`}>{c.direction === 'in' ? '↙' : '↗'}</td>
      <td><CallStatus status={c.status} /></td>
      <td class="nowrap"><Phone phone={callPhone(c)} /></td>
      <td class="ellipsis">{c.operatorName ?? ''}{c.extension ? <span class="muted small"> {c.extension}</span> : null}</td>
      <td class="num-cell">{fmtDuration(c.waitSeconds)}</td>
      <td class="num-cell">{fmtDuration(c.talkSeconds)}</td>
      <td><TicketCell c={c} /></td>
    </tr>
  );
}

export function CallTable({ items }: { items: Call[] }) {
  const { t } = useApp();
  return (
    <table class="grid grid-stack">
      <thead><tr>
        <th scope="col">{t('calls.time')}</th><th scope="col"><span class="sr-only">{t('calls.direction')}</span></th>
        <th scope="col">{t('calls.status')}</th><th scope="col">{t('calls.number')}</th>
        <th scope="col">{t('calls.operator')}</th><th scope="col">{t('calls.wait')}</th>
        <th scope="col">{t('calls.talk')}</th><th scope="col">{t('calls.ticket')}</th>
      </tr></thead>
      <tbody>{items.map((c) => <CallRow key={c.id} c={c} />)}</tbody>
    </table>
  );
}
