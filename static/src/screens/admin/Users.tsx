// Users (admin): list, create, edit (SIP extension, Telegram chat, master code), reset a
// password, deactivate. Field errors from the API's 422/409 `field` land on the field.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useApp, useLive, type User } from '../../app';
import { ApiError, newIdempotencyKey, qs, type Page } from '../../lib/api';
import { apiMessage } from '../../lib/apierrors';
import { fmtDateTime } from '../../lib/format';
import { Banner, Dialog, errorText, Field } from '../../ui';
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

function UserForm({ user, onDone }: { user: User | null; onDone: (u: User) => void }) {
  const { api, t } = useApp();
  const [d, setD] = useState<Draft>(draftOf(user));
  const [errs, setErrs] = useState<Partial<Record<F | 'form', string>>>({});
  const [busy, setBusy] = useState(false);
  const key = useRef(newIdempotencyKey()); // renewed after each answered attempt
  const set = (k: F) => (v: string) => { setD((x) => ({ ...x, [k]: v })); setErrs((e) => ({ ...e, [k]: undefined })); };

  const submit = async (e: Event) => {
    e.preventDefault();
    const base = draftOf(user);
    const body: Record<string, unknown> = {};
    for (const k of FIELDS) {
      const v = d[k].trim();
      if (user === null ? v !== '' : v !== base[k]) body[k] = v === '' ? null : v;
    }
    if (user && d.active !== base.active) body.active = d.active;
    const errors: typeof errs = {};
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

export function Users() {
  const { api, t, locale, toast, user: me } = useApp();
  const [items, setItems] = useState<User[]>([]);
  const [role, setRole] = useState('');
  const [error, setError] = useState('');
  const [editing, setEditing] = useState<User | null | 'new'>(null);
  const load = () => api.get<Page<User>>(`/api/users${qs({ role, limit: 200 })}`).then((r) => setItems(r.items), (e) => setError(errorText(t, e)));
  useEffect(() => { load(); }, [role]);
  useLive('user.updated', (ev) => {
    const u: User | undefined = ev.data?.user;
    if (u) setItems((l) => { const i = l.findIndex((x) => x.id === u.id); return i < 0 ? l : l.map((x) => (x.id === u.id ? u : x)); });
  });

  const deactivate = async (u: User) => {
    if (!confirm(t('user.confirmDeactivate', { name: u.fullName || u.username }))) return;
    try {
      await api.del(`/api/users/${u.id}`);
      setItems((l) => l.map((x) => (x.id === u.id ? { ...x, active: false } : x)));
      toast(t('user.deactivated', { name: u.username }));
    } catch (err) {
      toast(errorText(t, err), 'error');
    }
  };
  const done = (u: User) => {
    setItems((l) => (l.some((x) => x.id === u.id) ? l.map((x) => (x.id === u.id ? u : x)) : [u, ...l]));
    toast(t('user.saved', { name: u.username }));
    setEditing(null);
  };

  return (
    <section class="page" aria-labelledby="users-h">
      <div class="page-head">
        <h1 id="users-h">{t('nav.users')}</h1>
        <button type="button" class="btn btn-primary" onClick={() => setEditing('new')}>+ {t('user.new')}</button>
      </div>
      <div class="toolbar">
        <label class="inline-field"><span>{t('user.role')}</span>
          <select value={role} onChange={(e) => setRole((e.target as HTMLSelectElement).value)}>
            <option value="">{t('common.all')}</option>
            {(['admin', 'operator', 'master'] as const).map((r) => <option key={r} value={r}>{t(`role.${r}`)}</option>)}
          </select>
        </label>
      </div>
      {error ? <Banner kind="error">{error}</Banner> : null}
      <div class="table-wrap">
        <table class="grid">
          <thead><tr>
            <th scope="col">{t('user.username')}</th><th scope="col">{t('user.fullName')}</th><th scope="col">{t('user.role')}</th>
            <th scope="col">{t('user.phone')}</th><th scope="col">{t('user.sipExtension')}</th><th scope="col">{t('user.telegramChatId')}</th>
            <th scope="col">{t('user.lastLogin')}</th><th scope="col"><span class="sr-only">{t('common.actions')}</span></th>
          </tr></thead>
          <tbody>
            {items.map((u) => (
              <tr key={u.id} class={u.active ? '' : 'inactive'} data-user={u.username}>
                <td>{u.username}{u.active ? null : <span class="tag">{t('user.inactive')}</span>}</td>
                <td>{u.fullName}</td>
                <td><span class={`tag role-${u.role}`}>{t(`role.${u.role}` as Key)}</span>{u.masterCode ? <span class="muted small"> {u.masterCode}</span> : null}</td>
                <td class="nowrap">{u.phone}</td>
                <td>{u.sipExtension}</td>
                <td>{u.telegramChatId ?? ''}</td>
                <td class="nowrap">{fmtDateTime(u.lastLogin, locale)}</td>
                <td class="nowrap right">
                  <button type="button" class="btn btn-small" onClick={() => setEditing(u)} aria-label={`${t('common.edit')} ${u.username}`}>{t('common.edit')}</button>
                  {u.active && u.id !== me.id ? <button type="button" class="btn btn-small btn-ghost" onClick={() => deactivate(u)} aria-label={`${t('user.deactivate')} ${u.username}`}>{t('user.deactivate')}</button> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Dialog open={editing !== null} title={editing === 'new' ? t('user.new') : t('user.edit', { name: editing?.username ?? '' })} onClose={() => setEditing(null)}>
        {editing !== null ? <UserForm key={editing === 'new' ? 'new' : editing.id} user={editing === 'new' ? null : editing} onDone={done} /> : null}
      </Dialog>
    </section>
  );
}
