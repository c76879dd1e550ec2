// Shell: the frame around every signed-in screen — skip link, navigation by role, the
// live-updates indicator, the language switch and sign-out.
import type { ComponentChildren } from 'preact';
import { useApp, type Role } from '../app';
import { link } from '../lib/router';
import { LiveIndicator } from '../ui/LiveIndicator';
import { LocaleSwitch } from '../ui/LocaleSwitch';
import type { Key } from '../i18n';

// Notifications arrive with their own issue: they slot in here as an entry.
const NAV: { path: string; label: Key; roles: Role[] }[] = [
  { path: '/dashboard', label: 'nav.dashboard', roles: ['admin', 'operator'] },
  { path: '/tickets', label: 'nav.tickets', roles: ['admin', 'operator'] },
  { path: '/calls', label: 'nav.calls', roles: ['admin', 'operator'] },
  { path: '/my', label: 'nav.my', roles: ['master'] },
  { path: '/admin/users', label: 'nav.users', roles: ['admin'] },
  { path: '/admin/blacklist', label: 'nav.blacklist', roles: ['admin', 'operator'] },
  { path: '/admin/integrations', label: 'nav.integrations', roles: ['admin'] },
];

function Nav({ path }: { path: string }) {
  const { user, t } = useApp();
  return (
    <nav aria-label={t('nav.main')}>
      <ul>
        {NAV.filter((n) => n.roles.includes(user.role)).map((n) => {
          const current = path === n.path || path.startsWith(`${n.path}/`);
          return (
            <li key={n.path}>
              <a href={n.path} aria-current={current ? 'page' : undefined} onClick={(e) => link(e, n.path)}>{t(n.label)}</a>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

export function Shell({ path, children, onSignOut }: { path: string; children: ComponentChildren; onSignOut: () => void }) {
  const { user, t, locale, setLocale, api } = useApp();
  const signOut = async () => {
    try { await api.post('/api/auth/logout', undefined); } catch { /* the session is gone either way */ }
    onSignOut();
  };
  return (
    <div class={`shell role-${user.role}`}>
      <a class="skip" href="#main">{t('common.skip')}</a>
      <header class="topbar">
        <a class="brand" href="/" onClick={(e) => link(e, '/')}><span class="brand-mark" aria-hidden="true">B</span><span class="brand-name">Brando CRM</span></a>
        <Nav path={path} />
        <div class="topbar-right">
          <LiveIndicator />
          <LocaleSwitch locale={locale} setLocale={setLocale} t={t} />
          <span class="whoami" title={user.username}>{user.fullName || user.username}<small>{t(`role.${user.role}` as Key)}</small></span>
          <button type="button" class="btn btn-ghost" onClick={signOut}>{t('nav.signOut')}</button>
        </div>
      </header>
      <main id="main" class="main" tabIndex={-1}>{children}</main>
    </div>
  );
}
