/* fuzz target: the router over the real route table (router_match, router_allowed). */
#include <string.h>

#include "fuzz.h"
#include "router.h"

static const char *const METHODS[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};

static size_t count_params(const char *pattern)
{
	size_t n = 0;

	for (const char *p = pattern; (p = strchr(p, '{')); p++)
		n++;
	return n;
}

/* A match is of that method, with one non-empty, slash-free value per {param}; a {param} of
 * the wrong type names a route of that method and gives no values; a 405 lists only methods
 * that do match the path's shape. */
static void one_path(struct arena *a, const char *path, size_t len, void *ctx)
{
	const struct route *rt;
	const char *params[REQ_MAX_PARAMS];
	int n;

	(void)len;
	(void)ctx;
	for (size_t m = 0; m < sizeof(METHODS) / sizeof(METHODS[0]); m++) {
		enum route_match got = router_match(ROUTES, a, METHODS[m], path, &rt, params, &n);

		if (got == ROUTE_FOUND) {
			FUZZ_CHECK(strcmp(rt->method, METHODS[m]) == 0 && (size_t)n == count_params(rt->pattern));
			for (int i = 0; i < n; i++)
				FUZZ_CHECK(params[i][0] && !strchr(params[i], '/') && strstr(path, params[i]));
			continue;
		}
		FUZZ_CHECK(n == 0);
		if (got == ROUTE_BAD_PARAM)
			FUZZ_CHECK(strcmp(rt->method, METHODS[m]) == 0 && count_params(rt->pattern) > 0);
		const char *allowed = router_allowed(ROUTES, a, path);
		FUZZ_CHECK((got == ROUTE_NOT_FOUND) == (allowed[0] == '\0'));
		for (char *save, *tok = strtok_r(arena_strdup(a, allowed), ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
			enum route_match again = router_match(ROUTES, a, tok, path, &rt, params, &n);
			FUZZ_CHECK(again == ROUTE_FOUND || again == ROUTE_BAD_PARAM);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_each_piece(data, size, one_path, NULL);
}
