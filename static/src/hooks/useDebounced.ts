// useDebounced: a value that follows another once it has stopped changing for `ms` (search
// as you type without a request per key); with ms <= 0 it follows at once.
import { useEffect, useState } from 'preact/hooks';

export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    if (ms <= 0) { setSettled(value); return; }
    const h = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(h);
  }, [value, ms]);
  return ms <= 0 ? value : settled;
}
