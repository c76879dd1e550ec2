/* Unit tests: route matching, typed params, 404 vs 405, and the real table's invariants. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "router.h"

static int h_a(struct req *r) { (void)r; return 200; }
static int h_b(struct req *r) { (void)r; return 201; }

static const struct route TABLE[] = {
	{"GET", "/api/users", h_a, ROLE_ADMIN, 0, NULL},
	{"POST", "/api/users", h_b, ROLE_ADMIN, 0, NULL},
	{"GET", "/api/users/{id}", h_a, ROLE_ADMIN, 0, NULL},
	{"PATCH", "/api/users/{id}", h_b, ROLE_ADMIN, 0, NULL},
	{"POST", "/api/users/invite", h_b, ROLE_ADMIN, 0, NULL},
	{"GET", "/api/users/invite", h_a, ROLE_ADMIN, 0, NULL},
	{"GET", "/api/tickets/{id}/history/{n}", h_b, ROLES_ALL, 0, NULL},
	{"GET", "/api/things/{id:int}", h_a, ROLES_ALL, 0, NULL},
	{"DELETE", "/api/things/{id:int}", h_b, ROLE_ADMIN, 0, NULL},
	{"GET", "/api/people/{id:uuid}/notes/{n:int}", h_a, ROLES_ALL, 0, NULL},
	{"GET", "/api/people/{id:uuid}/photo", h_a, ROLES_ALL, 0, NULL},
	{"POST", "/api/people/{code}/photo", h_b, ROLES_ALL, 0, NULL},
	{NULL, NULL, NULL, 0, 0, NULL},
};

#define UUID "0f8fad5b-d9cb-469f-a165-70867728950e"

/* Each test gets an arena and the match's outputs. */
struct fx {
	struct arena a;
	const struct route *rt;
	const char *params[REQ_MAX_PARAMS];
	int n;
};

static int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	arena_init(&f->a, 512);
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;

	arena_reset(&f->a);
	free(f);
	return 0;
}

static void matches_exact_and_params(void **state)
{
	struct fx *f = *state;
	assert_int_equal(router_match(TABLE, &f->a, "POST", "/api/users", &f->rt, f->params, &f->n), ROUTE_FOUND);
	assert_ptr_equal(f->rt->handler, h_b);
	assert_int_equal(f->n, 0);
	assert_int_equal(router_match(TABLE, &f->a, "GET", "/api/users/42", &f->rt, f->params, &f->n), ROUTE_FOUND);
	assert_int_equal(f->n, 1);
	assert_string_equal(f->params[0], "42");
	assert_int_equal(router_match(TABLE, &f->a, "GET", "/api/tickets/7/history/3", &f->rt, f->params, &f->n), ROUTE_FOUND);
	assert_int_equal(f->n, 2);
	assert_string_equal(f->params[0], "7");
	assert_string_equal(f->params[1], "3");
}

static void distinguishes_404_and_405(void **state)
{
	struct fx *f = *state;
	assert_int_equal(router_match(TABLE, &f->a, "GET", "/api/nope", &f->rt, f->params, &f->n), ROUTE_NOT_FOUND);
	assert_int_equal(router_match(TABLE, &f->a, "GET", "/api/users/", &f->rt, f->params, &f->n), ROUTE_NOT_FOUND);
	assert_int_equal(router_match(TABLE, &f->a, "GET", "/api/users/1/2", &f->rt, f->params, &f->n), ROUTE_NOT_FOUND);
	assert_int_equal(router_match(TABLE, &f->a, "GET", "/api/usersx", &f->rt, f->params, &f->n), ROUTE_NOT_FOUND);
	assert_int_equal(router_match(TABLE, &f->a, "DELETE", "/api/users", &f->rt, f->params, &f->n), ROUTE_BAD_METHOD);
	assert_string_equal(router_allowed(TABLE, &f->a, "/api/users"), "GET, POST");
}

/* A literal path is its routes' alone: the {id} route beside it neither serves it for another
 * method nor shows in its Allow, and no method is listed twice. */
static void literal_path_outranks_a_pattern(void **state)
{
	struct fx *f = *state;
	assert_int_equal(router_match(TABLE, &f->a, "POST", "/api/users/invite", &f->rt, f->params, &f->n), ROUTE_FOUND);
	assert_ptr_equal(f->rt->handler, h_b);
	assert_int_equal(router_match(TABLE, &f->a, "GET", "/api/users/invite", &f->rt, f->params, &f->n), ROUTE_FOUND);
	assert_ptr_equal(f->rt->handler, h_a);
	assert_int_equal(f->n, 0);
	assert_int_equal(router_match(TABLE, &f->a, "PATCH", "/api/users/invite", &f->rt, f->params, &f->n), ROUTE_BAD_METHOD);
	assert_string_equal(router_allowed(TABLE, &f->a, "/api/users/invite"), "POST, GET");
	assert_int_equal(router_match(TABLE, &f->a, "PATCH", "/api/users/7", &f->rt, f->params, &f->n), ROUTE_FOUND);
	assert_string_equal(router_allowed(TABLE, &f->a, "/api/users/7"), "GET, PATCH");
	/* The real table: the words beside {id} routes. */
	assert_int_equal(router_match(ROUTES, &f->a, "GET", "/api/calls/outgoing", &f->rt, f->params, &f->n), ROUTE_BAD_METHOD);
	assert_string_equal(router_allowed(ROUTES, &f->a, "/api/calls/outgoing"), "POST");
	assert_string_equal(router_allowed(ROUTES, &f->a, "/api/calls/incoming"), "GET, POST");
	assert_int_equal(router_match(ROUTES, &f->a, "PATCH", "/api/tickets/export.csv", &f->rt, f->params, &f->n), ROUTE_BAD_METHOD);
	assert_string_equal(router_allowed(ROUTES, &f->a, "/api/tickets/export.csv"), "GET");
	assert_string_equal(router_allowed(ROUTES, &f->a, "/api/tickets/12"), "GET, PATCH");
}

