/* feed: a state machine over one db_async connection. The state (plan.h) says where the
 * connection is, a mask says what work is owed, and plan_next picks the one query to send
 * whenever the connection is free. Any failure makes db_async start over; the ring
 * remembers the last id read, so catching up after a reconnect loses nothing. */
#include "feed.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_async.h"
#include "gap.h"
#include "log.h"
#include "plan.h"
#include "rawfd.h"
#include "timer.h"

#define REPLAY_PAGE "500"  /* events per replay query (the client holds the page) */
#define GAP_GRACE_US 20000 /* a missing id is usually a commit in flight: its NOTIFY */
#define GAP_RETRY_US 10000 /* comes within this; after it, prove it rolled back */
#define POLL_PACE_US 3000  /* fan-out reads at most this often: in a burst each read
			    * takes the events of several writers */
#define LATE_CHECK_US 1000000 /* ids passed after the gap hold: look for them this often */
#define LINGER_US 50000       /* after the last event read, keep reading this long before
			       * waiting for NOTIFY again (sql/011: writers only NOTIFY a
			       * waiting daemon, so a busy one costs them nothing) */
/* The session: every statement bounded, and a generic plan for the poll. */
#define SESSION_OPTIONS "-c statement_timeout=10000 -c TimeZone=UTC -c jit=off -c plan_cache_mode=force_generic_plan"

/* The poll runs on every notification: prepared once per connection, planned once (the
 * connection asks for generic plans), so a poll is an index scan and nothing else. */
static const char SQL_POLL[] = "SELECT upto, id, roles, age, frame, xmin FROM events_poll($1::bigint, $2::int)";
static const char STMT_POLL[] = "events_poll";

struct feed {
	struct lws_context *cx;
	struct lws_vhost *vh;
	struct feed_config cfg;
	struct feed_hooks hooks;
	struct dba *db;
	struct lws *wsi;      /* watches the database socket through a dup lws may close */
	struct ptimer timer;  /* paces the fan-out reads */
	enum feed_state state;
	unsigned pending;     /* enum feed_work bits */
	enum feed_query last; /* the last query sent: fan-out and replays take turns */
	/* Waiting (sql/011): until settled, reads go on until every transaction that may have
	 * skipped its NOTIFY has ended. 0: settled; else read until the snapshot's xmin reaches it. */
	uint64_t settle_xid;
	lws_usec_t event_at;   /* when a read last found events (or the daemon woke) */
	lws_usec_t polled_at;  /* when the last fan-out read was sent */
	lws_usec_t not_before; /* no fan-out read before this (pace, or a gap's retry) */
	/* Ids passed after BRANDO_PUSH_GAP_HOLD, watched until their writer has ended: if they
	 * commit after all, live clients missed them and are told to resync. from 0: no watch. */
	struct {
		int64_t from, to;
		uint64_t horizon; /* 0: read one first (FEED_HORIZON) */
	} late;
	int64_t page_top; /* the highest id the last fan-out page showed */
	struct gap gap;
	struct feed_req *rq_head, *rq_tail; /* waiting for a replay page */
	struct feed_req *inflight;          /* whose page is being read (NULL: it left) */
	lws_sorted_usec_list_t sul_db, sul_write, sul_prune, sul_idle, sul_late;
	int64_t ids[FEED_PAGE_MAX]; /* of the fan-out page being read */
};

/* ---- replay queue: FEED_REPLAY is set while it is not empty ------------------------------- */

static void rq_push(struct feed *f, struct feed_req *r, bool front)
{
	r->prev = r->next = NULL;
	if (!f->rq_head) {
		f->rq_head = f->rq_tail = r;
	} else if (front) {
		r->next = f->rq_head;
		f->rq_head->prev = r;
		f->rq_head = r;
	} else {
		r->prev = f->rq_tail;
		f->rq_tail->next = r;
		f->rq_tail = r;
	}
	r->queued = true;
	f->pending |= FEED_REPLAY;
}

static void rq_remove(struct feed *f, struct feed_req *r)
{
	if (r->prev)
		r->prev->next = r->next;
	else
		f->rq_head = r->next;
	if (r->next)
		r->next->prev = r->prev;
	else
		f->rq_tail = r->prev;
	r->prev = r->next = NULL;
	r->queued = false;
	if (!f->rq_head)
		f->pending &= ~FEED_REPLAY;
}

