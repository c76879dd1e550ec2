/* plan: the feed's next query as a table: the first rule that holds wins (plan.h). */
#include "plan.h"

#define IN(s) (1u << (s))
#define UP (IN(FEED_READING) | IN(FEED_WAITING))

static const struct rule {
	enum feed_query q;
	unsigned states; /* the rule holds in these states */
	unsigned need;   /* with all of these work and fact bits set */
	unsigned unless; /* and none of these */
	unsigned takes;  /* the work sending q does */
} RULES[] = {
	{FQ_LISTEN, IN(FEED_LISTEN), 0, 0, 0},
	{FQ_PREPARE, IN(FEED_PREPARE), 0, 0, 0},
	{FQ_HEAD, UP, FEED_HEAD, 0, 0},
	/* Fan-out and replays take turns: a replay after a read, or when no read is due. */
	{FQ_REPLAY, UP, FEED_REPLAY | FEED_AFTER_POLL, 0, 0},
	{FQ_REPLAY, UP, FEED_REPLAY, FEED_POLL, 0},
	{FQ_HORIZON, UP, FEED_HORIZON, 0, FEED_HORIZON},
	{FQ_POLL, UP, FEED_POLL, FEED_PACED, FEED_POLL},
	{FQ_LATE, UP, FEED_LATE, 0, FEED_LATE},
	/* After the read the NOTIFY asked for: events first. */
	{FQ_UNWAIT, IN(FEED_WAITING), FEED_UNWAIT, 0, FEED_UNWAIT},
	/* Never with a read due: it may find events, and then there is no waiting. */
	{FQ_WAIT, IN(FEED_READING), FEED_WAIT, FEED_POLL, FEED_WAIT},
	/* Pruning when nothing else waits. */
	{FQ_PRUNE, UP, FEED_PRUNE, 0, FEED_PRUNE},
};

enum feed_query plan_next(enum feed_state st, unsigned *pending, unsigned facts)
{
	unsigned have = *pending | facts;

	for (unsigned i = 0; i < sizeof(RULES) / sizeof(RULES[0]); i++) {
		const struct rule *r = &RULES[i];

		if ((r->states & IN(st)) && (have & r->need) == r->need && !(have & r->unless)) {
			*pending &= ~r->takes;
			return r->q;
		}
	}
	return FQ_NONE;
}
