// MissedQueue: incoming calls missed and not called back yet, kept current by live calls,
// each with a "Call back" button (a Zadarma callback from the operator's extension).
import { useState } from 'preact/hooks';
import { useApp } from '../../app';
import { usePagedLiveList } from '../../hooks/usePagedLiveList';
import { errorText } from '../../lib/apierrors';
import { callOf, callPhone, callTime, isMissedOpen, type Call } from '../../lib/calls';
import { fmtDateTime, fmtDuration } from '../../lib/format';

const QUEUE = { open: true };

function MissedItem({ c, calling, onCall }: { c: Call; calling: boolean; onCall: () => void }) {
  const { t, locale } = useApp();
  return (
    <li data-call={c.id}>
      <div>
        <strong>{callPhone(c)}</strong>
        <div class="muted small">{fmtDateTime(c.startedAt, locale)}{c.waitSeconds ? ` · ${t('calls.waited', { d: fmtDuration(c.waitSeconds) })}` : ''}</div>
      </div>
      <button type="button" class="btn btn-primary btn-small" disabled={calling} onClick={onCall}>
        {calling ? t('calls.calling') : t('calls.callBack')}
      </button>
    </li>
  );
}

export function MissedQueue() {
  const { api, t, toast } = useApp();
  // One page of the open queue is all it shows: it is a to-do list, not a log.
  const list = usePagedLiveList<Call>({
    path: '/api/calls', query: QUEUE, limit: 100, events: 'call.*', decode: callOf,
    rules: { time: callTime, matches: isMissedOpen },
  });
  const [calling, setCalling] = useState<Set<number>>(new Set());
  const callBack = async (c: Call) => {
    setCalling((s) => new Set(s).add(c.id));
    try {
      await api.post('/api/calls/outgoing', { to: callPhone(c) });
      toast(t('calls.dialing', { phone: callPhone(c) ?? '' }));
      // The outgoing call now exists, so the missed one counts as called back.
      list.update((l) => l.filter((x) => x.id !== c.id));
    } catch (err) {
      toast(errorText(t, err), 'error');
      setCalling((s) => { const n = new Set(s); n.delete(c.id); return n; });
    }
  };
  const items = list.items.filter(isMissedOpen);
  return (
    <aside class="card missed" aria-labelledby="missed-h">
      <h2 id="missed-h">{t('calls.missedQueue')} {items.length ? <span class="count">{items.length}</span> : null}</h2>
      {list.loading && !items.length ? <p class="muted">{t('common.loading')}</p> : !items.length ? <p class="muted">{t('calls.noMissed')}</p> : (
        <ul class="missed-list">
          {items.map((c) => <MissedItem key={c.id} c={c} calling={calling.has(c.id)} onCall={() => callBack(c)} />)}
        </ul>
      )}
    </aside>
  );
}
