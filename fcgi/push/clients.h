/* clients: the connected WebSocket clients, their cursors, and what each is sent next. */
#ifndef BRANDO_PUSH_CLIENTS_H
#define BRANDO_PUSH_CLIENTS_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

#include "feed.h"
#include "ring.h"
#include "stats.h"

struct lws;

/* Every connected client, and what they share. One per daemon, owned by main. */
struct clients {
	struct client *all;
	int count;
	struct ring *ring;
	struct feed *feed; /* where replay pages come from */
	struct push_stats *stats;
};

enum client_state {
	CL_REPLAY_WAIT, /* waiting for a page of old events from the database */
	CL_REPLAY_SEND, /* sending that page */
	CL_LIVE,        /* following the ring */
};

/* Lives in lws's per-session storage: lws allocates it, we never free it, only what it owns. */
struct client {
	struct clients *owner;
	struct lws *wsi;
	struct client *prev, *next; /* every live client */
	struct feed_req req;        /* its place in the feed's replay queue */
	bool registered, closing;
	enum client_state state;
	unsigned role;
	char user[64], role_name[16];
	int64_t since;      /* as asked, -1 without ?since */
	int64_t last_sent;  /* highest event id this client has been given (or skipped past) */
	uint64_t next_seq;  /* CL_LIVE: next ring sequence to look at */
	struct push_msg **batch; /* CL_REPLAY_SEND: owned page, sent from batch_pos */
	int batch_n, batch_pos;
	int64_t batch_last;      /* last id of the page, including rows not for this role */
	bool resync_pending;
	const char *why; /* static: why we closed it, for the disconnect log line */
	uint64_t sent;
	int64_t connected_us;
};

/* Register a new client (wsi established, identity checked) and pick where it starts: live
 * at the ring's end, live inside the ring (since is covered), or a replay from the table. */
void client_open(struct clients *cl, struct client *c, struct lws *wsi, const char *user,
		 const char *role_name, unsigned role, int64_t since);
/* The connection is gone: unregister, leave the replay queue, free the page. */
void client_close(struct client *c);
/* lws says the client can take more: write what is due. Returns -1 to close it. */
int client_writable(struct client *c);

/* How the feed tells the clients what it read (feed_start's hooks, arg cl): a replay page
 * for one of them; new frames in the ring (wake the clients they are for, drop those that fell
 * a whole ring behind); the ring jumped (every client resyncs and goes live at the end). */
struct feed_hooks clients_hooks(struct clients *cl);
/* SIGTERM: close every client with 1001 (going away). */
void clients_go_away(struct clients *cl);
int clients_count(const struct clients *cl);
/* The most frames any live client still has to read from the ring. */
uint64_t clients_backlog_max(const struct clients *cl);

#endif
