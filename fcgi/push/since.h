/* since: the ?since= of a /ws handshake, an event id in digits, checked without libwebsockets. */
#ifndef BRANDO_PUSH_SINCE_H
#define BRANDO_PUSH_SINCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PUSH_SINCE_MAX_DIGITS 18 /* every value fits an int64 (bigint) */

/* True with *since set when v[0..len) is 1 to 18 ASCII digits (leading zeros allowed).
 * Header-only so the daemon and the fuzz target share it without linking each other. */
static inline bool push_since_parse(const char *v, size_t len, int64_t *since)
{
	int64_t n = 0;

	if (len == 0 || len > PUSH_SINCE_MAX_DIGITS)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (v[i] < '0' || v[i] > '9')
			return false;
		n = n * 10 + (v[i] - '0');
	}
	*since = n;
	return true;
}

#endif
