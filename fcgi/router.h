/* router: routes are data (method, pattern, handler, who may call, body schema); one table, one matcher. */
#ifndef BRANDO_ROUTER_H
#define BRANDO_ROUTER_H

#include "jsonv.h"
#include "req.h"

typedef int (*handler_fn)(struct req *r);

enum route_flags {
	ROUTE_WEBHOOK = 1u,     /* signed by its provider: no Origin / Content-Type rule, raw body */
	ROUTE_IDEMPOTENT = 2u,  /* honours Idempotency-Key */
	ROUTE_TRUSTED = 4u,     /* a trusted caller needs no session (dispatch.c: trusted_caller) */
};

struct route {
	const char *method;
	/* "/api/users/{id:uuid}": a {name:type} matches one non-empty segment of that type:
	 * int (a positive bigint, no leading zero) or uuid (8-4-4-4-12 lowercase hex); a bare {name}, any. */
	const char *pattern;
	handler_fn handler;
	unsigned roles;      /* role bits (roles.h), or ROLES_PUBLIC: no session needed */
	unsigned flags;
	const struct jv_field *body; /* JSON body schema, NULL: no JSON body */
};

enum route_match {
	ROUTE_FOUND,
	ROUTE_NOT_FOUND,
	ROUTE_BAD_METHOD,
	ROUTE_BAD_PARAM, /* a route for this method has the path's shape, but a {param} is not of its type */
};

/* Find method + path in table (terminated by a NULL method). On ROUTE_FOUND *out is set and
 * params[] point into arena copies of the path segments; on ROUTE_BAD_PARAM *out is the
 * route whose parameter did not fit (its access rule still applies) and there are no params. */
enum route_match router_match(const struct route *table, struct arena *a, const char *method,
			      const char *path, const struct route **out, const char **params, int *nparams);
/* Methods allowed for path, comma separated ("GET, PATCH"), for a 405's Allow header. */
const char *router_allowed(const struct route *table, struct arena *a, const char *path);
/* Is pattern well formed: every { closed, and each {name:type} of a known type? */
bool router_pattern_ok(const char *pattern);
/* The pattern without its types ("/api/users/{id}"), for metrics labels; cut to fit n. */
void router_label(const char *pattern, char *out, size_t n);

/* The application's table (routes.c). */
extern const struct route ROUTES[];

#endif
