// useMasters: active masters with their open-ticket counts (null while loading); `stamp`
// changing fetches them again.
import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../app';
import type { Page } from '../lib/api';

export interface Master { id: string; fullName: string; username: string; openTickets?: number }

export function useMasters(stamp: unknown = 0): Master[] | null {
  const { api } = useApp();
  const [masters, setMasters] = useState<Master[] | null>(null);
  useEffect(() => {
    api.get<Page<Master>>('/api/masters').then((r) => setMasters(r.items), () => setMasters([]));
  }, [stamp]);
  return masters;
}
