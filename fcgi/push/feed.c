/* feed: libpq in non-blocking mode on the lws loop. A dup of PQsocket() is adopted as a
 * raw file descriptor, so lws polls it with the clients: readable → PQconsumeInput and
 * whatever results and notifications arrived; writable → PQconnectPoll or PQflush. One query
 * at a time, chosen by kick(). Any failure closes the connection and retries with backoff;
 * the ring remembers the last id read, so catching up after a reconnect loses nothing. */
#include "feed.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "gap.h"
#include "ring.h"
#include "stats.h"
#include "timer.h"

#define REPLAY_PAGE "500"           /* events per replay query (the client holds the page) */
#define BACKOFF_MIN_US 100000
#define BACKOFF_MAX_US 2000000
#define CONNECT_TIMEOUT_US 10000000 /* PQconnectPoll has no timeout of its own */
#define GAP_GRACE_US 20000          /* a missing id is usually a commit in flight: its NOTIFY */
#define GAP_RETRY_US 10000          /* comes within this; after it, prove it rolled back */
#define POLL_PACE_US 3000           /* fan-out reads at most this often: in a burst each read
				     * takes the events of several writers */
#define LATE_CHECK_US 1000000      /* ids passed after the gap hold: look for them this often */
#define LINGER_US 50000             /* after the last event read, keep reading this long before
				     * waiting for NOTIFY again (sql/011: writers only NOTIFY a
				     * waiting daemon, so a busy one costs them nothing) */

enum phase { F_DOWN, F_CONNECTING, F_UP };
enum query { Q_NONE, Q_LISTEN, Q_PREPARE, Q_HEAD, Q_FANOUT, Q_HORIZON, Q_REPLAY, Q_PRUNE, Q_WAIT, Q_UNWAIT, Q_LATE };

/* The poll runs on every notification: prepared once per connection, planned once (the
 * connection asks for generic plans), so a poll is an index scan and nothing else. */
static const char SQL_POLL[] = "SELECT upto, id, roles, age, frame, xmin FROM events_poll($1::bigint, $2::int)";
static const char STMT_POLL[] = "events_poll";
/* Replay pages stop at the id up to which the fan-out has settled every gap. */
static const char SQL_PAGE[] = "SELECT upto, id, roles, age, frame FROM events_page($1::bigint, $2::int, $3::bigint)";
static const char SQL_HEAD[] = "SELECT head, cover, horizon FROM events_start()";
static const char SQL_HORIZON[] = "SELECT pg_current_xact_id()::text";
static const char SQL_PRUNE[] = "SELECT prune_events($1::int, $2::int)";
static const char SQL_WAIT[] = "SELECT events_wait()";
static const char SQL_UNWAIT[] = "SELECT events_unwait()";
/* Did ids passed after the gap hold commit after all? And is their writer over yet? */
static const char SQL_LATE[] = "SELECT (SELECT count(*) FROM events WHERE id BETWEEN $1::bigint AND $2::bigint),"
			       " pg_snapshot_xmin(pg_current_snapshot())::text";

static struct {
	struct lws_context *cx;
	struct lws_vhost *vh;
	struct feed_config cfg;
	PGconn *conn;
	struct lws *wsi; /* watches fd through a dup lws may close */
	int fd;
	enum phase phase;
	PostgresPollingStatusType poll; /* connecting: what PQconnectPoll waits for */
	enum query q;
	bool failed;     /* the query in flight returned an error */
	bool listening, prepared, have_head, fanout_due, prune_due, last_was_fanout, stopping;
	bool horizon_due;      /* a gap outlived the grace: read an xid horizon next */
	/* Waiting for NOTIFY (sql/011): the share lock is held; until settled, reads go on until
	 * every transaction that may have skipped its NOTIFY has ended. */
	bool waiting, wait_due, unwait_due;
	uint64_t settle_xid;   /* 0: settled; else read until the snapshot's xmin reaches it */
	lws_usec_t event_at;   /* when a read last found events (or the daemon woke) */
	/* Ids passed after BRANDO_PUSH_GAP_HOLD, watched until their writer has ended: if they
	 * commit after all, live clients missed them and are told to resync. */
	struct {
		bool active, due;
		int64_t from, to;
		uint64_t horizon; /* 0: read one first (Q_HORIZON) */
	} late;
	int64_t page_top;      /* the highest id the last fan-out page showed */
	struct gap gap;
	struct client *rq_head, *rq_tail; /* clients waiting for a replay page */
	struct client *inflight;          /* whose page is being read (NULL: it left) */
	lws_usec_t backoff;
	lws_sorted_usec_list_t sul_retry, sul_write, sul_prune, sul_timeout, sul_idle, sul_late;
	lws_usec_t polled_at;  /* when the last fan-out read was sent */
	lws_usec_t not_before; /* no fan-out read before this (pace, or a gap's retry) */
} F;

