/* db_async: libpq in non-blocking mode. The caller's loop watches PQsocket() and calls back:
 * readable → PQconsumeInput and whatever results and notifications arrived; writable →
 * PQconnectPoll or PQflush. Any failure closes the connection and schedules the next attempt,
 * so the caller sees one event for all of them: down. */
#include "db_async.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

#define BACKOFF_MIN_US 100000
#define BACKOFF_MAX_US 2000000
#define CONNECT_TIMEOUT_US 10000000 /* PQconnectPoll has no timeout of its own */
#define NO_QUERY -1

enum phase { DOWN, CONNECTING, UP };

struct dba {
	struct dba_config cfg;
	struct dba_callbacks cb;
	PGconn *conn;
	enum phase phase;
	PostgresPollingStatusType poll; /* connecting: what PQconnectPoll waits for */
	int fd;      /* the socket the loop watches, -1: none */
	int tag;     /* of the query in flight, or NO_QUERY */
	bool failed; /* the query in flight returned an error: reset once it is over */
	int64_t backoff;
};

/* One line per trouble, with libpq's message (first line) and when the next attempt is. */
static void warn(const struct dba *d, const char *what, const char *detail)
{
	char extra[700], line[512], esc[512];

	snprintf(line, sizeof(line), "%s", detail ? detail : "");
	line[strcspn(line, "\n")] = '\0';
	log_escape(esc, sizeof(esc), line);
	snprintf(extra, sizeof(extra), ",\"detail\":\"%s\",\"retryMs\":%" PRId64, esc, d->backoff / 1000);
	log_line("warn", what, extra);
}

void dba_reset(struct dba *d, const char *what, const char *detail)
{
	warn(d, what, detail);
	if (d->conn)
		PQfinish(d->conn);
	d->conn = NULL;
	d->phase = DOWN;
	d->fd = -1;
	d->tag = NO_QUERY;
	d->failed = false;
	d->cb.watch(d->cb.arg, -1);
	d->cb.timer(d->cb.arg, d->backoff);
	d->backoff = d->backoff * 2 > BACKOFF_MAX_US ? BACKOFF_MAX_US : d->backoff * 2;
	d->cb.down(d->cb.arg);
}

/* Trouble on the connection: say why (libpq's message) and start over. */
static void lost(struct dba *d, const char *what)
{
	dba_reset(d, what, d->conn ? PQerrorMessage(d->conn) : "out of memory");
}

/* Watch PQsocket(); it may change while connecting (another address, a retried handshake). */
static bool watch_socket(struct dba *d)
{
	int fd = PQsocket(d->conn);

	if (fd >= 0 && fd == d->fd)
		return true;
	if (fd < 0 || !d->cb.watch(d->cb.arg, fd)) {
		lost(d, "cannot watch the database socket");
		return false;
	}
	d->fd = fd;
	return true;
}

/* ---- connecting -------------------------------------------------------------------------- */

static void connected(struct dba *d)
{
	d->cb.timer(d->cb.arg, -1);
	if (PQsetnonblocking(d->conn, 1) != 0) {
		lost(d, "cannot make the database connection non-blocking");
		return;
	}
	d->phase = UP;
	d->backoff = BACKOFF_MIN_US;
	log_line("info", "database connected", NULL);
	d->cb.up(d->cb.arg);
}

