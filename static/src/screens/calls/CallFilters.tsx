// CallFilters: the call log's toolbar — direction, status and a phone number.
import { useApp } from '../../app';
import { CALL_STATUSES, type CallFilter } from '../../lib/calls';
import type { Key } from '../../i18n';

export function CallFilters({ filter, set }: { filter: CallFilter; set: (k: keyof CallFilter, v: string) => void }) {
  const { t } = useApp();
  const value = (e: Event) => (e.target as HTMLInputElement | HTMLSelectElement).value;
  return (
    <div class="toolbar">
      <label class="inline-field"><span>{t('calls.direction')}</span>
        <select value={filter.direction} onChange={(e) => set('direction', value(e))}>
          <option value="">{t('common.all')}</option>
          <option value="in">{t('calls.in')}</option>
          <option value="out">{t('calls.out')}</option>
        </select>
      </label>
      <label class="inline-field"><span>{t('calls.status')}</span>
        <select value={filter.status} onChange={(e) => set('status', value(e))}>
          <option value="">{t('common.all')}</option>
          {CALL_STATUSES.map((s) => <option key={s} value={s}>{t(`call.${s}` as Key)}</option>)}
        </select>
      </label>
      <label class="search"><span class="sr-only">{t('calls.phone')}</span>
        <input type="search" value={filter.phone} placeholder={t('calls.phone')} aria-label={t('calls.phone')}
          onInput={(e) => set('phone', value(e))} />
      </label>
    </div>
  );
}
