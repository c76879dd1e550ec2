// format: dates, numbers and money in the chosen locale through Intl (formatters cached).

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

function dtf(locale: string, opts: Intl.DateTimeFormatOptions, tz?: string): Intl.DateTimeFormat {
  const key = `d|${locale}|${tz ?? ''}|${JSON.stringify(opts)}`;
  let f = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (!f) { f = new Intl.DateTimeFormat(locale, { ...opts, timeZone: tz }); cache.set(key, f); }
  return f;
}

function nf(locale: string, opts: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n|${locale}|${JSON.stringify(opts)}`;
  let f = cache.get(key) as Intl.NumberFormat | undefined;
  if (!f) { f = new Intl.NumberFormat(locale, opts); cache.set(key, f); }
  return f;
}

function toDate(v: string | number | Date | null | undefined): Date | null {
  if (v === null || v === undefined || v === '') return null;
  const d = v instanceof Date ? v : new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function fmtDateTime(v: string | Date | null | undefined, locale: string, tz?: string): string {
  const d = toDate(v);
  return d ? dtf(locale, { dateStyle: 'medium', timeStyle: 'short' }, tz).format(d) : '';
}

export function fmtDate(v: string | Date | null | undefined, locale: string, tz?: string): string {
  const d = toDate(v);
  return d ? dtf(locale, { dateStyle: 'medium' }, tz).format(d) : '';
}

export function fmtTime(v: string | Date | null | undefined, locale: string, tz?: string): string {
  const d = toDate(v);
  return d ? dtf(locale, { timeStyle: 'short' }, tz).format(d) : '';
}

export function fmtNumber(n: number | null | undefined, locale: string): string {
  return n === null || n === undefined ? '' : nf(locale, {}).format(n);
}

// Money arrives as a decimal string ("1250.00"); show it with the currency, 2 decimals.
export function fmtMoney(v: string | number | null | undefined, locale: string, currency = 'UAH'): string {
  if (v === null || v === undefined || v === '') return '';
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n)) return String(v);
  return nf(locale, { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n);
}

// Seconds as m:ss or h:mm:ss.
export function fmtDuration(sec: number | null | undefined): string {
  if (sec === null || sec === undefined || !Number.isFinite(sec) || sec < 0) return '';
  const s = Math.floor(sec);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  const mm = h ? String(m).padStart(2, '0') : String(m);
  return `${h ? `${h}:` : ''}${mm}:${String(r).padStart(2, '0')}`;
}

// A typed money amount ("1 250,5" or "1250.50") as the API's decimal string, or null.
export function parseMoney(text: string): string | null {
  const t = text.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  if (!/^\d{1,10}(\.\d{1,2})?$/.test(t)) return null;
  return Number(t).toFixed(2);
}

// Local calendar date (YYYY-MM-DD from <input type=date>) → ISO instant of its start; with
// endOfDay, the start of the next day (an exclusive upper bound).
export function dayBound(date: string, endOfDay = false): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return '';
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + (endOfDay ? 1 : 0));
  return d.toISOString();
}

export function isSameLocalDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}
