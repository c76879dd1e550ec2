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

/* A path that some route names literally ("/api/calls/outgoing") belongs to those routes
 * alone: a {param} route beside it ("/api/calls/{id}") must not claim it for other methods. */
static bool literal_owner(const struct route *table, const char *path)
{
	for (const struct route *rt = table; rt->method; rt++)
		if (!strchr(rt->pattern, '{') && strcmp(rt->pattern, path) == 0)
			return true;
	return false;
}

static bool route_claims(const struct route *rt, bool literal, struct arena *a, const char *path,
			 const char **params, int *nparams)
{
	if (literal)
		return !strchr(rt->pattern, '{') && strcmp(rt->pattern, path) == 0;
	return match_pattern(a, rt->pattern, path, params, nparams);
}

enum route_match router_match(const struct route *table, struct arena *a, const char *method,
			      const char *path, const struct route **out, const char **params, int *nparams)
{
	bool path_seen = false, literal = literal_owner(table, path);

	*nparams = 0;
	for (const struct route *rt = table; rt->method; rt++) {
		if (!route_claims(rt, literal, a, path, params, nparams))
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

/* The Allow header: each method once, in table order. */
const char *router_allowed(const struct route *table, struct arena *a, const char *path)
{
	struct buf b;
	const char *params[REQ_MAX_PARAMS];
	bool literal = literal_owner(table, path);
	int n;

	buf_init(&b, a);
	for (const struct route *rt = table; rt->method; rt++) {
		bool listed = false;

		if (!route_claims(rt, literal, a, path, params, &n))
			continue;
		for (const struct route *q = table; q < rt && !listed; q++)
			listed = strcmp(q->method, rt->method) == 0 && route_claims(q, literal, a, path, params, &n);
		if (listed)
			continue;
		if (b.len)
			buf_puts(&b, ", ");
		buf_puts(&b, rt->method);
	}
	return b.data ? b.data : "";
}
