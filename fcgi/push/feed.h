/* feed: brando-push's reading of the events table on one db_async connection, driven by the
 * lws event loop without blocking: new events into the ring, replay pages, pruning. */
#ifndef BRANDO_PUSH_FEED_H
#define BRANDO_PUSH_FEED_H

#include <libpq-fe.h>
#include <libwebsockets.h>
#include <stdbool.h>
#include <stdint.h>

#include "ring.h"
#include "stats.h"

#define FEED_PROTOCOL "brando-pg"
#define FEED_PAGE_MAX 500 /* the largest fanout_page */

struct feed_config {
	const char *conninfo;
	int retain_seconds, retain_count; /* the window prune_events() keeps */
	int prune_interval;               /* seconds between pruning attempts */
	int fanout_page;                  /* events read per fan-out query: well below the ring's
					   * size, so clients that keep up drain a page before the
					   * next one can push them out */
	int idle_poll_ms;                 /* read anyway this often (a NOTIFY that never came) */
	int gap_hold_s;                   /* how long a missing id may hold delivery back */
	struct ring *ring;                /* where new events go */
	struct push_stats *stats;
};

/* A place in the replay queue, embedded in whoever waits for a page (a client). */
struct feed_req {
	struct feed_req *prev, *next;
	bool queued;
	int64_t after; /* the page starts after this id */
};

/* How the feed tells its owner what it read; each gets arg. */
struct feed_hooks {
	void *arg;
	/* r's page: rows of events_page() (upto, id, roles, age, frame), borrowed for the call. */
	void (*page)(void *arg, struct feed_req *r, const PGresult *res);
	/* New frames in the ring; roles: the union of their audiences. */
	void (*pushed)(void *arg, unsigned roles);
	/* The ring jumped over events that can no longer be delivered (pruned first, or committed
	 * after the gap hold passed them): every live client must resync. */
	void (*resync_all)(void *arg);
};

struct feed;

/* Start connecting (fc and h are copied; conninfo must live for the process); failures are
 * retried with backoff for ever. vh must carry the FEED_PROTOCOL protocol with
 * feed_callback. NULL on out-of-memory. */
struct feed *feed_start(struct lws_context *cx, struct lws_vhost *vh, const struct feed_config *fc,
			const struct feed_hooks *h);
/* Close the connection, the timers and the watched sockets: f only answers feed_cancel (the
 * clients lws closes as it is destroyed) until feed_free. Both take NULL. */
void feed_stop(struct feed *f);
void feed_free(struct feed *f);
/* Queue r for a page of events after `after`; hooks.page gets it. */
void feed_replay(struct feed *f, struct feed_req *r, int64_t after);
/* r's owner is going away: leave the queue, and drop its page if the query is in flight. */
void feed_cancel(struct feed *f, struct feed_req *r);
/* The lws protocol callback of the database socket and the timer (raw file descriptors). */
int feed_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len);

#endif
