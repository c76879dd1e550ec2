/* brando-ctl: operator's command line: migrations, users, demo data, config check. */
#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <libpq-fe.h>
#include <limits.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "arena.h"
#include "config.h"
#include "zadarma_sync.h"
#include "httpc.h"
#include "password.h"

#define MIGRATION_LOCK "7243000"

static struct config cfg;

static PGconn *connect_db(void)
{
	PGconn *c = PQconnectdb(cfg.database_url);

	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "brando-ctl: cannot connect: %s", PQerrorMessage(c));
		PQfinish(c);
		return NULL;
	}
	return c;
}

/* Run a parameterized statement; prints the error and returns NULL on failure. */
static PGresult *run(PGconn *c, const char *sql, int n, const char *const *params)
{
	PGresult *res = PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0);
	ExecStatusType s = PQresultStatus(res);

	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
		fprintf(stderr, "brando-ctl: %s", PQresultErrorMessage(res));
		PQclear(res);
		return NULL;
	}
	return res;
}

static bool run_ok(PGconn *c, const char *sql, int n, const char *const *params)
{
	PGresult *res = run(c, sql, n, params);

	PQclear(res);
	return res != NULL;
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (text = malloc((size_t)n + 1)) && fread(text, 1, (size_t)n, f) == (size_t)n)
		text[n] = '\0';
	else
		free(text), text = NULL;
	fclose(f);
	return text;
}

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

static int is_migration(const struct dirent *d)
{
	regex_t re;
	int ok = regcomp(&re, "^[0-9]{3}_[a-z0-9_]+\\.sql$", REG_EXTENDED | REG_NOSUB) == 0 &&
		 regexec(&re, d->d_name, 0, NULL, 0) == 0;

	regfree(&re);
	return ok;
}

static bool apply_one(PGconn *c, const char *dir, const char *name)
{
	char path[PATH_MAX + NAME_MAX + 32];
	const char *params[] = {name};
	PGresult *res = run(c, "SELECT 1 FROM schema_migrations WHERE version = $1", 1, params);
	bool done = res && PQntuples(res) > 0, ok = res != NULL;

	PQclear(res);
	if (!ok || done)
		return ok;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	char *text = read_file(path);
	if (!text) {
		fprintf(stderr, "brando-ctl: cannot read %s: %s\n", path, strerror(errno));
		return false;
	}
	ok = run_ok(c, "BEGIN", 0, NULL);
	res = ok ? PQexec(c, text) : NULL;
	free(text);
	if (ok && PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "brando-ctl: %s failed: %s", name, PQresultErrorMessage(res));
		ok = false;
	}
	PQclear(res);
	ok = ok && run_ok(c, "INSERT INTO schema_migrations (version) VALUES ($1)", 1, params) &&
	     run_ok(c, "COMMIT", 0, NULL);
	if (!ok)
		PQclear(PQexec(c, "ROLLBACK"));
	else
		printf("applied %s\n", name);
	return ok;
}

static int cmd_migrate(void)
{
	char buf[PATH_MAX], dir[PATH_MAX + 16];
	struct dirent **list;
	PGconn *c = connect_db();
	bool ok = c != NULL;
	int n = -1;

	snprintf(dir, sizeof(dir), "%s/migrations", sql_dir(buf, sizeof(buf)));
	/* One migrator at a time, cluster-wide; the others wait here, then find nothing to do. */
	ok = ok && run_ok(c, "SELECT pg_advisory_lock(" MIGRATION_LOCK ")", 0, NULL) &&
	     run_ok(c, "CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY,"
		       " applied_at timestamptz NOT NULL DEFAULT now())", 0, NULL);
	if (ok && (n = scandir(dir, &list, is_migration, alphasort)) < 0) {
		fprintf(stderr, "brando-ctl: cannot list %s: %s\n", dir, strerror(errno));
		ok = false;
	}
	for (int i = 0; i < n; i++) {
		ok = ok && apply_one(c, dir, list[i]->d_name);
		free(list[i]);
	}
	if (n >= 0)
		free(list);
	PQfinish(c);
	return ok ? 0 : 1;
}

