/* stats: brando-push's counters and their Prometheus text rendering (GET /metrics); one
 * struct, owned by main, bumped by the modules through the pointer they are given. */
#ifndef BRANDO_PUSH_STATS_H
#define BRANDO_PUSH_STATS_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"

struct push_stats {
	uint64_t accepted;       /* WebSocket clients accepted */
	uint64_t refused;        /* upgrades refused (no identity, master, bad since) */
	uint64_t events;         /* events read from the table for fan-out */
	uint64_t frames;         /* frames written to clients (replay and live) */
	uint64_t dropped_slow;   /* clients dropped because they fell a whole queue behind */
	uint64_t replays;        /* replay pages read for clients that came with ?since */
	uint64_t resyncs;        /* resync frames sent */
	uint64_t db_connects;    /* successful (re)connections to PostgreSQL */
	uint64_t db_failures;    /* failed connection attempts and lost connections */
	uint64_t pruned;         /* events deleted by this instance's pruning */
	uint64_t gaps_settled;   /* missing event ids proven rolled back (gap.h) */
	uint64_t gaps_skipped;   /* missing event ids given up on after the hold time */
	uint64_t wakeups;        /* NOTIFYs that ended a wait (sql/011) */
	bool db_up;
	bool waiting;            /* holds the waiting lock: writers NOTIFY */
	double lag_seconds;      /* age of the newest event when it was read */
};

/* What the modules do not count themselves: the clients and the ring, now. */
struct push_gauges {
	int clients;
	uint64_t backlog_max; /* the most frames any live client still has to read */
	int64_t last_event_id;
};

/* Append every counter and gauge to b. */
void push_stats_render(struct buf *b, const struct push_stats *s, const struct push_gauges *g);

#endif
