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
import { home, ROUTES } from './routes';
import { Login } from './screens/Login';
import { ScreenPop } from './screens/ScreenPop';
import { Shell } from './screens/Shell';
import { Toasts, useToasts } from './ui/Toasts';
import { loadZadarmaWidget } from './zadarma';

function App() {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [config, setConfig] = useState<Config | null>(null);
  const [locale, setLocaleState] = useState<Locale>(initialLocale());
  const [path, setPath] = useState(location.pathname);
  const [liveState, setLiveState] = useState<LiveState | 'none'>('none');
  const [toasts, toast] = useToasts();
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
      <Toasts toasts={toasts} />
    </AppCtx.Provider>
  );
}

render(<App />, document.getElementById('app')!);