/* The password comes from stdin (never argv, which every user of the host can read). */
static char *read_password(void)
{
	static char line[PASSWORD_MAX_LEN + 2];
	struct termios old, quiet;
	bool tty = isatty(0) && tcgetattr(0, &old) == 0;

	if (tty) {
		fputs("password: ", stderr);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(0, TCSANOW, &quiet);
	}
	char *got = fgets(line, sizeof(line), stdin);
	if (tty) {
		tcsetattr(0, TCSANOW, &old);
		fputc('\n', stderr);
	}
	if (!got)
		return NULL;
	line[strcspn(line, "\r\n")] = '\0';
	return line;
}

static const char *opt(int argc, char **argv, const char *name)
{
	for (int i = 0; i + 1 < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return argv[i + 1];
	return NULL;
}

static int cmd_create_user(int argc, char **argv)
{
	const char *username = opt(argc, argv, "--username"), *role = opt(argc, argv, "--role");
	struct arena a;
	char *pw;

	if (!username || !role) {
		fputs("usage: brando-ctl create-user --username U --role admin|operator|master"
		      " [--full-name N] [--master-code C] [--phone P] [--sip EXT] < password\n", stderr);
		return 2;
	}
	if (!(pw = read_password()) || strlen(pw) < PASSWORD_MIN_LEN) {
		fputs("brando-ctl: a password of at least 8 characters is needed on stdin\n", stderr);
		return 2;
	}
	arena_init(&a, 4096);
	const char *hash = password_hash(&a, pw);
	const char *full = opt(argc, argv, "--full-name");
	const char *params[] = {username, hash, full ? full : "", role, opt(argc, argv, "--master-code"),
				opt(argc, argv, "--phone"), opt(argc, argv, "--sip")};
	PGconn *c = hash ? connect_db() : NULL;
	bool ok = c && run_ok(c, "INSERT INTO users (username, password_hash, full_name, role, master_code,"
				 " phone, sip_extension) VALUES ($1, $2, $3, $4, $5, $6, $7)", 7, params);
	if (ok)
		printf("created %s (%s)\n", username, role);
	PQfinish(c);
	arena_reset(&a);
	return ok ? 0 : 1;
}

static int cmd_passwd(int argc, char **argv)
{
	struct arena a;
	char *pw;

	if (argc < 1) {
		fputs("usage: brando-ctl passwd USERNAME < password\n", stderr);
		return 2;
	}
	if (!(pw = read_password()) || strlen(pw) < PASSWORD_MIN_LEN) {
		fputs("brando-ctl: a password of at least 8 characters is needed on stdin\n", stderr);
		return 2;
	}
	arena_init(&a, 4096);
	const char *params[] = {argv[0], password_hash(&a, pw)};
	PGconn *c = params[1] ? connect_db() : NULL;
	PGresult *res = c ? run(c, "WITH u AS (UPDATE users SET password_hash = $2, updated_at = now()"
				   " WHERE username = $1 RETURNING id)"
				   " DELETE FROM sessions WHERE user_id IN (SELECT id FROM u)"
				   " RETURNING (SELECT count(*) FROM u)", 2, params) : NULL;
	PGresult *check = res ? run(c, "SELECT 1 FROM users WHERE username = $1", 1, params) : NULL;
	bool ok = check && PQntuples(check) == 1;
	if (check && !ok)
		fprintf(stderr, "brando-ctl: no user %s\n", argv[0]);
	if (ok)
		printf("password changed for %s; their sessions ended\n", argv[0]);
	PQclear(res);
	PQclear(check);
	PQfinish(c);
	arena_reset(&a);
	return ok ? 0 : 1;
}

static int cmd_seed_demo(int argc, char **argv)
{
	static const char *const demo[][6] = {
		{"admin", "admin2233", "Demo Admin", "admin", NULL, NULL},
		{"operator", "callcenter123", "Demo Operator", "operator", NULL, "100"},
		{"master", "MS123", "Demo Master", "master", "M001", NULL},
	};
	struct arena a;
	bool ok;

	if (argc < 1 || strcmp(argv[0], "--yes") != 0) {
		fputs("brando-ctl: seed-demo adds users with published passwords; run it only on a demo or\n"
		      "test database, as: brando-ctl seed-demo --yes\n", stderr);
		return 2;
	}
	PGconn *c = connect_db();
	ok = c != NULL;
	arena_init(&a, 4096);
	for (size_t i = 0; ok && i < sizeof(demo) / sizeof(demo[0]); i++) {
		const char *hash = password_hash(&a, demo[i][1]);
		const char *params[] = {demo[i][0], hash, demo[i][2], demo[i][3], demo[i][4], demo[i][5]};
		ok = hash && run_ok(c, "INSERT INTO users (username, password_hash, full_name, role, master_code,"
				       " sip_extension) VALUES ($1, $2, $3, $4, $5, $6)"
				       " ON CONFLICT (username) DO NOTHING", 6, params);
	}
	if (ok)
		puts("demo users ready: admin/admin2233, operator/callcenter123, master/MS123");
	PQfinish(c);
	arena_reset(&a);
	return ok ? 0 : 1;
}

static int cmd_check_config(void)
{
	PGconn *c = connect_db();
	PGresult *res = c ? run(c, "SELECT count(*) FROM schema_migrations", 0, NULL) : NULL;

	printf("database: %s\n", c ? "reachable" : "NOT reachable");
	if (c)
		printf("migrations applied: %s\n", res ? PQgetvalue(res, 0, 0) : "none (run brando-ctl migrate)");
	printf("listen: %s\nworkers: %d\npublic url: %s\nsession ttl: %d s\ndefault country code: %s\n",
	       cfg.listen ? cfg.listen : "(fd 0)", cfg.workers, cfg.public_url ? cfg.public_url : "(from Host)",
	       cfg.session_ttl, cfg.default_country);
	printf("zadarma: %s\ntelegram: %s\ntwilio: %s\n",
	       config_zadarma_enabled(&cfg) ? "enabled" : "disabled",
	       config_telegram_enabled(&cfg) ? "enabled" : "disabled",
	       config_twilio_enabled(&cfg) ? "enabled" : "disabled");
	PQclear(res);
	PQfinish(c);
	return c && res ? 0 : 1;
}

static int cmd_zadarma_sync(int argc, char **argv)
{
	PGconn *c = httpc_global_init() ? connect_db() : NULL;
	int rc = c ? ctl_zadarma_sync(c, &cfg, argc, argv) : 1;

	PQfinish(c);
	return rc;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (!config_load(&cfg))
		return 2;
	if (strcmp(cmd, "migrate") == 0)
		return cmd_migrate();
	if (strcmp(cmd, "create-user") == 0)
		return cmd_create_user(argc - 2, argv + 2);
	if (strcmp(cmd, "passwd") == 0)
		return cmd_passwd(argc - 2, argv + 2);
	if (strcmp(cmd, "seed-demo") == 0)
		return cmd_seed_demo(argc - 2, argv + 2);
	if (strcmp(cmd, "check-config") == 0)
		return cmd_check_config();
	if (strcmp(cmd, "zadarma-sync") == 0)
		return cmd_zadarma_sync(argc - 2, argv + 2);
	fputs("usage: brando-ctl migrate | create-user | passwd USER | seed-demo --yes | check-config\n"
	      "       | zadarma-sync [--from T] [--to T] [--limit N]\n"
	      "  (DATABASE_URL and the other settings come from the environment / env file)\n", stderr);
	return 2;
}