/* ---- choosing and sending the next query -------------------------------------------------- */

static void kick(struct feed *f);

void feed_replay(struct feed *f, struct feed_req *r, int64_t after)
{
	r->after = after;
	if (!r->queued && f->inflight != r)
		rq_push(f, r, false);
	kick(f);
}

void feed_cancel(struct feed *f, struct feed_req *r)
{
	if (r->queued)
		rq_remove(f, r);
	if (f->inflight == r)
		f->inflight = NULL;
}

/* One query parameter as text. A query's params function fills its parameters (at most
 * three) and notes in f what sending it means. */
typedef char param_t[24];

static void poll_params(struct feed *f, param_t *p)
{
	f->polled_at = lws_now_usecs();
	f->not_before = f->polled_at + POLL_PACE_US;
	snprintf(p[0], sizeof(*p), "%" PRId64, ring_last(f->cfg.ring));
	snprintf(p[1], sizeof(*p), "%d", f->cfg.fanout_page);
}

/* The first client in the queue: its page stops at the id up to which the fan-out has settled
 * every gap. */
static void replay_params(struct feed *f, param_t *p)
{
	struct feed_req *r = f->rq_head;

	rq_remove(f, r);
	f->inflight = r;
	snprintf(p[0], sizeof(*p), "%" PRId64, r->after);
	snprintf(p[1], sizeof(*p), "%s", REPLAY_PAGE);
	snprintf(p[2], sizeof(*p), "%" PRId64, ring_last(f->cfg.ring));
}

static void prune_params(struct feed *f, param_t *p)
{
	snprintf(p[0], sizeof(*p), "%d", f->cfg.retain_seconds);
	snprintf(p[1], sizeof(*p), "%d", f->cfg.retain_count);
}

static void late_params(struct feed *f, param_t *p)
{
	snprintf(p[0], sizeof(*p), "%" PRId64, f->late.from);
	snprintf(p[1], sizeof(*p), "%" PRId64, f->late.to);
}

static const struct query {
	const char *sql; /* the poll: the statement prepared as STMT_POLL */
	int nparams;
	void (*params)(struct feed *f, param_t *p);
} QUERIES[] = {
	[FQ_LISTEN] = {"LISTEN brando_events", 0, NULL},
	[FQ_PREPARE] = {SQL_POLL, 2, NULL},
	[FQ_HEAD] = {"SELECT head, cover, horizon FROM events_start()", 0, NULL},
	[FQ_POLL] = {SQL_POLL, 2, poll_params},
	[FQ_HORIZON] = {"SELECT pg_current_xact_id()::text", 0, NULL},
	[FQ_REPLAY] = {"SELECT upto, id, roles, age, frame FROM events_page($1::bigint, $2::int, $3::bigint)", 3,
		       replay_params},
	[FQ_PRUNE] = {"SELECT prune_events($1::int, $2::int)", 2, prune_params},
	[FQ_WAIT] = {"SELECT events_wait()", 0, NULL},
	[FQ_UNWAIT] = {"SELECT events_unwait()", 0, NULL},
	/* Did ids passed after the gap hold commit after all? And is their writer over yet? */
	[FQ_LATE] = {"SELECT (SELECT count(*) FROM events WHERE id BETWEEN $1::bigint AND $2::bigint),"
		     " pg_snapshot_xmin(pg_current_snapshot())::text",
		     2, late_params},
};

static void send_query(struct feed *f, enum feed_query q)
{
	const struct query *d = &QUERIES[q];
	param_t v[3];
	const char *p[3] = {v[0], v[1], v[2]};

	f->last = q;
	if (d->params)
		d->params(f, v);
	if (q == FQ_PREPARE)
		dba_prepare(f->db, q, STMT_POLL, d->sql, d->nparams);
	else if (q == FQ_POLL)
		dba_query_prepared(f->db, q, STMT_POLL, d->nparams, p);
	else
		dba_query(f->db, q, d->sql, d->nparams, p);
}

/* A fan-out read is due but may not go yet: the timer wakes us when it may (without a timer,
 * it goes now). */
static bool paced(struct feed *f)
{
	return (f->pending & FEED_POLL) && lws_now_usecs() < f->not_before && ptimer_at(&f->timer, f->not_before);
}

