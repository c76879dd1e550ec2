// ScreenPop: on `call.ringing` a panel shows who is calling — earlier tickets and calls,
// blacklist and fraud flags — with "New ticket" prefilled with the caller's phone.
import { useState } from 'preact/hooks';
import { useApp, useLive } from '../app';
import { qs } from '../lib/api';
import { fmtDateTime } from '../lib/format';
import { link, navigate } from '../lib/router';
import type { Ticket } from '../lib/tickets';
import { callPhone, type Call } from '../lib/calls';
import { FraudReasons } from '../ui/FraudReasons';
import { StatusChip } from '../ui/StatusChip';
import { CallStatus } from './calls/CallStatus';

export interface Lookup { phone: string; blacklisted: boolean; tickets: Ticket[]; calls: Call[] }
interface Pop { call: Call; customer: Lookup | null }

export function ScreenPop() {
  const { api, t, locale } = useApp();
  const [pops, setPops] = useState<Pop[]>([]);

  useLive('call.ringing', (ev) => {
    const call: Call | undefined = ev.data?.call ?? ev.data;
    if (!call || typeof call.id !== 'number' || call.direction === 'out') return;
    const customer: Lookup | null = ev.data?.customer ?? ev.data?.lookup ?? null;
    setPops((ps) => [{ call, customer }, ...ps.filter((p) => p.call.id !== call.id)].slice(0, 3));
    const phone = callPhone(call);
    if (!customer && phone) {
      api.get<Lookup>(`/api/customers/lookup${qs({ phone })}`).then((c) =>
        setPops((ps) => ps.map((p) => (p.call.id === call.id ? { ...p, customer: c } : p))), () => {});
    }
  });
  useLive('call.*', (ev) => {
    const c: Call | undefined = ev.data?.call;
    if (!c || ev.type === 'call.ringing') return;
    setPops((ps) => ps.map((p) => (p.call.id === c.id ? { ...p, call: { ...p.call, ...c } } : p)));
  });

  if (!pops.length) return null;
  const { call, customer } = pops[0];
  const phone = callPhone(call) ?? '';
  const close = () => setPops((ps) => ps.slice(1));
  const tickets = customer?.tickets ?? [];
  const calls = (customer?.calls ?? []).filter((c) => c.id !== call.id);
  const flags = [...new Set(tickets.flatMap((tk) => tk.fraudFlags ?? []))];
  const name = tickets.find((tk) => tk.customerName)?.customerName ?? '';
  const newTicket = `/tickets/new${qs({ phone, name, callId: call.id })}`;

  return (
    <aside class="screenpop" role="dialog" aria-modal="false" aria-labelledby="pop-h" data-call={call.id}>
      <header class="pop-head">
        <div>
          <div class="pop-kicker"><span class="ring" aria-hidden="true" /> {t('pop.incoming')} <CallStatus status={call.status} /></div>
          <h2 id="pop-h">{phone}</h2>
          {name ? <div class="pop-name">{name}</div> : <div class="muted">{customer ? t('pop.newCaller') : t('common.loading')}</div>}
        </div>
        <button type="button" class="btn-icon" onClick={close} aria-label={t('common.close')}>✕</button>
      </header>
      {customer?.blacklisted ? <div class="banner banner-error" role="alert">⚠ {t('pop.blacklisted')}</div> : null}
      {flags.length ? <FraudReasons flags={flags} /> : null}
      <a class="btn btn-primary btn-block" href={newTicket} onClick={(e) => { link(e, newTicket); close(); }}>+ {t('pop.newTicket')}</a>
      <h3>{t('pop.tickets', { n: tickets.length })}</h3>
      {tickets.length ? (
        <ul class="pop-list">
          {tickets.slice(0, 5).map((tk) => (
            <li key={tk.id}>
              <a href={`/tickets/${tk.id}`} onClick={(e) => { e.preventDefault(); navigate(`/tickets/${tk.id}`); }}>{tk.number}</a>
              {' '}<StatusChip status={tk.status} />
              <div class="muted small">{[tk.deviceType, tk.deviceBrand].filter(Boolean).join(' ')} · {fmtDateTime(tk.createdAt, locale)}</div>
            </li>
          ))}
        </ul>
      ) : <p class="muted small">{t('pop.noTickets')}</p>}
      <h3>{t('pop.calls', { n: calls.length })}</h3>
      {calls.length ? (
        <ul class="pop-list">
          {calls.slice(0, 5).map((c) => <li key={c.id}><CallStatus status={c.status} /> <span class="muted small">{fmtDateTime(c.startedAt, locale)}</span></li>)}
        </ul>
      ) : <p class="muted small">{t('pop.noCalls')}</p>}
      {pops.length > 1 ? <p class="muted small">{t('pop.more', { n: pops.length - 1 })}</p> : null}
    </aside>
  );
}
