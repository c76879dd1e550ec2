// Dashboard: the center's figures for a window of days (GET /api/dashboard), refreshed as
// calls and tickets change. Charts are uPlot: calls by hour for one day, by day otherwise. It
// loads with the first chart (its own hashed file), so the first load of the app stays small.
import { useEffect, useRef, useState } from 'preact/hooks';
import type uPlot from 'uplot';
import { useApp, useLive } from '../app';
import { qs } from '../lib/api';
import { fmtDuration, fmtMoney, fmtNumber } from '../lib/format';
import { Banner, errorText } from '../ui';
import type { Key } from '../i18n';

interface Counts { total: number; answered: number; missed: number }
interface Dash {
  from: string; to: string; tz: string;
  calls: Counts & { incoming: number; outgoing: number; missedOpen: number; answerRate: number | null;
    avgWaitSeconds: number | null; avgTalkSeconds: number | null; byHour: (Counts & { hour: number })[] };
  tickets: { created: number; completed: number; cancelled: number; byStatus: Record<string, number>;
    revenue: string; fromCalls: number; conversion: number | null };
  masters: { id: string; name: string; open: number; completed: number; revenue: string; avgCompletionSeconds: number | null }[];
  operators: { id: string; name: string; callsHandled: number; ticketsCreated: number }[];
  series: { days: { date: string; calls: number; answered: number; missed: number; ticketsCreated: number;
    ticketsCompleted: number; revenue: string }[] };
}

const REFRESH_MS = 2000; // live events in a burst: one reload
const pct = (v: number | null, locale: string) => (v === null ? '—' : `${fmtNumber(Math.round(v * 1000) / 10, locale)} %`);

function Tile({ label, value, hint, id }: { label: string; value: string; hint?: string; id: string }) {
  return (
    <div class="tile" data-kpi={id}>
      <span class="tile-label">{label}</span>
      <strong class="tile-value">{value}</strong>
      {hint ? <span class="tile-hint">{hint}</span> : null}
    </div>
  );
}

// Calls (total, answered, missed) and tickets created, by hour of one day or by day.
function Chart({ d, title }: { d: Dash; title: string }) {
  const { t } = useApp();
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const box = el.current;
    if (!box) return;
    let plot: uPlot | null = null, ro: ResizeObserver | null = null, gone = false;
    Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')]).then(([{ default: UPlot }]) => {
      if (gone) return;
      plot = draw(UPlot, box);
      ro = new ResizeObserver(() => plot?.setSize({ width: Math.max(280, box.clientWidth), height: 240 }));
      ro.observe(box);
    }, () => { box.textContent = t('err.network'); });
    return () => { gone = true; ro?.disconnect(); plot?.destroy(); };
  }, [d, t]);
  const draw = (UPlot: typeof uPlot, box: HTMLDivElement) => {
    const hourly = d.series.days.length <= 1;
    const x = hourly ? d.calls.byHour.map((h) => h.hour) : d.series.days.map((_, i) => i);
    const pick = (k: 'total' | 'answered' | 'missed') =>
      hourly ? d.calls.byHour.map((h) => h[k]) : d.series.days.map((s) => (k === 'total' ? s.calls : s[k]));
    const labels = hourly ? x.map((h) => `${String(h).padStart(2, '0')}:00`) : d.series.days.map((s) => s.date.slice(5));
    const series: uPlot.Series[] = [
      { label: hourly ? t('dash.hour') : t('dash.day'), value: (_u, v) => (v === null ? '—' : labels[v] ?? '') },
      { label: t('dash.calls'), stroke: '#2563eb', width: 2 },
      { label: t('dash.answered'), stroke: '#16a34a', width: 2 },
      { label: t('dash.missed'), stroke: '#dc2626', width: 2 },
    ];
    const data: uPlot.AlignedData = [x, pick('total'), pick('answered'), pick('missed')];
    if (!hourly) {
      series.push({ label: t('dash.ticketsCreated'), stroke: '#9333ea', width: 2, dash: [6, 4] });
      data.push(d.series.days.map((s) => s.ticketsCreated));
    }
    return new UPlot({
      width: Math.max(280, box.clientWidth), height: 240, series, legend: { show: true },
      scales: { x: { time: false } },
      axes: [{ incrs: [1, 2, 3, 6, 7, 14, 30, 60, 90], values: (_u, ticks) => ticks.map((i) => labels[i] ?? '') }, { incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] }],
    }, data, box);
  };
  return <figure class="card chart"><figcaption>{title}</figcaption><div ref={el} /></figure>;
}

