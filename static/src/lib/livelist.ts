// livelist: the state of a paged list that live events keep current (tickets, calls), as pure
// steps the hook in usePagedLiveList.ts applies in order: a load begins, a page lands, a load
// fails, a live item arrives. Only the latest load's answer counts; a first page that lands
// gets the live items that arrived during its fetch applied again on top, because the server
// may have read the page before those changes were made.
import type { Page } from './api';

export interface Keyed { id: number }

// What the list needs to know about its items and its current filter.
export interface ListRules<T extends Keyed> {
  time: (x: T) => string;                  // the list is newest first by this time, then by id
  matches: (x: T) => boolean;              // does an item belong in the list under its filter?
  outdated?: (live: T, cur: T) => boolean; // is a live copy older than the one shown already?
}

export interface ListState<T extends Keyed> {
  items: T[];
  cursor: string | null;  // the next page's cursor, null when there is none
  loading: boolean;
  error: unknown;         // the latest load's failure, or null
  gen: number;            // the latest load: answers of any older one are dropped
  pending: T[] | null;    // live items that arrived while the first page was being fetched
}

export function emptyList<T extends Keyed>(): ListState<T> {
  return { items: [], cursor: null, loading: true, error: null, gen: 0, pending: null };
}

function newer<T extends Keyed>(a: T, b: T, time: (x: T) => string): number {
  const d = Date.parse(time(b)) - Date.parse(time(a));
  return Number.isNaN(d) || d === 0 ? b.id - a.id : d;
}

// Put an item that arrived live into a newest-first list: replace it in place when present,
// drop it when it no longer matches, insert it at its place when it is new and matches.
export function upsert<T extends Keyed>(list: T[], item: T, matches: boolean, time: (x: T) => string): T[] {
  const i = list.findIndex((x) => x.id === item.id);
  if (i >= 0) {
    if (!matches) return list.filter((_, j) => j !== i);
    const copy = list.slice();
    copy[i] = item;
    return copy;
  }
  if (!matches) return list;
  const at = list.findIndex((x) => newer(x, item, time) > 0);
  const copy = list.slice();
  copy.splice(at < 0 ? copy.length : at, 0, item);
  return copy;
}

// Apply one live item unless the list already shows a newer copy of it.
function applyLive<T extends Keyed>(list: T[], item: T, rules: ListRules<T>): T[] {
  const cur = list.find((x) => x.id === item.id);
  if (cur && rules.outdated?.(item, cur)) return list;
  return upsert(list, item, rules.matches(item), rules.time);
}

// Load number `gen` starts: the first page (filters changed, a reload) or the next one. It
// supersedes any load still running, so live items are kept only for a first page.
export function begin<T extends Keyed>(s: ListState<T>, gen: number, first: boolean): ListState<T> {
  return { ...s, gen, loading: true, error: null, pending: first ? [] : null };
}

// Load `gen` answered. A first page replaces the list (plus what came live meanwhile); a
// next page adds the items the list does not have yet (a live copy is never older).
export function landed<T extends Keyed>(s: ListState<T>, gen: number, first: boolean, page: Page<T>, rules: ListRules<T>): ListState<T> {
  if (gen !== s.gen) return s;
  let items: T[];
  if (first) {
    items = (s.pending ?? []).reduce((l, x) => applyLive(l, x, rules), page.items);
  } else {
    const have = new Set(s.items.map((x) => x.id));
    items = [...s.items, ...page.items.filter((x) => !have.has(x.id))];
  }
  return { ...s, items, cursor: page.nextCursor, loading: false, error: null, pending: null };
}

// Load `gen` failed: the list stays as it was, with the error to show.
export function failed<T extends Keyed>(s: ListState<T>, gen: number, error: unknown): ListState<T> {
  if (gen !== s.gen) return s;
  return { ...s, loading: false, error, pending: null };
}

// A live item: into the list now, and kept to re-apply if a first page is on its way.
export function arrived<T extends Keyed>(s: ListState<T>, item: T, rules: ListRules<T>): ListState<T> {
  return { ...s, items: applyLive(s.items, item, rules), pending: s.pending ? [...s.pending, item] : null };
}
