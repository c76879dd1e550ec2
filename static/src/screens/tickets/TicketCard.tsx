// TicketCard: a ticket's facts as a definition list — customer, phone, address as a maps
// link, device, master, times and money — then its problem, notes and fraud reasons.
import type { ComponentChildren } from 'preact';
import { useApp } from '../../app';
import { fmtDateTime, fmtMoney } from '../../lib/format';
import { mapsHref, type Ticket } from '../../lib/tickets';
import { FraudReasons } from '../../ui/FraudReasons';
import { Phone } from '../../ui/Phone';
import type { Key } from '../../i18n';

function Props({ tk }: { tk: Ticket }) {
  const { t, locale, currency } = useApp();
  const maps = mapsHref(tk.address, tk.city);
  const row = (k: Key, v: ComponentChildren) => (v === null || v === undefined || v === '' ? null : <><dt>{t(k)}</dt><dd>{v}</dd></>);
  return (
    <dl class="props">
      {row('ticket.customer', tk.customerName)}
      {row('ticket.phone', <Phone phone={tk.customerPhone} ticketId={tk.id} />)}
      {row('ticket.customerEmail', tk.customerEmail)}
      {row('ticket.address', maps ? <a href={maps} target="_blank" rel="noopener noreferrer">{[tk.address, tk.city].filter(Boolean).join(', ')}</a> : null)}
      {row('ticket.device', [tk.deviceType, tk.deviceBrand, tk.deviceModel].filter(Boolean).join(' · '))}
      {row('ticket.serialNumber', tk.serialNumber)}
      {row('ticket.master', tk.masterName)}
      {row('ticket.scheduledAt', fmtDateTime(tk.scheduledAt, locale))}
      {row('ticket.priceEstimate', fmtMoney(tk.priceEstimate, locale, currency))}
      {row('ticket.finalAmount', fmtMoney(tk.finalAmount, locale, currency))}
      {row('ticket.source', tk.source ? t(`source.${tk.source}` as Key) : null)}
      {row('ticket.created', fmtDateTime(tk.createdAt, locale))}
      {row('ticket.completedAt', fmtDateTime(tk.completedAt, locale))}
    </dl>
  );
}

// `actions` (the status buttons) go on top of the card.
export function TicketCard({ tk, actions }: { tk: Ticket; actions: ComponentChildren }) {
  const { t } = useApp();
  return (
    <div class="card">
      {actions}
      <Props tk={tk} />
      <h2 class="h-small">{t('ticket.problem')}</h2>
      <p class="prewrap">{tk.problem}</p>
      {tk.notes ? <><h2 class="h-small">{t('ticket.notes')}</h2><p class="prewrap">{tk.notes}</p></> : null}
      {tk.fraudFlags?.length ? <><h2 class="h-small">{t('fraud.reasons')}</h2><FraudReasons flags={tk.fraudFlags} /></> : null}
    </div>
  );
}
