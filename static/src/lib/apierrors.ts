// apierrors: an API error as the user reads it. The server's messages are English and precise
// ("customerPhone is not a valid phone number"); in English they are shown as they are, in
// another language the error's code (and whether it names a field) picks a translated text.
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
