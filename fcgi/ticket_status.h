/* ticket_status: the ticket life cycle and who may move a ticket along it (pure functions). */
#ifndef BRANDO_TICKET_STATUS_H
#define BRANDO_TICKET_STATUS_H

#include <stdbool.h>

enum ticket_status {
	TS_NEW,
	TS_ASSIGNED,
	TS_ACCEPTED,
	TS_IN_PROGRESS,
	TS_COMPLETED,
	TS_CANCELLED,
	TS_COUNT,
	TS_INVALID = -1,
};

/* Who is moving the ticket. A master's rights apply only to tickets assigned to them; the
 * caller answers 404 for anyone else's ticket before asking. */
enum ticket_actor {
	TA_STAFF,  /* admin or operator */
	TA_MASTER, /* the master the ticket is assigned to */
};

/* "new" → TS_NEW; TS_INVALID for anything that is not a status name (NULL included). */
enum ticket_status ticket_status_parse(const char *name);
/* The status's wire name (static string); "" for an invalid value. */
const char *ticket_status_name(enum ticket_status s);
/* Open: not completed and not cancelled. */
bool ticket_status_open(enum ticket_status s);
/* May actor move a ticket from → to? Staying in the same status is not a move (false). */
bool ticket_move_allowed(enum ticket_actor actor, enum ticket_status from, enum ticket_status to);
/* The statuses actor may move a ticket in `from` to, into out: forward moves first, then the
 * decline, then cancelled (the order a screen offers them). Returns how many. */
int ticket_moves(enum ticket_actor actor, enum ticket_status from, enum ticket_status out[TS_COUNT]);

#endif