/* Send the next query, if the connection is free and anything is due. */
static void kick(struct feed *f)
{
	if (f->state == FEED_STOPPED || !dba_ready(f->db))
		return;
	unsigned facts = (f->last == FQ_POLL ? FEED_AFTER_POLL : 0) | (paced(f) ? FEED_PACED : 0);
	enum feed_query q = plan_next(f->state, &f->pending, facts);
	if (q != FQ_NONE)
		send_query(f, q);
}

/* ---- what the answers change ------------------------------------------------------------- */

static void set_state(struct feed *f, enum feed_state s)
{
	f->state = s;
	f->cfg.stats->waiting = s == FEED_WAITING;
}

/* Read again at the pace, unless a read is due already (then its time stands). */
static void read_again(struct feed *f)
{
	if (!(f->pending & FEED_POLL)) {
		f->pending |= FEED_POLL;
		f->not_before = f->polled_at + POLL_PACE_US;
	}
}

static uint64_t xid_at(const PGresult *res, int row, int col)
{
	return strtoull(PQgetvalue(res, row, col), NULL, 10);
}

static void on_late_sul(lws_sorted_usec_list_t *sul)
{
	struct feed *f = lws_container_of(sul, struct feed, sul_late);

	if (!f->late.from)
		return;
	/* Without a horizon (a reconnect dropped the read we asked for), read one first. */
	f->pending |= f->late.horizon ? FEED_LATE : FEED_HORIZON;
	kick(f);
	lws_sul_schedule(f->cx, 0, &f->sul_late, on_late_sul, LATE_CHECK_US);
}

/* The passed ids committed after all (clients resync), or their writer is over (rolled back):
 * either way the watch ends. */
static void late_read(struct feed *f, const PGresult *res)
{
	long long found = atoll(PQgetvalue(res, 0, 0));
	char extra[160];

	if (found > 0) {
		snprintf(extra, sizeof(extra), ",\"ids\":%lld,\"fromId\":%" PRId64 ",\"toId\":%" PRId64, found,
			 f->late.from, f->late.to);
		log_line("warn", "events passed after the gap hold committed late; live clients resync", extra);
		f->hooks.resync_all(f->hooks.arg);
	} else if (xid_at(res, 0, 1) < f->late.horizon) {
		return; /* still open: look again at the next check */
	}
	f->late.from = f->late.to = 0;
	f->pending &= ~FEED_LATE;
	lws_sul_cancel(&f->sul_late);
}

/* Ids the gap rule gave up on or found rolled back: say so, they explain a client's hole. */
static void gap_report(struct feed *f, uint64_t settled, uint64_t skipped)
{
	char extra[160];

	f->cfg.stats->gaps_settled += f->gap.settled - settled;
	if (f->gap.skipped == skipped)
		return;
	f->cfg.stats->gaps_skipped += f->gap.skipped - skipped;
	snprintf(extra, sizeof(extra), ",\"ids\":%llu,\"fromId\":%" PRId64 ",\"toId\":%" PRId64 ",\"heldSeconds\":%d",
		 (unsigned long long)(f->gap.skipped - skipped), f->gap.skip_from, f->gap.skip_to,
		 f->cfg.gap_hold_s);
	log_line("warn", "a transaction kept event ids open too long; live clients miss them if they commit", extra);
	/* Watch them (one range, widened by later skips) under a horizon read from now on. */
	if (!f->late.from || f->late.from > f->gap.skip_from)
		f->late.from = f->gap.skip_from;
	if (f->late.to < f->gap.skip_to)
		f->late.to = f->gap.skip_to;
	f->late.horizon = 0;
	f->pending = (f->pending & ~FEED_LATE) | FEED_HORIZON;
	lws_sul_schedule(f->cx, 0, &f->sul_late, on_late_sul, LATE_CHECK_US);
}

/* After a fan-out read: while events come, read again at the pace (writers do not NOTIFY a
 * daemon that is not waiting); once none came for LINGER_US, wait, and once waiting, read
 * on until the transactions that may not have told us have ended. */
static void next_read(struct feed *f, bool found, uint64_t xmin)
{
	lws_usec_t now = lws_now_usecs();

	if (found)
		f->event_at = now;
	if (f->state == FEED_WAITING) {
		if (f->settle_xid && xmin >= f->settle_xid)
			f->settle_xid = 0;
		if (!f->settle_xid)
			return;
	} else if (!found && now - f->event_at >= LINGER_US) {
		f->pending |= FEED_WAIT;
		return;
	}
	read_again(f);
}

