/* db: one libpq connection per process, named prepared statements, reconnect in one place. */
#ifndef BRANDO_DB_H
#define BRANDO_DB_H

#include <libpq-fe.h>
#include <stdbool.h>

#include "arena.h"

/* A statement is data: declare it static next to its handler. It is prepared on first use
 * on each connection (prepared_gen tracks the connection it was prepared on). */
struct db_stmt {
	const char *name;
	const char *sql;
	int nparams;
	unsigned prepared_gen;
};

#define DB_STMT(var, n, text) static struct db_stmt var = {.name = #var, .sql = (text), .nparams = (n)}

enum db_rc {
	DB_OK = 0,
	DB_UNAVAILABLE, /* connection lost or database not reachable: 503 */
	DB_CONFLICT,    /* unique violation: 409 */
	DB_INVALID,     /* check/foreign-key/invalid-text violation: the input was wrong: 422 */
	DB_ERROR,       /* anything else: 500 */
};

struct db;

/* Connect (lazily retried later when the server is down). NULL only on out-of-memory. */
struct db *db_open(const char *conninfo);
void db_close(struct db *db);
/* The raw connection, NULL while disconnected (push daemon needs it for LISTEN). */
PGconn *db_conn(struct db *db);
/* Make sure the connection is usable, reconnecting with bounded backoff. */
bool db_ready(struct db *db);
/* The connection generation: changes after each reconnect. */
unsigned db_generation(const struct db *db);

/* Execute a prepared statement. *out (may be NULL) is owned by the arena. Text params; a
 * NULL param is SQL NULL. The error detail is logged with the request id, never returned. */
enum db_rc db_exec(struct db *db, struct arena *a, struct db_stmt *st, const char *const *params,
		   PGresult **out);
/* Plain text command without parameters (BEGIN/COMMIT/SET and migrations). */
enum db_rc db_command(struct db *db, const char *sql);

enum db_rc db_begin(struct db *db);
enum db_rc db_commit(struct db *db);
/* A transaction the caller holds around a handler (the Idempotency-Key's): while it is open,
 * db_begin and db_commit join it instead, so the handler's writes commit with the caller's
 * and roll back with them. db_release commits it; db_rollback ends it too. */
enum db_rc db_hold(struct db *db);
enum db_rc db_release(struct db *db);
/* Roll back if a transaction is open (a held one included); safe to call at any time. */
void db_rollback(struct db *db);
bool db_in_transaction(struct db *db);

/* Request id prefix for error logs (set by the worker for each request). */
void db_set_log_context(struct db *db, const char *request_id);

/* Constraint named by the last failed statement ("" if none): tells which field conflicted. */
const char *db_last_constraint(const struct db *db);

/* Value helpers over a result owned by the arena. */
const char *db_val(const PGresult *res, int row, int col); /* NULL when SQL NULL */
int db_rows(const PGresult *res);

#endif
