/* jobs_sync: the nightly Zadarma reconciliation (jobs_sync.h). It runs as a child process:
 * brando-ctl paces itself to Zadarma's 3 statistics requests a minute, which may take minutes,
 * and housekeeping must not wait for that. */
#include "jobs_sync.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"

extern char **environ;

/* The claim: today (in the PBX's zone) once the hour has come, by the first instance to ask. */
DB_STMT(st_claim_sync, 2,
	"INSERT INTO job_runs (job, day) SELECT 'zadarma-sync', (now() AT TIME ZONE $1)::date"
	" WHERE extract(hour FROM now() AT TIME ZONE $1) >= $2::int ON CONFLICT DO NOTHING RETURNING day::text");
DB_STMT(st_unclaim_sync, 1, "DELETE FROM job_runs WHERE job = 'zadarma-sync' AND day = $1::date");

static pid_t child; /* the running brando-ctl, 0: none */

static bool start(void)
{
	char exe[PATH_MAX], ctl[PATH_MAX + 16];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *argv[] = {ctl, "zadarma-sync", NULL};
	int rc;

	if (n <= 0) {
		log_fmt("error", "zadarma-sync not started: cannot find this executable: %s", strerror(errno));
		return false;
	}
	exe[n] = '\0';
	snprintf(ctl, sizeof(ctl), "%s/brando-ctl", dirname(exe));
	if ((rc = posix_spawn(&child, ctl, NULL, NULL, argv, environ)) != 0) {
		log_fmt("error", "zadarma-sync not started: %s: %s", ctl, strerror(rc));
		child = 0;
		return false;
	}
	log_fmt("info", "zadarma-sync started (pid %d)", (int)child);
	return true;
}

static void reap(void)
{
	int status;
	pid_t r = waitpid(child, &status, WNOHANG);

	if (r == 0)
		return;
	if (r < 0)
		log_fmt("warn", "zadarma-sync (pid %d) lost: %s", (int)child, strerror(errno));
	else if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		log_fmt("info", "zadarma-sync finished");
	else
		log_fmt("error", "zadarma-sync failed (exit status %d); its log lines say why; tomorrow it runs again",
			WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	child = 0;
}

void sync_tick(const struct config *cfg, struct db *db, struct arena *a)
{
	char h[16];
	PGresult *res;

	if (child)
		reap();
	if (child || cfg->zadarma_sync_hour < 0 || !cfg->zadarma_key || !cfg->zadarma_secret)
		return;
	snprintf(h, sizeof(h), "%d", cfg->zadarma_sync_hour);
	const char *params[] = {cfg->zadarma_tz, h};
	if (db_exec(db, a, &st_claim_sync, params, &res) != DB_OK || !db_val(res, 0, 0))
		return; /* not yet, already claimed today, or the database is away (logged) */
	if (!start()) {
		const char *day[] = {db_val(res, 0, 0)};
		if (db_exec(db, a, &st_unclaim_sync, day, NULL) != DB_OK) /* else: again at the next tick */
			log_fmt("warn", "zadarma-sync claim for %s not released; the next run is tomorrow", day[0]);
	}
}
