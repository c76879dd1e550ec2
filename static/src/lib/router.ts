// router: path patterns like /tickets/:id matched against location.pathname, and
// navigation through the History API (nginx answers index.html for every app path).

export type Params = Record<string, string>;

export function match(pattern: string, path: string): Params | null {
  const ps = pattern.split('/').filter(Boolean);
  const xs = path.split('/').filter(Boolean);
  if (ps.length !== xs.length) return null;
  const params: Params = {};
  for (let i = 0; i < ps.length; i++) {
    if (ps[i].startsWith(':')) {
      try { params[ps[i].slice(1)] = decodeURIComponent(xs[i]); } catch { return null; }
    } else if (ps[i] !== xs[i]) return null;
  }
  return params;
}

export function route<T>(table: [string, T][], path: string): { value: T; params: Params } | null {
  for (const [p, value] of table) {
    const params = match(p, path);
    if (params) return { value, params };
  }
  return null;
}

const listeners = new Set<() => void>();

export function navigate(to: string, replace = false) {
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  listeners.forEach((fn) => fn());
}

// A link's click as in-app navigation; modified clicks (new tab, …) stay the browser's.
export function link(e: MouseEvent, to: string) {
  if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate(to);
}

export function onNavigate(fn: () => void): () => void {
  listeners.add(fn);
  window.addEventListener('popstate', fn);
  return () => { listeners.delete(fn); window.removeEventListener('popstate', fn); };
}

export function query(): URLSearchParams { return new URLSearchParams(location.search); }
