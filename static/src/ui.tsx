// ui: the small design system's building blocks — labelled fields with inline errors,
// status chips, the fraud badge, phone links with click-to-call, dialogs.
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useApp } from './app';
import { ApiError } from './lib/api';
import { apiMessage } from './lib/apierrors';
import { telHref, type Status } from './lib/tickets';
import type { Key } from './i18n';

let seq = 0;
export const useId = (prefix: string) => useState(() => `${prefix}-${++seq}`)[0];

interface FieldProps {
  label: string;
  name: string;
  value: string;
  onValue: (v: string) => void;
  error?: string | null;
  type?: string;
  required?: boolean;
  autoComplete?: string;
  inputMode?: JSX.HTMLAttributes['inputMode'];
  placeholder?: string;
  hint?: string;
  multiline?: boolean;
  options?: [string, string][];
  autoFocus?: boolean;
  disabled?: boolean;
  class?: string;
}

export function Field(p: FieldProps) {
  const id = useId(`f-${p.name}`);
  const described = [p.error ? `${id}-err` : '', p.hint ? `${id}-hint` : ''].filter(Boolean).join(' ') || undefined;
  const common = {
    id, name: p.name, required: p.required, disabled: p.disabled, 'aria-invalid': p.error ? true : undefined,
    'aria-describedby': described, autoFocus: p.autoFocus,
  };
  let control;
  if (p.options) {
    control = (
      <select {...common} value={p.value} onChange={(e) => p.onValue((e.target as HTMLSelectElement).value)}>
        {p.options.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
      </select>
    );
  } else if (p.multiline) {
    control = <textarea {...common} rows={3} value={p.value} placeholder={p.placeholder}
      onInput={(e) => p.onValue((e.target as HTMLTextAreaElement).value)} />;
  } else {
    control = <input {...common} type={p.type ?? 'text'} value={p.value} autoComplete={p.autoComplete}
      inputMode={p.inputMode} placeholder={p.placeholder}
      onInput={(e) => p.onValue((e.target as HTMLInputElement).value)} />;
  }
  return (
    <div class={`field${p.error ? ' has-error' : ''}${p.class ? ` ${p.class}` : ''}`} data-field={p.name}>
      <label for={id}>{p.label}{p.required ? <span class="req" aria-hidden="true"> *</span> : null}</label>
      {control}
      {p.hint ? <small id={`${id}-hint`} class="hint">{p.hint}</small> : null}
      {p.error ? <small id={`${id}-err`} class="field-error" role="alert">{p.error}</small> : null}
    </div>
  );
}

export function StatusChip({ status }: { status: Status }) {
  const { t } = useApp();
  return <span class={`chip st-${status}`}>{t(`status.${status}` as Key)}</span>;
}

export function PriorityTag({ priority }: { priority: string }) {
  const { t } = useApp();
  if (!priority || priority === 'normal') return null;
  return <span class={`prio prio-${priority}`}>{t(`priority.${priority}` as Key)}</span>;
}

export function fraudReason(t: (k: Key) => string, flag: string): string {
  const key = `fraud.${flag}` as Key;
  const s = t(key);
  return s === key ? flag.replace(/[_-]+/g, ' ') : s;
}

export function FraudBadge({ flags, score }: { flags: string[] | null; score?: number | null }) {
  const { t } = useApp();
  const list = flags ?? [];
  if (!list.length && !(score && score > 0)) return null;
  const reasons = list.map((f) => fraudReason(t, f));
  const label = `${t('fraud.badge')}${score ? ` ${score}` : ''}: ${reasons.join(', ') || t('fraud.score')}`;
  return (
    <span class="fraud" title={label} aria-label={label} role="img">
      <span aria-hidden="true">⚠ {t('fraud.badge')}{score ? ` ${score}` : ''}</span>
    </span>
  );
}

export function FraudReasons({ flags }: { flags: string[] | null }) {
  const { t } = useApp();
  if (!flags || !flags.length) return null;
  return (
    <ul class="fraud-reasons" aria-label={t('fraud.reasons')}>
      {flags.map((f) => <li key={f}>⚠ {fraudReason(t, f)}</li>)}
    </ul>
  );
}

// A phone number; staff get a click-to-call button (Zadarma callback), everyone a tel: link.
export function Phone({ phone, ticketId }: { phone: string | null | undefined; ticketId?: number }) {
  const { user, api, t, toast } = useApp();
  const [busy, setBusy] = useState(false);
  if (!phone) return null;
  if (user.role === 'master') return <a class="phone" href={telHref(phone)}>{phone}</a>;
  const call = async (e: Event) => {
    e.stopPropagation();
    setBusy(true);
    try {
      await api.post('/api/calls/outgoing', ticketId ? { to: phone, ticketId } : { to: phone });
      toast(t('calls.dialing', { phone }));
    } catch (err) {
      toast(errorText(t, err), 'error');
    } finally {
      setBusy(false);
    }
  };
  return (
    <span class="phone">
      <a href={telHref(phone)} onClick={(e) => e.stopPropagation()}>{phone}</a>
      <button type="button" class="btn-icon" onClick={call} disabled={busy}
        aria-label={t('calls.callTo', { phone })} title={t('calls.callTo', { phone })}>
        <Icon name="phone" />
      </button>
    </span>
  );
}

const ICONS = {
  phone: 'M6.6 10.8a15.1 15.1 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.25 11.4 11.4 0 0 0 3.6.57 1 1 0 0 1 1 1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.25.2 2.45.57 3.57a1 1 0 0 1-.25 1z',
  pin: 'M12 2a7 7 0 0 0-7 7c0 5.25 7 13 7 13s7-7.75 7-13a7 7 0 0 0-7-7zm0 9.5A2.5 2.5 0 1 1 12 6.5a2.5 2.5 0 0 1 0 5z',
};

// Inline SVG icons: no icon font, no emoji (which not every system can draw).
export function Icon({ name, size = 14 }: { name: keyof typeof ICONS; size?: number }) {
  return <svg class="icon" viewBox="0 0 24 24" width={size} height={size} aria-hidden="true"><path fill="currentColor" d={ICONS[name]} /></svg>;
}

export function errorText(t: (k: Key, v?: Record<string, string | number>) => string, err: unknown): string {
  if (err instanceof ApiError) {
    if (err.code === 'integration_disabled') return t('err.integration_disabled');
    if (err.status === 429) return t('err.rate_limited', { s: err.retryAfter ?? 1 });
    if (err.status === 0 || err.code === 'http_502' || err.status >= 500) return t('err.server');
    return apiMessage(t, err) || t('err.generic');
  }
  if (err instanceof DOMException && err.name === 'AbortError') return '';
  return t('err.network');
}

export function Dialog({ open, title, onClose, children }: { open: boolean; title: string; onClose: () => void; children: ComponentChildren }) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId('dlg');
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={ref} aria-labelledby={id} onClose={onClose} class="dialog">
      <header class="dialog-head">
        <h2 id={id}>{title}</h2>
        <button type="button" class="btn-icon" onClick={onClose} aria-label="×">✕</button>
      </header>
      {open ? children : null}
    </dialog>
  );
}

export function Banner({ kind = 'info', children }: { kind?: 'info' | 'error' | 'warn' | 'ok'; children: ComponentChildren }) {
  return <div class={`banner banner-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>{children}</div>;
}

export function Loading() {
  const { t } = useApp();
  return <p class="muted loading" role="status">{t('common.loading')}</p>;
}