static void step_connect(struct dba *d)
{
	d->poll = PQconnectPoll(d->conn);
	if (d->poll == PGRES_POLLING_FAILED)
		lost(d, "database connection failed");
	else if (d->poll == PGRES_POLLING_OK)
		connected(d);
	else if (watch_socket(d) && d->poll == PGRES_POLLING_WRITING)
		d->cb.want_write(d->cb.arg);
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

void dba_connect(struct dba *d)
{
	const char *keys[] = {"dbname", "options", "application_name", NULL};
	const char *vals[] = {d->cfg.conninfo, d->cfg.options, d->cfg.application_name, NULL};

	d->conn = PQconnectStartParams(keys, vals, 1);
	if (!d->conn || PQstatus(d->conn) == CONNECTION_BAD) {
		lost(d, "database connection failed");
		return;
	}
	PQsetNoticeProcessor(d->conn, on_notice, NULL);
	d->phase = CONNECTING;
	d->poll = PGRES_POLLING_WRITING; /* libpq: start by waiting until the socket is writable */
	d->cb.timer(d->cb.arg, CONNECT_TIMEOUT_US);
	if (watch_socket(d))
		d->cb.want_write(d->cb.arg);
}

void dba_timeout(struct dba *d)
{
	if (d->phase == CONNECTING)
		dba_reset(d, "database connection timed out", "no answer within 10 s");
	else if (d->phase == DOWN)
		dba_connect(d);
}

/* ---- queries ----------------------------------------------------------------------------- */

bool dba_ready(const struct dba *d)
{
	return d->phase == UP && d->tag == NO_QUERY;
}

static void flush(struct dba *d)
{
	int r = PQflush(d->conn);

	if (r < 0)
		lost(d, "database write failed");
	else if (r > 0)
		d->cb.want_write(d->cb.arg);
}

/* ok: libpq took the query. Then it is in flight until its results are in. */
static void sent(struct dba *d, int ok, int tag)
{
	if (!ok) {
		lost(d, "database query could not be sent");
		return;
	}
	d->tag = tag;
	flush(d);
}

void dba_query(struct dba *d, int tag, const char *sql, int nparams, const char *const *params)
{
	sent(d, PQsendQueryParams(d->conn, sql, nparams, NULL, params, NULL, NULL, 0), tag);
}

void dba_prepare(struct dba *d, int tag, const char *name, const char *sql, int nparams)
{
	sent(d, PQsendPrepare(d->conn, name, sql, nparams, NULL), tag);
}

void dba_query_prepared(struct dba *d, int tag, const char *name, int nparams, const char *const *params)
{
	sent(d, PQsendQueryPrepared(d->conn, name, nparams, params, NULL, NULL, 0), tag);
}

/* A result of the query in flight: the caller's, or the error that will reset the connection. */
static void deliver(struct dba *d, const PGresult *res)
{
	ExecStatusType st = PQresultStatus(res);

	if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
		d->cb.result(d->cb.arg, d->tag, res);
		return;
	}
	warn(d, "database query failed", PQresultErrorMessage(res));
	d->failed = true;
}

/* Everything libpq has read: results of the query in flight, then notifications. */
static void drain(struct dba *d)
{
	while (d->tag != NO_QUERY && !PQisBusy(d->conn)) {
		PGresult *res = PQgetResult(d->conn);

		if (!res) {
			if (d->failed) {
				dba_reset(d, "database connection reset after a failed query", "");
				return;
			}
			d->tag = NO_QUERY;
			break;
		}
		deliver(d, res);
		PQclear(res);
	}
	for (PGnotify *n; (n = PQnotifies(d->conn)); PQfreemem(n))
		d->cb.notify(d->cb.arg, n->relname, n->extra);
	if (PQstatus(d->conn) == CONNECTION_BAD)
		lost(d, "database connection lost");
	else
		d->cb.idle(d->cb.arg);
}

void dba_readable(struct dba *d)
{
	if (d->phase == CONNECTING) {
		if (d->poll == PGRES_POLLING_READING)
			step_connect(d);
	} else if (d->phase == UP) {
		if (!PQconsumeInput(d->conn))
			lost(d, "database connection lost");
		else
			drain(d);
	}
}

void dba_writable(struct dba *d)
{
	if (d->phase == CONNECTING) {
		if (d->poll == PGRES_POLLING_WRITING)
			step_connect(d);
	} else if (d->phase == UP) {
		flush(d);
	}
}

/* ---- life -------------------------------------------------------------------------------- */

struct dba *dba_new(const struct dba_config *cfg, const struct dba_callbacks *cb)
{
	struct dba *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->cfg = *cfg;
	d->cb = *cb;
	d->fd = -1;
	d->tag = NO_QUERY;
	d->backoff = BACKOFF_MIN_US;
	return d;
}

void dba_free(struct dba *d)
{
	if (!d)
		return;
	if (d->conn)
		PQfinish(d->conn);
	free(d);
}
