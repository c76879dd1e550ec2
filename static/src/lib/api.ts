// api: the one way the UI talks to /api — JSON in and out, the contract's error shape turned
// into ApiError (status, code, field, retryAfter), and a hook for "the session is gone".

export interface ErrorBody { error?: { code?: string; message?: string; field?: string } }

export class ApiError extends Error {
  status: number;
  code: string;
  field?: string;
  retryAfter?: number;
  constructor(status: number, code: string, message: string, field?: string, retryAfter?: number) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
    this.retryAfter = retryAfter;
  }
}

export interface RequestOptions { signal?: AbortSignal; idempotencyKey?: string }

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

// A query string from a record; empty, null and undefined values are left out.
export function qs(params: Record<string, string | number | boolean | null | undefined>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '' || v === false) continue;
    parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

// Retry-After is either seconds or an HTTP date; answer whole seconds (at least 1).
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const n = Number(value);
  if (Number.isFinite(n)) return Math.max(1, Math.ceil(n));
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(1, Math.ceil((at - now) / 1000));
}

export async function toApiError(res: Response): Promise<ApiError> {
  let body: ErrorBody = {};
  try { body = await res.json(); } catch { /* not JSON: keep the status only */ }
  const e = body.error ?? {};
  return new ApiError(res.status, e.code ?? `http_${res.status}`, e.message ?? res.statusText,
    e.field, parseRetryAfter(res.headers.get('Retry-After')));
}

export function newIdempotencyKey(): string {
  const c = globalThis.crypto;
  if (c && 'randomUUID' in c) return c.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

export class Api {
  onUnauthenticated: (() => void) | null = null;
  constructor(private fetchFn: FetchLike = (u, i) => fetch(u, i), private base = '') {}

  async request<T>(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (opts.idempotencyKey) headers['Idempotency-Key'] = opts.idempotencyKey;
    const res = await this.fetchFn(this.base + path, {
      method, headers, credentials: 'same-origin', signal: opts.signal,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status === 204) return null as T;
    if (!res.ok) {
      const err = await toApiError(res);
      if (res.status === 401 && !path.startsWith('/api/auth/login')) this.onUnauthenticated?.();
      throw err;
    }
    return (await res.json()) as T;
  }

  get<T>(path: string, opts?: RequestOptions) { return this.request<T>('GET', path, undefined, opts); }
  post<T>(path: string, body: unknown = {}, opts?: RequestOptions) { return this.request<T>('POST', path, body, opts); }
  patch<T>(path: string, body: unknown, opts?: RequestOptions) { return this.request<T>('PATCH', path, body, opts); }
  del<T>(path: string, opts?: RequestOptions) { return this.request<T>('DELETE', path, undefined, opts); }
}

export interface Page<T> { items: T[]; nextCursor: string | null }
