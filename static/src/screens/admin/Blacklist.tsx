// Blacklist: phones whose tickets get a fraud flag. Admins add and remove; operators read.
import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../../app';
import { ApiError, qs, type Page } from '../../lib/api';
import { apiMessage, errorText } from '../../lib/apierrors';
import { fmtDateTime } from '../../lib/format';
import { Banner } from '../../ui/Banner';
import { Field } from '../../ui/Field';

interface Entry { id: number; phone: string; reason: string | null; createdBy: string | null; createdAt: string }

export function Blacklist() {
  const { api, t, locale, user, toast } = useApp();
  const [items, setItems] = useState<Entry[] | null>(null);
  const [error, setError] = useState('');
  const [phone, setPhone] = useState('');
  const [reason, setReason] = useState('');
  const [errs, setErrs] = useState<{ phone?: string; reason?: string; form?: string }>({});
  const admin = user.role === 'admin';
  useEffect(() => {
    api.get<Page<Entry>>(`/api/blacklist${qs({ limit: 200 })}`).then((r) => setItems(r.items), (e) => { setItems([]); setError(errorText(t, e)); });
  }, []);

  const add = async (e: Event) => {
    e.preventDefault();
    if (!phone.trim()) { setErrs({ phone: t('form.required') }); return; }
    try {
      const r = await api.post<{ entry: Entry }>('/api/blacklist', { phone: phone.trim(), reason: reason.trim() || undefined });
      setItems((l) => [r.entry, ...(l ?? []).filter((x) => x.id !== r.entry.id)]);
      setPhone(''); setReason(''); setErrs({});
    } catch (err) {
      if (err instanceof ApiError && err.field) setErrs({ [err.field]: apiMessage(t, err) });
      else setErrs({ form: errorText(t, err) });
    }
  };
  const remove = async (x: Entry) => {
    if (!confirm(t('blacklist.confirmRemove', { phone: x.phone }))) return;
    try {
      await api.del(`/api/blacklist/${x.id}`);
      setItems((l) => (l ?? []).filter((y) => y.id !== x.id));
    } catch (err) {
      toast(errorText(t, err), 'error');
    }
  };

  return (
    <section class="page" aria-labelledby="bl-h">
      <div class="page-head"><h1 id="bl-h">{t('nav.blacklist')}</h1></div>
      {admin ? (
        <form class="card toolbar-form" onSubmit={add} noValidate aria-label={t('blacklist.add')}>
          <Field label={t('blacklist.phone')} name="phone" type="tel" value={phone} onValue={setPhone} error={errs.phone} required />
          <Field label={t('blacklist.reason')} name="reason" value={reason} onValue={setReason} error={errs.reason} class="grow" />
          <button class="btn btn-primary" type="submit">{t('blacklist.add')}</button>
          {errs.form ? <p class="form-error" role="alert">{errs.form}</p> : null}
        </form>
      ) : null}
      {error ? <Banner kind="error">{error}</Banner> : null}
      <div class="table-wrap">
        <table class="grid">
          <thead><tr><th scope="col">{t('blacklist.phone')}</th><th scope="col">{t('blacklist.reason')}</th><th scope="col">{t('blacklist.added')}</th>{admin ? <th scope="col"><span class="sr-only">{t('common.actions')}</span></th> : null}</tr></thead>
          <tbody>
            {(items ?? []).map((x) => (
              <tr key={x.id} data-phone={x.phone}>
                <td class="nowrap">{x.phone}</td><td>{x.reason}</td><td class="nowrap">{fmtDateTime(x.createdAt, locale)}</td>
                {admin ? <td class="right"><button type="button" class="btn btn-small btn-ghost" onClick={() => remove(x)} aria-label={`${t('blacklist.remove')} ${x.phone}`}>{t('blacklist.remove')}</button></td> : null}
              </tr>
            ))}
          </tbody>
        </table>
        {items && !items.length && !error ? <p class="empty">{t('blacklist.none')}</p> : null}
      </div>
    </section>
  );
}