/* The ids of a fan-out page into f->ids; its row count (0 for an empty page, which still
 * carries the pruned mark). A page that starts above the ring's last id was pruned before we
 * read it (a very long outage): nobody can have those events any more. */
static int page_ids(struct feed *f, const PGresult *res)
{
	int rows = PQntuples(res);

	if (rows && atoll(PQgetvalue(res, 0, 0)) > ring_last(f->cfg.ring)) {
		log_line("warn", "events were pruned before they were delivered; clients resync", NULL);
		ring_reset(f->cfg.ring, atoll(PQgetvalue(res, 0, 0)));
		gap_reset(&f->gap);
		f->hooks.resync_all(f->hooks.arg);
	}
	if (rows == 1 && PQgetisnull(res, 0, 1))
		rows = 0;
	if (rows > FEED_PAGE_MAX)
		rows = FEED_PAGE_MAX;
	for (int i = 0; i < rows; i++)
		f->ids[i] = atoll(PQgetvalue(res, i, 1));
	return rows;
}

/* The first ok rows into the ring; how many went (fewer on out-of-memory: the rest is read
 * again with the next page). *roles: the union of their audiences. */
static int ring_rows(struct feed *f, const PGresult *res, int ok, unsigned *roles)
{
	int n = 0;

	for (; n < ok; n++) {
		unsigned r = (unsigned)atoi(PQgetvalue(res, n, 2));
		struct push_msg *m = msg_new(f->ids[n], r, PQgetvalue(res, n, 4), (size_t)PQgetlength(res, n, 4));

		if (!m)
			break;
		ring_push(f->cfg.ring, m);
		*roles |= r;
		f->cfg.stats->lag_seconds = atof(PQgetvalue(res, n, 3));
	}
	f->cfg.stats->events += (uint64_t)n;
	return n;
}

/* New events: the ones the gap rule lets through go into the ring, then wake the clients they
 * are for; a page held at a missing id is read again soon. */
static void poll_read(struct feed *f, const PGresult *res)
{
	uint64_t settled = f->gap.settled, skipped = f->gap.skipped;
	uint64_t xmin = PQntuples(res) ? xid_at(res, 0, 5) : 0;
	int rows = page_ids(f, res), ok, n;
	unsigned roles = 0;
	enum gap_need need;

	ok = gap_accept(&f->gap, ring_last(f->cfg.ring), f->ids, rows, xmin, lws_now_usecs(), &need);
	gap_report(f, settled, skipped);
	f->page_top = rows ? f->ids[rows - 1] : f->page_top;
	n = ring_rows(f, res, ok, &roles);
	if (n < ok || (need == GAP_CLEAR && rows == f->cfg.fanout_page))
		f->pending |= FEED_POLL; /* there is more */
	if (need == GAP_HORIZON)
		f->pending |= FEED_HORIZON;
	if (need != GAP_CLEAR) { /* read again in a while, or at the next NOTIFY */
		f->pending |= FEED_POLL;
		f->not_before = lws_now_usecs() + GAP_RETRY_US;
	}
	next_read(f, rows > 0 || need != GAP_CLEAR, xmin);
	if (n)
		f->hooks.pushed(f->hooks.arg, roles);
}

static void listened(struct feed *f, const PGresult *res)
{
	(void)res;
	set_state(f, FEED_PREPARE);
}

/* After a reconnect: catch up from the last id read (or, the first time, from the head). */
static void prepared(struct feed *f, const PGresult *res)
{
	(void)res;
	set_state(f, FEED_READING);
	f->pending |= FEED_POLL;
}

static void head_read(struct feed *f, const PGresult *res)
{
	ring_reset(f->cfg.ring, atoll(PQgetvalue(res, 0, 0)));
	/* Ids missing below the newest one may belong to transactions open right now. */
	gap_set_horizon(&f->gap, xid_at(res, 0, 2), atoll(PQgetvalue(res, 0, 1)));
	f->pending = (f->pending & ~FEED_HEAD) | FEED_PRUNE | FEED_POLL;
}

static void horizon_read(struct feed *f, const PGresult *res)
{
	uint64_t horizon = xid_at(res, 0, 0);

	gap_set_horizon(&f->gap, horizon, f->page_top);
	if (f->late.from && !f->late.horizon) {
		f->late.horizon = horizon;
		f->pending |= FEED_LATE;
	}
	f->pending |= FEED_POLL;
}

