// CompleteDialog: completing a ticket asks for the final amount and an optional note (added
// to the ticket's notes). The amount check here is form help; the server decides.
import { useState } from 'preact/hooks';
import { useApp } from '../../app';
import { parseMoney } from '../../lib/format';
import type { Ticket } from '../../lib/tickets';
import { Dialog } from '../../ui/Dialog';
import { Field } from '../../ui/Field';

export interface CompleteErrors { finalAmount?: string; notes?: string; form?: string }

interface Props {
  ticket: Ticket;
  busy: boolean;
  errors: CompleteErrors;
  setErrors: (e: CompleteErrors) => void;
  onSubmit: (body: Record<string, unknown>) => void;
  onClose: () => void;
}

// The form mounts with each opening (Dialog renders its content only while open), so it
// starts from the estimate and an empty note every time.
function CompleteForm({ ticket, busy, errors, setErrors, onSubmit, onClose }: Props) {
  const { t } = useApp();
  const [amount, setAmount] = useState(ticket.priceEstimate ?? '');
  const [note, setNote] = useState('');
  const submit = (e: Event) => {
    e.preventDefault();
    const money = parseMoney(amount);
    if (money === null) { setErrors({ finalAmount: t('form.money') }); return; }
    const body: Record<string, unknown> = { status: 'completed', finalAmount: money };
    if (note.trim()) body.notes = ticket.notes ? `${ticket.notes}\n${note.trim()}` : note.trim();
    onSubmit(body);
  };
  return (
    <form onSubmit={submit} noValidate class="form">
      <Field label={t('complete.amount')} name="finalAmount" value={amount} onValue={(v) => { setAmount(v); setErrors({}); }} error={errors.finalAmount}
        inputMode="decimal" required autoFocus placeholder="0.00" />
      <Field label={t('complete.note')} name="note" value={note} onValue={setNote} error={errors.notes} multiline />
      {errors.form ? <p class="form-error" role="alert">{errors.form}</p> : null}
      <div class="actions">
        <button class="btn btn-ok" type="submit" disabled={busy}>{t('complete.submit')}</button>
        <button class="btn btn-ghost" type="button" onClick={onClose}>{t('common.cancel')}</button>
      </div>
    </form>
  );
}

export function CompleteDialog(p: Props & { open: boolean }) {
  const { t } = useApp();
  return (
    <Dialog open={p.open} title={t('complete.title', { n: p.ticket.number })} onClose={p.onClose}>
      <CompleteForm {...p} />
    </Dialog>
  );
}
