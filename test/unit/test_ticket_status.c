/* Unit tests: the ticket status machine, every (actor, from, to) against the contract's table. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "ticket_status.h"

/* The contract's moves written out independently of the code, as "from>to". */
static const char *const STAFF_MOVES[] = {
	"new>assigned", "assigned>accepted", "accepted>in_progress", "in_progress>completed",
	"assigned>new", "new>cancelled", "assigned>cancelled", "accepted>cancelled",
	"in_progress>cancelled", NULL,
};
static const char *const MASTER_MOVES[] = {
	"assigned>accepted", "assigned>new", "accepted>in_progress", "in_progress>completed", NULL,
};

static bool listed(const char *const *moves, const char *from, const char *to)
{
	char key[64];

	snprintf(key, sizeof(key), "%s>%s", from, to);
	for (; *moves; moves++)
		if (strcmp(*moves, key) == 0)
			return true;
	return false;
}

static void every_pair_matches_the_contract(void **state)
{
	int allowed = 0;

	(void)state;
	for (int f = 0; f < TS_COUNT; f++) {
		for (int t = 0; t < TS_COUNT; t++) {
			const char *from = ticket_status_name(f), *to = ticket_status_name(t);
			bool staff = ticket_move_allowed(TA_STAFF, f, t);
			bool master = ticket_move_allowed(TA_MASTER, f, t);

			if (staff != listed(STAFF_MOVES, from, to) || master != listed(MASTER_MOVES, from, to))
				fail_msg("%s -> %s: staff %d master %d", from, to, staff, master);
			allowed += staff + master;
		}
	}
	assert_int_equal(allowed, 9 + 4);
}

static void closed_tickets_never_move(void **state)
{
	(void)state;
	for (int t = 0; t < TS_COUNT; t++) {
		assert_false(ticket_move_allowed(TA_STAFF, TS_COMPLETED, t));
		assert_false(ticket_move_allowed(TA_STAFF, TS_CANCELLED, t));
		assert_false(ticket_move_allowed(TA_MASTER, TS_COMPLETED, t));
	}
	assert_false(ticket_move_allowed(TA_STAFF, TS_INVALID, TS_NEW));
	assert_false(ticket_move_allowed(TA_STAFF, TS_NEW, TS_INVALID));
	assert_false(ticket_move_allowed(TA_STAFF, TS_NEW, TS_COUNT));
}

/* The list a ticket answer carries is exactly the set ticket_move_allowed admits, each once,
 * in the order a screen offers them. */
static void moves_list_what_is_allowed(void **state)
{
	enum ticket_status out[TS_COUNT];

	(void)state;
	for (int a = TA_STAFF; a <= TA_MASTER; a++) {
		for (int f = 0; f < TS_COUNT; f++) {
			int n = ticket_moves(a, f, out), want = 0;

			for (int t = 0; t < TS_COUNT; t++)
				want += ticket_move_allowed(a, f, t);
			assert_int_equal(n, want);
			for (int i = 0; i < n; i++) {
				assert_true(ticket_move_allowed(a, f, out[i]));
				for (int j = 0; j < i; j++)
					assert_int_not_equal(out[i], out[j]);
			}
		}
	}
	assert_int_equal(ticket_moves(TA_MASTER, TS_ASSIGNED, out), 2);
	assert_int_equal(out[0], TS_ACCEPTED);
	assert_int_equal(out[1], TS_NEW);
	assert_int_equal(ticket_moves(TA_STAFF, TS_NEW, out), 2);
	assert_int_equal(out[0], TS_ASSIGNED);
	assert_int_equal(out[1], TS_CANCELLED);
	assert_int_equal(ticket_moves(TA_STAFF, TS_COMPLETED, out), 0);
	assert_int_equal(ticket_moves(TA_MASTER, TS_NEW, out), 0);
}

static void names_round_trip(void **state)
{
	(void)state;
	for (int s = 0; s < TS_COUNT; s++)
		assert_int_equal(ticket_status_parse(ticket_status_name(s)), s);
	assert_string_equal(ticket_status_name(TS_IN_PROGRESS), "in_progress");
	assert_int_equal(ticket_status_parse("In_progress"), TS_INVALID);
	assert_int_equal(ticket_status_parse("done"), TS_INVALID);
	assert_int_equal(ticket_status_parse(""), TS_INVALID);
	assert_int_equal(ticket_status_parse(NULL), TS_INVALID);
	assert_string_equal(ticket_status_name(TS_INVALID), "");
	assert_true(ticket_status_open(TS_NEW) && ticket_status_open(TS_IN_PROGRESS));
	assert_false(ticket_status_open(TS_COMPLETED) || ticket_status_open(TS_CANCELLED));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_pair_matches_the_contract),
		cmocka_unit_test(closed_tickets_never_move),
		cmocka_unit_test(moves_list_what_is_allowed),
		cmocka_unit_test(names_round_trip),
	};
	return cmocka_run_group_tests_name("ticket_status", tests, NULL, NULL);
}
