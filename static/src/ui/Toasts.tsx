// Toasts: short messages in a corner — a success fades after 4 s, an error after 8 s; at most
// four at a time. Errors are announced at once, the rest politely.
import { useCallback, useState } from 'preact/hooks';

interface Toast { id: number; text: string; kind: 'ok' | 'error' }

export function useToasts(): [Toast[], (text: string, kind?: 'ok' | 'error') => void] {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const toast = useCallback((text: string, kind: 'ok' | 'error' = 'ok') => {
    if (!text) return;
    const id = Date.now() + Math.random();
    setToasts((ts) => [...ts.slice(-3), { id, text, kind }]);
    setTimeout(() => setToasts((ts) => ts.filter((x) => x.id !== id)), kind === 'error' ? 8000 : 4000);
  }, []);
  return [toasts, toast];
}

export function Toasts({ toasts }: { toasts: Toast[] }) {
  return (
    <div class="toasts" aria-live="polite">
      {toasts.map((x) => <div key={x.id} class={`toast toast-${x.kind}`} role={x.kind === 'error' ? 'alert' : 'status'}>{x.text}</div>)}
    </div>
  );
}
