// Dispatch: pick a master for a ticket (with their open-ticket counts) and assign or
// reassign it. Shown when the server's allowed moves permit it (canDispatch).
import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../../app';
import { useMasters } from '../../hooks/useMasters';
import { errorText } from '../../lib/apierrors';
import { canDispatch, type Ticket } from '../../lib/tickets';
import { patchTicket } from './patchTicket';

interface Props { ticket: Ticket; onSaved: (t: Ticket) => void; onConflict: (t: Ticket) => void }

export function Dispatch({ ticket, onSaved, onConflict }: Props) {
  const { api, t, toast } = useApp();
  const masters = useMasters(ticket.version);
  const [pick, setPick] = useState(ticket.masterId ?? '');
  const [busy, setBusy] = useState(false);
  useEffect(() => setPick(ticket.masterId ?? ''), [ticket.masterId]);
  if (!canDispatch(ticket)) return null;
  const assign = async (e: Event) => {
    e.preventDefault();
    if (!pick) return;
    setBusy(true);
    try {
      await patchTicket(api, ticket, { masterId: pick }, (tk) => { onSaved(tk); toast(t('dispatch.done', { name: tk.masterName ?? '' })); }, onConflict);
    } catch (err) {
      toast(errorText(t, err), 'error');
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card dispatch" onSubmit={assign} aria-labelledby="dispatch-h">
      <h2 id="dispatch-h">{t('dispatch.title')}</h2>
      {masters === null ? <p class="muted">{t('common.loading')}</p> : masters.length ? (
        <fieldset class="master-pick">
          <legend class="sr-only">{t('dispatch.pick')}</legend>
          {masters.map((m) => (
            <label key={m.id} class={`master-opt${pick === m.id ? ' picked' : ''}`}>
              <input type="radio" name="master" value={m.id} checked={pick === m.id} onChange={() => setPick(m.id)} />
              <span class="mo-name">{m.fullName || m.username}</span>
              <span class="mo-count" title={t('dispatch.open')}>{t('dispatch.openN', { n: m.openTickets ?? 0 })}</span>
            </label>
          ))}
        </fieldset>
      ) : <p class="muted">{t('dispatch.noMasters')}</p>}
      <button class="btn btn-primary" type="submit" disabled={busy || !pick || pick === ticket.masterId}>
        {ticket.masterId ? t('dispatch.reassign') : t('dispatch.assign')}
      </button>
    </form>
  );
}
