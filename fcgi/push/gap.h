/* gap: when an event id may be handed to clients. Writers take event ids without a lock,
 * so ids commit out of order: id 7 can be visible while 6 is still in an open transaction
 * (or rolled back, never to appear). Clients resume by id, so nothing past a missing id is
 * delivered until the missing one is either there or provably never coming.
 *
 * The proof: emit_event assigns its transaction an xid before it takes an id (sql/007), so the
 * transaction holding a missing id g started before any later visible id was taken. A horizon
 * U = pg_current_xact_id() read after such a later id was seen is above that transaction's
 * xid; once a snapshot's xmin (the oldest xid still running) is >= U, that transaction has
 * ended, and the same snapshot shows g if it committed. Pure logic, no I/O. */
#ifndef BRANDO_PUSH_GAP_H
#define BRANDO_PUSH_GAP_H

#include <stdbool.h>
#include <stdint.h>

enum gap_need {
	GAP_CLEAR,   /* nothing held back */
	GAP_WAIT,    /* held back: poll again soon (a commit, or the xmin, will settle it) */
	GAP_HORIZON, /* held back for a while: read a horizon (gap_set_horizon), then poll */
};

struct gap {
	int64_t grace_us;    /* how long a gap may just be waited for before reading a horizon */
	int64_t max_hold_us; /* after this, a gap is skipped with a warning (a stuck writer) */
	uint64_t horizon;    /* 0: none read */
	int64_t cover;       /* the horizon settles gaps below this id */
	int64_t held_id;     /* the first missing id being waited for (0: none) */
	int64_t held_since;  /* when that started (µs) */
	uint64_t settled;    /* ids found never committed (rolled back) */
	uint64_t skipped;    /* ids given up on after max_hold_us */
	int64_t skip_from, skip_to; /* the last range given up on */
};

void gap_init(struct gap *g, int64_t grace_us, int64_t max_hold_us);

/* A page of ids, ascending, all above last (the id up to which everything is settled), read
 * in a snapshot whose oldest running xid was xmin. Returns how many leading ids may be
 * delivered now and says what the caller should do next. Missing ids that are settled or
 * skipped are counted, and the rows after them are delivered. */
int gap_accept(struct gap *g, int64_t last, const int64_t *ids, int n, uint64_t xmin, int64_t now_us,
	       enum gap_need *need);

/* A horizon read after a page whose highest id was cover. */
void gap_set_horizon(struct gap *g, uint64_t horizon, int64_t cover);

/* Forget everything held (a reconnect, or the ring jumped). */
void gap_reset(struct gap *g);

#endif
