// Phone: a phone number; staff get a click-to-call button (Zadarma callback), everyone a tel: link.
import { useState } from 'preact/hooks';
import { useApp } from '../app';
import { errorText } from '../lib/apierrors';
import { telHref } from '../lib/tickets';
import { Icon } from './Icon';

export function Phone({ phone, ticketId }: { phone: string | null | undefined; ticketId?: number }) {
  const { user, api, t, toast } = useApp();
  const [busy, setBusy] = useState(false);
  if (!phone) return null;
  if (user.role === 'master') return <a class="phone" href={telHref(phone)}>{phone}</a>;
  const call = async (e: Event) => {
    e.stopPropagation();
    setBusy(true);
    try {
      await api.post('/api/calls/outgoing', ticketId ? { to: phone, ticketId } : { to: phone });
      toast(t('calls.dialing', { phone }));
    } catch (err) {
      toast(errorText(t, err), 'error');
    } finally {
      setBusy(false);
    }
  };
  return (
    <span class="phone">
      <a href={telHref(phone)} onClick={(e) => e.stopPropagation()}>{phone}</a>
      <button type="button" class="btn-icon" onClick={call} disabled={busy}
        aria-label={t('calls.callTo', { phone })} title={t('calls.callTo', { phone })}>
        <Icon name="phone" />
      </button>
    </span>
  );
}
