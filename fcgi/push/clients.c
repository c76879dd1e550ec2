/* clients: each client is a cursor over the shared ring (or a page of old events while it
 * catches up); the ring's size is the per-client queue bound, and falling behind it drops the
 * client, never the daemon. The client then reconnects with ?since and misses nothing. */
#include "clients.h"

#include <libwebsockets.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

#define FRAMES_PER_TURN 32 /* then let lws serve the other clients */
#define DROP_GRACE_S 5     /* a dropped client that cannot even take the close frame */

static const char RESYNC[] = "{\"type\":\"resync\"}";
static const struct push_msg slow_marker; /* next_frame(): the client fell out of the ring */
#define SLOW (&slow_marker)

static void log_client(const char *msg, const struct client *c, const char *why)
{
	char extra[600], user[200];

	log_escape(user, sizeof(user), c->user);
	snprintf(extra, sizeof(extra),
		 ",\"user\":\"%s\",\"role\":\"%s\",\"since\":%lld,\"lastId\":%lld,\"sent\":%llu,"
		 "\"seconds\":%.3f,\"clients\":%d%s%s%s",
		 user, c->role_name, (long long)c->since, (long long)c->last_sent,
		 (unsigned long long)c->sent, (double)(lws_now_usecs() - c->connected_us) / 1e6, c->owner->count,
		 why ? ",\"reason\":\"" : "", why ? why : "", why ? "\"" : "");
	log_line("info", msg, extra);
}

static void free_page(struct client *c)
{
	for (int i = c->batch_pos; i < c->batch_n; i++)
		free(c->batch[i]);
	free(c->batch);
	c->batch = NULL;
	c->batch_n = c->batch_pos = 0;
}

/* Follow the ring from its end: nothing older is owed (new client, or after a resync). */
static void go_live_at_end(struct client *c)
{
	free_page(c);
	c->state = CL_LIVE;
	c->next_seq = ring_head(c->owner->ring);
	if (c->last_sent < ring_last(c->owner->ring))
		c->last_sent = ring_last(c->owner->ring);
}

/* Follow the ring from its oldest frame; frames up to last_sent are skipped by id. */
static void go_live_in_ring(struct client *c)
{
	c->state = CL_LIVE;
	c->next_seq = ring_tail(c->owner->ring);
	lws_callback_on_writable(c->wsi);
}

static void need_page(struct client *c)
{
	c->state = CL_REPLAY_WAIT;
	feed_replay(c->owner->feed, &c->req, c->last_sent);
}

void client_open(struct clients *cl, struct client *c, struct lws *wsi, const char *user,
		 const char *role_name, unsigned role, int64_t since)
{
	memset(c, 0, sizeof(*c));
	c->owner = cl;
	c->wsi = wsi;
	snprintf(c->user, sizeof(c->user), "%s", user);
	snprintf(c->role_name, sizeof(c->role_name), "%s", role_name);
	c->role = role;
	c->since = since;
	c->connected_us = lws_now_usecs();
	c->registered = true;
	c->next = cl->all;
	if (cl->all)
		cl->all->prev = c;
	cl->all = c;
	cl->count++;
	cl->stats->accepted++;
	if (since < 0) {
		go_live_at_end(c);
	} else {
		c->last_sent = since;
		if (since >= ring_base(cl->ring))
			go_live_in_ring(c);
		else
			need_page(c);
	}
	log_client("ws connect", c, NULL);
}

void client_close(struct client *c)
{
	if (!c->registered)
		return;
	c->registered = false;
	if (c->prev)
		c->prev->next = c->next;
	else
		c->owner->all = c->next;
	if (c->next)
		c->next->prev = c->prev;
	c->owner->count--;
	feed_cancel(c->owner->feed, &c->req);
	free_page(c);
	log_client("ws disconnect", c, c->why ? c->why : "closed");
}

/* The page is sent: go live if the ring covers what follows, else ask for the next page. */
static void page_done(struct client *c)
{
	free_page(c);
	if (c->batch_last > c->last_sent)
		c->last_sent = c->batch_last;
	if (c->last_sent >= ring_base(c->owner->ring))
		go_live_in_ring(c);
	else
		need_page(c);
}

static const struct push_msg *next_frame(struct client *c)
{
	const struct ring *ring = c->owner->ring;

	if (c->state == CL_REPLAY_SEND) {
		if (c->batch_pos < c->batch_n)
			return c->batch[c->batch_pos];
		page_done(c);
	}
	if (c->state != CL_LIVE)
		return NULL;
	if (c->next_seq < ring_tail(ring))
		return SLOW;
	for (; c->next_seq < ring_head(ring); c->next_seq++) {
		const struct push_msg *m = ring_at(ring, c->next_seq);

		if (m->id > c->last_sent && (m->roles & c->role))
			return m;
	}
	return NULL;
}

static int write_text(struct client *c, unsigned char *text, size_t len)
{
	if (lws_write(c->wsi, text, len, LWS_WRITE_TEXT) < (int)len)
		return -1;
	c->sent++;
	c->owner->stats->frames++;
	return 0;
}

