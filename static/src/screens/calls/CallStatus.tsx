// CallStatus: a call's status as a chip; a status the UI has no words for is shown as sent.
import { useApp } from '../../app';
import type { Key } from '../../i18n';

export function CallStatus({ status }: { status: string }) {
  const { t } = useApp();
  const label = t(`call.${status}` as Key);
  return <span class={`chip cs-${status}`}>{label === `call.${status}` ? status : label}</span>;
}
