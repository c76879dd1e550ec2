/* zadarma_sync: the `brando-ctl zadarma-sync` command (statistics → calls reconciliation). */
#ifndef BRANDO_CTL_ZADARMA_SYNC_H
#define BRANDO_CTL_ZADARMA_SYNC_H

#include <libpq-fe.h>

#include "config.h"

/* argv: the options after the command name. Returns the process exit status. */
int ctl_zadarma_sync(PGconn *c, const struct config *cfg, int argc, char **argv);

#endif
