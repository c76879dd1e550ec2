// apierrors: an error as the user reads it. The server's messages are English and precise
// ("customerPhone is not a valid phone number"); in English they are shown as they are, in
// another language the error's code (and whether it names a field) picks a translated text.
// Network failures, overload and server faults get texts of their own.
import type { Key, Vars } from '../i18n';
import { ApiError } from './api';

type T = (key: Key, vars?: Vars) => string;

// For an error on one field (shown under it) and for the whole form or a toast.
const FIELD: Record<string, Key> = {
  validation_failed: 'api.field.invalid',
  conflict: 'api.field.taken',
};
const FORM: Record<string, Key> = {
  validation_failed: 'api.invalid',
  invalid_transition: 'api.transition',
  conflict: 'api.conflict',
  not_found: 'api.not_found',
  forbidden: 'api.forbidden',
  upstream_failed: 'api.upstream',
  idempotency_mismatch: 'api.rejected',
  bad_request: 'api.rejected',
  bad_json: 'api.rejected',
  unsupported_media_type: 'api.rejected',
  too_large: 'api.too_large',
  method_not_allowed: 'api.rejected',
};

export function apiMessage(t: T, err: ApiError): string {
  const key = (err.field ? FIELD[err.code] : undefined) ?? FORM[err.code];
  return key ? t(key, { message: err.message }) : err.message;
}

// Any failure of a request (ApiError, a network error, an abort) as one line for a banner or
// a toast; an abort is no failure to show, so it gives ''.
export function errorText(t: T, err: unknown): string {
  if (err instanceof ApiError) {
    if (err.code === 'integration_disabled') return t('err.integration_disabled');
    if (err.status === 429) return t('err.rate_limited', { s: err.retryAfter ?? 1 });
    if (err.status === 0 || err.code === 'http_502' || err.status >= 500) return t('err.server');
    return apiMessage(t, err) || t('err.generic');
  }
  if (err instanceof DOMException && err.name === 'AbortError') return '';
  return t('err.network');
}
