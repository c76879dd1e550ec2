// patchTicket: PATCH a ticket at the version shown; on 409 (someone changed it meanwhile)
// fetch the newer version and hand it to onConflict instead. Other failures are thrown.
import type { Api } from '../../lib/api';
import { ApiError } from '../../lib/api';
import type { Ticket } from '../../lib/tickets';

export async function patchTicket(api: Api, tk: Ticket, body: Record<string, unknown>,
  onSaved: (t: Ticket) => void, onConflict: (t: Ticket) => void) {
  try {
    const r = await api.patch<{ ticket: Ticket }>(`/api/tickets/${tk.id}`, { ...body, version: tk.version });
    onSaved(r.ticket);
  } catch (err) {
    if (err instanceof ApiError && err.status === 409) {
      const r = await api.get<{ ticket: Ticket }>(`/api/tickets/${tk.id}`);
      onConflict(r.ticket);
      return;
    }
    throw err;
  }
}
