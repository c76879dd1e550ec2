/* migrate: `brando-ctl migrate`: the pending sql/migrations/NNN_*.sql in order, then every
 * sql/functions/<name>.sql in file-name order, in one transaction under one advisory lock: a failure
 * anywhere leaves the database as it was, and instances starting together never race. */
#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "crypto.h"
#include "ctl.h"

/* brando-ctl before the migrations/functions split took the same key with pg_advisory_lock:
 * an old and a new migrator still wait for each other. */
#define MIGRATION_LOCK "7243000"

/* Before the lock: a migrator waiting for another one, or a long data migration, must not be
 * cut off by the 5 s statement_timeout lib/db.c gives every connection; NOTICEs such as
 * "already exists, skipping" are not news. */
static const char SETUP[] = "SET LOCAL statement_timeout = 0; SET LOCAL client_min_messages = warning";
/* schema_functions: the digest of the function files last applied, so that a migrate with
 * nothing new takes no table locks (CREATE OR REPLACE TRIGGER locks its table against writes). */
static const char TABLES[] =
	"CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY,"
	" applied_at timestamptz NOT NULL DEFAULT now());"
	"CREATE TABLE IF NOT EXISTS schema_functions (digest text NOT NULL,"
	" applied_at timestamptz NOT NULL DEFAULT now())";

DB_STMT(st_lock, 0, "SELECT pg_advisory_xact_lock(" MIGRATION_LOCK ")");
DB_STMT(st_applied, 1, "SELECT 1 FROM schema_migrations WHERE version = $1");
DB_STMT(st_record, 1, "INSERT INTO schema_migrations (version) VALUES ($1)");
DB_STMT(st_digest, 1, "SELECT 1 FROM schema_functions WHERE digest = $1");
DB_STMT(st_set_digest, 1, "WITH gone AS (DELETE FROM schema_functions) INSERT INTO schema_functions (digest) VALUES ($1)");

struct sql_file {
	const char *name; /* "003_tickets.sql", "calls.sql" */
	const char *text;
};

/* The files of one folder that match a pattern, sorted by name (C locale), read into memory. */
struct sql_set {
	const char *folder; /* "migrations", "functions" */
	struct sql_file *files;
	int n;
};

/* BRANDO_SQL_DIR, else ../sql or ../share/brando/sql next to this executable. */
static const char *sql_dir(char *buf, size_t cap)
{
	char exe[PATH_MAX];
	const char *env = getenv("BRANDO_SQL_DIR");
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (env && *env)
		return env;
	if (n <= 0)
		return "sql";
	exe[n] = '\0';
	const char *dir = dirname(exe);
	snprintf(buf, cap, "%s/../sql", dir);
	if (access(buf, R_OK) == 0)
		return buf;
	snprintf(buf, cap, "%s/../share/brando/sql", dir);
	return buf;
}

/* The whole file as an arena-owned string, or NULL with errno set. */
static char *read_text(struct arena *a, const char *path)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		text = arena_alloc(a, (size_t)n + 1);
		if (fread(text, 1, (size_t)n, f) == (size_t)n)
			text[n] = '\0';
		else
			text = NULL;
	}
	fclose(f);
	return text;
}

static bool name_matches(const char *name, const char *pattern)
{
	regex_t re;
	bool ok = regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) == 0 && regexec(&re, name, 0, NULL, 0) == 0;

	regfree(&re);
	return ok;
}

static int is_migration(const struct dirent *d)
{
	return name_matches(d->d_name, "^[0-9]{3}_[a-z0-9_]+\\.sql$");
}

static int is_function_file(const struct dirent *d)
{
	return name_matches(d->d_name, "^[a-z0-9_]+\\.sql$");
}

/* Read every file first: a missing or unreadable one stops the run before it touches the database. */
static bool load_set(struct arena *a, const char *dir, const char *folder, int (*filter)(const struct dirent *),
		     struct sql_set *set)
{
	const char *path = arena_printf(a, "%s/%s", dir, folder);
	struct dirent **list;
	bool ok = true;