static void replay_read(struct feed *f, const PGresult *res)
{
	if (f->inflight)
		f->hooks.page(f->hooks.arg, f->inflight, res);
	f->inflight = NULL;
}

static void waited(struct feed *f, const PGresult *res)
{
	set_state(f, FEED_WAITING);
	f->settle_xid = xid_at(res, 0, 0);
	f->pending |= FEED_POLL; /* the first read after the lock: it may settle at once */
	f->not_before = 0;
}

/* Reading from now on: one read is always due or in flight. */
static void unwaited(struct feed *f, const PGresult *res)
{
	(void)res;
	set_state(f, FEED_READING);
	f->pending &= ~FEED_UNWAIT; /* a NOTIFY that came meanwhile asked for this same unlock */
	f->event_at = lws_now_usecs();
	read_again(f);
}

static void pruned(struct feed *f, const PGresult *res)
{
	long long n = atoll(PQgetvalue(res, 0, 0));
	char extra[64];

	if (n <= 0)
		return;
	snprintf(extra, sizeof(extra), ",\"deleted\":%lld", n);
	log_line("info", "events pruned", extra);
	f->cfg.stats->pruned += (uint64_t)n;
}

static void (*const ON_RESULT[])(struct feed *f, const PGresult *res) = {
	[FQ_LISTEN] = listened, [FQ_PREPARE] = prepared, [FQ_HEAD] = head_read,
	[FQ_POLL] = poll_read,  [FQ_HORIZON] = horizon_read, [FQ_REPLAY] = replay_read,
	[FQ_PRUNE] = pruned,    [FQ_WAIT] = waited,         [FQ_UNWAIT] = unwaited,
	[FQ_LATE] = late_read,
};

/* ---- the connection's callbacks (db_async) ------------------------------------------------ */

static void db_result(void *arg, int tag, const PGresult *res)
{
	if (tag > FQ_NONE && tag <= FQ_LATE)
		ON_RESULT[tag](arg, res);
}

static void db_up(void *arg)
{
	struct feed *f = arg;

	f->cfg.stats->db_up = true;
	f->cfg.stats->db_connects++;
	set_state(f, FEED_LISTEN);
	kick(f);
}

/* Gone, and with it the lock (no more waiting), the read in flight and a horizon asked for. */
static void db_down(void *arg)
{
	struct feed *f = arg;

	f->cfg.stats->db_failures++;
	f->cfg.stats->db_up = false;
	if (f->inflight)
		rq_push(f, f->inflight, true);
	f->inflight = NULL;
	set_state(f, FEED_CONNECTING);
	f->pending &= ~(FEED_HORIZON | FEED_WAIT | FEED_UNWAIT);
	f->settle_xid = 0;
}

static void db_notify(void *arg, const char *channel, const char *payload)
{
	struct feed *f = arg;

	(void)channel, (void)payload;
	f->pending = (f->pending & ~FEED_WAIT) | FEED_POLL;
	f->not_before = f->polled_at + POLL_PACE_US;
	if (f->state == FEED_WAITING && !(f->pending & FEED_UNWAIT)) {
		f->pending |= FEED_UNWAIT; /* busy from now on: the writers need not tell us */
		f->cfg.stats->wakeups++;
	}
}

static void db_idle(void *arg)
{
	kick(arg);
}

/* ---- the database socket on the lws loop -------------------------------------------------- */

/* lws closes what it adopted: give it a dup of libpq's socket. */
static bool db_watch(void *arg, int fd)
{
	struct feed *f = arg;

	rawfd_release(&f->wsi);
	if (fd < 0) {
		lws_sul_cancel(&f->sul_write);
		return true;
	}
	f->wsi = rawfd_adopt(f->vh, fcntl(fd, F_DUPFD_CLOEXEC, 0), FEED_PROTOCOL, f);
	return f->wsi != NULL;
}

static void on_write_sul(lws_sorted_usec_list_t *sul)
{
	struct feed *f = lws_container_of(sul, struct feed, sul_write);

	if (f->wsi)
		lws_callback_on_writable(f->wsi);
}

/* lws clears POLLOUT after a writable callback, so ask again from the next loop turn. */
static void db_want_write(void *arg)
{
	struct feed *f = arg;

	lws_sul_schedule(f->cx, 0, &f->sul_write, on_write_sul, 1);
}

