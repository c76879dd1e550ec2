/* router: routes are data (method, pattern, handler, roles, body schema); one table, one matcher. */
#ifndef BRANDO_ROUTER_H
#define BRANDO_ROUTER_H

#include "jsonv.h"
#include "req.h"

typedef int (*handler_fn)(struct req *r);

enum route_flags {
	ROUTE_WEBHOOK = 1u,     /* signed by its provider: no Origin / Content-Type rule, raw body */
	ROUTE_IDEMPOTENT = 2u,  /* honours Idempotency-Key */
};

struct route {
	const char *method;
	const char *pattern; /* "/api/users/{id}": {name} matches one non-empty segment */
	handler_fn handler;
	unsigned roles;      /* ROLES_PUBLIC: no session needed */
	unsigned flags;
	const struct jv_field *body; /* JSON body schema, NULL: no JSON body */
};

enum route_match {
	ROUTE_FOUND,
	ROUTE_NOT_FOUND,
	ROUTE_BAD_METHOD,
};

/* Find method + path in table (terminated by a NULL method). On ROUTE_FOUND *out is set and
 * params[] point into arena copies of the path segments. */
enum route_match router_match(const struct route *table, struct arena *a, const char *method,
			      const char *path, const struct route **out, const char **params, int *nparams);
/* Methods allowed for path, comma separated ("GET, PATCH"), for a 405's Allow header. */
const char *router_allowed(const struct route *table, struct arena *a, const char *path);

/* The application's table (routes.c). */
extern const struct route ROUTES[];

#endif
