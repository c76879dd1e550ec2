/* worker: the FastCGI request loop of one process (and the jobs loop beside it). */
#ifndef BRANDO_WORKER_H
#define BRANDO_WORKER_H

#include "config.h"

/* Serve requests on listen_fd until SIGTERM; returns the exit code. */
int worker_run(int listen_fd, const struct config *cfg);
/* Deliver the outbox and do housekeeping until SIGTERM; returns the exit code. */
int jobs_run(const struct config *cfg);

#endif
