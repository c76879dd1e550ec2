// Dashboard: the center's figures for a window of days (GET /api/dashboard), refreshed as
// calls and tickets change.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useApp, useLive } from '../../app';
import { qs } from '../../lib/api';
import { errorText } from '../../lib/apierrors';
import { Banner } from '../../ui/Banner';
import { Chart } from './Chart';
import type { Dash } from './dash';
import { MastersTable, OperatorsTable, StatusCounts } from './Tables';
import { CallTiles, TicketTiles } from './Tiles';

const REFRESH_MS = 2000; // live events in a burst: one reload

function Figures({ d }: { d: Dash }) {
  const { t, user } = useApp();
  return (
    <>
      <p class="muted" data-window>{t('dash.windowIs', { from: d.from.slice(0, 16).replace('T', ' '), to: d.to.slice(0, 16).replace('T', ' '), tz: d.tz })}</p>
      <CallTiles c={d.calls} />
      <TicketTiles k={d.tickets} />
      <Chart d={d} title={d.series.days.length <= 1 ? t('dash.byHour') : t('dash.byDay')} />
      <StatusCounts byStatus={d.tickets.byStatus} />
      {user.role === 'admin' ? <MastersTable masters={d.masters} /> : null}
      <OperatorsTable operators={d.operators} />
    </>
  );
}

export function Dashboard() {
  const { api, t } = useApp();
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

  const value = (e: Event) => (e.target as HTMLInputElement).value;
  return (
    <section class="page dashboard" aria-labelledby="dash-h">
      <div class="page-head">
        <h1 id="dash-h">{t('nav.dashboard')}</h1>
        <form class="toolbar-form" onSubmit={(e) => e.preventDefault()} aria-label={t('dash.window')}>
          <label>{t('dash.from')}<input type="date" name="from" value={from} max={to || undefined} onChange={(e) => setFrom(value(e))} /></label>
          <label>{t('dash.to')}<input type="date" name="to" value={to} min={from || undefined} onChange={(e) => setTo(value(e))} /></label>
          <button type="button" class="btn btn-ghost" onClick={() => setTick((x) => x + 1)}>{t('common.refresh')}</button>
        </form>
      </div>
      {error ? <Banner kind="error">{error}</Banner> : null}
      {d ? <Figures d={d} /> : !error ? <p class="muted">{t('common.loading')}</p> : null}
    </section>
  );
}
