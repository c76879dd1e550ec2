// TicketList: the tickets screen — filters, search as you type, endless scroll on the cursor,
// and rows that appear or change in place when live events arrive.
import { useState } from 'preact/hooks';
import { useApp } from '../../app';
import { useDebounced } from '../../hooks/useDebounced';
import { useFlash } from '../../hooks/useFlash';
import { usePagedLiveList } from '../../hooks/usePagedLiveList';
import { errorText } from '../../lib/apierrors';
import { link } from '../../lib/router';
import { EMPTY_FILTER, filterParams, matchesFilter, withMoves, type Ticket, type TicketFilter } from '../../lib/tickets';
import { Banner } from '../../ui/Banner';
import { ListFooter } from '../../ui/ListFooter';
import { isFiltered, TicketFilters, type FilterInputs } from './TicketFilters';
import { TicketTable } from './TicketTable';

const NO_INPUTS: FilterInputs = { search: '', days: { from: '', to: '' } };

export function TicketList() {
  const { t, user, config } = useApp();
  const [picked, setPicked] = useState<TicketFilter>(EMPTY_FILTER);
  const [inputs, setInputs] = useState<FilterInputs>(NO_INPUTS);
  // Search as you type: the query settles 250 ms after the last key (at once when emptied).
  const q = useDebounced(inputs.search, inputs.search ? 250 : 0);
  const filter = { ...picked, q };
  const [fresh, flash] = useFlash();
  const list = usePagedLiveList<Ticket>({
    path: '/api/tickets',
    query: filterParams(filter),
    events: 'ticket.*',
    // Live tickets carry no allowedTransitions: they get them from the role's table.
    decode: (ev) => { const tk = ev.data?.ticket; return tk && typeof tk.id === 'number' ? withMoves(tk, config?.ticketMoves, user) : null; },
    rules: { time: (tk) => tk.createdAt, matches: (tk) => matchesFilter(tk, filter), outdated: (live, cur) => cur.version >= live.version },
    onLive: (tk, ev) => { if (ev.type === 'ticket.created') flash(tk.id); },
  });
  const clear = () => { setInputs(NO_INPUTS); setPicked(EMPTY_FILTER); };

  return (
    <section class="page" aria-labelledby="tickets-h">
      <div class="page-head">
        <h1 id="tickets-h">{t('tickets.title')}</h1>
        <a class="btn btn-primary" href="/tickets/new" onClick={(e) => link(e, '/tickets/new')}>+ {t('tickets.new')}</a>
      </div>
      <TicketFilters filter={filter} setFilter={setPicked} inputs={inputs} setInputs={setInputs} onClear={clear} />
      {list.error ? <Banner kind="error">{errorText(t, list.error)} <button type="button" class="btn btn-small" onClick={list.reload}>{t('common.retry')}</button></Banner> : null}
      <div class="table-wrap">
        <TicketTable items={list.items} fresh={fresh} />
        {!list.loading && !list.items.length && !list.error ? <p class="empty">{isFiltered(filter) ? t('tickets.noneFiltered') : t('tickets.none')}</p> : null}
      </div>
      <ListFooter loading={list.loading} cursor={list.cursor} more={list.more} auto />
    </section>
  );
}
