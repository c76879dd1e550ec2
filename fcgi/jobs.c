/* jobs: the background worker: housekeeping and the nightly Zadarma sync now, outbox delivery
 * as integrations land. Safe on every instance: each task is a single statement, uses SKIP
 * LOCKED, or claims its day (jobs_sync.c). */
#include <signal.h>
#include <time.h>

#include "db.h"
#include "jobs_sync.h"
#include "log.h"
#include "worker.h"

#define HOUSEKEEPING_EVERY 60

static volatile sig_atomic_t stopping;

static void on_term(int sig)
{
	(void)sig;
	stopping = 1;
}

DB_STMT(st_expire_sessions, 0, "DELETE FROM sessions WHERE expires_at < now()");
DB_STMT(st_expire_attempts, 0, "DELETE FROM login_attempts WHERE at < now() - interval '1 day'");
DB_STMT(st_expire_idempotency, 0, "DELETE FROM idempotency_keys WHERE created_at < now() - interval '24 hours'");
/* Click-to-calls the PBX never reported end as failed (sql/009), with a call.ended event. */
DB_STMT(st_expire_calls, 0, "SELECT calls_expire_unreported()");

static void housekeeping(struct db *db, struct arena *a)
{
	struct db_stmt *tasks[] = {&st_expire_sessions, &st_expire_attempts, &st_expire_idempotency,
				   &st_expire_calls};

	for (size_t i = 0; i < sizeof(tasks) / sizeof(tasks[0]); i++)
		if (db_exec(db, a, tasks[i], NULL, NULL) != DB_OK)
			return; /* logged by db; tried again next round */
}

int jobs_run(const struct config *cfg)
{
	struct sigaction sa = {.sa_handler = on_term};
	struct arena arena;
	time_t last = 0;

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGTERM, &sa, NULL) || sigaction(SIGINT, &sa, NULL))
		return 1;
	struct db *db = db_open(cfg->database_url);
	if (!db)
		return 1;
	arena_init(&arena, 8192);
	db_set_log_context(db, "jobs");
	while (!stopping) {
		struct timespec pause = {1, 0};

		if (time(NULL) - last >= HOUSEKEEPING_EVERY) {
			housekeeping(db, &arena);
			sync_tick(cfg, db, &arena);
			last = time(NULL);
		}
		arena_reset(&arena);
		nanosleep(&pause, NULL); /* SIGTERM cuts it short */
	}
	db_close(db);
	return 0;
}
