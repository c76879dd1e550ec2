// TicketActions: status moves for one ticket (staff and masters alike), the completion
// dialog (final amount + note), and the 409 rule: on a stale version, show the newer one.
import { useState } from 'preact/hooks';
import { useApp } from '../app';
import { ApiError } from '../lib/api';
import { apiMessage } from '../lib/apierrors';
import { parseMoney } from '../lib/format';
import { nextStatuses, type Status, type Ticket } from '../lib/tickets';
import { Dialog, errorText, Field } from '../ui';
import type { Key } from '../i18n';

// PATCH a ticket; on 409 fetch the newer version and hand it to onConflict instead.
export async function patchTicket(api: ReturnType<typeof useApp>['api'], tk: Ticket, body: Record<string, unknown>,
  onSaved: (t: Ticket) => void, onConflict: (t: Ticket) => void) {
  try {
    const r = await api.patch<{ ticket: Ticket }>(`/api/tickets/${tk.id}`, { ...body, version: tk.version });
    onSaved(r.ticket);
  } catch (err) {
    if (err instanceof ApiError && err.status === 409) {
      const r = await api.get<{ ticket: Ticket }>(`/api/tickets/${tk.id}`);
      onConflict(r.ticket);
      return;
    }
    throw err;
  }
}

const ACTION_LABEL: Record<string, Key> = {
  accepted: 'action.accept', new: 'action.decline', in_progress: 'action.start', completed: 'action.complete',
  cancelled: 'action.cancel', assigned: 'action.assign',
};

interface Props {
  ticket: Ticket;
  onSaved: (t: Ticket) => void;
  onConflict: (t: Ticket) => void;
  big?: boolean;
}

export function TicketActions({ ticket, onSaved, onConflict, big }: Props) {
  const { api, user, t, toast } = useApp();
  const [busy, setBusy] = useState(false);
  const [completing, setCompleting] = useState(false);
  const [amount, setAmount] = useState('');
  const [note, setNote] = useState('');
  const [errs, setErrs] = useState<{ finalAmount?: string; notes?: string; form?: string }>({});
  // Assigning needs a master: that happens in the dispatch panel, not here.
  const moves = nextStatuses(ticket, user.role).filter((s) => s !== 'assigned');

  const run = async (body: Record<string, unknown>) => {
    setBusy(true);
    try {
      await patchTicket(api, ticket, body, (tk) => { onSaved(tk); setCompleting(false); }, (tk) => { onConflict(tk); setCompleting(false); });
      return true;
    } catch (err) {
      if (err instanceof ApiError && (err.field === 'finalAmount' || err.field === 'notes')) setErrs({ [err.field]: apiMessage(t, err) });
      else if (completing) setErrs({ form: errorText(t, err) });
      else toast(errorText(t, err), 'error');
      return false;
    } finally {
      setBusy(false);
    }
  };

  const move = (s: Status) => {
    if (s === 'completed') { setAmount(ticket.priceEstimate ?? ''); setNote(''); setErrs({}); setCompleting(true); return; }
    if (s === 'cancelled' && !confirm(t('action.confirmCancel', { n: ticket.number }))) return;
    run({ status: s });
  };

  const complete = (e: Event) => {
    e.preventDefault();
    const money = parseMoney(amount);
    if (money === null) { setErrs({ finalAmount: t('form.money') }); return; }
    const body: Record<string, unknown> = { status: 'completed', finalAmount: money };
    if (note.trim()) body.notes = ticket.notes ? `${ticket.notes}\n${note.trim()}` : note.trim();
    run(body);
  };

  if (!moves.length) return null;
  return (
    <div class={`status-actions${big ? ' big' : ''}`} role="group" aria-label={t('action.group')}>
      {moves.map((s) => (
        <button key={s} type="button" disabled={busy} data-action={s}
          class={`btn ${s === 'cancelled' || s === 'new' ? 'btn-ghost' : s === 'completed' ? 'btn-ok' : 'btn-primary'}${big ? ' btn-big' : ''}`}
          onClick={() => move(s)}>{t(ACTION_LABEL[s])}</button>
      ))}
      <Dialog open={completing} title={t('complete.title', { n: ticket.number })} onClose={() => setCompleting(false)}>
        <form onSubmit={complete} noValidate class="form">
          <Field label={t('complete.amount')} name="finalAmount" value={amount} onValue={(v) => { setAmount(v); setErrs({}); }} error={errs.finalAmount}
            inputMode="decimal" required autoFocus placeholder="0.00" />
          <Field label={t('complete.note')} name="note" value={note} onValue={setNote} error={errs.notes} multiline />
          {errs.form ? <p class="form-error" role="alert">{errs.form}</p> : null}
          <div class="actions">
            <button class="btn btn-ok" type="submit" disabled={busy}>{t('complete.submit')}</button>
            <button class="btn btn-ghost" type="button" onClick={() => setCompleting(false)}>{t('common.cancel')}</button>
          </div>
        </form>
      </Dialog>
    </div>
  );
}
