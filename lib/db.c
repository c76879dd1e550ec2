/* db: statements are prepared lazily per connection; a lost connection is retried with
 * backoff and reported as DB_UNAVAILABLE instead of hanging the request. */
#include "db.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "metrics.h"

struct db {
	char *conninfo;
	PGconn *conn;
	unsigned gen;
	double next_try;   /* monotonic seconds before which we do not reconnect */
	double backoff;    /* seconds, doubles up to DB_BACKOFF_MAX */
	char request_id[64];
	char constraint[64]; /* of the last failed statement */
	bool held;           /* a caller's transaction is open: db_begin/db_commit join it */
};

#define DB_BACKOFF_MIN 0.1
#define DB_BACKOFF_MAX 2.0
/* The server cancels a statement after statement_timeout. A hung server (stopped, its disk
 * frozen) cannot, so the client stops waiting a little later and drops the connection. */
#define DB_STATEMENT_TIMEOUT "5000"
#define DB_DEADLINE 5.5

static double now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void db_log(struct db *db, const char *what, const char *detail)
{
	char extra[1200], esc[1024];

	log_escape(esc, sizeof(esc), detail ? detail : "");
	snprintf(extra, sizeof(extra), ",\"requestId\":\"%s\",\"detail\":\"%s\"", db->request_id, esc);
	log_line("error", what, extra);
}

static bool db_connect(struct db *db)
{
	/* Bound every wait: connecting, and any statement, so no request hangs for long. JIT
	 * off: short statements never repay compiling, and one misestimate costs milliseconds. */
	const char *keys[] = {"dbname", "connect_timeout", "options", "application_name", NULL};
	const char *vals[] = {db->conninfo, "3", "-c statement_timeout=" DB_STATEMENT_TIMEOUT " -c TimeZone=UTC -c jit=off",
			      "brando", NULL};

	if (db->conn)
		PQfinish(db->conn);
	db->conn = PQconnectdbParams(keys, vals, 1);
	if (!db->conn || PQstatus(db->conn) != CONNECTION_OK || PQsetnonblocking(db->conn, 1) != 0) {
		db_log(db, "database connection failed", db->conn ? PQerrorMessage(db->conn) : "oom");
		if (db->conn)
			PQfinish(db->conn);
		db->conn = NULL;
		return false;
	}
	db->held = false;
	db->gen++;
	return true;
}

struct db *db_open(const char *conninfo)
{
	struct db *db = calloc(1, sizeof(*db));

	if (!db)
		return NULL;
	db->conninfo = strdup(conninfo ? conninfo : "");
	if (!db->conninfo) {
		free(db);
		return NULL;
	}
	db->backoff = DB_BACKOFF_MIN;
	db->gen = 1;
	if (!db_connect(db))
		db->next_try = now_mono() + db->backoff;
	return db;
}

void db_close(struct db *db)
{
	if (!db)
		return;
	if (db->conn)
		PQfinish(db->conn);
	free(db->conninfo);
	free(db);
}

PGconn *db_conn(struct db *db)
{
	return db->conn;
}

unsigned db_generation(const struct db *db)
{
	return db->gen;
}

void db_set_log_context(struct db *db, const char *request_id)
{
	snprintf(db->request_id, sizeof(db->request_id), "%s", request_id ? request_id : "");
}

bool db_ready(struct db *db)
{
	if (db->conn && PQstatus(db->conn) == CONNECTION_OK)
		return true;
	double t = now_mono();
	if (t < db->next_try)
		return false;
	if (db_connect(db)) {
		db->backoff = DB_BACKOFF_MIN;
		return true;
	}
	db->backoff = db->backoff * 2 > DB_BACKOFF_MAX ? DB_BACKOFF_MAX : db->backoff * 2;
	db->next_try = t + db->backoff;
	return false;
}

static void clear_result(void *p)
{
	PQclear(p);
}

/* The connection is gone or in an unknown state: forget it; the next request reconnects. */
static enum db_rc drop_connection(struct db *db, const char *why)
{
	db_log(db, "database connection lost", why);
	PQfinish(db->conn);
	db->conn = NULL;
	db->held = false;
	db->next_try = 0; /* try once at the next request: the server may be back */
	return DB_UNAVAILABLE;
}

static enum db_rc classify(struct db *db, PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

	metrics_db_error();
	const char *cons = res ? PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME) : NULL;
	snprintf(db->constraint, sizeof(db->constraint), "%s", cons ? cons : "");
	if (PQstatus(db->conn) != CONNECTION_OK)
		return drop_connection(db, PQerrorMessage(db->conn));
	if (state && strcmp(state, "23505") == 0)
		return DB_CONFLICT;
	/* The primary message, its code and constraint: never DETAIL, which can quote the whole
	 * failing row (customer names, phones, a password hash). */
	const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	char line[512];
	if (primary)
		snprintf(line, sizeof(line), "%s (SQLSTATE %s%s%s)", primary, state ? state : "?",
			 *db->constraint ? ", constraint " : "", db->constraint);
	db_log(db, "database error", primary ? line : PQerrorMessage(db->conn));
	if (state && (strncmp(state, "23", 2) == 0 || strncmp(state, "22", 2) == 0))
		return DB_INVALID;
	if (state && (strncmp(state, "08", 2) == 0 || strncmp(state, "57", 2) == 0 ||
		      strcmp(state, "53300") == 0))
		return DB_UNAVAILABLE;
	return DB_ERROR;
}

