/* fuzz target: the Cookie header parser that finds the session token (http_cookie_get). */
#include <string.h>

#include "fuzz.h"
#include "http.h"
#include "session.h"

static void one_header(struct arena *a, const char *h, size_t len, void *ctx)
{
	static const char *const names[] = {SESSION_COOKIE, "theme", "b"};

	(void)ctx;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *v = http_cookie_get(a, h, names[i]);

		if (!v)
			continue;
		/* The value is a piece of this header, after "name=", and never spans a ';'. */
		FUZZ_CHECK(strlen(v) < len);
		FUZZ_CHECK(strstr(h, v) != NULL);
		FUZZ_CHECK(strchr(v, ';') == NULL);
		FUZZ_CHECK(strstr(h, arena_printf(a, "%s=", names[i])) != NULL);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_each_piece(data, size, one_header, NULL);
}
