// TicketForm: create and edit. Field errors come from the API's 422 `field`; a 409 on save
// reloads the newer version into the form and offers to re-apply the user's own changes.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useApp } from '../app';
import { ApiError, newIdempotencyKey } from '../lib/api';
import { apiMessage } from '../lib/apierrors';
import { fmtDateTime, parseMoney } from '../lib/format';
import { navigate, query } from '../lib/router';
import { changedFields, draftBody, draftOf, fromLocalInput, PRIORITIES, toLocalInput, type Editable, type Ticket, type TicketDraft } from '../lib/tickets';
import { Banner, errorText, Field, Loading } from '../ui';
import { link } from './Shell';
import type { Key } from '../i18n';

type Errors = Partial<Record<Editable | 'form', string>>;

export function TicketForm({ params }: { params: Record<string, string> }) {
  const { api, t, locale } = useApp();
  const editing = !!params.id;
  const [ticket, setTicket] = useState<Ticket | null>(null);
  const [base, setBase] = useState<TicketDraft | null>(editing ? null : draftOf(null));
  const [draft, setDraft] = useState<TicketDraft>(() => {
    const d = draftOf(null);
    const q = query();
    d.customerPhone = q.get('phone') ?? '';
    d.customerName = q.get('name') ?? '';
    return d;
  });
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const [conflict, setConflict] = useState<{ mine: Partial<TicketDraft> } | null>(null);
  // One key per attempt the server answered: a retry after a lost answer reuses it, a new
  // submit after a refusal (422) is a new request with its own key.
  const idemKey = useRef(newIdempotencyKey());
  const callId = Number(query().get('callId')) || null;

  useEffect(() => {
    if (!editing) return;
    api.get<{ ticket: Ticket }>(`/api/tickets/${params.id}`).then((r) => {
      setTicket(r.ticket);
      setBase(draftOf(r.ticket));
      setDraft(draftOf(r.ticket));
    }, (err) => setErrors({ form: errorText(t, err) }));
  }, [params.id]);

  const set = (k: Editable) => (v: string) => {
    setDraft((d) => ({ ...d, [k]: k === 'scheduledAt' ? fromLocalInput(v) : v }));
    if (errors[k]) setErrors((e) => ({ ...e, [k]: undefined }));
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    const errs: Errors = {};
    for (const k of ['customerName', 'customerPhone', 'deviceType', 'problem'] as Editable[]) {
      if (!draft[k].trim()) errs[k] = t('form.required');
    }
    if (draft.priceEstimate.trim() && parseMoney(draft.priceEstimate) === null) errs.priceEstimate = t('form.money');
    setErrors(errs);
    if (Object.keys(errs).length) {
      document.querySelector<HTMLElement>(`[data-field="${Object.keys(errs)[0]}"] input, [data-field="${Object.keys(errs)[0]}"] textarea`)?.focus();
      return;
    }
    const clean = { ...draft, priceEstimate: draft.priceEstimate.trim() ? parseMoney(draft.priceEstimate)! : '' };
    setBusy(true);
    try {
      if (!editing) {
        const body: Record<string, unknown> = draftBody(clean, null);
        if (callId) { body.callId = callId; body.source = 'call'; }
        const r = await api.post<{ ticket: Ticket }>('/api/tickets', body, { idempotencyKey: idemKey.current });
        navigate(`/tickets/${r.ticket.id}`, true);
      } else if (ticket && base) {
        const body = draftBody(clean, base);
        if (!Object.keys(body).length) { navigate(`/tickets/${ticket.id}`); return; }
        const r = await api.patch<{ ticket: Ticket }>(`/api/tickets/${ticket.id}`, { ...body, version: ticket.version });
        navigate(`/tickets/${r.ticket.id}`, true);
      }
    } catch (err) {
      if (err instanceof ApiError) idemKey.current = newIdempotencyKey();
      if (err instanceof ApiError && err.status === 409 && ticket) {
        const mine: Partial<TicketDraft> = {};
        for (const k of changedFields(draft, base!)) mine[k] = draft[k];
        const r = await api.get<{ ticket: Ticket }>(`/api/tickets/${ticket.id}`);
        setTicket(r.ticket);
        setBase(draftOf(r.ticket));
        setDraft(draftOf(r.ticket));
        setConflict({ mine });
        window.scrollTo(0, 0);
      } else if (err instanceof ApiError && err.field) {
        setErrors({ [err.field as Editable]: apiMessage(t, err), form: t('form.fix') });
        document.querySelector<HTMLElement>(`[data-field="${err.field}"] input, [data-field="${err.field}"] textarea, [data-field="${err.field}"] select`)?.focus();
      } else {
        setErrors({ form: errorText(t, err) });
      }
    } finally {
      setBusy(false);
    }
  };

  if (editing && !base) return errors.form ? <Banner kind="error">{errors.form}</Banner> : <Loading />;
  const f = (k: Editable, extra: Partial<Parameters<typeof Field>[0]> = {}) => (
    <Field label={t(`ticket.${k}` as Key)} name={k} value={k === 'scheduledAt' ? toLocalInput(draft[k]) : draft[k]}
      onValue={set(k)} error={errors[k]} {...extra} />
  );
  const cancelTo = editing ? `/tickets/${params.id}` : '/tickets';
  return (
    <section class="page narrow" aria-labelledby="form-h">
      <div class="page-head">
        <h1 id="form-h">{editing ? t('form.editTitle', { n: ticket?.number ?? '' }) : t('form.newTitle')}</h1>
      </div>
      {conflict ? (
        <Banner kind="warn">
          <strong>{t('conflict.title')}</strong> {t('conflict.formBody', { at: fmtDateTime(ticket?.updatedAt, locale) })}
          {Object.keys(conflict.mine).length ? (
            <div class="conflict-mine">
              {t('conflict.yours')}: {Object.entries(conflict.mine).map(([k, v]) => `${t(`ticket.${k}` as Key)} = “${v}”`).join('; ')}
              {' '}<button type="button" class="btn btn-small" onClick={() => { setDraft((d) => ({ ...d, ...conflict.mine })); setConflict(null); }}>{t('conflict.reapply')}</button>
            </div>
          ) : null}
        </Banner>
      ) : null}
      <form onSubmit={submit} noValidate class="form card">
        <fieldset>
          <legend>{t('form.customer')}</legend>
          <div class="grid-2">
            {f('customerName', { required: true, autoComplete: 'off', autoFocus: !editing && !draft.customerName })}
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
        {errors.form ? <p class="form-error" role="alert">{errors.form}</p> : null}
        <div class="actions">
          <button class="btn btn-primary" type="submit" disabled={busy}>{busy ? t('common.saving') : editing ? t('common.save') : t('form.create')}</button>
          <a class="btn btn-ghost" href={cancelTo} onClick={(e) => link(e, cancelTo)}>{t('common.cancel')}</a>
        </div>
      </form>
    </section>
  );
}
