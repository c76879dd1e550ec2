// Calls: the live call log (filters, "more" on the cursor) beside the missed-call queue.
import { useState } from 'preact/hooks';
import { useApp } from '../../app';
import { useDebounced } from '../../hooks/useDebounced';
import { usePagedLiveList } from '../../hooks/usePagedLiveList';
import { errorText } from '../../lib/apierrors';
import { callOf, callParams, callTime, matchesCall, type Call, type CallFilter } from '../../lib/calls';
import { Banner } from '../../ui/Banner';
import { ListFooter } from '../../ui/ListFooter';
import { CallFilters } from './CallFilters';
import { CallTable } from './CallTable';
import { MissedQueue } from './MissedQueue';

export function Calls() {
  const { t } = useApp();
  const [typed, setTyped] = useState<CallFilter>({ direction: '', status: '', phone: '' });
  // The number is sent 250 ms after the last key (at once when emptied).
  const phone = useDebounced(typed.phone, typed.phone ? 250 : 0);
  const filter = { ...typed, phone };
  const list = usePagedLiveList<Call>({
    path: '/api/calls', query: callParams(filter), events: 'call.*', decode: callOf,
    rules: { time: callTime, matches: (c) => matchesCall(c, filter) },
  });

  return (
    <section class="page" aria-labelledby="calls-h">
      <div class="page-head"><h1 id="calls-h">{t('calls.title')}</h1></div>
      <div class="calls-layout">
        <MissedQueue />
        <div>
          <CallFilters filter={typed} set={(k, v) => setTyped((f) => ({ ...f, [k]: v }))} />
          {list.error ? <Banner kind="error">{errorText(t, list.error)}</Banner> : null}
          <div class="table-wrap">
            <CallTable items={list.items} />
            {!list.loading && !list.items.length && !list.error ? <p class="empty">{t('calls.none')}</p> : null}
          </div>
          <ListFooter loading={list.loading} cursor={list.cursor} more={list.more} />
        </div>
      </div>
    </section>
  );
}
