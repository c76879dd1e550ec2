/* Unit tests: route matching, params, 404 vs 405, and the real table's invariants. */
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
	{NULL, NULL, NULL, 0, 0, NULL},
};

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

/* The real table: every route has a handler, a rule, and no duplicate method + pattern. */
static void real_table_is_sound(void **state)
{
	(void)state;
	for (const struct route *x = ROUTES; x->method; x++) {
		assert_non_null(x->handler);
		assert_true(strncmp(x->pattern, "/api/", 5) == 0);
		assert_true((x->roles & ~(unsigned)ROLES_ALL) == 0);
		for (const struct route *y = x + 1; y->method; y++)
			assert_false(strcmp(x->method, y->method) == 0 && strcmp(x->pattern, y->pattern) == 0);
		/* Only webhooks, login and health-type reads may be public. */
		if (x->roles == ROLES_PUBLIC && strcmp(x->method, "GET") != 0)
			assert_true((x->flags & ROUTE_WEBHOOK) || strcmp(x->pattern, "/api/auth/login") == 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(matches_exact_and_params, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(distinguishes_404_and_405, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(literal_path_outranks_a_pattern, fx_setup, fx_teardown),
		cmocka_unit_test(real_table_is_sound),
	};
	return cmocka_run_group_tests_name("router", tests, NULL, NULL);
}
