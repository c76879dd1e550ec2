/* Unit tests: brando-push's frame ring — coverage (base, last], eviction, reset. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "ring.h"

static struct push_msg *frame(int64_t id)
{
	struct push_msg *m = msg_new(id, ROLE_ADMIN | ROLE_OPERATOR, "{}", 2);

	assert_non_null(m);
	return m;
}

static void ring_covers_nothing_until_the_head_is_known(void **state)
{
	(void)state;
	assert_true(ring_init(4));
	assert_int_equal(ring_base(), INT64_MAX); /* no ?since can be served from memory yet */
	ring_reset(10);
	assert_int_equal(ring_base(), 10);
	assert_int_equal(ring_last(), 10);
	assert_int_equal(ring_head(), ring_tail());
	assert_null(ring_at(ring_head()));
	ring_free();
}

static void ring_evicts_the_oldest_and_moves_its_base(void **state)
{
	(void)state;
	assert_true(ring_init(4));
	ring_reset(0);
	int64_t ids[] = {3, 4, 7, 8, 9, 12}; /* holes: rolled-back transactions */
	for (size_t i = 0; i < 6; i++)
		ring_push(frame(ids[i]));
	assert_int_equal(ring_head() - ring_tail(), 4);
	assert_int_equal(ring_base(), 4); /* 3 and 4 left: the ring holds (4, 12] */
	assert_int_equal(ring_last(), 12);
	assert_null(ring_at(ring_tail() - 1));
	assert_int_equal(ring_at(ring_tail())->id, 7);
	assert_int_equal(ring_at(ring_head() - 1)->id, 12);
	assert_string_equal((const char *)ring_at(ring_tail())->data + PUSH_PRE, "{}");
	assert_null(ring_at(ring_head()));
	ring_free();
}

static void ring_reset_drops_everything_and_jumps(void **state)
{
	(void)state;
	assert_true(ring_init(8));
	ring_reset(0);
	for (int64_t id = 1; id <= 5; id++)
		ring_push(frame(id));
	uint64_t head = ring_head();
	ring_reset(100);
	assert_int_equal(ring_head(), head); /* sequences never go back: cursors stay meaningful */
	assert_int_equal(ring_tail(), head);
	assert_int_equal(ring_base(), 100);
	ring_push(frame(101));
	assert_int_equal(ring_at(head)->id, 101);
	ring_free();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ring_covers_nothing_until_the_head_is_known),
		cmocka_unit_test(ring_evicts_the_oldest_and_moves_its_base),
		cmocka_unit_test(ring_reset_drops_everything_and_jumps),
	};
	return cmocka_run_group_tests_name("push_ring", tests, NULL, NULL);
}
