// routes: every screen's path and the roles that may open it, and each role's home screen.
import type { JSX } from 'preact';
import type { Role } from './app';
import { Blacklist } from './screens/admin/Blacklist';
import { Integrations } from './screens/admin/Integrations';
import { Users } from './screens/admin/Users';
import { Calls } from './screens/calls/Calls';
import { Dashboard } from './screens/dashboard/Dashboard';
import { MasterView } from './screens/master/MasterView';
import { TicketDetail } from './screens/tickets/TicketDetail';
import { TicketForm } from './screens/tickets/TicketForm';
import { TicketList } from './screens/tickets/TicketList';

type Screen = (p: { params: Record<string, string> }) => JSX.Element | null;

export const ROUTES: [string, { screen: Screen; roles: Role[] }][] = [
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
