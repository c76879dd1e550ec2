// TicketFields: the ticket form's three fieldsets — customer, device, job — each field
// labelled in the user's language with its error from the form or the API.
import { useApp } from '../../app';
import { PRIORITIES, toLocalInput, type Editable, type TicketDraft } from '../../lib/tickets';
import { Field, type FieldProps } from '../../ui/Field';
import type { Key } from '../../i18n';

export type Errors = Partial<Record<Editable | 'form', string>>;

interface Props {
  draft: TicketDraft;
  errors: Errors;
  set: (k: Editable) => (v: string) => void;
  focusName: boolean; // a new ticket without a caller's name starts at the name
}

export function TicketFields({ draft, errors, set, focusName }: Props) {
  const { t } = useApp();
  const f = (k: Editable, extra: Partial<FieldProps> = {}) => (
    <Field label={t(`ticket.${k}` as Key)} name={k} value={k === 'scheduledAt' ? toLocalInput(draft[k]) : draft[k]}
      onValue={set(k)} error={errors[k]} {...extra} />
  );
  return (
    <>
      <fieldset>
        <legend>{t('form.customer')}</legend>
        <div class="grid-2">
          {f('customerName', { required: true, autoComplete: 'off', autoFocus: focusName })}
          {f('customerPhone', { required: true, type: 'tel', inputMode: 'tel', autoComplete: 'off' })}
          {f('customerEmail', { type: 'email', autoComplete: 'off' })}
          {f('city')}
          {f('address', { class: 'span-2' })}
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('form.device')}</legend>
        <div class="grid-2">
          {f('deviceType', { required: true })}
          {f('deviceBrand')}
          {f('deviceModel')}
          {f('serialNumber')}
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('form.job')}</legend>
        <div class="grid-2">
          {f('problem', { required: true, multiline: true, class: 'span-2' })}
          {f('priority', { options: PRIORITIES.map((p) => [p, t(`priority.${p}` as Key)]) })}
          {f('scheduledAt', { type: 'datetime-local' })}
          {f('priceEstimate', { inputMode: 'decimal', placeholder: '0.00' })}
          {f('notes', { multiline: true, class: 'span-2' })}
        </div>
      </fieldset>
    </>
  );
}