	set->folder = folder;
	if ((set->n = scandir(path, &list, filter, alphasort)) < 0) {
		fprintf(stderr, "brando-ctl: cannot list %s: %s\n", path, strerror(errno));
		return false;
	}
	set->files = arena_alloc(a, sizeof(*set->files) * (size_t)(set->n ? set->n : 1));
	for (int i = 0; i < set->n; i++) {
		struct sql_file *f = &set->files[i];
		f->name = arena_strdup(a, list[i]->d_name);
		f->text = ok ? read_text(a, arena_printf(a, "%s/%s", path, f->name)) : NULL;
		if (ok && !f->text) {
			fprintf(stderr, "brando-ctl: cannot read %s/%s: %s\n", path, f->name, strerror(errno));
			ok = false;
		}
		free(list[i]);
	}
	free(list);
	return ok;
}

/* One file's statements; a failure names the file (the database's message is logged above it). */
static bool run_file(struct db *db, const struct sql_set *set, const struct sql_file *f)
{
	db_set_log_context(db, f->name);
	if (db_command(db, f->text) == DB_OK)
		return true;
	fprintf(stderr, "brando-ctl: %s/%s failed; nothing was applied\n", set->folder, f->name);
	return false;
}

/* The pending migrations, in order; *applied lists the names run (arena-owned). */
static bool run_migrations(struct db *db, struct arena *a, const struct sql_set *set, const char **applied, int *n)
{
	PGresult *res;

	for (int i = 0; i < set->n; i++) {
		const char *params[] = {set->files[i].name};
		if (db_exec(db, a, &st_applied, params, &res) != DB_OK)
			return false;
		if (db_rows(res) > 0)
			continue;
		if (!run_file(db, set, &set->files[i]) || db_exec(db, a, &st_record, params, NULL) != DB_OK)
			return false;
		applied[(*n)++] = set->files[i].name;
	}
	return true;
}

/* SHA-256 over every function file's name and text, in the order they are applied. */
static const char *functions_digest(struct arena *a, const struct sql_set *set)
{
	const char *all = "";

	for (int i = 0; i < set->n; i++)
		all = arena_printf(a, "%s%s %s\n", all, set->files[i].name,
				   crypto_sha256_hex(a, set->files[i].text, strlen(set->files[i].text)));
	return crypto_sha256_hex(a, all, strlen(all));
}

/* Every function file, unless the same ones were applied last and no migration ran since:
 * a migration may have dropped a function or a trigger's table, so after one they all run. */
static bool run_functions(struct db *db, struct arena *a, const struct sql_set *set, bool migrated, bool *ran)
{
	const char *params[] = {functions_digest(a, set)};
	PGresult *res;

	*ran = false;
	if (db_exec(db, a, &st_digest, params, &res) != DB_OK)
		return false;
	if (db_rows(res) > 0 && !migrated)
		return true;
	for (int i = 0; i < set->n; i++)
		if (!run_file(db, set, &set->files[i]))
			return false;
	*ran = true;
	return db_exec(db, a, &st_set_digest, params, NULL) == DB_OK;
}

static bool run_all(struct db *db, struct arena *a, const struct sql_set *mig, const struct sql_set *fun,
		    const char **applied, int *n, bool *functions_ran)
{
	bool ok = db_begin(db) == DB_OK && db_command(db, SETUP) == DB_OK &&
		  db_exec(db, a, &st_lock, NULL, NULL) == DB_OK && db_command(db, TABLES) == DB_OK &&
		  run_migrations(db, a, mig, applied, n) && run_functions(db, a, fun, *n > 0, functions_ran) &&
		  db_commit(db) == DB_OK;

	if (!ok)
		db_rollback(db);
	return ok;
}

int ctl_migrate(struct db *db)
{
	char buf[PATH_MAX];
	const char *dir = sql_dir(buf, sizeof(buf));
	struct sql_set mig, fun;
	struct arena a;
	bool functions_ran = false;
	int n = 0;

	arena_init(&a, 64 * 1024);
	db_set_deadline(db, 0); /* SETUP lifts statement_timeout; this, lib/db.c's own wait */
	bool ok = load_set(&a, dir, "migrations", is_migration, &mig) &&
		  load_set(&a, dir, "functions", is_function_file, &fun);
	const char **applied = ok ? arena_alloc(&a, sizeof(*applied) * (size_t)(mig.n + 1)) : NULL;
	ok = ok && run_all(db, &a, &mig, &fun, applied, &n, &functions_ran);
	for (int i = 0; ok && i < n; i++)
		printf("applied %s\n", applied[i]);
	if (ok && functions_ran)
		printf("functions replaced from %d files in %s/functions\n", fun.n, dir);
	arena_reset(&a);
	return ok ? 0 : 1;
}
