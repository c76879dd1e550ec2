/* fuzz target: the ?since= event id of a /ws handshake (push_since_parse). */
#include <string.h>

#include "fuzz.h"
#include "since.h"

/* Accepted means 1-18 digits, read exactly as strtoll reads them. */
static void check(const char *v, size_t len)
{
	int64_t since = -7;

	if (!push_since_parse(v, len, &since)) {
		FUZZ_CHECK(since == -7);
		return;
	}
	FUZZ_CHECK(len >= 1 && len <= PUSH_SINCE_MAX_DIGITS && since >= 0);
	char copy[PUSH_SINCE_MAX_DIGITS + 1];
	memcpy(copy, v, len);
	for (size_t i = 0; i < len; i++)
		FUZZ_CHECK(copy[i] >= '0' && copy[i] <= '9');
	copy[len] = '\0';
	FUZZ_CHECK(since == strtoll(copy, NULL, 10));
}

static void one_value(struct arena *a, const char *s, size_t len, void *ctx)
{
	(void)a;
	(void)ctx;
	check(s, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;

	arena_init(&a, 1024);
	check((const char *)data, size); /* raw, NULs and all */
	fuzz_pieces(&a, data, size, one_value, NULL);
	arena_reset(&a);
	return 0;
}
