/* dispatch: every rule that is not a handler's business runs here, before any handler. */
#include "dispatch.h"

#include <string.h>
#include <strings.h>

#include "crypto.h"
#include "idempotency.h"
#include "router.h"
#include "session.h"

static bool mutating(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

/* A caller trusted without a session, on routes flagged ROUTE_TRUSTED (/api/metrics): one that
 * presents BRANDO_METRICS_TOKEN as a bearer token (a Prometheus scraper), compared in constant
 * time. Never an address: behind a balancer or a proxy on the same host every peer looks local.
 * The one place to change the rule. */
static bool trusted_caller(const struct req *r)
{
	const char *auth = req_env(r, "HTTP_AUTHORIZATION");

	return auth && r->cfg->metrics_token && strncasecmp(auth, "Bearer ", 7) == 0 &&
	       crypto_streq(auth + 7, r->cfg->metrics_token);
}

/* 401 / 403 when the route's rule does not admit the caller; 0 when it does. */
static int check_access(struct req *r)
{
	if (r->route->roles == ROLES_PUBLIC || ((r->route->flags & ROUTE_TRUSTED) && trusted_caller(r)))
		return 0;
	enum db_rc rc = session_load(r);
	if (rc != DB_OK)
		return reply_db(r, rc);
	if (!r->signed_in)
		return reply_error(r, 401, "unauthenticated", NULL, "sign in first");
	if (!(r->route->roles & r->user.role))
		return reply_error(r, 403, "forbidden", NULL, "your role may not do this");
	return 0;
}

/* CSRF: a browser's cross-site request carries a foreign Origin, or a non-JSON type. */
static int check_csrf(struct req *r)
{
	if (!mutating(r->method) || (r->route->flags & ROUTE_WEBHOOK))
		return 0;
	if (!session_origin_ok(r))
		return reply_error(r, 403, "forbidden", NULL, "cross-origin request refused");
	if (r->body_len > 0 && !http_is_json_type(req_env(r, "CONTENT_TYPE")))
		return reply_error(r, 415, "unsupported_media_type", NULL, "send Content-Type: application/json");
	return 0;
}

static int parse_body(struct req *r)
{
	struct jv_error err;
	const char *why;

	if (!r->route->body)
		return 0;
	if (r->body_len == 0)
		return reply_error(r, 400, "bad_json", NULL, "the body must be a JSON object");
	r->json = jv_parse_object_why(r->arena, r->body, r->body_len, &why);
	if (!r->json)
		return reply_error(r, 400, "bad_json", NULL, why);
	if (!jv_validate(r->json, r->route->body, strcmp(r->method, "PATCH") == 0, &err))
		return reply_error(r, 422, "validation_failed", err.field,
				   arena_printf(r->arena, "%s %s", err.field, err.message));
	return 0;
}

/* The body's checks belong to the request an Idempotency-Key names: a refused first attempt
 * is its first answer too, so a retry with another body cannot turn it into a new record. */
static int run_route(struct req *r)
{
	int status = parse_body(r);

	return status ? status : r->route->handler(r);
}

/* 404 or 405 for a path no route serves as asked; 0 when one does (r->route is set). */
static int find_route(struct req *r, bool *bad_param)
{
	const char *allow;

	*bad_param = false;
	switch (router_match(ROUTES, r->arena, r->method, r->path, &r->route, r->params, &r->nparams)) {
	case ROUTE_NOT_FOUND:
		r->route = NULL;
		return reply_error(r, 404, "not_found", NULL, "no such endpoint");
	case ROUTE_BAD_METHOD:
		r->route = NULL;
		allow = router_allowed(ROUTES, r->arena, r->path);
		reply_header(r, "Allow", allow);
		return reply_error(r, 405, "method_not_allowed", NULL, arena_printf(r->arena, "allowed: %s", allow));
	case ROUTE_BAD_PARAM:
		*bad_param = true;
		break;
	case ROUTE_FOUND:
		break;
	}
	return 0;
}

void dispatch(struct req *r)
{
	bool bad_param;

	if (find_route(r, &bad_param) || check_access(r) || check_csrf(r))
		return;
	if (bad_param) { /* after the access rule, so a stranger learns nothing from it */
		reply_error(r, 404, "not_found", NULL, "nothing has this id");
		return;
	}
	if ((r->route->flags & ROUTE_IDEMPOTENT) && req_env(r, "HTTP_IDEMPOTENCY_KEY"))
		idempotency_run(r, run_route);
	else
		run_route(r);
	db_rollback(r->db); /* a handler that left early never leaves a transaction open */
}
