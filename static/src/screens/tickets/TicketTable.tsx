// TicketTable: the ticket list's rows (a row opens its ticket; on a phone they stack); rows
// that just arrived live flash for a moment.
import { useApp } from '../../app';
import { fmtDateTime } from '../../lib/format';
import { link, navigate } from '../../lib/router';
import type { Ticket } from '../../lib/tickets';
import { FraudBadge } from '../../ui/FraudBadge';
import { Phone } from '../../ui/Phone';
import { PriorityTag } from '../../ui/PriorityTag';
import { StatusChip } from '../../ui/StatusChip';

function TicketRow({ tk, flash }: { tk: Ticket; flash: boolean }) {
  const { locale } = useApp();
  const href = `/tickets/${tk.id}`;
  return (
    <tr class={flash ? 'flash' : ''} data-ticket={tk.number}
      onClick={(e) => { if (!(e.target as HTMLElement).closest('a,button')) navigate(href); }}>
      <td class="nowrap">
        <a class="num" href={href} onClick={(e) => link(e, href)}>{tk.number}</a>
        {' '}<PriorityTag priority={tk.priority} />
      </td>
      <td><StatusChip status={tk.status} /> <FraudBadge flags={tk.fraudFlags} score={tk.fraudScore} /></td>
      <td class="ellipsis">{tk.customerName}<div class="sub ellipsis">{[tk.address, tk.city].filter(Boolean).join(', ')}</div></td>
      <td class="nowrap"><Phone phone={tk.customerPhone} ticketId={tk.id} /></td>
      <td class="ellipsis">{[tk.deviceType, tk.deviceBrand, tk.deviceModel].filter(Boolean).join(' · ')}</td>
      <td class="ellipsis">{tk.masterName ?? <span class="muted">—</span>}</td>
      <td class="nowrap">{fmtDateTime(tk.createdAt, locale)}</td>
    </tr>
  );
}

export function TicketTable({ items, fresh }: { items: Ticket[]; fresh: Set<number> }) {
  const { t } = useApp();
  return (
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
        {items.map((tk) => <TicketRow key={tk.id} tk={tk} flash={fresh.has(tk.id)} />)}
      </tbody>
    </table>
  );
}
