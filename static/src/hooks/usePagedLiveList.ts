// usePagedLiveList: one list screen's data — the first page for the current filters, "more"
// on the cursor, and live events merged in by id (see lib/livelist.ts for the rules). A filter
// change or a resync starts again from the first page; an answer for an older load is dropped
// (and its fetch aborted), whatever order the answers come back in.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useApp, useLive } from '../app';
import { qs, type Page } from '../lib/api';
import { arrived, begin, emptyList, failed, landed, type Keyed, type ListRules, type ListState } from '../lib/livelist';
import type { LiveEvent } from '../lib/live';

type Query = Record<string, string | number | boolean | null | undefined>;

export interface PagedLiveListOptions<T extends Keyed> {
  path: string;                  // the list's endpoint, e.g. /api/tickets
  query: Query;                  // its filters: a change starts again from the first page
  limit?: number;
  events: string;                // the live events that carry its items, e.g. ticket.*
  decode: (ev: LiveEvent) => T | null;
  rules: ListRules<T>;           // may change every render (its matches() reads the filters)
  onLive?: (item: T, ev: LiveEvent) => void;
}

export interface PagedLiveList<T extends Keyed> extends ListState<T> {
  more: () => void;                       // the next page, when there is one and nothing loads
  reload: () => void;                     // the first page again
  update: (fn: (items: T[]) => T[]) => void; // a local change (e.g. an item handled here)
}

export function usePagedLiveList<T extends Keyed>(o: PagedLiveListOptions<T>): PagedLiveList<T> {
  const { api } = useApp();
  const [state, setState] = useState<ListState<T>>(emptyList);
  const rules = useRef(o.rules);
  rules.current = o.rules;
  const current = useRef(state);
  current.current = state;
  const gen = useRef(0);
  const ctl = useRef<AbortController | null>(null);
  const query = useRef(o.query); // the filters of the first page shown: "more" continues them
  const key = qs(o.query);

  const load = (cursor: string | null) => {
    const first = cursor === null;
    if (first) query.current = o.query;
    ctl.current?.abort();
    const c = new AbortController();
    ctl.current = c;
    const g = ++gen.current;
    setState((s) => begin(s, g, first));
    api.get<Page<T>>(`${o.path}${qs({ ...query.current, limit: o.limit ?? 50, cursor })}`, { signal: c.signal })
      .then((page) => setState((s) => landed(s, g, first, page, rules.current)),
        (err) => setState((s) => failed(s, g, err)));
  };

  useEffect(() => { load(null); }, [o.path, key]);
  useEffect(() => () => ctl.current?.abort(), []);
  useLive(o.events, (ev) => {
    const item = o.decode(ev);
    if (!item) return;
    setState((s) => arrived(s, item, rules.current));
    o.onLive?.(item, ev);
  });
  useLive('resync', () => load(null));

  return {
    ...state,
    more: () => { const s = current.current; if (!s.loading && s.cursor) load(s.cursor); },
    reload: () => load(null),
    update: (fn) => setState((s) => ({ ...s, items: fn(s.items) })),
  };
}
