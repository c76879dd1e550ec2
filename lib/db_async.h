/* db_async: one PostgreSQL connection driven by an event loop, never blocking it: connects
 * with bounded backoff and retries for ever, one query at a time, results and NOTIFYs handed
 * to callbacks. The other DB layer is db.h (synchronous, one connection per worker). */
#ifndef BRANDO_DB_ASYNC_H
#define BRANDO_DB_ASYNC_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

struct dba;

/* Every string must live as long as the connection does. */
struct dba_config {
	const char *conninfo;         /* DATABASE_URL */
	const char *options;          /* "-c name=value ..." for the session */
	const char *application_name;
};

/* Each gets arg. up and idle may send the next query; no callback may free the dba. */
struct dba_callbacks {
	void *arg;
	/* The event loop. watch: watch fd for reading from now on, instead of the one before (-1:
	 * nothing); false when it cannot (that attempt fails). want_write: call dba_writable once
	 * fd can take more. timer: call dba_timeout in us microseconds (-1: cancel). */
	bool (*watch)(void *arg, int fd);
	void (*want_write)(void *arg);
	void (*timer)(void *arg, int64_t us);
	/* The session. up: connected, nothing sent yet. result: a successful result of the query
	 * sent with tag (borrowed for the call; a failed one is logged and resets the connection).
	 * notify: a NOTIFY arrived. idle: what arrived has been handed over; if no query is in
	 * flight (dba_ready), send the next. down: the connection is gone with the query in
	 * flight; the next attempt follows the backoff. */
	void (*up)(void *arg);
	void (*result)(void *arg, int tag, const PGresult *res);
	void (*notify)(void *arg, const char *channel, const char *payload);
	void (*idle)(void *arg);
	void (*down)(void *arg);
};

/* NULL on out-of-memory. Nothing happens before dba_connect. */
struct dba *dba_new(const struct dba_config *cfg, const struct dba_callbacks *cb);
/* The first attempt; failures are retried with backoff (0.1 s doubling to 2 s) for ever. */
void dba_connect(struct dba *d);
/* Close, without callbacks (watch(-1) included: the caller lets go of its watch itself). */
void dba_free(struct dba *d);

/* Connected, and no query in flight. */
bool dba_ready(const struct dba *d);
/* Send a query, only when dba_ready; tag comes back with its result. Text parameters. A send
 * that fails resets the connection: down says so. */
void dba_query(struct dba *d, int tag, const char *sql, int nparams, const char *const *params);
void dba_prepare(struct dba *d, int tag, const char *name, const char *sql, int nparams);
void dba_query_prepared(struct dba *d, int tag, const char *name, int nparams, const char *const *params);

/* The event loop's calls: fd readable, fd writable (after want_write), the timer. */
void dba_readable(struct dba *d);
void dba_writable(struct dba *d);
void dba_timeout(struct dba *d);
/* The loop lost the socket (a hang-up): start over, as after any failure. */
void dba_reset(struct dba *d, const char *what, const char *detail);

#endif
