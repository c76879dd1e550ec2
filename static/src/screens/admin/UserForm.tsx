// UserForm: create or edit a user (SIP extension, Telegram chat, master code, a new
// password). Field errors from the API's 422/409 `field` land on the field.
import { useRef, useState } from 'preact/hooks';
import { useApp, type User } from '../../app';
import { ApiError, newIdempotencyKey } from '../../lib/api';
import { apiMessage, errorText } from '../../lib/apierrors';
import { Field } from '../../ui/Field';
import type { Key } from '../../i18n';

const FIELDS = ['username', 'fullName', 'role', 'password', 'masterCode', 'phone', 'sipExtension', 'telegramChatId'] as const;
type F = typeof FIELDS[number];
type Draft = Record<F, string> & { active: boolean };

function draftOf(u: User | null): Draft {
  return {
    username: u?.username ?? '', fullName: u?.fullName ?? '', role: u?.role ?? 'operator', password: '',
    masterCode: u?.masterCode ?? '', phone: u?.phone ?? '', sipExtension: u?.sipExtension ?? '',
    telegramChatId: u?.telegramChatId === null || u?.telegramChatId === undefined ? '' : String(u.telegramChatId),
    active: u?.active ?? true,
  };
}

// The body to send: a new user's filled fields, or what an edit changed ("" clears).
function bodyOf(d: Draft, user: User | null): Record<string, unknown> {
  const base = draftOf(user);
  const body: Record<string, unknown> = {};
  for (const k of FIELDS) {
    const v = d[k].trim();
    if (user === null ? v !== '' : v !== base[k]) body[k] = v === '' ? null : v;
  }
  if (user && d.active !== base.active) body.active = d.active;
  return body;
}

export function UserForm({ user, onDone }: { user: User | null; onDone: (u: User) => void }) {
  const { api, t } = useApp();
  const [d, setD] = useState<Draft>(draftOf(user));
  const [errs, setErrs] = useState<Partial<Record<F | 'form', string>>>({});
  const [busy, setBusy] = useState(false);
  const key = useRef(newIdempotencyKey()); // renewed after each answered attempt
  const set = (k: F) => (v: string) => { setD((x) => ({ ...x, [k]: v })); setErrs((e) => ({ ...e, [k]: undefined })); };

  const submit = async (e: Event) => {
    e.preventDefault();
    const body = bodyOf(d, user);
    const errors: typeof errs = {}; // help before sending; the server decides
    if (!user) for (const k of ['username', 'fullName', 'password'] as F[]) if (!d[k].trim()) errors[k] = t('form.required');
    setErrs(errors);
    if (Object.keys(errors).length) return;
    setBusy(true);
    try {
      const r = user
        ? await api.patch<{ user: User }>(`/api/users/${user.id}`, body)
        : await api.post<{ user: User }>('/api/users', body, { idempotencyKey: key.current });
      onDone(r.user);
    } catch (err) {
      if (err instanceof ApiError) key.current = newIdempotencyKey();
      if (err instanceof ApiError && err.field) setErrs({ [err.field]: apiMessage(t, err) });
      else setErrs({ form: errorText(t, err) });
    } finally {
      setBusy(false);
    }
  };
  const f = (k: F, extra = {}) => <Field label={t(`user.${k}` as Key)} name={k} value={d[k]} onValue={set(k)} error={errs[k]} {...extra} />;
  return (
    <form onSubmit={submit} noValidate class="form">
      <div class="grid-2">
        {f('username', { required: !user, autoComplete: 'off' })}
        {f('fullName', { required: !user })}
        {f('role', { options: [['operator', t('role.operator')], ['master', t('role.master')], ['admin', t('role.admin')]] })}
        {f('password', { type: 'password', autoComplete: 'new-password', required: !user, hint: user ? t('user.passwordHint') : t('user.passwordRule') })}
        {f('phone', { type: 'tel' })}
        {f('sipExtension', { inputMode: 'numeric' })}
        {f('telegramChatId', { inputMode: 'numeric' })}
        {f('masterCode')}
      </div>
      {user ? (
        <label class="check"><input type="checkbox" checked={d.active} onChange={(e) => setD((x) => ({ ...x, active: (e.target as HTMLInputElement).checked }))} /> {t('user.active')}</label>
      ) : null}
      {errs.form ? <p class="form-error" role="alert">{errs.form}</p> : null}
      <div class="actions"><button class="btn btn-primary" type="submit" disabled={busy}>{user ? t('common.save') : t('user.create')}</button></div>
    </form>
  );
}
