/* httpc: a small blocking HTTP client over libcurl for the outside services (Zadarma, Telegram, Twilio). */
#ifndef BRANDO_HTTPC_H
#define BRANDO_HTTPC_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

#define HTTPC_CONNECT_TIMEOUT_MS 2000L
#define HTTPC_TOTAL_TIMEOUT_MS 5000L
#define HTTPC_MAX_RESPONSE (4L * 1024 * 1024)

struct httpc_response {
	long status;      /* HTTP status code */
	const char *body; /* NUL-terminated, arena-owned; "" when empty */
	size_t len;
};

/* base + path with exactly one '/' between them when base ends in one ("http://x/" + "/a").
 * Arena-owned. */
char *httpc_join(struct arena *a, const char *base, const char *path);

/* Once per process, before any request (and before forking workers). */
bool httpc_global_init(void);

/* One request: method "GET" or "POST"; headers a NULL-terminated list of "Name: value";
 * body (may be NULL) sent as is. True when an HTTP answer arrived, whatever its status;
 * false on a transport failure (refused, timed out, too large), *err then says why
 * (a static or arena string). Nothing is kept between calls. */
bool httpc_request(struct arena *a, const char *method, const char *url, const char *const *headers,
		   const char *body, size_t body_len, struct httpc_response *out, const char **err);
/* The same with its own total time limit (ms, connecting still bounded by
 * HTTPC_CONNECT_TIMEOUT_MS): 10 s for a delivery, longer for a Telegram long poll. */
bool httpc_request_timed(struct arena *a, const char *method, const char *url, const char *const *headers,
			 const char *body, size_t body_len, long total_ms, struct httpc_response *out,
			 const char **err);

#endif
