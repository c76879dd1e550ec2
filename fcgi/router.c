/* router: segment-by-segment match; a {param} never matches an empty segment or a slash, and a
 * typed one is checked here, once, so that every handler gets an id of the right form. */
#include "router.h"

#include <string.h>

/* How far a route matches a path: not at all; by shape, with a {param} not of its type; fully. */
enum fit { FIT_NONE, FIT_SHAPE, FIT_FULL };

typedef bool (*param_check)(const char *segment);

/* A positive integer that fits a bigint, written without a leading zero (one id, one spelling). */
static bool is_int(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 19 || s[0] == '0' || strspn(s, "0123456789") != n)
		return false;
	return n < 19 || strcmp(s, "9223372036854775807") <= 0;
}

static bool any_segment(const char *s)
{
	(void)s;
	return true;
}

static const struct {
	const char *name;
	param_check check;
} TYPES[] = {
	{"int", is_int},
	{"uuid", jv_is_uuid_lower}, /* the form PostgreSQL writes: a handler may compare ids as text */
};

/* The check for the {param} from open to its close: any segment for a bare {name}, NULL for
 * an unknown type. */
static param_check param_type(const char *open, const char *close)
{
	const char *colon = memchr(open, ':', (size_t)(close - open));

	if (!colon)
		return any_segment;
	size_t n = (size_t)(close - colon - 1);
	for (size_t i = 0; i < sizeof(TYPES) / sizeof(TYPES[0]); i++)
		if (strlen(TYPES[i].name) == n && strncmp(TYPES[i].name, colon + 1, n) == 0)
			return TYPES[i].check;
	return NULL;
}

static enum fit match_pattern(struct arena *a, const char *pattern, const char *path,
			      const char **params, int *nparams)
{
	const char *p = pattern, *s = path;
	bool typed = true;
	int n = 0;

	while (*p && *s) {
		if (*p == '{') {
			const char *close = strchr(p, '}');
			size_t len = strcspn(s, "/");
			param_check check = close ? param_type(p, close) : NULL;

			if (!check || len == 0 || n >= REQ_MAX_PARAMS)
				return FIT_NONE;
			params[n] = arena_strndup(a, s, len);
			typed = typed && check(params[n]);
			n++;
			p = close + 1;
			s += len;
		} else if (*p++ != *s++) {
			return FIT_NONE;
		}
	}
	if (*p || *s)
		return FIT_NONE;
	*nparams = n;
	return typed ? FIT_FULL : FIT_SHAPE;
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

static enum fit route_claims(const struct route *rt, bool literal, struct arena *a, const char *path,
			     const char **params, int *nparams)
{
	if (literal)
		return !strchr(rt->pattern, '{') && strcmp(rt->pattern, path) == 0 ? FIT_FULL : FIT_NONE;
	return match_pattern(a, rt->pattern, path, params, nparams);
}

/* A full match for the method wins; then a route for the method whose {param} did not fit
 * (404 after its access rule); then any other method on the path (405); else 404. */
enum route_match router_match(const struct route *table, struct arena *a, const char *method,
			      const char *path, const struct route **out, const char **params, int *nparams)
{
	bool literal = literal_owner(table, path);
	const struct route *misfit = NULL;
	enum route_match none = ROUTE_NOT_FOUND;

	*nparams = 0;
	for (const struct route *rt = table; rt->method; rt++) {
		enum fit fit = route_claims(rt, literal, a, path, params, nparams);

		if (fit == FIT_NONE)
			continue;
		if (strcmp(rt->method, method) != 0) {
			none = ROUTE_BAD_METHOD;
		} else if (fit == FIT_FULL) {
			*out = rt;
			return ROUTE_FOUND;
		} else if (!misfit) {
			misfit = rt;
		}
	}
	*nparams = 0;
	if (!misfit)
		return none;
	*out = misfit;
	return ROUTE_BAD_PARAM;
}

/* The Allow header: each method once, in table order; a path of a route's shape counts even
 * when its {param} is not of the route's type. */
const char *router_allowed(const struct route *table, struct arena *a, const char *path)
{
	struct buf b;
	const char *params[REQ_MAX_PARAMS];
	bool literal = literal_owner(table, path);
	int n;

	buf_init(&b, a);
	for (const struct route *rt = table; rt->method; rt++) {
		bool listed = false;

		if (route_claims(rt, literal, a, path, params, &n) == FIT_NONE)
			continue;
		for (const struct route *q = table; q < rt && !listed; q++)
			listed = strcmp(q->method, rt->method) == 0 &&
				 route_claims(q, literal, a, path, params, &n) != FIT_NONE;
		if (listed)
			continue;
		if (b.len)
			buf_puts(&b, ", ");
		buf_puts(&b, rt->method);
	}
	return b.data ? b.data : "";
}

bool router_pattern_ok(const char *pattern)
{
	for (const char *p = strchr(pattern, '{'); p; p = strchr(p + 1, '{')) {
		const char *close = strchr(p, '}');

		if (!close || p[1] == ':' || p[1] == '}' || memchr(p + 1, '{', (size_t)(close - p - 1)) ||
		    !param_type(p, close))
			return false;
	}
	return true;
}

void router_label(const char *pattern, char *out, size_t n)
{
	size_t o = 0;
	bool in_param = false, in_type = false;

	if (n == 0)
		return;
	for (const char *p = pattern; *p && o + 1 < n; p++) {
		in_param = (in_param || *p == '{') && *p != '}';
		in_type = in_param && (in_type || *p == ':');
		if (!in_type)
			out[o++] = *p;
	}
	out[o] = '\0';
}
