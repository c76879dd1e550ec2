// StatusChip: a ticket's status as a coloured chip, in the user's language.
import { useApp } from '../app';
import type { Status } from '../lib/tickets';
import type { Key } from '../i18n';

export function StatusChip({ status }: { status: Status }) {
  const { t } = useApp();
  return <span class={`chip st-${status}`}>{t(`status.${status}` as Key)}</span>;
}