static int write_resync(struct client *c)
{
	unsigned char frame[PUSH_PRE + sizeof(RESYNC)];

	memcpy(frame + PUSH_PRE, RESYNC, sizeof(RESYNC));
	c->resync_pending = false;
	c->owner->stats->resyncs++;
	return write_text(c, frame + PUSH_PRE, sizeof(RESYNC) - 1);
}

static void drop_slow(struct client *c)
{
	static const char why[] = "too far behind";

	c->closing = true;
	c->why = "slow";
	c->owner->stats->dropped_slow++;
	lws_close_reason(c->wsi, LWS_CLOSE_STATUS_POLICY_VIOLATION, (unsigned char *)why, sizeof(why) - 1);
	lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK, DROP_GRACE_S);
	lws_callback_on_writable(c->wsi);
}

int client_writable(struct client *c)
{
	if (c->closing)
		return -1;
	if (c->resync_pending && write_resync(c) < 0)
		return -1;
	for (int n = 0; n < FRAMES_PER_TURN; n++) {
		if (lws_send_pipe_choked(c->wsi)) {
			lws_callback_on_writable(c->wsi);
			return 0;
		}
		const struct push_msg *m = next_frame(c);
		if (!m)
			return 0;
		if (m == SLOW) {
			drop_slow(c);
			return -1;
		}
		if (write_text(c, (unsigned char *)m->data + PUSH_PRE, m->len) < 0)
			return -1;
		if (m->id > c->last_sent)
			c->last_sent = m->id;
		if (c->state == CL_REPLAY_SEND)
			free(c->batch[c->batch_pos++]);
		else
			c->next_seq++;
	}
	lws_callback_on_writable(c->wsi);
	return 0;
}

static void resync(struct client *c)
{
	c->resync_pending = true;
	go_live_at_end(c);
	lws_callback_on_writable(c->wsi);
}

/* Rows of events_page() for c: upto, id, roles, age, frame. */
static void replay_page(struct client *c, const PGresult *res)
{
	int rows = PQntuples(res), n = 0;

	c->owner->stats->replays++;
	int64_t upto = rows ? atoll(PQgetvalue(res, 0, 0)) : 0;
	bool empty = rows == 0 || PQgetisnull(res, 0, 1);
	/* Older than the window, or (only if rows vanished under us) no way to reach the ring. */
	if (c->last_sent < upto || (empty && c->last_sent < ring_base(c->owner->ring))) {
		resync(c);
		return;
	}
	if (empty) {
		go_live_in_ring(c);
		return;
	}
	c->batch = calloc((size_t)rows, sizeof(*c->batch));
	if (!c->batch) {
		need_page(c); /* out of memory: try again later rather than skip anything */
		return;
	}
	for (int i = 0; i < rows; i++) {
		unsigned roles = (unsigned)atoi(PQgetvalue(res, i, 2));
		struct push_msg *m;

		c->batch_last = atoll(PQgetvalue(res, i, 1));
		if (!(roles & c->role))
			continue;
		m = msg_new(c->batch_last, roles, PQgetvalue(res, i, 4), (size_t)PQgetlength(res, i, 4));
		if (!m) {
			c->batch_last = n ? c->batch[n - 1]->id : c->last_sent;
			break;
		}
		c->batch[n++] = m;
	}
	c->batch_n = n;
	c->batch_pos = 0;
	c->state = CL_REPLAY_SEND;
	lws_callback_on_writable(c->wsi);
}

static void on_page(void *arg, struct feed_req *r, const PGresult *res)
{
	(void)arg;
	replay_page(lws_container_of(r, struct client, req), res);
}

static void on_pushed(void *arg, unsigned roles)
{
	struct clients *cl = arg;

	for (struct client *c = cl->all; c; c = c->next) {
		if (c->closing || c->state != CL_LIVE)
			continue;
		if (c->next_seq < ring_tail(cl->ring))
			drop_slow(c);
		else if (c->role & roles)
			lws_callback_on_writable(c->wsi);
	}
}

static void on_resync_all(void *arg)
{
	struct clients *cl = arg;

	for (struct client *c = cl->all; c; c = c->next)
		if (!c->closing) {
			feed_cancel(cl->feed, &c->req);
			resync(c);
		}
}

struct feed_hooks clients_hooks(struct clients *cl)
{
	return (struct feed_hooks){.arg = cl, .page = on_page, .pushed = on_pushed, .resync_all = on_resync_all};
}

void clients_go_away(struct clients *cl)
{
	static const char why[] = "server shutting down";

	for (struct client *c = cl->all; c; c = c->next) {
		c->closing = true;
		c->why = "shutdown";
		lws_close_reason(c->wsi, LWS_CLOSE_STATUS_GOINGAWAY, (unsigned char *)why, sizeof(why) - 1);
		lws_callback_on_writable(c->wsi);
	}
}

int clients_count(const struct clients *cl)
{
	return cl->count;
}

uint64_t clients_backlog_max(const struct clients *cl)
{
	uint64_t head = ring_head(cl->ring), max = 0;

	for (const struct client *c = cl->all; c; c = c->next)
		if (c->state == CL_LIVE && head - c->next_seq > max)
			max = head - c->next_seq;
	return max;
}
