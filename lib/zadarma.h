/* zadarma: the Zadarma PBX protocol: notification signatures and signed REST API calls. */
#ifndef BRANDO_ZADARMA_H
#define BRANDO_ZADARMA_H

#include <cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "config.h"
#include "http.h"

struct zd_client {
	const char *base_url; /* https://api.zadarma.com, or a fake in tests */
	const char *key, *secret;
};

/* The client from the configuration; false when the API key or secret is missing. */
bool zd_client_init(struct zd_client *c, const struct config *cfg);

/* The Signature header a notification must carry: base64 of the lowercase hex
 * HMAC-SHA1(secret, S), S per event (INTEGRATIONS.md). NULL when the event is missing or
 * not one we know. Arena-owned. */
char *zd_notify_signature(struct arena *a, const char *secret, const struct kvlist *form);

/* Sign a REST call: params plus format=json, sorted by key, form-encoded into *query;
 * returns base64(hex(HMAC-SHA1(secret, method + query + md5hex(query)))). Arena-owned. */
char *zd_sign(struct arena *a, const char *secret, const char *method, const struct kv *params,
	      size_t n, const char **query);

enum zd_rc {
	ZD_OK,
	ZD_REFUSED,     /* Zadarma answered with an error: *message has its text */
	ZD_UNREACHABLE, /* no usable answer (network, timeout, not JSON): *message says why */
	ZD_BUSY,        /* HTTP 429: over Zadarma's rate limit; the same request may be retried */
};

struct zd_answer {
	cJSON *json;      /* the answer object */
	const char *text; /* its text as received (exact numbers, e.g. recording call ids) */
};

/* GET method (e.g. "/v1/request/callback/") with params, signed. On ZD_OK *out holds the
 * answer, owned by the arena. *message is arena-owned or static. */
enum zd_rc zd_get(struct arena *a, const struct zd_client *c, const char *method, const struct kv *params,
		  size_t n, struct zd_answer *out, const char **message);

#endif
