// UserTable: every user with role, contacts and last sign-in; Edit, and Deactivate for the
// others (an admin cannot deactivate themselves).
import { useApp, type User } from '../../app';
import { fmtDateTime } from '../../lib/format';
import type { Key } from '../../i18n';

interface Props { items: User[]; onEdit: (u: User) => void; onDeactivate: (u: User) => void }

function UserRow({ u, onEdit, onDeactivate }: { u: User } & Omit<Props, 'items'>) {
  const { t, locale, user: me } = useApp();
  return (
    <tr class={u.active ? '' : 'inactive'} data-user={u.username}>
      <td>{u.username}{u.active ? null : <span class="tag">{t('user.inactive')}</span>}</td>
      <td>{u.fullName}</td>
      <td><span class={`tag role-${u.role}`}>{t(`role.${u.role}` as Key)}</span>{u.masterCode ? <span class="muted small"> {u.masterCode}</span> : null}</td>
      <td class="nowrap">{u.phone}</td>
      <td>{u.sipExtension}</td>
      <td>{u.telegramChatId ?? ''}</td>
      <td class="nowrap">{fmtDateTime(u.lastLogin, locale)}</td>
      <td class="nowrap right">
        <button type="button" class="btn btn-small" onClick={() => onEdit(u)} aria-label={`${t('common.edit')} ${u.username}`}>{t('common.edit')}</button>
        {u.active && u.id !== me.id ? <button type="button" class="btn btn-small btn-ghost" onClick={() => onDeactivate(u)} aria-label={`${t('user.deactivate')} ${u.username}`}>{t('user.deactivate')}</button> : null}
      </td>
    </tr>
  );
}

export function UserTable({ items, onEdit, onDeactivate }: Props) {
  const { t } = useApp();
  return (
    <table class="grid">
      <thead><tr>
        <th scope="col">{t('user.username')}</th><th scope="col">{t('user.fullName')}</th><th scope="col">{t('user.role')}</th>
        <th scope="col">{t('user.phone')}</th><th scope="col">{t('user.sipExtension')}</th><th scope="col">{t('user.telegramChatId')}</th>
        <th scope="col">{t('user.lastLogin')}</th><th scope="col"><span class="sr-only">{t('common.actions')}</span></th>
      </tr></thead>
      <tbody>{items.map((u) => <UserRow key={u.id} u={u} onEdit={onEdit} onDeactivate={onDeactivate} />)}</tbody>
    </table>
  );
}
