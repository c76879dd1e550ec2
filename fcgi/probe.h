/* probe: whether a daemon on this host answers one HTTP request in time (brando-push for health). */
#ifndef BRANDO_PROBE_H
#define BRANDO_PROBE_H

#include <stdbool.h>

/* GET path from listen (a unix socket path, or host:port with a numeric host) and true when
 * the status line says 200 within timeout_ms in all (connect, send and read together). */
bool probe_http_ok(const char *listen, const char *path, int timeout_ms);

#endif
