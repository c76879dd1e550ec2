/* idempotency_key: pure checks on the key and the request it names (fuzzed in test/fuzz). */
#include "idempotency_key.h"

#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "jsonv.h"

const char *idempotency_key_error(const char *key, size_t len)
{
	if (len == 0 || len > IDEMPOTENCY_KEY_MAX)
		return "Idempotency-Key must be 1 to 200 bytes";
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)key[i] < 0x20 || key[i] == 0x7f)
			return "Idempotency-Key must not hold control characters";
	/* The key is stored as text: PostgreSQL would refuse bytes that are not UTF-8. */
	if (!jv_utf8_valid(key, NULL))
		return "Idempotency-Key must be valid UTF-8";
	return NULL;
}

const char *idempotency_fingerprint(struct arena *a, const char *method, const char *path, const char *body,
				    size_t len)
{
	struct buf m;

	buf_init(&m, a);
	buf_printf(&m, "%s %s\n", method, path);
	if (len)
		buf_append(&m, body, len);
	return crypto_sha256_hex(a, m.data, m.len);
}