static void kick(void);

static void fail(const char *what, const char *detail)
{
	char extra[700], esc[512];

	log_escape(esc, sizeof(esc), detail ? detail : "");
	snprintf(extra, sizeof(extra), ",\"detail\":\"%s\",\"retryMs\":%" PRId64, esc, F.backoff / 1000);
	log_line("warn", what, extra);
}

/* ---- replay queue ------------------------------------------------------------------------ */

static void rq_push(struct client *c, bool front)
{
	c->rq_prev = c->rq_next = NULL;
	if (!F.rq_head) {
		F.rq_head = F.rq_tail = c;
	} else if (front) {
		c->rq_next = F.rq_head;
		F.rq_head->rq_prev = c;
		F.rq_head = c;
	} else {
		c->rq_prev = F.rq_tail;
		F.rq_tail->rq_next = c;
		F.rq_tail = c;
	}
	c->queued = true;
}

static void rq_remove(struct client *c)
{
	if (c->rq_prev)
		c->rq_prev->rq_next = c->rq_next;
	else
		F.rq_head = c->rq_next;
	if (c->rq_next)
		c->rq_next->rq_prev = c->rq_prev;
	else
		F.rq_tail = c->rq_prev;
	c->rq_prev = c->rq_next = NULL;
	c->queued = false;
}

void feed_replay(struct client *c)
{
	if (!c->queued && F.inflight != c)
		rq_push(c, false);
	kick();
}

void feed_cancel(struct client *c)
{
	if (c->queued)
		rq_remove(c);
	if (F.inflight == c)
		F.inflight = NULL;
}

/* ---- the socket -------------------------------------------------------------------------- */

