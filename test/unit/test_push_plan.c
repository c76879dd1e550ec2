/* Unit tests: brando-push's feed plan — which query goes next, in which state, and the order
 * the wake protocol (sql/011) and the gap rule rely on. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "plan.h"

#define ALL_WORK (FEED_HEAD | FEED_POLL | FEED_REPLAY | FEED_HORIZON | FEED_LATE | FEED_UNWAIT | FEED_WAIT | FEED_PRUNE)

static void nothing_goes_without_a_connection(void **state)
{
	static const enum feed_state down[] = {FEED_CONNECTING, FEED_STOPPED};

	(void)state;
	for (size_t i = 0; i < sizeof(down) / sizeof(down[0]); i++) {
		unsigned pending = ALL_WORK;

		assert_int_equal(plan_next(down[i], &pending, 0), FQ_NONE);
		assert_int_equal(pending, ALL_WORK); /* owed until there is a connection again */
	}
}

static void a_new_connection_listens_then_prepares_whatever_is_owed(void **state)
{
	unsigned pending = ALL_WORK;

	(void)state;
	assert_int_equal(plan_next(FEED_LISTEN, &pending, 0), FQ_LISTEN);
	assert_int_equal(plan_next(FEED_PREPARE, &pending, FEED_AFTER_POLL), FQ_PREPARE);
	assert_int_equal(pending, ALL_WORK);
}

static void the_head_comes_before_any_read_and_stays_owed_until_read(void **state)
{
	unsigned pending = ALL_WORK;

	(void)state;
	assert_int_equal(plan_next(FEED_READING, &pending, FEED_AFTER_POLL), FQ_HEAD);
	assert_int_equal(pending, ALL_WORK); /* a reconnect before its answer asks again */
}

static void fan_out_and_replays_take_turns(void **state)
{
	unsigned pending = FEED_POLL | FEED_REPLAY;

	(void)state;
	assert_int_equal(plan_next(FEED_READING, &pending, 0), FQ_POLL);
	assert_int_equal(pending, FEED_REPLAY);
	pending |= FEED_POLL; /* the read found a full page: there is more */
	assert_int_equal(plan_next(FEED_READING, &pending, FEED_AFTER_POLL), FQ_REPLAY);
	assert_int_equal(pending, FEED_POLL | FEED_REPLAY); /* the queue, not the plan, clears it */
	assert_int_equal(plan_next(FEED_READING, &pending, 0), FQ_POLL);
	/* With no read due a replay goes at once, after a read or not. */
	pending = FEED_REPLAY;
	assert_int_equal(plan_next(FEED_WAITING, &pending, 0), FQ_REPLAY);
}

static void a_horizon_goes_before_the_read_it_settles(void **state)
{
	unsigned pending = FEED_POLL | FEED_HORIZON | FEED_LATE;

	(void)state;
	assert_int_equal(plan_next(FEED_READING, &pending, 0), FQ_HORIZON);
	assert_int_equal(plan_next(FEED_READING, &pending, 0), FQ_POLL);
	assert_int_equal(plan_next(FEED_READING, &pending, FEED_AFTER_POLL), FQ_LATE);
	assert_int_equal(pending, 0);
}

static void a_paced_read_lets_other_work_go_but_never_the_wait(void **state)
{
	unsigned pending = FEED_POLL | FEED_WAIT | FEED_PRUNE;

	(void)state;
	assert_int_equal(plan_next(FEED_READING, &pending, FEED_PACED), FQ_PRUNE);
	/* Waiting with a read due would miss what it finds: the wait waits for the read. */
	assert_int_equal(plan_next(FEED_READING, &pending, FEED_PACED), FQ_NONE);
	assert_int_equal(pending, FEED_POLL | FEED_WAIT);
	assert_int_equal(plan_next(FEED_READING, &pending, 0), FQ_POLL);
	assert_int_equal(plan_next(FEED_READING, &pending, FEED_AFTER_POLL), FQ_WAIT);
	assert_int_equal(pending, 0);
}

static void a_notify_while_waiting_reads_first_then_lets_go_of_the_lock(void **state)
{
	unsigned pending = FEED_POLL | FEED_UNWAIT;

	(void)state;
	assert_int_equal(plan_next(FEED_WAITING, &pending, 0), FQ_POLL);
	assert_int_equal(plan_next(FEED_WAITING, &pending, FEED_AFTER_POLL), FQ_UNWAIT);
	assert_int_equal(pending, 0);
}

static void the_lock_is_taken_only_while_reading_and_released_only_while_waiting(void **state)
{
	unsigned pending = FEED_WAIT;

	(void)state;
	assert_int_equal(plan_next(FEED_WAITING, &pending, 0), FQ_NONE);
	pending = FEED_UNWAIT;
	assert_int_equal(plan_next(FEED_READING, &pending, 0), FQ_NONE);
	assert_int_equal(pending, FEED_UNWAIT);
}

/* Everything owed at once, the queue emptied by its one replay: the documented order. */
static void all_work_goes_out_in_order(void **state)
{
	static const enum feed_query order[] = {FQ_HORIZON, FQ_POLL, FQ_REPLAY, FQ_LATE, FQ_WAIT, FQ_PRUNE, FQ_NONE};
	unsigned pending = FEED_POLL | FEED_REPLAY | FEED_HORIZON | FEED_LATE | FEED_WAIT | FEED_PRUNE;
	enum feed_query last = FQ_NONE;

	(void)state;
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		last = plan_next(FEED_READING, &pending, last == FQ_POLL ? FEED_AFTER_POLL : 0);
		assert_int_equal(last, order[i]);
		if (last == FQ_REPLAY)
			pending &= ~FEED_REPLAY;
	}
	assert_int_equal(pending, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nothing_goes_without_a_connection),
		cmocka_unit_test(a_new_connection_listens_then_prepares_whatever_is_owed),
		cmocka_unit_test(the_head_comes_before_any_read_and_stays_owed_until_read),
		cmocka_unit_test(fan_out_and_replays_take_turns),
		cmocka_unit_test(a_horizon_goes_before_the_read_it_settles),
		cmocka_unit_test(a_paced_read_lets_other_work_go_but_never_the_wait),
		cmocka_unit_test(a_notify_while_waiting_reads_first_then_lets_go_of_the_lock),
		cmocka_unit_test(the_lock_is_taken_only_while_reading_and_released_only_while_waiting),
		cmocka_unit_test(all_work_goes_out_in_order),
	};
	return cmocka_run_group_tests_name("push_plan", tests, NULL, NULL);
}
