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
	struct ring r;

	(void)state;
	assert_true(ring_init(&r, 4));
	assert_int_equal(ring_base(&r), INT64_MAX); /* no ?since can be served from memory yet */
	ring_reset(&r, 10);
	assert_int_equal(ring_base(&r), 10);
	assert_int_equal(ring_last(&r), 10);
	assert_int_equal(ring_head(&r), ring_tail(&r));
	assert_null(ring_at(&r, ring_head(&r)));
	ring_free(&r);
}

static void ring_evicts_the_oldest_and_moves_its_base(void **state)
{
	struct ring r;

	(void)state;
	assert_true(ring_init(&r, 4));
	ring_reset(&r, 0);
	int64_t ids[] = {3, 4, 7, 8, 9, 12}; /* holes: rolled-back transactions */
	for (size_t i = 0; i < 6; i++)
		ring_push(&r, frame(ids[i]));
	assert_int_equal(ring_head(&r) - ring_tail(&r), 4);
	assert_int_equal(ring_base(&r), 4); /* 3 and 4 left: the ring holds (4, 12] */
	assert_int_equal(ring_last(&r), 12);
	assert_null(ring_at(&r, ring_tail(&r) - 1));
	assert_int_equal(ring_at(&r, ring_tail(&r))->id, 7);
	assert_int_equal(ring_at(&r, ring_head(&r) - 1)->id, 12);
	assert_string_equal((const char *)ring_at(&r, ring_tail(&r))->data + PUSH_PRE, "{}");
	assert_null(ring_at(&r, ring_head(&r)));
	ring_free(&r);
}

static void ring_reset_drops_everything_and_jumps(void **state)
{
	struct ring r;

	(void)state;
	assert_true(ring_init(&r, 8));
	ring_reset(&r, 0);
	for (int64_t id = 1; id <= 5; id++)
		ring_push(&r, frame(id));
	uint64_t head = ring_head(&r);
	ring_reset(&r, 100);
	assert_int_equal(ring_head(&r), head); /* sequences never go back: cursors stay meaningful */
	assert_int_equal(ring_tail(&r), head);
	assert_int_equal(ring_base(&r), 100);
	ring_push(&r, frame(101));
	assert_int_equal(ring_at(&r, head)->id, 101);
	ring_free(&r);
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