/* Send what is queued and read until a result is ready (or the server said all it will),
 * until the deadline; false when the server did not answer in time or the socket failed. */
static bool await_ready(PGconn *conn, double deadline)
{
	for (;;) {
		int pending = PQflush(conn); /* 1: part of a large request is still to send */

		if (pending < 0 || !PQconsumeInput(conn))
			return false;
		if (!pending && !PQisBusy(conn))
			return true;
		double left = deadline - now_mono();
		if (left <= 0)
			return false;
		struct pollfd p = {.fd = PQsocket(conn), .events = (short)(POLLIN | (pending ? POLLOUT : 0))};
		if (poll(&p, 1, (int)(left * 1000) + 1) < 0 && errno != EINTR)
			return false;
	}
}

/* The outcome of what was just sent (the last result, as PQexec gives), waiting no longer
 * than DB_DEADLINE. *out NULL and DB_UNAVAILABLE when the server did not answer in time. */
static enum db_rc await_result(struct db *db, int sent, PGresult **out)
{
	double deadline = now_mono() + DB_DEADLINE;
	PGresult *res, *last = NULL;

	*out = NULL;
	if (!sent)
		return classify(db, NULL);
	for (;;) {
		if (!await_ready(db->conn, deadline)) {
			PQclear(last);
			metrics_db_error();
			return drop_connection(db, "no answer within the deadline (server hung or gone)");
		}
		if (!(res = PQgetResult(db->conn)))
			break;
		PQclear(last);
		last = res;
	}
	ExecStatusType s = PQresultStatus(last);
	if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) {
		*out = last;
		return DB_OK;
	}
	enum db_rc rc = classify(db, last);
	PQclear(last);
	return rc;
}

static enum db_rc prepare(struct db *db, struct db_stmt *st)
{
	PGresult *res;

	if (st->prepared_gen == db->gen)
		return DB_OK;
	enum db_rc rc = await_result(db, PQsendPrepare(db->conn, st->name, st->sql, st->nparams, NULL), &res);
	PQclear(res);
	if (rc == DB_OK)
		st->prepared_gen = db->gen;
	return rc;
}

enum db_rc db_exec(struct db *db, struct arena *a, struct db_stmt *st, const char *const *params,
		   PGresult **out)
{
	PGresult *res;

	if (out)
		*out = NULL;
	if (!db_ready(db))
		return DB_UNAVAILABLE;
	enum db_rc rc = prepare(db, st);
	if (rc != DB_OK)
		return rc;
	rc = await_result(db, PQsendQueryPrepared(db->conn, st->name, st->nparams, params, NULL, NULL, 0), &res);
	if (rc != DB_OK)
		return rc;
	if (out) {
		arena_defer(a, clear_result, res);
		*out = res;
	} else {
		PQclear(res);
	}
	return DB_OK;
}

enum db_rc db_command(struct db *db, const char *sql)
{
	PGresult *res;

	if (!db_ready(db))
		return DB_UNAVAILABLE;
	enum db_rc rc = await_result(db, PQsendQuery(db->conn, sql), &res);
	PQclear(res);
	return rc;
}

bool db_in_transaction(struct db *db)
{
	return db->conn && PQtransactionStatus(db->conn) != PQTRANS_IDLE &&
	       PQtransactionStatus(db->conn) != PQTRANS_UNKNOWN;
}

enum db_rc db_begin(struct db *db)
{
	return db->held && db_in_transaction(db) ? DB_OK : db_command(db, "BEGIN");
}

enum db_rc db_commit(struct db *db)
{
	return db->held && db_in_transaction(db) ? DB_OK : db_command(db, "COMMIT");
}

enum db_rc db_hold(struct db *db)
{
	enum db_rc rc = db_command(db, "BEGIN");

	db->held = rc == DB_OK;
	return rc;
}

enum db_rc db_release(struct db *db)
{
	db->held = false;
	return db_command(db, "COMMIT");
}

void db_rollback(struct db *db)
{
	db->held = false;
	if (db_in_transaction(db) && db_command(db, "ROLLBACK") != DB_OK)
		db_log(db, "rollback failed", "");
}

const char *db_val(const PGresult *res, int row, int col)
{
	if (!res || row >= PQntuples(res) || col >= PQnfields(res) || PQgetisnull(res, row, col))
		return NULL;
	return PQgetvalue(res, row, col);
}

int db_rows(const PGresult *res)
{
	return res ? PQntuples(res) : 0;
}

const char *db_last_constraint(const struct db *db)
{
	return db->constraint;
}