static enum route_match match(struct fx *f, const char *method, const char *path)
{
	f->rt = NULL;
	return router_match(TABLE, &f->a, method, path, &f->rt, f->params, &f->n);
}

/* {id:int}: a positive bigint as the database writes it; anything else is ROUTE_BAD_PARAM,
 * with the route found (its access rule still applies) and no params handed on. */
static void int_params_are_positive_bigints(void **state)
{
	struct fx *f = *state;
	static const char *const good[] = {"1", "7", "42", "999999999999999999", "9223372036854775807", NULL};
	static const char *const bad[] = {"0", "007", "-1", "+1", "1.5", "1e3", "abc", "12a", " 1", "0x1F",
					  "9223372036854775808", "12345678901234567890", UUID, NULL};

	for (const char *const *g = good; *g; g++) {
		assert_int_equal(match(f, "GET", arena_printf(&f->a, "/api/things/%s", *g)), ROUTE_FOUND);
		assert_int_equal(f->n, 1);
		assert_string_equal(f->params[0], *g);
	}
	for (const char *const *b = bad; *b; b++) {
		if (match(f, "GET", arena_printf(&f->a, "/api/things/%s", *b)) != ROUTE_BAD_PARAM)
			fail_msg("%s was not refused", *b);
		assert_ptr_equal(f->rt, &TABLE[7]);
		assert_int_equal(f->n, 0);
	}
	assert_int_equal(match(f, "DELETE", "/api/things/x"), ROUTE_BAD_PARAM);
	assert_ptr_equal(f->rt->handler, h_b);
}

/* {id:uuid}: the lowercase 8-4-4-4-12 form PostgreSQL writes, one spelling per id. */
static void uuid_params_are_canonical(void **state)
{
	struct fx *f = *state;
	static const char *const bad[] = {"0F8FAD5B-D9CB-469F-A165-70867728950E", "0f8fad5b-d9cb-469f-a165-70867728950",
					  "0f8fad5b-d9cb-469f-a165-70867728950e0", "0f8fad5bd9cb469fa16570867728950e",
					  "0f8fad5b-d9cb-469f-a165_70867728950e", "0f8fad5b-d9cb-469f-a165-70867728950g", "1", NULL};

	assert_int_equal(match(f, "GET", "/api/people/" UUID "/notes/3"), ROUTE_FOUND);
	assert_int_equal(f->n, 2);
	assert_string_equal(f->params[0], UUID);
	assert_string_equal(f->params[1], "3");
	assert_int_equal(match(f, "GET", "/api/people/" UUID "/notes/03"), ROUTE_BAD_PARAM);
	for (const char *const *b = bad; *b; b++)
		if (match(f, "GET", arena_printf(&f->a, "/api/people/%s/notes/1", *b)) != ROUTE_BAD_PARAM)
			fail_msg("%s was not refused", *b);
}

/* A bad id is a 404 only where the method fits: another method on that shape is still a 405
 * with the same Allow as for a good id, and a path of no route's shape is still a 404. */
static void bad_params_keep_405_and_allow(void **state)
{
	struct fx *f = *state;

	assert_int_equal(match(f, "PATCH", "/api/things/abc"), ROUTE_BAD_METHOD);
	assert_null(f->rt);
	assert_string_equal(router_allowed(TABLE, &f->a, "/api/things/abc"), "GET, DELETE");
	assert_string_equal(router_allowed(TABLE, &f->a, "/api/things/12"), "GET, DELETE");
	assert_int_equal(match(f, "GET", "/api/things/"), ROUTE_NOT_FOUND);
	assert_int_equal(match(f, "GET", "/api/things/1/2"), ROUTE_NOT_FOUND);
	/* A full match for the method beats a misfit; an untyped {param} takes any segment. */
	assert_int_equal(match(f, "GET", "/api/people/" UUID "/photo"), ROUTE_FOUND);
	assert_int_equal(match(f, "GET", "/api/people/bob/photo"), ROUTE_BAD_PARAM);
	assert_int_equal(match(f, "POST", "/api/people/bob/photo"), ROUTE_FOUND);
	assert_string_equal(f->params[0], "bob");
	assert_string_equal(router_allowed(TABLE, &f->a, "/api/people/bob/photo"), "GET, POST");
	/* The real table: every id route. */
	assert_int_equal(router_match(ROUTES, &f->a, "GET", "/api/tickets/abc", &f->rt, f->params, &f->n), ROUTE_BAD_PARAM);
	assert_int_equal(router_match(ROUTES, &f->a, "DELETE", "/api/tickets/abc", &f->rt, f->params, &f->n), ROUTE_BAD_METHOD);
	assert_string_equal(router_allowed(ROUTES, &f->a, "/api/tickets/abc"), "GET, PATCH");
	assert_int_equal(router_match(ROUTES, &f->a, "GET", "/api/users/12", &f->rt, f->params, &f->n), ROUTE_BAD_PARAM);
	assert_int_equal(router_match(ROUTES, &f->a, "GET", "/api/users/" UUID, &f->rt, f->params, &f->n), ROUTE_FOUND);
	assert_int_equal(router_match(ROUTES, &f->a, "GET", "/api/calls/01/recording", &f->rt, f->params, &f->n), ROUTE_BAD_PARAM);
	assert_int_equal(router_match(ROUTES, &f->a, "DELETE", "/api/blacklist/1", &f->rt, f->params, &f->n), ROUTE_FOUND);
}

