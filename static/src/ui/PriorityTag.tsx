// PriorityTag: a ticket's priority, shown only when it is not "normal".
import { useApp } from '../app';
import type { Key } from '../i18n';

export function PriorityTag({ priority }: { priority: string }) {
  const { t } = useApp();
  if (!priority || priority === 'normal') return null;
  return <span class={`prio prio-${priority}`}>{t(`priority.${priority}` as Key)}</span>;
}