static void release_wsi(void)
{
	struct lws *w = F.wsi;

	F.wsi = NULL;
	if (w)
		lws_set_timeout(w, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
}

static void on_write_sul(lws_sorted_usec_list_t *sul)
{
	(void)sul;
	if (F.wsi)
		lws_callback_on_writable(F.wsi);
}

/* lws clears POLLOUT after a writable callback, so ask again from the next loop turn. */
static void want_write(void)
{
	lws_sul_schedule(F.cx, 0, &F.sul_write, on_write_sul, 1);
}

static void start_connect(void);

static void on_retry_sul(lws_sorted_usec_list_t *sul)
{
	(void)sul;
	start_connect();
}

static void teardown(const char *what, const char *detail)
{
	fail(what, detail);
	push_stats.db_failures++;
	push_stats.db_up = false;
	if (F.conn)
		PQfinish(F.conn);
	F.conn = NULL;
	release_wsi();
	if (F.inflight)
		rq_push(F.inflight, true);
	F.inflight = NULL;
	F.q = Q_NONE;
	F.failed = F.listening = F.prepared = F.horizon_due = false;
	F.waiting = F.wait_due = F.unwait_due = false; /* the lock went with the connection */
	F.settle_xid = 0;
	push_stats.waiting = false;
	F.phase = F_DOWN;
	lws_sul_cancel(&F.sul_timeout);
	lws_sul_cancel(&F.sul_write);
	if (F.stopping)
		return;
	lws_sul_schedule(F.cx, 0, &F.sul_retry, on_retry_sul, F.backoff);
	F.backoff = F.backoff * 2 > BACKOFF_MAX_US ? BACKOFF_MAX_US : F.backoff * 2;
}

/* Trouble on the connection: say why (libpq's message) and start over. */
static void lost(const char *what)
{
	char detail[512];

	snprintf(detail, sizeof(detail), "%s", F.conn ? PQerrorMessage(F.conn) : "out of memory");
	detail[strcspn(detail, "\n")] = '\0';
	teardown(what, detail);
}

/* Watch PQsocket(); it may change while connecting (another address, a retried handshake). */
static bool watch_socket(void)
{
	int fd = PQsocket(F.conn);
	lws_sock_file_fd_type u;

	if (F.wsi && fd == F.fd)
		return true;
	release_wsi();
	u.filefd = fd < 0 ? -1 : fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (u.filefd < 0) {
		lost("cannot watch the database socket");
		return false;
	}
	F.wsi = lws_adopt_descriptor_vhost(F.vh, LWS_ADOPT_RAW_FILE_DESC, u, FEED_PROTOCOL, NULL);
	if (!F.wsi) {
		close(u.filefd);
		lost("cannot adopt the database socket");
		return false;
	}
	F.fd = fd;
	return true;
}

/* ---- connecting -------------------------------------------------------------------------- */

static void on_timeout_sul(lws_sorted_usec_list_t *sul)
{
	(void)sul;
	if (F.phase == F_CONNECTING)
		teardown("database connection timed out", "no answer within 10 s");
}

static void connected(void)
{
	lws_sul_cancel(&F.sul_timeout);
	if (PQsetnonblocking(F.conn, 1) != 0) {
		lost("cannot make the database connection non-blocking");
		return;
	}
	F.phase = F_UP;
	F.backoff = BACKOFF_MIN_US;
	push_stats.db_up = true;
	push_stats.db_connects++;
	log_line("info", "database connected", NULL);
	kick();
}

static void step_connect(void)
{
	F.poll = PQconnectPoll(F.conn);
	if (F.poll == PGRES_POLLING_FAILED)
		lost("database connection failed");
	else if (F.poll == PGRES_POLLING_OK)
		connected();
	else if (watch_socket() && F.poll == PGRES_POLLING_WRITING)
		want_write();
}

/* libpq prints notices (and a FATAL that arrives between queries) on stderr: make them JSON. */
static void on_notice(void *arg, const char *message)
{
	char extra[600], msg[400], esc[512];

	(void)arg;
	snprintf(msg, sizeof(msg), "%s", message);
	msg[strcspn(msg, "\n")] = '\0';
	log_escape(esc, sizeof(esc), msg);
	snprintf(extra, sizeof(extra), ",\"detail\":\"%s\"", esc);
	log_line("warn", "database notice", extra);
}

static void start_connect(void)
{
	const char *keys[] = {"dbname", "options", "application_name", NULL};
	const char *vals[] = {F.cfg.conninfo,
			      "-c statement_timeout=10000 -c TimeZone=UTC -c jit=off"
			      " -c plan_cache_mode=force_generic_plan",
			      "brando-push", NULL};

	F.conn = PQconnectStartParams(keys, vals, 1);
	if (!F.conn || PQstatus(F.conn) == CONNECTION_BAD) {
		lost("database connection failed");
		return;
	}
	PQsetNoticeProcessor(F.conn, on_notice, NULL);
	F.phase = F_CONNECTING;
	F.poll = PGRES_POLLING_WRITING; /* libpq: start by waiting until the socket is writable */
	lws_sul_schedule(F.cx, 0, &F.sul_timeout, on_timeout_sul, CONNECT_TIMEOUT_US);
	if (watch_socket())
		want_write();
}

/* ---- queries ----------------------------------------------------------------------------- */

static void flush(void)
{
	int r = PQflush(F.conn);

	if (r < 0)
		lost("database write failed");
	else if (r > 0)
		want_write();
}

static void sent(enum query q)
{
	F.q = q;
	F.last_was_fanout = q == Q_FANOUT;
	flush();
}

static void send_query(enum query q, const char *sql, int n, const char *const *params)
{
	if (!PQsendQueryParams(F.conn, sql, n, NULL, params, NULL, NULL, 0)) {
		lost("database query could not be sent");
		return;
	}
	sent(q);
}

static void send_prepare(void)
{
	if (!PQsendPrepare(F.conn, STMT_POLL, SQL_POLL, 2, NULL)) {
		lost("database query could not be sent");
		return;
	}
	sent(Q_PREPARE);
}

static void send_poll(void)
{
	char id[24], page[16];
	const char *p[2] = {id, page};

	F.polled_at = lws_now_usecs();
	F.not_before = F.polled_at + POLL_PACE_US;
	snprintf(id, sizeof(id), "%" PRId64, ring_last());
	snprintf(page, sizeof(page), "%d", F.cfg.fanout_page);
	if (!PQsendQueryPrepared(F.conn, STMT_POLL, 2, p, NULL, NULL, 0)) {
		lost("database query could not be sent");
		return;
	}
	sent(Q_FANOUT);
}

static void send_replay(void)
{
	struct client *c = F.rq_head;
	char after[24], until[24];
	const char *p[3] = {after, REPLAY_PAGE, until};

	rq_remove(c);
	F.inflight = c;
	snprintf(after, sizeof(after), "%" PRId64, c->last_sent);
	snprintf(until, sizeof(until), "%" PRId64, ring_last());
	send_query(Q_REPLAY, SQL_PAGE, 3, p);
}

static void send_prune(void)
{
	char secs[16], count[16];
	const char *p[2] = {secs, count};

	snprintf(secs, sizeof(secs), "%d", F.cfg.retain_seconds);
	snprintf(count, sizeof(count), "%d", F.cfg.retain_count);
	F.prune_due = false;
	send_query(Q_PRUNE, SQL_PRUNE, 2, p);
}

static void send_late(void)
{
	char from[24], to[24];
	const char *p[2] = {from, to};

	snprintf(from, sizeof(from), "%" PRId64, F.late.from);
	snprintf(to, sizeof(to), "%" PRId64, F.late.to);
	send_query(Q_LATE, SQL_LATE, 2, p);
}

/* A fan-out read may go now; if not, the timer wakes us when it may. */
static bool poll_allowed(void)
{
	return lws_now_usecs() >= F.not_before || !ptimer_at(F.not_before);
}

/* Start the next query, if the connection is free: LISTEN and the prepared poll first, then
 * the head (once per process), then fan-out and replays taking turns, pruning when nothing
 * else waits. */
static void kick(void)
{
	if (F.phase != F_UP || F.q != Q_NONE || F.stopping)
		return;
	if (!F.listening) {
		send_query(Q_LISTEN, "LISTEN brando_events", 0, NULL);
	} else if (!F.prepared) {
		send_prepare();
	} else if (!F.have_head) {
		send_query(Q_HEAD, SQL_HEAD, 0, NULL);
	} else if (F.rq_head && (F.last_was_fanout || !F.fanout_due)) {
		send_replay();
	} else if (F.horizon_due) {
		F.horizon_due = false;
		send_query(Q_HORIZON, SQL_HORIZON, 0, NULL);
	} else if (F.fanout_due && poll_allowed()) {
		F.fanout_due = false;
		send_poll();
	} else if (F.late.due && F.late.horizon) {
		F.late.due = false;
		send_late();
	} else if (F.unwait_due) { /* after the read a NOTIFY asked for: events first */
		F.unwait_due = false;
		send_query(Q_UNWAIT, SQL_UNWAIT, 0, NULL);
	} else if (F.wait_due && !F.fanout_due) {
		F.wait_due = false;
		send_query(Q_WAIT, SQL_WAIT, 0, NULL);
	} else if (F.prune_due) {
		send_prune();
	}
}

static void on_late_sul(lws_sorted_usec_list_t *sul)
{
	(void)sul;
	if (!F.late.active)
		return;
	F.late.due = true;
	F.horizon_due |= !F.late.horizon; /* a reconnect dropped the read we asked for */
	kick();
	lws_sul_schedule(F.cx, 0, &F.sul_late, on_late_sul, LATE_CHECK_US);
}

/* The passed ids committed after all (clients resync), or their writer is over (rolled back):
 * either way the watch ends. */
static void late_result(const PGresult *res)
{
	long long found = atoll(PQgetvalue(res, 0, 0));
	uint64_t xmin = strtoull(PQgetvalue(res, 0, 1), NULL, 10);
	char extra[160];

	if (found > 0) {
		snprintf(extra, sizeof(extra), ",\"ids\":%lld,\"fromId\":%" PRId64 ",\"toId\":%" PRId64, found,
			 F.late.from, F.late.to);
		log_line("warn", "events passed after the gap hold committed late; live clients resync", extra);
		clients_resync_all();
	} else if (xmin < F.late.horizon) {
		return; /* still open: look again at the next check */
	}
	F.late.active = F.late.due = false;
	lws_sul_cancel(&F.sul_late);
}

/* Ids the gap rule gave up on or found rolled back: say so, they explain a client's hole. */
static void gap_report(uint64_t settled, uint64_t skipped)
{
	char extra[160];

	push_stats.gaps_settled += F.gap.settled - settled;
	if (F.gap.skipped == skipped)
		return;
	push_stats.gaps_skipped += F.gap.skipped - skipped;
	snprintf(extra, sizeof(extra), ",\"ids\":%llu,\"fromId\":%" PRId64 ",\"toId\":%" PRId64 ",\"heldSeconds\":%d",
		 (unsigned long long)(F.gap.skipped - skipped), F.gap.skip_from, F.gap.skip_to, F.cfg.gap_hold_s);
	log_line("warn", "a transaction kept event ids open too long; live clients miss them if they commit", extra);
	/* Watch them (one range, widened by later skips) under a horizon read from now on. */
	F.late.from = F.late.active && F.late.from < F.gap.skip_from ? F.late.from : F.gap.skip_from;
	F.late.to = F.late.active && F.late.to > F.gap.skip_to ? F.late.to : F.gap.skip_to;
	F.late.active = F.late.due = F.horizon_due = true;
	F.late.horizon = 0;
	lws_sul_schedule(F.cx, 0, &F.sul_late, on_late_sul, LATE_CHECK_US);
}

/* After a fan-out read: while events come, read again at the pace (writers do not NOTIFY a
 * daemon that is not waiting); once none came for LINGER_US, wait, and once waiting, read
 * on until the transactions that may not have told us have ended. */
static void next_read(bool found, uint64_t xmin)
{
	lws_usec_t now = lws_now_usecs();
	if (found)
		F.event_at = now;
	if (F.waiting) {
		if (F.settle_xid && xmin >= F.settle_xid)
			F.settle_xid = 0;
		if (!F.settle_xid)
			return;
	} else if (!found && now - F.event_at >= LINGER_US) {
		F.wait_due = true;
		return;
	}
	if (!F.fanout_due) {
		F.fanout_due = true;
		F.not_before = F.polled_at + POLL_PACE_US;
	}
}

/* New events: the ones the gap rule lets through go into the ring, then wake the clients they
 * are for; a page held at a missing id is read again soon. */
static void fanout_page(const PGresult *res)
{
	int rows = PQntuples(res), n = 0, ok;
	unsigned roles = 0;
	static int64_t ids[FEED_PAGE_MAX];
	enum gap_need need;
	uint64_t settled = F.gap.settled, skipped = F.gap.skipped;

	if (rows && atoll(PQgetvalue(res, 0, 0)) > ring_last()) {
		/* Pruned before we read them (a very long outage): nobody can have them any more. */
		log_line("warn", "events were pruned before they were delivered; clients resync", NULL);
		ring_reset(atoll(PQgetvalue(res, 0, 0)));
		gap_reset(&F.gap);
		clients_resync_all();
	}
	uint64_t xmin = rows ? strtoull(PQgetvalue(res, 0, 5), NULL, 10) : 0;
	if (rows == 1 && PQgetisnull(res, 0, 1))
		rows = 0; /* an empty page still carries the pruned mark */
	if (rows > FEED_PAGE_MAX)
		rows = FEED_PAGE_MAX;
	for (int i = 0; i < rows; i++)
		ids[i] = atoll(PQgetvalue(res, i, 1));
	ok = gap_accept(&F.gap, ring_last(), ids, rows, xmin, lws_now_usecs(), &need);
	gap_report(settled, skipped);
	F.page_top = rows ? ids[rows - 1] : F.page_top;
	for (; n < ok; n++) {
		unsigned r = (unsigned)atoi(PQgetvalue(res, n, 2));
		struct push_msg *m = msg_new(ids[n], r, PQgetvalue(res, n, 4), (size_t)PQgetlength(res, n, 4));

		if (!m)
			break; /* out of memory: the rest is read again with the next page */
		ring_push(m);
		roles |= r;
		push_stats.lag_seconds = atof(PQgetvalue(res, n, 3));
	}
	push_stats.events += (uint64_t)n;
	if (n < ok || (need == GAP_CLEAR && rows == F.cfg.fanout_page))
		F.fanout_due = true; /* there is more */
	if (need == GAP_HORIZON)
		F.horizon_due = true;
	if (need != GAP_CLEAR) { /* read again in a while, or at the next NOTIFY */
		F.fanout_due = true;
		F.not_before = lws_now_usecs() + GAP_RETRY_US;
	}
	next_read(rows > 0 || need != GAP_CLEAR, xmin);
	if (n)
		clients_pushed(roles);
}

static void on_result(PGresult *res)
{
	ExecStatusType st = PQresultStatus(res);

	if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
		char detail[512];

		snprintf(detail, sizeof(detail), "%s", PQresultErrorMessage(res));
		detail[strcspn(detail, "\n")] = '\0';
		fail("database query failed", detail);
		F.failed = true;
		return;
	}
	switch (F.q) {
	case Q_LISTEN:
		F.listening = true;
		break;
	case Q_PREPARE:
		F.prepared = true;
		F.fanout_due = F.have_head; /* after a reconnect: catch up from the last id read */
		break;
	case Q_HEAD:
		ring_reset(atoll(PQgetvalue(res, 0, 0)));
		/* Ids missing below the newest one may belong to transactions open right now. */
		gap_set_horizon(&F.gap, strtoull(PQgetvalue(res, 0, 2), NULL, 10), atoll(PQgetvalue(res, 0, 1)));
		F.have_head = true;
		F.prune_due = true;
		F.fanout_due = true;
		break;
	case Q_HORIZON:
		gap_set_horizon(&F.gap, strtoull(PQgetvalue(res, 0, 0), NULL, 10), F.page_top);
		if (F.late.active && !F.late.horizon)
			F.late.horizon = strtoull(PQgetvalue(res, 0, 0), NULL, 10);
		F.fanout_due = true;
		break;
	case Q_FANOUT:
		fanout_page(res);
		break;
	case Q_REPLAY:
		if (F.inflight)
			client_replay_page(F.inflight, res);
		F.inflight = NULL;
		break;
	case Q_WAIT:
		F.waiting = push_stats.waiting = true;
		F.settle_xid = strtoull(PQgetvalue(res, 0, 0), NULL, 10);
		F.fanout_due = true; /* the first read after the lock: it may settle at once */
		F.not_before = 0;
		break;
	case Q_UNWAIT: /* reading from now on: one read is always due or in flight */
		F.waiting = push_stats.waiting = false;
		F.unwait_due = false; /* a NOTIFY that came meanwhile asked for this same unlock */
		F.event_at = lws_now_usecs();
		if (!F.fanout_due) {
			F.fanout_due = true;
			F.not_before = F.polled_at + POLL_PACE_US;
		}
		break;
	case Q_LATE:
		late_result(res);
		break;
	case Q_PRUNE: {
		long long n = atoll(PQgetvalue(res, 0, 0));
		if (n > 0) {
			char extra[64];
			snprintf(extra, sizeof(extra), ",\"deleted\":%lld", n);
			log_line("info", "events pruned", extra);
			push_stats.pruned += (uint64_t)n;
		}
		break;
	}
	case Q_NONE:
		break;
	}
}

