// TicketFilters: the ticket list's toolbar — search, master, creation days, status chips,
// fraud only, and "Clear filters" once anything is set.
import { useApp } from '../../app';
import { useMasters } from '../../hooks/useMasters';
import { dayBound } from '../../lib/format';
import { STATUSES, type Status, type TicketFilter } from '../../lib/tickets';
import type { Key } from '../../i18n';

export interface FilterInputs { search: string; days: { from: string; to: string } }

interface Props {
  filter: TicketFilter;           // q comes from the search box, the rest from the controls
  setFilter: (fn: (f: TicketFilter) => TicketFilter) => void;
  inputs: FilterInputs;           // what is typed, before it becomes part of the filter
  setInputs: (fn: (i: FilterInputs) => FilterInputs) => void;
  onClear: () => void;
}

export function isFiltered(f: TicketFilter): boolean {
  return !!(f.status.length || f.masterId || f.from || f.to || f.fraud || f.q);
}

export function TicketFilters({ filter, setFilter, inputs, setInputs, onClear }: Props) {
  const { t } = useApp();
  const masters = useMasters();
  const toggleStatus = (s: Status) => setFilter((f) => ({
    ...f, status: f.status.includes(s) ? f.status.filter((x) => x !== s) : [...f.status, s],
  }));
  const setDay = (which: 'from' | 'to', v: string) => {
    setInputs((i) => ({ ...i, days: { ...i.days, [which]: v } }));
    setFilter((f) => ({ ...f, [which]: v ? dayBound(v, which === 'to') : '' }));
  };
  const value = (e: Event) => (e.target as HTMLInputElement).value;
  return (
    <div class="toolbar toolbar-2" role="search">
      <div class="toolbar-row">
        <label class="search">
          <span class="sr-only">{t('tickets.search')}</span>
          <input type="search" placeholder={t('tickets.searchHint')} value={inputs.search} aria-label={t('tickets.search')}
            onInput={(e) => { const v = value(e); setInputs((i) => ({ ...i, search: v })); }} />
        </label>
        <label class="inline-field">
          <span>{t('tickets.master')}</span>
          <select value={filter.masterId} onChange={(e) => { const v = value(e); setFilter((f) => ({ ...f, masterId: v })); }}>
            <option value="">{t('tickets.allMasters')}</option>
            {(masters ?? []).map((m) => <option key={m.id} value={m.id}>{m.fullName || m.username}</option>)}
          </select>
        </label>
        <div class="inline-field" role="group" aria-label={t('tickets.created')}>
          <span aria-hidden="true">{t('tickets.created')}</span>
          <input type="date" value={inputs.days.from} aria-label={t('tickets.from')} onChange={(e) => setDay('from', value(e))} />
          <span aria-hidden="true">–</span>
          <input type="date" value={inputs.days.to} aria-label={t('tickets.to')} onChange={(e) => setDay('to', value(e))} />
        </div>
      </div>
      <div class="toolbar-row">
        <div class="chips" role="group" aria-label={t('tickets.status')}>
          {STATUSES.map((s) => (
            <button key={s} type="button" class={`chip-toggle st-${s}`} aria-pressed={filter.status.includes(s)}
              onClick={() => toggleStatus(s)}>{t(`status.${s}` as Key)}</button>
          ))}
        </div>
        <label class="check">
          <input type="checkbox" checked={filter.fraud}
            onChange={(e) => { const on = (e.target as HTMLInputElement).checked; setFilter((f) => ({ ...f, fraud: on })); }} />
          {t('tickets.fraudOnly')}
        </label>
        {isFiltered(filter) ? <button type="button" class="btn btn-ghost btn-small" onClick={onClear}>{t('common.clear')}</button> : null}
      </div>
    </div>
  );
}