static void on_db_sul(lws_sorted_usec_list_t *sul)
{
	dba_timeout(lws_container_of(sul, struct feed, sul_db)->db);
}

static void db_timer(void *arg, int64_t us)
{
	struct feed *f = arg;

	if (us < 0)
		lws_sul_cancel(&f->sul_db);
	else
		lws_sul_schedule(f->cx, 0, &f->sul_db, on_db_sul, us);
}

int feed_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	struct feed *f = wsi ? lws_get_opaque_user_data(wsi) : NULL;

	(void)user, (void)in, (void)len;
	switch (reason) {
	case LWS_CALLBACK_RAW_RX_FILE:
		if (f && ptimer_fired(&f->timer, wsi)) {
			kick(f);
			return 0;
		}
		if (!f || wsi != f->wsi)
			return -1; /* a socket we already let go of */
		dba_readable(f->db);
		return 0;
	case LWS_CALLBACK_RAW_WRITEABLE_FILE:
		if (f && wsi == f->wsi)
			dba_writable(f->db);
		return 0;
	case LWS_CALLBACK_RAW_CLOSE_FILE:
		if (f && wsi == f->wsi) {
			f->wsi = NULL;
			dba_reset(f->db, "database socket closed", "hang-up");
		}
		return 0;
	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
		return 1; /* never a WebSocket subprotocol */
	default:
		return 0;
	}
}

/* ---- timers and life --------------------------------------------------------------------- */

/* A backstop while waiting: events whose writer never woke us (an old binary mid-deploy). */
static void on_idle_sul(lws_sorted_usec_list_t *sul)
{
	struct feed *f = lws_container_of(sul, struct feed, sul_idle);

	f->pending |= FEED_POLL;
	kick(f);
	lws_sul_schedule(f->cx, 0, &f->sul_idle, on_idle_sul, (lws_usec_t)f->cfg.idle_poll_ms * LWS_US_PER_MS);
}

static void on_prune_sul(lws_sorted_usec_list_t *sul)
{
	struct feed *f = lws_container_of(sul, struct feed, sul_prune);

	f->pending |= FEED_PRUNE;
	kick(f);
	lws_sul_schedule(f->cx, 0, &f->sul_prune, on_prune_sul, (lws_usec_t)f->cfg.prune_interval * LWS_US_PER_SEC);
}

static struct dba *open_db(struct feed *f)
{
	const struct dba_config dc = {f->cfg.conninfo, SESSION_OPTIONS, "brando-push"};
	const struct dba_callbacks cb = {
		.arg = f, .watch = db_watch, .want_write = db_want_write, .timer = db_timer,
		.up = db_up, .result = db_result, .notify = db_notify, .idle = db_idle, .down = db_down,
	};

	return dba_new(&dc, &cb);
}

struct feed *feed_start(struct lws_context *cx, struct lws_vhost *vh, const struct feed_config *fc,
			const struct feed_hooks *h)
{
	struct feed *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->cx = cx;
	f->vh = vh;
	f->cfg = *fc;
	f->hooks = *h;
	f->pending = FEED_HEAD;
	f->db = open_db(f);
	if (!f->db) {
		free(f);
		return NULL;
	}
	gap_init(&f->gap, GAP_GRACE_US, (int64_t)fc->gap_hold_s * LWS_US_PER_SEC);
	if (!ptimer_init(&f->timer, vh, FEED_PROTOCOL, f))
		log_line("error", "no timerfd: fan-out reads are not paced", NULL);
	lws_sul_schedule(cx, 0, &f->sul_prune, on_prune_sul, (lws_usec_t)fc->prune_interval * LWS_US_PER_SEC);
	lws_sul_schedule(cx, 0, &f->sul_idle, on_idle_sul, (lws_usec_t)fc->idle_poll_ms * LWS_US_PER_MS);
	dba_connect(f->db);
	return f;
}

void feed_stop(struct feed *f)
{
	if (!f)
		return;
	set_state(f, FEED_STOPPED);
	lws_sul_cancel(&f->sul_db);
	lws_sul_cancel(&f->sul_write);
	lws_sul_cancel(&f->sul_prune);
	lws_sul_cancel(&f->sul_idle);
	lws_sul_cancel(&f->sul_late);
	ptimer_close(&f->timer);
	dba_free(f->db);
	f->db = NULL;
	rawfd_release(&f->wsi);
}

void feed_free(struct feed *f)
{
	free(f);
}
