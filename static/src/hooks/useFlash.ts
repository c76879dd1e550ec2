// useFlash: ids to highlight for a few seconds (rows that just arrived live).
import { useState } from 'preact/hooks';

export function useFlash(ms = 4000): [Set<number>, (id: number) => void] {
  const [ids, setIds] = useState<Set<number>>(new Set());
  const flash = (id: number) => {
    setIds((s) => new Set(s).add(id));
    setTimeout(() => setIds((s) => { const n = new Set(s); n.delete(id); return n; }), ms);
  };
  return [ids, flash];
}
