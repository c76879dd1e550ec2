// Banner: a page-wide message; errors are announced at once (alert), the rest politely.
import type { ComponentChildren } from 'preact';

export function Banner({ kind = 'info', children }: { kind?: 'info' | 'error' | 'warn' | 'ok'; children: ComponentChildren }) {
  return <div class={`banner banner-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>{children}</div>;
}
