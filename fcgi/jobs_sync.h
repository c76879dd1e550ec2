/* jobs_sync: the nightly `brando-ctl zadarma-sync`, started by the jobs worker on one instance. */
#ifndef BRANDO_JOBS_SYNC_H
#define BRANDO_JOBS_SYNC_H

#include "arena.h"
#include "config.h"
#include "db.h"

/* Once a day, at or after BRANDO_ZADARMA_SYNC_HOUR in ZADARMA_TZ (when Zadarma's key and
 * secret are set), claim the day (job_runs) and start
 * brando-ctl zadarma-sync beside this executable; reap it when it is done. Never blocks. */
void sync_tick(const struct config *cfg, struct db *db, struct arena *a);

#endif
