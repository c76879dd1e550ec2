// Tables: the dashboard's breakdowns — tickets by status, per master (admins only), per operator.
import { useApp } from '../../app';
import { fmtDuration, fmtMoney, fmtNumber } from '../../lib/format';
import type { Key } from '../../i18n';
import type { Dash } from './dash';

export function StatusCounts({ byStatus }: { byStatus: Record<string, number> }) {
  const { t, locale } = useApp();
  return (
    <div class="card">
      <h2>{t('dash.byStatus')}</h2>
      <ul class="status-counts">
        {Object.entries(byStatus).map(([s, v]) => <li key={s} data-status={s}><span class={`badge status-${s}`}>{t(`status.${s}` as Key)}</span> {fmtNumber(v ?? 0, locale)}</li>)}
      </ul>
    </div>
  );
}

export function MastersTable({ masters }: { masters: Dash['masters'] }) {
  const { t, locale } = useApp();
  const n = (v: number) => fmtNumber(v ?? 0, locale);
  return (
    <div class="table-wrap">
      <table class="grid" aria-label={t('dash.masters')}>
        <caption>{t('dash.masters')}</caption>
        <thead><tr><th scope="col">{t('ticket.master')}</th><th scope="col" class="right">{t('dash.open')}</th><th scope="col" class="right">{t('dash.completed')}</th><th scope="col" class="right">{t('dash.revenue')}</th><th scope="col" class="right">{t('dash.avgCompletion')}</th></tr></thead>
        <tbody>
          {masters.map((m) => (
            <tr key={m.id} data-master={m.id}><td>{m.name}</td><td class="right">{n(m.open)}</td><td class="right">{n(m.completed)}</td>
              <td class="right nowrap">{fmtMoney(m.revenue, locale)}</td><td class="right">{m.avgCompletionSeconds === null ? '—' : fmtDuration(m.avgCompletionSeconds)}</td></tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function OperatorsTable({ operators }: { operators: Dash['operators'] }) {
  const { t, locale } = useApp();
  const n = (v: number) => fmtNumber(v ?? 0, locale);
  return (
    <div class="table-wrap">
      <table class="grid" aria-label={t('dash.operators')}>
        <caption>{t('dash.operators')}</caption>
        <thead><tr><th scope="col">{t('dash.operator')}</th><th scope="col" class="right">{t('dash.callsHandled')}</th><th scope="col" class="right">{t('dash.ticketsCreated')}</th></tr></thead>
        <tbody>
          {operators.map((o) => (
            <tr key={o.id} data-operator={o.id}><td>{o.name}</td><td class="right">{n(o.callsHandled)}</td><td class="right">{n(o.ticketsCreated)}</td></tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
