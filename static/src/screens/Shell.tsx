// Shell: the frame around every signed-in screen — navigation by role, the live-updates
// indicator, the language switch and sign-out.
import type { ComponentChildren } from 'preact';
import { useApp } from '../app';
import { navigate } from '../lib/router';
import type { Role } from '../lib/tickets';
import { LOCALES, type Key, type Locale, type Vars } from '../i18n';

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

export function link(e: MouseEvent, to: string) {
  if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate(to);
}

export function LocaleSwitch({ locale, setLocale, t }: { locale: Locale; setLocale: (l: Locale) => void; t: (k: Key, v?: Vars) => string }) {
  return (
    <label class="locale">
      <span class="sr-only">{t('common.language')}</span>
      <select value={locale} onChange={(e) => setLocale((e.target as HTMLSelectElement).value as Locale)}>
        {LOCALES.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
      </select>
    </label>
  );
}

function LiveIndicator() {
  const { liveState, t } = useApp();
  if (liveState === 'none') return null;
  const on = liveState === 'live';
  return (
    <span class={`live live-${liveState}`} role="status" data-live={liveState}
      title={on ? t('live.onHint') : t('live.offHint')}>
      <span class="dot" aria-hidden="true" />{on ? t('live.on') : t('live.off')}
    </span>
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
