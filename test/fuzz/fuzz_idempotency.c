/* fuzz target: Idempotency-Key checks and the request fingerprint, the parts that need no database. */
#include <string.h>

#include "fuzz.h"
#include "idempotency_key.h"
#include "jsonv.h"

static void check_key(struct arena *a, const uint8_t *data, size_t size)
{
	const char *key = fuzz_copy(a, data, size);
	const char *why = idempotency_key_error(key, size);

	if (why) {
		FUZZ_CHECK(*why);
		return;
	}
	FUZZ_CHECK(size >= 1 && size <= IDEMPOTENCY_KEY_MAX);
	for (size_t i = 0; i < size; i++)
		FUZZ_CHECK(data[i] >= 0x20 && data[i] != 0x7f);
	FUZZ_CHECK(jv_utf8_valid(key, NULL));
}

/* Two bodies share a fingerprint only when they are the same bytes, NULs included. */
static void check_fingerprint(struct arena *a, const uint8_t *data, size_t size)
{
	const char *body = fuzz_copy(a, data, size);
	const char *fp = idempotency_fingerprint(a, "POST", "/api/tickets", body, size);

	FUZZ_CHECK(fp && strlen(fp) == 64 && strspn(fp, "0123456789abcdef") == 64);
	FUZZ_CHECK(strcmp(fp, idempotency_fingerprint(a, "POST", "/api/tickets", body, size)) == 0);
	FUZZ_CHECK(strcmp(fp, idempotency_fingerprint(a, "POST", "/api/users", body, size)) != 0);
	if (size == 0)
		return;
	char *other = fuzz_copy(a, data, size);
	other[size - 1] ^= 1;
	FUZZ_CHECK(strcmp(fp, idempotency_fingerprint(a, "POST", "/api/tickets", other, size)) != 0);
	FUZZ_CHECK(strcmp(fp, idempotency_fingerprint(a, "POST", "/api/tickets", body, size - 1)) != 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;

	arena_init(&a, 4096);
	check_key(&a, data, size);
	check_fingerprint(&a, data, size);
	arena_reset(&a);
	return 0;
}
