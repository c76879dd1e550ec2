// FraudReasons: the list of a ticket's (or a caller's) fraud flags, spelled out.
import { useApp } from '../app';
import { fraudReason } from './fraud';

export function FraudReasons({ flags }: { flags: string[] | null }) {
  const { t } = useApp();
  if (!flags || !flags.length) return null;
  return (
    <ul class="fraud-reasons" aria-label={t('fraud.reasons')}>
      {flags.map((f) => <li key={f}>⚠ {fraudReason(t, f)}</li>)}
    </ul>
  );
}
