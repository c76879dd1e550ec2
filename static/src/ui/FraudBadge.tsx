// FraudBadge: a compact warning on a ticket with fraud flags or score; the reasons are its label.
import { useApp } from '../app';
import { fraudReason } from './fraud';

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
