/* brando-ctl: operator's command line: migrations, users, demo data, config check, Zadarma sync. */
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "ctl.h"
#include "httpc.h"

const char *ctl_opt(int argc, char **argv, const char *name)
{
	for (int i = 0; i + 1 < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return argv[i + 1];
	return NULL;
}

struct db *ctl_connect(const struct config *cfg)
{
	struct db *db = db_open(cfg->database_url);

	if (!db) {
		fputs("brando-ctl: out of memory\n", stderr);
		return NULL;
	}
	if (!db_ready(db)) { /* lib/db.c has logged libpq's reason */
		fputs("brando-ctl: cannot connect to the database (DATABASE_URL)\n", stderr);
		db_close(db);
		return NULL;
	}
	return db;
}

DB_STMT(st_migrations_count, 0, "SELECT count(*) FROM schema_migrations");

static int cmd_check_config(const struct config *cfg)
{
	struct db *db = ctl_connect(cfg);
	struct arena a;
	PGresult *res = NULL;

	arena_init(&a, 1024);
	bool counted = db && db_exec(db, &a, &st_migrations_count, NULL, &res) == DB_OK;
	printf("database: %s\n", db ? "reachable" : "NOT reachable");
	if (db)
		printf("migrations applied: %s\n", counted ? db_val(res, 0, 0) : "none (run brando-ctl migrate)");
	printf("listen: %s\nworkers: %d\npublic url: %s\nsession ttl: %d s\ndefault country code: %s\n",
	       cfg->listen ? cfg->listen : "(fd 0)", cfg->workers, cfg->public_url ? cfg->public_url : "(from Host)",
	       cfg->session_ttl, cfg->default_country);
	printf("zadarma: %s\ntelegram: %s\ntwilio: %s\n", config_zadarma_enabled(cfg) ? "enabled" : "disabled",
	       config_telegram_enabled(cfg) ? "enabled" : "disabled",
	       config_twilio_enabled(cfg) ? "enabled" : "disabled");
	arena_reset(&a);
	db_close(db);
	return counted ? 0 : 1;
}

/* Commands that need only the database; the connection is opened for them and closed after. */
static int with_db(const struct config *cfg, int (*cmd)(struct db *, int, char **), int argc, char **argv)
{
	struct db *db = ctl_connect(cfg);
	int rc = db ? cmd(db, argc, argv) : 1;

	db_close(db);
	return rc;
}

static int migrate(struct db *db, int argc, char **argv)
{
	(void)argc, (void)argv;
	return ctl_migrate(db);
}

static int cmd_zadarma_sync(const struct config *cfg, int argc, char **argv)
{
	struct db *db = httpc_global_init() ? ctl_connect(cfg) : NULL;
	int rc = db ? ctl_zadarma_sync(db, cfg, argc, argv) : 1;

	db_close(db);
	return rc;
}

int main(int argc, char **argv)
{
	static struct config cfg;
	const char *cmd = argc > 1 ? argv[1] : "";

	if (!config_load(&cfg))
		return 2;
	/* from here on, argc and argv hold what follows the command's name */
	argv += argc > 2 ? 2 : argc;
	argc = argc > 2 ? argc - 2 : 0;
	if (strcmp(cmd, "migrate") == 0)
		return with_db(&cfg, migrate, argc, argv);
	if (strcmp(cmd, "create-user") == 0)
		return ctl_create_user(&cfg, argc, argv);
	if (strcmp(cmd, "passwd") == 0)
		return ctl_passwd(&cfg, argc, argv);
	if (strcmp(cmd, "seed-demo") == 0)
		return ctl_seed_demo(&cfg, argc, argv);
	if (strcmp(cmd, "check-config") == 0)
		return cmd_check_config(&cfg);
	if (strcmp(cmd, "zadarma-sync") == 0)
		return cmd_zadarma_sync(&cfg, argc, argv);
	fputs("usage: brando-ctl migrate | create-user | passwd USER | seed-demo --yes | check-config\n"
	      "       | zadarma-sync [--from T] [--to T] [--limit N]\n"
	      "  (DATABASE_URL and the other settings come from the environment / env file)\n", stderr);
	return 2;
}
