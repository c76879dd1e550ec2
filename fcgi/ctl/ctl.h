/* ctl: brando-ctl's commands, one module each; every command returns the process's exit
 * status (0 done, 1 failed, 2 usage) and talks to PostgreSQL through lib/db.c. */
#ifndef BRANDO_CTL_H
#define BRANDO_CTL_H

#include "config.h"
#include "db.h"

/* The value after the option `name` in argv, or NULL. Points into argv. */
const char *ctl_opt(int argc, char **argv, const char *name);
/* A connection ready for statements, or NULL (said why on stderr). Close it with db_close. */
struct db *ctl_connect(const struct config *cfg);

/* migrate.c: pending migrations, then every function file, in one transaction. */
int ctl_migrate(struct db *db);
/* users.c: argv holds what follows the command's name; each checks its usage, then connects. */
int ctl_create_user(const struct config *cfg, int argc, char **argv);
int ctl_passwd(const struct config *cfg, int argc, char **argv);
int ctl_seed_demo(const struct config *cfg, int argc, char **argv);
/* zadarma_sync.c: Zadarma's statistics folded into calls. */
int ctl_zadarma_sync(struct db *db, const struct config *cfg, int argc, char **argv);

#endif
