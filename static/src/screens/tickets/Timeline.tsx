// Timeline: a ticket's history — who did what when, status moves and the fields each edit
// changed (ids, which say nothing to people, left out).
import { useApp } from '../../app';
import { fmtDateTime } from '../../lib/format';
import type { Key } from '../../i18n';

export interface HistoryEntry { at: string; userId: string | null; userName: string | null; action: string; from: string | null; to: string | null; changes: Record<string, unknown> | null }

function changeText(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (Array.isArray(v)) return v.length ? v.map(changeText).join(', ') : '—';
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('from' in o || 'to' in o) return `${changeText(o.from)} → ${changeText(o.to)}`;
    if ('old' in o || 'new' in o) return `${changeText(o.old)} → ${changeText(o.new)}`;
    return JSON.stringify(v);
  }
  return String(v);
}

// The status shows in the entry's head, the master as masterName; ids say nothing to people.
const HIDDEN_CHANGES = ['status', 'masterId', 'createdBy', 'callId', 'completedAt'];

function Changes({ changes }: { changes: Record<string, unknown> }) {
  const { t } = useApp();
  return (
    <ul class="tl-changes">
      {Object.entries(changes).filter(([k]) => !HIDDEN_CHANGES.includes(k)).map(([k, v]) => {
        const name = t(`ticket.${k}` as Key);
        return <li key={k}><span class="muted">{name === `ticket.${k}` ? k : name}:</span> {changeText(v)}</li>;
      })}
    </ul>
  );
}

function Entry({ h }: { h: HistoryEntry }) {
  const { t, locale } = useApp();
  const label = t(`history.${h.action}` as Key);
  return (
    <li>
      <div class="tl-head">
        <strong>{label === `history.${h.action}` ? h.action : label}</strong>
        {h.from && h.to && h.from !== h.to ? <span> {t(`status.${h.from}` as Key)} → {t(`status.${h.to}` as Key)}</span> : null}
      </div>
      <div class="tl-meta muted"><time dateTime={h.at}>{fmtDateTime(h.at, locale)}</time>{h.userName ? ` · ${h.userName}` : ''}</div>
      {h.changes && Object.keys(h.changes).length ? <Changes changes={h.changes} /> : null}
    </li>
  );
}

export function Timeline({ history }: { history: HistoryEntry[] }) {
  const { t } = useApp();
  if (!history.length) return <p class="muted">{t('history.none')}</p>;
  return <ol class="timeline">{history.map((h, i) => <Entry key={i} h={h} />)}</ol>;
}
