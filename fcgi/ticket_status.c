/* ticket_status: the contract's status table as data: one row per allowed move. */
#include "ticket_status.h"

#include <stddef.h>
#include <string.h>

static const char *const NAMES[TS_COUNT] = {
	"new", "assigned", "accepted", "in_progress", "completed", "cancelled",
};

struct move {
	enum ticket_status from, to;
	bool master; /* the assigned master may make it too */
};

/* new → assigned → accepted → in_progress → completed; decline: assigned → new. */
static const struct move MOVES[] = {
	{TS_NEW, TS_ASSIGNED, false},
	{TS_ASSIGNED, TS_ACCEPTED, true},
	{TS_ASSIGNED, TS_NEW, true},
	{TS_ACCEPTED, TS_IN_PROGRESS, true},
	{TS_IN_PROGRESS, TS_COMPLETED, true},
};

enum ticket_status ticket_status_parse(const char *name)
{
	if (!name)
		return TS_INVALID;
	for (int i = 0; i < TS_COUNT; i++)
		if (strcmp(NAMES[i], name) == 0)
			return (enum ticket_status)i;
	return TS_INVALID;
}

const char *ticket_status_name(enum ticket_status s)
{
	return s >= 0 && s < TS_COUNT ? NAMES[s] : "";
}

bool ticket_status_open(enum ticket_status s)
{
	return s >= TS_NEW && s <= TS_IN_PROGRESS;
}

bool ticket_move_allowed(enum ticket_actor actor, enum ticket_status from, enum ticket_status to)
{
	if (!ticket_status_open(from) || to < 0 || to >= TS_COUNT)
		return false;
	if (to == TS_CANCELLED) /* any open ticket may be cancelled, by staff only */
		return actor == TA_STAFF;
	for (size_t i = 0; i < sizeof(MOVES) / sizeof(MOVES[0]); i++)
		if (MOVES[i].from == from && MOVES[i].to == to)
			return actor == TA_STAFF || MOVES[i].master;
	return false;
}

int ticket_moves(enum ticket_actor actor, enum ticket_status from, enum ticket_status out[TS_COUNT])
{
	int n = 0;

	for (size_t i = 0; i < sizeof(MOVES) / sizeof(MOVES[0]); i++)
		if (MOVES[i].from == from && ticket_move_allowed(actor, from, MOVES[i].to))
			out[n++] = MOVES[i].to;
	if (ticket_move_allowed(actor, from, TS_CANCELLED))
		out[n++] = TS_CANCELLED;
	return n;
}
