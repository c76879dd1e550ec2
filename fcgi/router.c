/* router: segment-by-segment match; a {param} never matches an empty segment or a slash. */
#include "router.h"

#include <string.h>

static bool match_pattern(struct arena *a, const char *pattern, const char *path,
			  const char **params, int *nparams)
{
	const char *p = pattern, *s = path;
	int n = 0;

	while (*p && *s) {
		if (*p == '{') {
			const char *close = strchr(p, '}');
			size_t len = strcspn(s, "/");

			if (!close || len == 0 || n >= REQ_MAX_PARAMS)
				return false;
			params[n++] = arena_strndup(a, s, len);
			p = close + 1;
			s += len;
		} else if (*p++ != *s++) {
			return false;
		}
	}
	if (*p || *s)
		return false;
	*nparams = n;
	return true;
}

enum route_match router_match(const struct route *table, struct arena *a, const char *method,
			      const char *path, const struct route **out, const char **params, int *nparams)
{
	bool path_seen = false;

	*nparams = 0;
	for (const struct route *rt = table; rt->method; rt++) {
		if (!match_pattern(a, rt->pattern, path, params, nparams))
			continue;
		if (strcmp(rt->method, method) == 0) {
			*out = rt;
			return ROUTE_FOUND;
		}
		path_seen = true;
	}
	*nparams = 0;
	return path_seen ? ROUTE_BAD_METHOD : ROUTE_NOT_FOUND;
}

const char *router_allowed(const struct route *table, struct arena *a, const char *path)
{
	struct buf b;
	const char *params[REQ_MAX_PARAMS];
	int n;

	buf_init(&b, a);
	for (const struct route *rt = table; rt->method; rt++) {
		if (!match_pattern(a, rt->pattern, path, params, &n))
			continue;
		if (b.len)
			buf_puts(&b, ", ");
		buf_puts(&b, rt->method);
	}
	return b.data ? b.data : "";
}
