/* users: `brando-ctl create-user`, `passwd` and `seed-demo`: accounts made from the host. */
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "arena.h"
#include "ctl.h"
#include "password.h"
#include "roles.h"

DB_STMT(st_user_insert, 7,
	"INSERT INTO users (username, password_hash, full_name, role, master_code, phone, sip_extension)"
	" VALUES ($1, $2, $3, $4, $5, $6, $7)");
/* The new hash and the end of that user's sessions in one statement; the count says whether
 * the user exists. */
DB_STMT(st_user_passwd, 2,
	"WITH u AS (UPDATE users SET password_hash = $2, updated_at = now() WHERE username = $1 RETURNING id),"
	"     s AS (DELETE FROM sessions WHERE user_id IN (SELECT id FROM u))"
	" SELECT count(*) FROM u");
DB_STMT(st_user_seed, 6,
	"INSERT INTO users (username, password_hash, full_name, role, master_code, sip_extension)"
	" VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (username) DO NOTHING");

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

/* The password's argon2id hash, or NULL (said why on stderr). Arena-owned. */
static const char *new_password_hash(struct arena *a)
{
	const char *pw = read_password();
	const char *hash;

	if (!pw || strlen(pw) < PASSWORD_MIN_LEN) {
		fprintf(stderr, "brando-ctl: a password of at least %d characters is needed on stdin\n", PASSWORD_MIN_LEN);
		return NULL;
	}
	if (!(hash = password_hash(a, pw)))
		fputs("brando-ctl: could not hash the password\n", stderr);
	return hash;
}

/* One statement on a connection of its own; the result (arena-owned) in *res. */
static enum db_rc exec_once(const struct config *cfg, struct arena *a, struct db_stmt *st, const char *const *params,
			    PGresult **res)
{
	struct db *db = ctl_connect(cfg);
	enum db_rc rc = db ? db_exec(db, a, st, params, res) : DB_UNAVAILABLE;

	db_close(db);
	return rc;
}

int ctl_create_user(const struct config *cfg, int argc, char **argv)
{
	const char *username = ctl_opt(argc, argv, "--username"), *role = ctl_opt(argc, argv, "--role");
	const char *full = ctl_opt(argc, argv, "--full-name");
	struct arena a;

	if (!username || !role_parse(role)) {
		fputs("usage: brando-ctl create-user --username U --role admin|operator|master"
		      " [--full-name N] [--master-code C] [--phone P] [--sip EXT] < password\n", stderr);
		return 2;
	}
	arena_init(&a, 4096);
	const char *hash = new_password_hash(&a);
	const char *params[] = {username, hash, full ? full : "", role, ctl_opt(argc, argv, "--master-code"),
				ctl_opt(argc, argv, "--phone"), ctl_opt(argc, argv, "--sip")};
	enum db_rc rc = hash ? exec_once(cfg, &a, &st_user_insert, params, NULL) : DB_INVALID;
	arena_reset(&a);
	if (!hash)
		return 2;
	if (rc == DB_CONFLICT)
		fprintf(stderr, "brando-ctl: %s exists already (username, or that master code)\n", username);
	else if (rc != DB_OK)
		fputs("brando-ctl: the user was not created (the line above says why)\n", stderr);
	else
		printf("created %s (%s)\n", username, role);
	return rc == DB_OK ? 0 : 1;
}

int ctl_passwd(const struct config *cfg, int argc, char **argv)
{
	struct arena a;
	PGresult *res;

	if (argc < 1) {
		fputs("usage: brando-ctl passwd USERNAME < password\n", stderr);
		return 2;
	}
	arena_init(&a, 4096);
	const char *params[] = {argv[0], new_password_hash(&a)};
	enum db_rc rc = params[1] ? exec_once(cfg, &a, &st_user_passwd, params, &res) : DB_INVALID;
	bool found = rc == DB_OK && strcmp(db_val(res, 0, 0), "0") != 0;
	arena_reset(&a);
	if (!params[1])
		return 2;
	if (rc == DB_OK && !found)
		fprintf(stderr, "brando-ctl: no user %s\n", argv[0]);
	if (found)
		printf("password changed for %s; their sessions ended\n", argv[0]);
	return found ? 0 : 1;
}

int ctl_seed_demo(const struct config *cfg, int argc, char **argv)
{
	static const char *const demo[][6] = {
		{"admin", "admin2233", "Demo Admin", "admin", NULL, NULL},
		{"operator", "callcenter123", "Demo Operator", "operator", NULL, "100"},
		{"master", "MS123", "Demo Master", "master", "M001", NULL},
	};
	struct arena a;

	if (argc < 1 || strcmp(argv[0], "--yes") != 0) {
		fputs("brando-ctl: seed-demo adds users with published passwords; run it only on a demo or\n"
		      "test database, as: brando-ctl seed-demo --yes\n", stderr);
		return 2;
	}
	struct db *db = ctl_connect(cfg);
	bool ok = db != NULL;
	arena_init(&a, 4096);
	for (size_t i = 0; ok && i < sizeof(demo) / sizeof(demo[0]); i++) {
		const char *hash = password_hash(&a, demo[i][1]);
		const char *params[] = {demo[i][0], hash, demo[i][2], demo[i][3], demo[i][4], demo[i][5]};
		ok = hash && db_exec(db, &a, &st_user_seed, params, NULL) == DB_OK;
	}
	if (ok)
		puts("demo users ready: admin/admin2233, operator/callcenter123, master/MS123");
	arena_reset(&a);
	db_close(db);
	return ok ? 0 : 1;
}