static void patterns_and_labels(void **state)
{
	char label[32];

	(void)state;
	assert_true(router_pattern_ok("/api/users"));
	assert_true(router_pattern_ok("/api/users/{id:uuid}/notes/{n:int}"));
	assert_true(router_pattern_ok("/api/people/{code}"));
	assert_false(router_pattern_ok("/api/users/{id:uid}"));
	assert_false(router_pattern_ok("/api/users/{id:}"));
	assert_false(router_pattern_ok("/api/users/{:int}"));
	assert_false(router_pattern_ok("/api/users/{}"));
	assert_false(router_pattern_ok("/api/users/{id:int"));
	assert_false(router_pattern_ok("/api/users/{id{n:int}"));
	router_label("/api/users/{id:uuid}/notes/{n:int}", label, sizeof(label));
	assert_string_equal(label, "/api/users/{id}/notes/{n}");
	router_label("/api/calls/{id:int}/recording", label, 16);
	assert_string_equal(label, "/api/calls/{id}");
	router_label("/api/health", label, sizeof(label));
	assert_string_equal(label, "/api/health");
}

/* The real table: every route has a handler, a rule (no role set of 0: ROLES_PUBLIC is a mark
 * of its own), well-formed typed ids, and no duplicate method + pattern. */
static void real_table_is_sound(void **state)
{
	(void)state;
	for (const struct route *x = ROUTES; x->method; x++) {
		assert_non_null(x->handler);
		assert_true(strncmp(x->pattern, "/api/", 5) == 0);
		if (x->roles != ROLES_PUBLIC && (x->roles == 0 || (x->roles & ~(unsigned)ROLES_ALL) != 0))
			fail_msg("%s %s: roles %#x is neither ROLES_PUBLIC nor a set of roles", x->method, x->pattern, x->roles);
		if (!router_pattern_ok(x->pattern))
			fail_msg("%s %s: a {param} is not closed or not of a known type", x->method, x->pattern);
		for (const char *p = strchr(x->pattern, '{'); p; p = strchr(p + 1, '{'))
			if (!memchr(p, ':', (size_t)(strchr(p, '}') - p)))
				fail_msg("%s %s: an id without a type", x->method, x->pattern);
		/* A trusted caller widens a rule that otherwise needs a session. */
		assert_false((x->flags & ROUTE_TRUSTED) && x->roles == ROLES_PUBLIC);
		for (const struct route *y = x + 1; y->method; y++)
			assert_false(strcmp(x->method, y->method) == 0 && strcmp(x->pattern, y->pattern) == 0);
		/* Only webhooks, login and health-type reads may be public. */
		if (x->roles == ROLES_PUBLIC && strcmp(x->method, "GET") != 0)
			assert_true((x->flags & ROUTE_WEBHOOK) || strcmp(x->pattern, "/api/auth/login") == 0);
	}
}

/* /api/metrics has its own rule in the table (an admin session, or a trusted caller without
 * one), and it is the only route that trusts a caller without a session. */
static void metrics_rule_is_in_the_table(void **state)
{
	int trusted = 0;

	(void)state;
	for (const struct route *x = ROUTES; x->method; x++) {
		if (strcmp(x->pattern, "/api/metrics") == 0) {
			assert_int_equal(x->roles, ROLE_ADMIN);
			assert_true(x->flags & ROUTE_TRUSTED);
		}
		trusted += (x->flags & ROUTE_TRUSTED) != 0;
	}
	assert_int_equal(trusted, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(matches_exact_and_params, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(distinguishes_404_and_405, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(literal_path_outranks_a_pattern, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(int_params_are_positive_bigints, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(uuid_params_are_canonical, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(bad_params_keep_405_and_allow, fx_setup, fx_teardown),
		cmocka_unit_test(patterns_and_labels),
		cmocka_unit_test(real_table_is_sound),
		cmocka_unit_test(metrics_rule_is_in_the_table),
	};
	return cmocka_run_group_tests_name("router", tests, NULL, NULL);
}
