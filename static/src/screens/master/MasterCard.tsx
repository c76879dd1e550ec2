// MasterCard: one ticket on the master's phone — tap to call, the address as a maps link, the
// device and problem, money, and the moves the server allows as big buttons.
import { useApp } from '../../app';
import { fmtDateTime, fmtMoney } from '../../lib/format';
import { link } from '../../lib/router';
import { mapsHref, telHref, type Ticket } from '../../lib/tickets';
import { Icon } from '../../ui/Icon';
import { PriorityTag } from '../../ui/PriorityTag';
import { StatusChip } from '../../ui/StatusChip';
import { TicketActions } from '../tickets/TicketActions';

interface Props { tk: Ticket; onChange: (t: Ticket) => void; onConflict: (t: Ticket) => void }

export function MasterCard({ tk, onChange, onConflict }: Props) {
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
