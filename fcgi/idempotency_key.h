/* idempotency_key: what Idempotency-Key handling decides without a database: is the key usable, and which request is it for. */
#ifndef BRANDO_IDEMPOTENCY_KEY_H
#define BRANDO_IDEMPOTENCY_KEY_H

#include <stddef.h>

#include "arena.h"

#define IDEMPOTENCY_KEY_MAX 200 /* bytes */

/* NULL when key[0..len) can name a request: 1 to 200 bytes of UTF-8 with no control
 * characters; otherwise the message of the 422 (static). key[len] must be a NUL. */
const char *idempotency_key_error(const char *key, size_t len);

/* The request's fingerprint: SHA-256 hex of method, path and every byte of the body, NULs
 * included, so two requests share it only when they are the same. Arena-owned; NULL on
 * failure. */
const char *idempotency_fingerprint(struct arena *a, const char *method, const char *path, const char *body,
				    size_t len);

#endif
