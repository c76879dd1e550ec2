// TicketForm: create and edit. Field errors come from the API's 422 `field`; a 409 on save
// reloads the newer version into the form and offers to re-apply the user's own changes.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useApp } from '../../app';
import { ApiError, newIdempotencyKey } from '../../lib/api';
import { apiMessage, errorText } from '../../lib/apierrors';
import { parseMoney } from '../../lib/format';
import { link, navigate, query } from '../../lib/router';
import { changedFields, draftBody, draftOf, fromLocalInput, type Editable, type Ticket, type TicketDraft } from '../../lib/tickets';
import { Banner } from '../../ui/Banner';
import { Loading } from '../../ui/Loading';
import { ConflictBanner } from './ConflictBanner';
import { TicketFields, type Errors } from './TicketFields';

const REQUIRED: Editable[] = ['customerName', 'customerPhone', 'deviceType', 'problem'];

// Help before sending (required fields, a money amount); the server decides, and its 422
// lands on the field it names.
function checkDraft(draft: TicketDraft, t: ReturnType<typeof useApp>['t']): Errors {
  const errs: Errors = {};
  for (const k of REQUIRED) if (!draft[k].trim()) errs[k] = t('form.required');
  if (draft.priceEstimate.trim() && parseMoney(draft.priceEstimate) === null) errs.priceEstimate = t('form.money');
  return errs;
}

const focusField = (name: string) =>
  document.querySelector<HTMLElement>(`[data-field="${name}"] input, [data-field="${name}"] textarea, [data-field="${name}"] select`)?.focus();

function initialDraft(): TicketDraft {
  const d = draftOf(null);
  const q = query();
  d.customerPhone = q.get('phone') ?? '';
  d.customerName = q.get('name') ?? '';
  return d;
}

export function TicketForm({ params }: { params: Record<string, string> }) {
  const { api, t } = useApp();
  const editing = !!params.id;
  const [ticket, setTicket] = useState<Ticket | null>(null);
  const [base, setBase] = useState<TicketDraft | null>(editing ? null : draftOf(null));
  const [draft, setDraft] = useState<TicketDraft>(initialDraft);
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const [conflict, setConflict] = useState<{ mine: Partial<TicketDraft> } | null>(null);
  // One key per attempt the server answered: a retry after a lost answer reuses it, a new
  // submit after a refusal (422) is a new request with its own key.
  const idemKey = useRef(newIdempotencyKey());
  const callId = Number(query().get('callId')) || null;

  const show = (tk: Ticket) => { setTicket(tk); setBase(draftOf(tk)); setDraft(draftOf(tk)); };
  useEffect(() => {
    if (editing) api.get<{ ticket: Ticket }>(`/api/tickets/${params.id}`).then((r) => show(r.ticket), (err) => setErrors({ form: errorText(t, err) }));
  }, [params.id]);

  const set = (k: Editable) => (v: string) => {
    setDraft((d) => ({ ...d, [k]: k === 'scheduledAt' ? fromLocalInput(v) : v }));
    if (errors[k]) setErrors((e) => ({ ...e, [k]: undefined }));
  };

  // POST a new ticket or PATCH what changed; the answer's ticket, or null for nothing to save.
  const save = async (clean: TicketDraft): Promise<Ticket | null> => {
    if (!editing) {
      const body: Record<string, unknown> = draftBody(clean, null);
      if (callId) { body.callId = callId; body.source = 'call'; }
      return (await api.post<{ ticket: Ticket }>('/api/tickets', body, { idempotencyKey: idemKey.current })).ticket;
    }
    const body = draftBody(clean, base!);
    if (!Object.keys(body).length) return null;
    return (await api.patch<{ ticket: Ticket }>(`/api/tickets/${ticket!.id}`, { ...body, version: ticket!.version })).ticket;
  };

  const refused = async (err: unknown) => {
    if (err instanceof ApiError) idemKey.current = newIdempotencyKey();
    if (err instanceof ApiError && err.status === 409 && ticket) {
      const mine: Partial<TicketDraft> = {};
      for (const k of changedFields(draft, base!)) mine[k] = draft[k];
      show((await api.get<{ ticket: Ticket }>(`/api/tickets/${ticket.id}`)).ticket);
      setConflict({ mine });
      window.scrollTo(0, 0);
    } else if (err instanceof ApiError && err.field) {
      setErrors({ [err.field as Editable]: apiMessage(t, err), form: t('form.fix') });
      focusField(err.field);
    } else {
      setErrors({ form: errorText(t, err) });
    }
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    const errs = checkDraft(draft, t);
    setErrors(errs);
    if (Object.keys(errs).length) { focusField(Object.keys(errs)[0]); return; }
    setBusy(true);
    try {
      const saved = await save({ ...draft, priceEstimate: draft.priceEstimate.trim() ? parseMoney(draft.priceEstimate)! : '' });
      navigate(`/tickets/${saved?.id ?? ticket!.id}`, !!saved);
    } catch (err) {
      await refused(err);
    } finally {
      setBusy(false);
    }
  };

  if (editing && !base) return errors.form ? <Banner kind="error">{errors.form}</Banner> : <Loading />;
  const cancelTo = editing ? `/tickets/${params.id}` : '/tickets';
  return (
    <section class="page narrow" aria-labelledby="form-h">
      <div class="page-head">
        <h1 id="form-h">{editing ? t('form.editTitle', { n: ticket?.number ?? '' }) : t('form.newTitle')}</h1>
      </div>
      {conflict ? <ConflictBanner savedAt={ticket?.updatedAt} mine={conflict.mine}
        onReapply={() => { setDraft((d) => ({ ...d, ...conflict.mine })); setConflict(null); }} /> : null}
      <form onSubmit={submit} noValidate class="form card">
        <TicketFields draft={draft} errors={errors} set={set} focusName={!editing && !draft.customerName} />
        {errors.form ? <p class="form-error" role="alert">{errors.form}</p> : null}
        <div class="actions">
          <button class="btn btn-primary" type="submit" disabled={busy}>{busy ? t('common.saving') : editing ? t('common.save') : t('form.create')}</button>
          <a class="btn btn-ghost" href={cancelTo} onClick={(e) => link(e, cancelTo)}>{t('common.cancel')}</a>
        </div>
      </form>
    </section>
  );
}
