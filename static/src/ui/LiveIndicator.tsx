// LiveIndicator: says whether live updates are on (staff only; masters have no live feed).
import { useApp } from '../app';

export function LiveIndicator() {
  const { liveState, t } = useApp();
  if (liveState === 'none') return null;
  const on = liveState === 'live';
  return (
    <span class={`live live-${liveState}`} role="status" data-live={liveState}
      title={on ? t('live.onHint') : t('live.offHint')}>
      <span class="dot" aria-hidden="true" />{on ? t('live.on') : t('live.off')}
    </span>
  );
}
