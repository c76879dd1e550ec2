/* delivery: what an outside service said about one message, in the four classes the outbox acts on. */
#ifndef BRANDO_DELIVERY_H
#define BRANDO_DELIVERY_H

#include <stdbool.h>

#include "arena.h"

enum dl_class {
	DL_OK,          /* accepted: provider_id says under which id */
	DL_RETRY_AFTER, /* the provider asked for a pause of retry_after seconds, then the same request */
	DL_TRANSIENT,   /* no usable answer, 5xx, or our own credentials refused: retry with backoff */
	DL_PERMANENT,   /* this message was refused for good: sending it again cannot succeed */
};

/* Filled by every tg_ and tw_ call. Strings are static or owned by the caller's arena. */
struct dl_result {
	enum dl_class cls;
	long http_status;        /* 0 when no HTTP answer arrived (refused, timed out) */
	long code;               /* the provider's error code (Telegram error_code, Twilio code), 0 when none */
	int retry_after;         /* seconds, with DL_RETRY_AFTER (1 .. DL_RETRY_AFTER_MAX) */
	bool recipient_gone;     /* DL_PERMANENT because of the recipient: a Telegram chat that blocked
				    the bot or does not exist, a Twilio number that opted out (21610) */
	const char *error;       /* why, for the outbox's lastError and the log; NULL with DL_OK */
	const char *provider_id; /* with DL_OK when the call made something: Telegram's message_id
				    (decimal text), Twilio's sid; NULL otherwise */
};

#define DL_RETRY_AFTER_MAX 3600
#define DL_BACKOFF_BASE 5     /* seconds before the first retry */
#define DL_BACKOFF_MAX 3600   /* no wait grows past an hour */

/* "ok", "retry_after", "transient", "permanent" (for logs and metrics labels). */
const char *dl_class_name(enum dl_class c);

/* Seconds to wait before retry number attempt (1 = after the first failure) of a message whose
 * last answer was r: the provider's retry_after when it gave one; otherwise exponential
 * (DL_BACKOFF_BASE doubling, at most DL_BACKOFF_MAX) with jitter from rnd: the wait is drawn
 * from [half, full] so instances that failed together do not retry together. 0 for DL_OK and
 * DL_PERMANENT (nothing to retry). */
int dl_backoff(int attempt, const struct dl_result *r, unsigned rnd);

#define DL_ERROR_MAX 500 /* bytes of error text kept (cut at a character boundary) */

/* A result of class cls with its error text (static or arena-owned), everything else cleared. */
void dl_set(struct dl_result *r, enum dl_class cls, const char *error);
/* The same with a formatted error, cut to DL_ERROR_MAX bytes without splitting a UTF-8
 * character (the text is stored in PostgreSQL). Returns cls. */
enum dl_class dl_fail(struct arena *a, struct dl_result *r, enum dl_class cls, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
