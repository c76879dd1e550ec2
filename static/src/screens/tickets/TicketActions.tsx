// TicketActions: the status moves the server allows on one ticket (its allowedTransitions),
// for staff and masters alike; completing opens CompleteDialog. On a stale version (409) the
// newer ticket goes to onConflict.
import { useState } from 'preact/hooks';
import { useApp } from '../../app';
import { ApiError } from '../../lib/api';
import { apiMessage, errorText } from '../../lib/apierrors';
import { allowedMoves, type Status, type Ticket } from '../../lib/tickets';
import type { Key } from '../../i18n';
import { CompleteDialog, type CompleteErrors } from './CompleteDialog';
import { patchTicket } from './patchTicket';

// How each move reads as a button, in the order buttons are shown: the way forward first, then
// declining, then cancelling (whatever order the server lists them in).
const ACTION_LABEL: Record<Status, Key> = {
  accepted: 'action.accept', in_progress: 'action.start', completed: 'action.complete', assigned: 'action.assign',
  new: 'action.decline', cancelled: 'action.cancel',
};
const SHOWN = Object.keys(ACTION_LABEL) as Status[];

const buttonClass = (s: Status) => (s === 'cancelled' || s === 'new' ? 'btn-ghost' : s === 'completed' ? 'btn-ok' : 'btn-primary');

interface Props {
  ticket: Ticket;
  onSaved: (t: Ticket) => void;
  onConflict: (t: Ticket) => void;
  big?: boolean;
}

export function TicketActions({ ticket, onSaved, onConflict, big }: Props) {
  const { api, t, toast } = useApp();
  const [busy, setBusy] = useState(false);
  const [completing, setCompleting] = useState(false);
  const [errs, setErrs] = useState<CompleteErrors>({});
  // Moving to "assigned" needs a master, so the dispatch panel offers it instead; a status this
  // UI has no words for yet is not offered.
  const allowed = allowedMoves(ticket);
  const moves = SHOWN.filter((s) => s !== 'assigned' && allowed.includes(s));

  const run = async (body: Record<string, unknown>) => {
    setBusy(true);
    try {
      await patchTicket(api, ticket, body, (tk) => { onSaved(tk); setCompleting(false); }, (tk) => { onConflict(tk); setCompleting(false); });
    } catch (err) {
      if (err instanceof ApiError && (err.field === 'finalAmount' || err.field === 'notes')) setErrs({ [err.field]: apiMessage(t, err) });
      else if (completing) setErrs({ form: errorText(t, err) });
      else toast(errorText(t, err), 'error');
    } finally {
      setBusy(false);
    }
  };

  const move = (s: Status) => {
    if (s === 'completed') { setErrs({}); setCompleting(true); return; }
    if (s === 'cancelled' && !confirm(t('action.confirmCancel', { n: ticket.number }))) return;
    run({ status: s });
  };

  if (!moves.length) return null;
  return (
    <div class={`status-actions${big ? ' big' : ''}`} role="group" aria-label={t('action.group')}>
      {moves.map((s) => (
        <button key={s} type="button" disabled={busy} data-action={s} class={`btn ${buttonClass(s)}${big ? ' btn-big' : ''}`}
          onClick={() => move(s)}>{t(ACTION_LABEL[s])}</button>
      ))}
      <CompleteDialog ticket={ticket} open={completing} busy={busy} errors={errs} setErrors={setErrs}
        onSubmit={run} onClose={() => setCompleting(false)} />
    </div>
  );
}