/* Everything libpq has read: results of the query in flight, then notifications. */
static void drain(void)
{
	while (F.q != Q_NONE && !PQisBusy(F.conn)) {
		PGresult *res = PQgetResult(F.conn);

		if (!res) {
			if (F.failed) {
				teardown("database connection reset after a failed query", "");
				return;
			}
			F.q = Q_NONE;
			break;
		}
		on_result(res);
		PQclear(res);
	}
	for (PGnotify *n; (n = PQnotifies(F.conn)); PQfreemem(n)) {
		F.fanout_due = true;
		F.not_before = F.polled_at + POLL_PACE_US;
		F.wait_due = false;
		if (F.waiting && !F.unwait_due) {
			F.unwait_due = true; /* busy from now on: the writers need not tell us */
			push_stats.wakeups++;
		}
	}
	if (PQstatus(F.conn) == CONNECTION_BAD)
		lost("database connection lost");
	else
		kick();
}

static void on_readable(void)
{
	if (F.phase == F_CONNECTING) {
		if (F.poll == PGRES_POLLING_READING)
			step_connect();
	} else if (F.phase == F_UP) {
		if (!PQconsumeInput(F.conn))
			lost("database connection lost");
		else
			drain();
	}
}

static void on_writable(void)
{
	if (F.phase == F_CONNECTING) {
		if (F.poll == PGRES_POLLING_WRITING)
			step_connect();
	} else if (F.phase == F_UP) {
		flush();
	}
}