export function Dashboard() {
  const { api, t, locale, user } = useApp();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [d, setD] = useState<Dash | null>(null);
  const [error, setError] = useState('');
  const [tick, setTick] = useState(0);
  const timer = useRef<number>();
  useEffect(() => {
    let gone = false;
    api.get<Dash>(`/api/dashboard${qs({ from: from || undefined, to: to || undefined })}`)
      .then((r) => { if (!gone) { setD(r); setError(''); } }, (e) => { if (!gone) setError(errorText(t, e)); });
    return () => { gone = true; };
  }, [from, to, tick]);
  const soon = () => {
    clearTimeout(timer.current);
    timer.current = window.setTimeout(() => setTick((n) => n + 1), REFRESH_MS);
  };
  useEffect(() => () => clearTimeout(timer.current), []);
  for (const type of ['ticket.created', 'ticket.updated', 'call.ended', 'resync']) useLive(type, soon);

  const c = d?.calls, k = d?.tickets;
  const n = (v: number | undefined) => fmtNumber(v ?? 0, locale);
  return (
    <section class="page dashboard" aria-labelledby="dash-h">
      <div class="page-head">
        <h1 id="dash-h">{t('nav.dashboard')}</h1>
        <form class="toolbar-form" onSubmit={(e) => e.preventDefault()} aria-label={t('dash.window')}>
          <label>{t('dash.from')}<input type="date" name="from" value={from} max={to || undefined} onChange={(e) => setFrom((e.target as HTMLInputElement).value)} /></label>
          <label>{t('dash.to')}<input type="date" name="to" value={to} min={from || undefined} onChange={(e) => setTo((e.target as HTMLInputElement).value)} /></label>
          <button type="button" class="btn btn-ghost" onClick={() => setTick((x) => x + 1)}>{t('common.refresh')}</button>
        </form>
      </div>
      {error ? <Banner kind="error">{error}</Banner> : null}
      {d && c && k ? (
        <>
          <p class="muted" data-window>{t('dash.windowIs', { from: d.from.slice(0, 16).replace('T', ' '), to: d.to.slice(0, 16).replace('T', ' '), tz: d.tz })}</p>
          <div class="tiles" aria-label={t('dash.calls')}>
            <Tile id="calls" label={t('dash.calls')} value={n(c.total)} hint={t('dash.inOut', { in: n(c.incoming), out: n(c.outgoing) })} />
            <Tile id="answered" label={t('dash.answered')} value={n(c.answered)} hint={pct(c.answerRate, locale)} />
            <Tile id="missed" label={t('dash.missed')} value={n(c.missed)} hint={t('dash.missedOpen', { n: n(c.missedOpen) })} />
            <Tile id="wait" label={t('dash.avgWait')} value={c.avgWaitSeconds === null ? '—' : fmtDuration(c.avgWaitSeconds)} />
            <Tile id="talk" label={t('dash.avgTalk')} value={c.avgTalkSeconds === null ? '—' : fmtDuration(c.avgTalkSeconds)} />
          </div>
          <div class="tiles" aria-label={t('nav.tickets')}>
            <Tile id="created" label={t('dash.ticketsCreated')} value={n(k.created)} hint={t('dash.fromCalls', { n: n(k.fromCalls) })} />
            <Tile id="completed" label={t('dash.completed')} value={n(k.completed)} />
            <Tile id="cancelled" label={t('dash.cancelled')} value={n(k.cancelled)} />
            <Tile id="revenue" label={t('dash.revenue')} value={fmtMoney(k.revenue, locale)} />
            <Tile id="conversion" label={t('dash.conversion')} value={pct(k.conversion, locale)} />
          </div>
          <Chart d={d} title={d.series.days.length <= 1 ? t('dash.byHour') : t('dash.byDay')} />
          <div class="card">
            <h2>{t('dash.byStatus')}</h2>
            <ul class="status-counts">
              {Object.entries(k.byStatus).map(([s, v]) => <li key={s} data-status={s}><span class={`badge status-${s}`}>{t(`status.${s}` as Key)}</span> {n(v)}</li>)}
            </ul>
          </div>
          {user.role === 'admin' ? (
            <div class="table-wrap">
              <table class="grid" aria-label={t('dash.masters')}>
                <caption>{t('dash.masters')}</caption>
                <thead><tr><th scope="col">{t('ticket.master')}</th><th scope="col" class="right">{t('dash.open')}</th><th scope="col" class="right">{t('dash.completed')}</th><th scope="col" class="right">{t('dash.revenue')}</th><th scope="col" class="right">{t('dash.avgCompletion')}</th></tr></thead>
                <tbody>
                  {d.masters.map((m) => (
                    <tr key={m.id} data-master={m.id}><td>{m.name}</td><td class="right">{n(m.open)}</td><td class="right">{n(m.completed)}</td>
                      <td class="right nowrap">{fmtMoney(m.revenue, locale)}</td><td class="right">{m.avgCompletionSeconds === null ? '—' : fmtDuration(m.avgCompletionSeconds)}</td></tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          <div class="table-wrap">
            <table class="grid" aria-label={t('dash.operators')}>
              <caption>{t('dash.operators')}</caption>
              <thead><tr><th scope="col">{t('dash.operator')}</th><th scope="col" class="right">{t('dash.callsHandled')}</th><th scope="col" class="right">{t('dash.ticketsCreated')}</th></tr></thead>
              <tbody>
                {d.operators.map((o) => (
                  <tr key={o.id} data-operator={o.id}><td>{o.name}</td><td class="right">{n(o.callsHandled)}</td><td class="right">{n(o.ticketsCreated)}</td></tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : !error ? <p class="muted">{t('common.loading')}</p> : null}
    </section>
  );
}
