/* plan: the feed's states, the work it owes, and which query it sends next. Pure logic, no
 * I/O, so the order of the wake protocol (sql/011) and the gap rule (gap.h) is unit-tested. */
#ifndef BRANDO_PUSH_PLAN_H
#define BRANDO_PUSH_PLAN_H

enum feed_state {
	FEED_CONNECTING, /* no usable connection: db_async connects, with backoff */
	FEED_LISTEN,     /* connected: LISTEN brando_events next */
	FEED_PREPARE,    /* listening: prepare the poll next */
	FEED_READING,    /* reading every few ms while events come; writers do not NOTIFY */
	FEED_WAITING,    /* holds the waiting lock (events_wait): writers NOTIFY */
	FEED_STOPPED,
};

/* Pending work: a bit stays set until the query that does it is sent (HEAD: until its
 * answer came, so a reconnect asks again; REPLAY: while any client waits for a page). */
enum feed_work {
	FEED_HEAD = 1u << 0,    /* where the table ends: once per process, before any read */
	FEED_POLL = 1u << 1,    /* a fan-out read (events_poll) */
	FEED_REPLAY = 1u << 2,  /* a page of old events for the first client in the queue */
	FEED_HORIZON = 1u << 3, /* an xid horizon, for a gap held past the grace or a late watch */
	FEED_LATE = 1u << 4,    /* look for ids passed after the gap hold (horizon known) */
	FEED_UNWAIT = 1u << 5,  /* a NOTIFY ended the wait: let go of the lock */
	FEED_WAIT = 1u << 6,    /* reads came back empty for a while: take the lock */
	FEED_PRUNE = 1u << 7,   /* prune_events */
};

/* Facts of the moment, which plan_next weighs with the work. */
enum feed_fact {
	FEED_AFTER_POLL = 1u << 8, /* the last query sent was a fan-out read: a replay goes first */
	FEED_PACED = 1u << 9,      /* a fan-out read may not go yet (the timer will say when) */
};

enum feed_query {
	FQ_NONE,
	FQ_LISTEN,
	FQ_PREPARE,
	FQ_HEAD,
	FQ_POLL,
	FQ_HORIZON,
	FQ_REPLAY,
	FQ_PRUNE,
	FQ_WAIT,
	FQ_UNWAIT,
	FQ_LATE,
};

/* The query to send now in state st, given the pending work and the facts (one mask), with
 * the work it does cleared from *pending; FQ_NONE when nothing may go. Call it only while no
 * query is in flight. */
enum feed_query plan_next(enum feed_state st, unsigned *pending, unsigned facts);

#endif
