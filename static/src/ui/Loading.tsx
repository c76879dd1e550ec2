// Loading: the "Loading…" line, announced as a status.
import { useApp } from '../app';

export function Loading() {
  const { t } = useApp();
  return <p class="muted loading" role="status">{t('common.loading')}</p>;
}