int feed_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	(void)user, (void)in, (void)len;
	switch (reason) {
	case LWS_CALLBACK_RAW_RX_FILE:
		if (ptimer_fired(wsi)) {
			kick();
			return 0;
		}
		if (wsi != F.wsi)
			return -1; /* a socket we already let go of */
		on_readable();
		return 0;
	case LWS_CALLBACK_RAW_WRITEABLE_FILE:
		if (wsi == F.wsi)
			on_writable();
		return 0;
	case LWS_CALLBACK_RAW_CLOSE_FILE:
		if (wsi == F.wsi) {
			F.wsi = NULL;
			teardown("database socket closed", "hang-up");
		}
		return 0;
	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
		return 1; /* never a WebSocket subprotocol */
	default:
		return 0;
	}
}

/* ---- timers ------------------------------------------------------------------------------ */

/* A backstop while waiting: events whose writer never woke us (an old binary mid-deploy). */
static void on_idle_sul(lws_sorted_usec_list_t *sul)
{
	(void)sul;
	F.fanout_due = true;
	kick();
	lws_sul_schedule(F.cx, 0, &F.sul_idle, on_idle_sul, (lws_usec_t)F.cfg.idle_poll_ms * LWS_US_PER_MS);
}

static void on_prune_sul(lws_sorted_usec_list_t *sul)
{
	(void)sul;
	F.prune_due = true;
	kick();
	lws_sul_schedule(F.cx, 0, &F.sul_prune, on_prune_sul, (lws_usec_t)F.cfg.prune_interval * LWS_US_PER_SEC);
}

