/* metrics: request counters and a latency histogram shared by all worker processes. */
#ifndef BRANDO_METRICS_H
#define BRANDO_METRICS_H

#include <stdbool.h>

#include "buf.h"

/* Map the shared table; call in the master before forking. Without it, observe is a no-op. */
bool metrics_init(void);
/* Count one request: route pattern (static string), status, duration in microseconds. */
void metrics_observe(const char *route, int status, double us);
void metrics_db_error(void);
/* Append the Prometheus text exposition of everything counted so far. */
void metrics_render(struct buf *b);

#endif
