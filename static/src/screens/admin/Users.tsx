// Users (admin): the user list by role, kept current by user.updated events; create, edit and
// deactivate, with the form in a dialog.
import { useEffect, useState } from 'preact/hooks';
import { useApp, useLive, type User } from '../../app';
import { qs, type Page } from '../../lib/api';
import { errorText } from '../../lib/apierrors';
import { Banner } from '../../ui/Banner';
import { Dialog } from '../../ui/Dialog';
import { UserForm } from './UserForm';
import { UserTable } from './UserTable';

const replaced = (l: User[], u: User) => l.map((x) => (x.id === u.id ? u : x));

export function Users() {
  const { api, t, toast } = useApp();
  const [items, setItems] = useState<User[]>([]);
  const [role, setRole] = useState('');
  const [error, setError] = useState('');
  const [editing, setEditing] = useState<User | null | 'new'>(null);
  const load = () => api.get<Page<User>>(`/api/users${qs({ role, limit: 200 })}`).then((r) => setItems(r.items), (e) => setError(errorText(t, e)));
  useEffect(() => { load(); }, [role]);
  useLive('user.updated', (ev) => {
    const u: User | undefined = ev.data?.user;
    if (u) setItems((l) => (l.some((x) => x.id === u.id) ? replaced(l, u) : l));
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
    setItems((l) => (l.some((x) => x.id === u.id) ? replaced(l, u) : [u, ...l]));
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
        <UserTable items={items} onEdit={setEditing} onDeactivate={deactivate} />
      </div>
      <Dialog open={editing !== null} title={editing === 'new' ? t('user.new') : t('user.edit', { name: editing?.username ?? '' })} onClose={() => setEditing(null)}>
        {editing !== null ? <UserForm key={editing === 'new' ? 'new' : editing.id} user={editing === 'new' ? null : editing} onDone={done} /> : null}
      </Dialog>
    </section>
  );
}
