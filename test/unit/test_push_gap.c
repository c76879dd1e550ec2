/* Unit tests: brando-push's gap rule — what may be delivered while ids commit out of order. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "gap.h"

#define GRACE 20000
#define HOLD 10000000
#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static void contiguous_ids_all_go(void **state)
{
	struct gap g;
	enum gap_need need = GAP_WAIT;
	int64_t ids[] = {11, 12, 13};

	(void)state;
	gap_init(&g, GRACE, HOLD);
	assert_int_equal(gap_accept(&g, 10, ids, N(ids), 100, 0, &need), 3);
	assert_int_equal(need, GAP_CLEAR);
	assert_int_equal(gap_accept(&g, 13, NULL, 0, 100, 0, &need), 0); /* an empty page */
	assert_int_equal(need, GAP_CLEAR);
}

static void a_missing_id_holds_back_what_follows(void **state)
{
	struct gap g;
	enum gap_need need;
	int64_t ids[] = {11, 13, 14};

	(void)state;
	gap_init(&g, GRACE, HOLD);
	assert_int_equal(gap_accept(&g, 10, ids, N(ids), 100, 1000, &need), 1); /* 11 only */
	assert_int_equal(need, GAP_WAIT);
	assert_int_equal(g.held_id, 12);
	/* 12 commits: everything goes, in order. */
	int64_t later[] = {12, 13, 14};
	assert_int_equal(gap_accept(&g, 11, later, N(later), 100, 2000, &need), 3);
	assert_int_equal(need, GAP_CLEAR);
	assert_int_equal(g.settled + g.skipped, 0);
}

static void a_gap_waited_past_the_grace_asks_for_a_horizon(void **state)
{
	struct gap g;
	enum gap_need need;
	int64_t ids[] = {13, 14};

	(void)state;
	gap_init(&g, GRACE, HOLD);
	assert_int_equal(gap_accept(&g, 11, ids, N(ids), 100, 1000, &need), 0);
	assert_int_equal(need, GAP_WAIT);
	assert_int_equal(gap_accept(&g, 11, ids, N(ids), 100, 1000 + GRACE - 1, &need), 0);
	assert_int_equal(need, GAP_WAIT);
	assert_int_equal(gap_accept(&g, 11, ids, N(ids), 100, 1000 + GRACE, &need), 0);
	assert_int_equal(need, GAP_HORIZON);
}

static void the_horizon_settles_a_rolled_back_id_once_xmin_passes_it(void **state)
{
	struct gap g;
	enum gap_need need;
	int64_t ids[] = {13, 14};

	(void)state;
	gap_init(&g, GRACE, HOLD);
	assert_int_equal(gap_accept(&g, 11, ids, N(ids), 100, 0, &need), 0);
	gap_set_horizon(&g, 500, 14);
	/* Transactions below 500 still running: 12 may yet commit. */
	assert_int_equal(gap_accept(&g, 11, ids, N(ids), 499, GRACE * 2, &need), 0);
	assert_int_equal(need, GAP_WAIT); /* covered: no new horizon needed */
	/* All of them ended and 12 is not there: it never will be. */
	assert_int_equal(gap_accept(&g, 11, ids, N(ids), 500, GRACE * 3, &need), 2);
	assert_int_equal(need, GAP_CLEAR);
	assert_int_equal(g.settled, 1);
}

static void a_horizon_does_not_cover_ids_taken_after_it(void **state)
{
	struct gap g;
	enum gap_need need;
	int64_t ids[] = {13, 14, 17};

	(void)state;
	gap_init(&g, GRACE, HOLD);
	gap_set_horizon(&g, 500, 14); /* read when 14 was the newest id seen */
	/* 12 is settled by it; 15 and 16 are not (taken after the horizon was read). */
	assert_int_equal(gap_accept(&g, 11, ids, N(ids), 900, 0, &need), 2);
	assert_int_equal(need, GAP_WAIT);
	assert_int_equal(g.held_id, 15);
	assert_int_equal(gap_accept(&g, 14, ids + 2, 1, 900, GRACE, &need), 0);
	assert_int_equal(need, GAP_HORIZON);
}

static void a_gap_held_too_long_is_skipped_and_counted(void **state)
{
	struct gap g;
	enum gap_need need;
	int64_t ids[] = {12, 13};

	(void)state;
	gap_init(&g, GRACE, HOLD);
	gap_set_horizon(&g, 500, 13);
	assert_int_equal(gap_accept(&g, 10, ids, N(ids), 400, 0, &need), 0); /* a writer stays open */
	assert_int_equal(gap_accept(&g, 10, ids, N(ids), 400, HOLD - 1, &need), 0);
	assert_int_equal(need, GAP_WAIT);
	assert_int_equal(gap_accept(&g, 10, ids, N(ids), 400, HOLD, &need), 2);
	assert_int_equal(need, GAP_CLEAR);
	assert_int_equal(g.skipped, 1);
	assert_int_equal(g.skip_from, 11);
	assert_int_equal(g.skip_to, 11);
	assert_int_equal(g.settled, 0);
}

static void a_new_gap_restarts_the_clock(void **state)
{
	struct gap g;
	enum gap_need need;
	int64_t first[] = {12};
	int64_t second[] = {11, 12, 13, 15};

	(void)state;
	gap_init(&g, GRACE, HOLD);
	assert_int_equal(gap_accept(&g, 10, first, N(first), 1, 0, &need), 0);
	assert_int_equal(g.held_since, 0);
	/* 11 arrives much later; 14 is now the one missing, and its wait starts now. */
	assert_int_equal(gap_accept(&g, 10, second, N(second), 1, GRACE * 5, &need), 3);
	assert_int_equal(g.held_id, 14);
	assert_int_equal(g.held_since, GRACE * 5);
	assert_int_equal(need, GAP_WAIT);
	gap_reset(&g);
	assert_int_equal(g.held_id, 0);
	assert_int_equal(g.horizon, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(contiguous_ids_all_go),
		cmocka_unit_test(a_missing_id_holds_back_what_follows),
		cmocka_unit_test(a_gap_waited_past_the_grace_asks_for_a_horizon),
		cmocka_unit_test(the_horizon_settles_a_rolled_back_id_once_xmin_passes_it),
		cmocka_unit_test(a_horizon_does_not_cover_ids_taken_after_it),
		cmocka_unit_test(a_gap_held_too_long_is_skipped_and_counted),
		cmocka_unit_test(a_new_gap_restarts_the_clock),
	};
	return cmocka_run_group_tests_name("push_gap", tests, NULL, NULL);
}