void feed_start(struct lws_context *cx, struct lws_vhost *vh, const struct feed_config *fc)
{
	F.cx = cx;
	F.vh = vh;
	F.cfg = *fc;
	F.backoff = BACKOFF_MIN_US;
	gap_init(&F.gap, GAP_GRACE_US, (int64_t)fc->gap_hold_s * LWS_US_PER_SEC);
	if (!ptimer_init(vh, FEED_PROTOCOL))
		log_line("error", "no timerfd: fan-out reads are not paced", NULL);
	lws_sul_schedule(cx, 0, &F.sul_prune, on_prune_sul, (lws_usec_t)fc->prune_interval * LWS_US_PER_SEC);
	lws_sul_schedule(cx, 0, &F.sul_idle, on_idle_sul, (lws_usec_t)fc->idle_poll_ms * LWS_US_PER_MS);
	start_connect();
}

void feed_stop(void)
{
	F.stopping = true;
	lws_sul_cancel(&F.sul_retry);
	lws_sul_cancel(&F.sul_prune);
	lws_sul_cancel(&F.sul_timeout);
	lws_sul_cancel(&F.sul_write);
	lws_sul_cancel(&F.sul_idle);
	lws_sul_cancel(&F.sul_late);
	ptimer_close();
	if (F.conn)
		PQfinish(F.conn);
	F.conn = NULL;
	release_wsi();
}
