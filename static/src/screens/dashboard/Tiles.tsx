// Tiles: the dashboard's key figures — one row for calls, one for tickets.
import { useApp } from '../../app';
import { fmtDuration, fmtMoney, fmtNumber } from '../../lib/format';
import type { Dash } from './dash';

const pct = (v: number | null, locale: string) => (v === null ? '—' : `${fmtNumber(Math.round(v * 1000) / 10, locale)} %`);
const duration = (s: number | null) => (s === null ? '—' : fmtDuration(s));

function Tile({ label, value, hint, id }: { label: string; value: string; hint?: string; id: string }) {
  return (
    <div class="tile" data-kpi={id}>
      <span class="tile-label">{label}</span>
      <strong class="tile-value">{value}</strong>
      {hint ? <span class="tile-hint">{hint}</span> : null}
    </div>
  );
}

export function CallTiles({ c }: { c: Dash['calls'] }) {
  const { t, locale } = useApp();
  const n = (v: number) => fmtNumber(v ?? 0, locale);
  return (
    <div class="tiles" aria-label={t('dash.calls')}>
      <Tile id="calls" label={t('dash.calls')} value={n(c.total)} hint={t('dash.inOut', { in: n(c.incoming), out: n(c.outgoing) })} />
      <Tile id="answered" label={t('dash.answered')} value={n(c.answered)} hint={pct(c.answerRate, locale)} />
      <Tile id="missed" label={t('dash.missed')} value={n(c.missed)} hint={t('dash.missedOpen', { n: n(c.missedOpen) })} />
      <Tile id="wait" label={t('dash.avgWait')} value={duration(c.avgWaitSeconds)} />
      <Tile id="talk" label={t('dash.avgTalk')} value={duration(c.avgTalkSeconds)} />
    </div>
  );
}

export function TicketTiles({ k }: { k: Dash['tickets'] }) {
  const { t, locale } = useApp();
  const n = (v: number) => fmtNumber(v ?? 0, locale);
  return (
    <div class="tiles" aria-label={t('nav.tickets')}>
      <Tile id="created" label={t('dash.ticketsCreated')} value={n(k.created)} hint={t('dash.fromCalls', { n: n(k.fromCalls) })} />
      <Tile id="completed" label={t('dash.completed')} value={n(k.completed)} />
      <Tile id="cancelled" label={t('dash.cancelled')} value={n(k.cancelled)} />
      <Tile id="revenue" label={t('dash.revenue')} value={fmtMoney(k.revenue, locale)} />
      <Tile id="conversion" label={t('dash.conversion')} value={pct(k.conversion, locale)} />
    </div>
  );
}
