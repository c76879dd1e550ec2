// main: boot — find out who is signed in, then show the sign-in page or the app shell with
// its routes, the live connection (staff only; masters get 403 on /ws) and the screen pop.
import { render } from 'preact';
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import './styles.css';
import { AppCtx, api, type Config, type Ctx, type User } from './app';
import { Bus } from './lib/bus';
import { Live, liveUrl, type LiveState } from './lib/live';
import { navigate, onNavigate, route } from './lib/router';
import { initialLocale, makeT, saveLocale, type Locale } from './i18n';
import { Login } from './screens/Login';
import { Shell } from './screens/Shell';
import { TicketList } from './screens/Tickets';
import { TicketForm } from './screens/TicketForm';
import { TicketDetail } from './screens/TicketDetail';
import { Calls } from './screens/Calls';
import { MasterView } from './screens/Master';
import { Users } from './screens/admin/Users';
import { Blacklist } from './screens/admin/Blacklist';
import { Dashboard } from './screens/Dashboard';
import { Integrations } from './screens/admin/Integrations';
import { ScreenPop } from './screens/ScreenPop';
import { loadZadarmaWidget } from './zadarma';
import type { Role } from './lib/tickets';

type Screen = (p: { params: Record<string, string> }) => preact.JSX.Element;
const ROUTES: [string, { screen: Screen; roles: Role[] }][] = [
  ['/dashboard', { screen: Dashboard, roles: ['admin', 'operator'] }],
  ['/tickets', { screen: TicketList, roles: ['admin', 'operator'] }],
  ['/tickets/new', { screen: TicketForm, roles: ['admin', 'operator'] }],
  ['/tickets/:id', { screen: TicketDetail, roles: ['admin', 'operator', 'master'] }],
  ['/tickets/:id/edit', { screen: TicketForm, roles: ['admin', 'operator'] }],
  ['/calls', { screen: Calls, roles: ['admin', 'operator'] }],
  ['/my', { screen: MasterView, roles: ['master'] }],
  ['/admin/users', { screen: Users, roles: ['admin'] }],
  ['/admin/blacklist', { screen: Blacklist, roles: ['admin', 'operator'] }],
  ['/admin/integrations', { screen: Integrations, roles: ['admin'] }],
];

export const home = (role: Role) => (role === 'master' ? '/my' : '/tickets');

interface Toast { id: number; text: string; kind: 'ok' | 'error' }

function App() {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [config, setConfig] = useState<Config | null>(null);
  const [locale, setLocaleState] = useState<Locale>(initialLocale());
  const [path, setPath] = useState(location.pathname);
  const [liveState, setLiveState] = useState<LiveState | 'none'>('none');
  const [toasts, setToasts] = useState<Toast[]>([]);
  const bus = useMemo(() => new Bus(), []);
  const t = useMemo(() => makeT(locale), [locale]);

  useEffect(() => onNavigate(() => setPath(location.pathname)), []);
  useEffect(() => { document.documentElement.lang = locale; }, [locale]);
  useEffect(() => {
    api.onUnauthenticated = () => setUser(null);
    api.get<{ user: User }>('/api/auth/me').then((r) => setUser(r.user), () => setUser(null));
  }, []);
  useEffect(() => {
    if (!user) return;
    api.get<Config>('/api/config').then(setConfig, () => setConfig(null));
  }, [user?.id]);

  // One WebSocket for staff; masters are refused by /ws, so they never open one.
  useEffect(() => {
    if (!user || user.role === 'master') { setLiveState('none'); return; }
    const live = new Live({
      url: (since) => liveUrl(location, since),
      connect: (url) => new WebSocket(url),
      onEvent: (ev) => bus.emit(ev),
      onResync: () => bus.emit({ type: 'resync' }),
      onState: setLiveState,
    });
    live.start();
    return () => live.stop();
  }, [user?.id, user?.role, bus]);

  useEffect(() => {
    if (user && user.role !== 'master' && config?.integrations?.zadarma?.enabled) loadZadarmaWidget(api, locale);
  }, [user?.id, config?.integrations?.zadarma?.enabled]);

  const setLocale = useCallback((l: Locale) => { saveLocale(l); setLocaleState(l); }, []);
  const toast = useCallback((text: string, kind: 'ok' | 'error' = 'ok') => {
    if (!text) return;
    const id = Date.now() + Math.random();
    setToasts((ts) => [...ts.slice(-3), { id, text, kind }]);
    setTimeout(() => setToasts((ts) => ts.filter((x) => x.id !== id)), kind === 'error' ? 8000 : 4000);
  }, []);

  if (user === undefined) return <p class="boot" role="status">{t('common.loading')}</p>;
  if (user === null) {
    return <Login t={t} locale={locale} setLocale={setLocale}
      onSignedIn={(u) => { setUser(u); navigate(home(u.role), true); }} />;
  }

  const ctx: Ctx = { api, user, config, locale, setLocale, t, bus, liveState, toast, currency: config?.currency ?? 'UAH' };
  const hit = route(ROUTES, path);
  let body;
  if (!hit || path === '/' || path === '/login') {
    queueMicrotask(() => navigate(home(user.role), true));
    body = null;
  } else if (!hit.value.roles.includes(user.role)) {
    body = <p class="empty">{t('err.forbidden')}</p>;
  } else {
    const S = hit.value.screen;
    body = <S key={path} params={hit.params} />;
  }
  return (
    <AppCtx.Provider value={ctx}>
      <Shell path={path} onSignOut={() => { setUser(null); navigate('/', true); }}>{body}</Shell>
      {user.role !== 'master' ? <ScreenPop /> : null}
      <div class="toasts" aria-live="polite">
        {toasts.map((x) => <div key={x.id} class={`toast toast-${x.kind}`} role={x.kind === 'error' ? 'alert' : 'status'}>{x.text}</div>)}
      </div>
    </AppCtx.Provider>
  );
}

render(<App />, document.getElementById('app')!);
