/* feed: brando-push's one PostgreSQL connection, driven by the lws event loop without
 * blocking: LISTEN brando_events, new events into the ring, replay pages, pruning. */
#ifndef BRANDO_PUSH_FEED_H
#define BRANDO_PUSH_FEED_H

#include <libwebsockets.h>
#include <stdbool.h>

#include "clients.h"

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
};

/* Start connecting (fc is copied; conninfo must live for the process); failures are retried
 * with backoff for ever. vh must carry the FEED_PROTOCOL protocol with feed_callback. */
void feed_start(struct lws_context *cx, struct lws_vhost *vh, const struct feed_config *fc);
void feed_stop(void);
/* Queue c for a page of events after c->last_sent; client_replay_page() gets it. */
void feed_replay(struct client *c);
/* c is going away: leave the queue, and drop its page if the query is in flight. */
void feed_cancel(struct client *c);
/* The lws protocol callback of the database socket (adopted as a raw file descriptor). */
int feed_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len);

#endif
