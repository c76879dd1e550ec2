// fraud: a fraud flag as people read it; a flag the UI has no text for is shown as words.
import type { Key } from '../i18n';

export function fraudReason(t: (k: Key) => string, flag: string): string {
  const key = `fraud.${flag}` as Key;
  const s = t(key);
  return s === key ? flag.replace(/[_-]+/g, ' ') : s;
}
