// Chart: calls (total, answered, missed) by hour for one day, or by day with tickets created.
// uPlot and its CSS load with the first chart (their own hashed files), so the app's first
// load stays small.
import { useEffect, useRef } from 'preact/hooks';
import type uPlot from 'uplot';
import { useApp } from '../../app';
import type { Key, Vars } from '../../i18n';
import type { Dash } from './dash';

function draw(UPlot: typeof uPlot, box: HTMLDivElement, d: Dash, t: (k: Key, v?: Vars) => string) {
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
}

export function Chart({ d, title }: { d: Dash; title: string }) {
  const { t } = useApp();
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const box = el.current;
    if (!box) return;
    let plot: uPlot | null = null, ro: ResizeObserver | null = null, gone = false;
    Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')]).then(([{ default: UPlot }]) => {
      if (gone) return;
      plot = draw(UPlot, box, d, t);
      ro = new ResizeObserver(() => plot?.setSize({ width: Math.max(280, box.clientWidth), height: 240 }));
      ro.observe(box);
    }, () => { box.textContent = t('err.network'); });
    return () => { gone = true; ro?.disconnect(); plot?.destroy(); };
  }, [d, t]);
  return <figure class="card chart"><figcaption>{title}</figcaption><div ref={el} /></figure>;
}
