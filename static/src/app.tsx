// app: what every screen shares — the API client, the signed-in user, the server's config,
// the locale and the live-event bus — handed down through one context.
import { createContext } from 'preact';
import { useContext, useEffect, useRef } from 'preact/hooks';
import { Api } from './lib/api';
import { Bus } from './lib/bus';
import type { LiveEvent, LiveState } from './lib/live';
import type { TicketMoves } from './lib/tickets';
import type { Locale, Key, Vars } from './i18n';

export type Role = 'admin' | 'operator' | 'master';

export interface User {
  id: string; username: string; fullName: string; role: Role; masterCode: string | null;
  phone: string | null; sipExtension: string | null; telegramChatId: string | number | null;
  active: boolean; createdAt: string; lastLogin: string | null;
}

export interface Config {
  integrations: { zadarma: { enabled: boolean; sip?: string | null }; telegram: { enabled: boolean }; twilio: { enabled: boolean } };
  defaultCountryCode?: string;
  version?: string;
  currency?: string;
  ticketMoves?: TicketMoves; // the caller's role's moves per status (a master's: on their own tickets)
}

export interface Ctx {
  api: Api;
  user: User;
  config: Config | null;
  locale: Locale;
  setLocale: (l: Locale) => void;
  t: (k: Key, v?: Vars) => string;
  bus: Bus;
  liveState: LiveState | 'none';
  toast: (text: string, kind?: 'ok' | 'error') => void;
  currency: string;
}

export const AppCtx = createContext<Ctx>(null as unknown as Ctx);
export const useApp = () => useContext(AppCtx);

// Subscribe to live events for the lifetime of a component; the handler may change freely.
export function useLive(type: string, fn: (ev: LiveEvent) => void) {
  const { bus } = useApp();
  const ref = useRef(fn);
  ref.current = fn;
  useEffect(() => bus.on(type, (ev) => ref.current(ev)), [bus, type]);
}

export const api = new Api();
