/* fuzz: what the libFuzzer targets share: NUL-keeping copies, requests without a server, checks that crash. */
#ifndef BRANDO_FUZZ_H
#define BRANDO_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "req.h"

/* A property the code must keep: a broken one aborts, which libFuzzer saves as a crash. */
#define FUZZ_CHECK(cond)                                                                              \
	do {                                                                                          \
		if (!(cond)) {                                                                        \
			fprintf(stderr, "fuzz check failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
			abort();                                                                      \
		}                                                                                     \
	} while (0)

/* data[0..size) as an arena copy with a NUL after it; NUL bytes inside are kept. */
char *fuzz_copy(struct arena *a, const uint8_t *data, size_t size);

/* Call fn on each NUL-separated piece of data. Values that reach the code as C strings
 * (FastCGI parameters, header values, database text) cannot hold a NUL, so a NUL in the
 * input starts the next value instead of being dropped with the rest of it. */
void fuzz_pieces(struct arena *a, const uint8_t *data, size_t size,
		 void (*fn)(struct arena *a, const char *s, size_t len, void *ctx), void *ctx);

/* The whole of a target that only looks at pieces: fuzz_pieces in a fresh arena. Returns 0. */
int fuzz_each_piece(const uint8_t *data, size_t size,
		    void (*fn)(struct arena *a, const char *s, size_t len, void *ctx), void *ctx);

/* A request as the worker hands it to a handler, with no server behind it: method, the
 * query string parsed as the worker does (false when the worker would refuse it), FastCGI
 * parameters in envp ("NAME=value", NULL-terminated). */
bool fuzz_req_init(struct req *r, struct arena *a, const struct config *cfg, const char *method,
		   const char *query, char **envp);

/* The answer keeps the contract: a status the API uses, and an error as
 * {"error":{"code","message"[,"field"]}}. */
void fuzz_check_reply(const struct req *r);

#endif
