/* crypto: hashing, HMAC, base64, random tokens and constant-time compare (OpenSSL libcrypto). */
#ifndef BRANDO_CRYPTO_H
#define BRANDO_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

/* Lowercase hex SHA-256 of data (65 bytes incl. NUL, arena-owned). */
char *crypto_sha256_hex(struct arena *a, const void *data, size_t n);
char *crypto_md5_hex(struct arena *a, const void *data, size_t n);
/* HMAC-SHA1: raw 20 bytes into out. false on failure. */
bool crypto_hmac_sha1(const void *key, size_t klen, const void *msg, size_t mlen, unsigned char out[20]);
char *crypto_hex(struct arena *a, const unsigned char *p, size_t n);
char *crypto_base64(struct arena *a, const void *data, size_t n);
/* n random bytes from getrandom(2); false when the kernel refuses. */
bool crypto_random(void *out, size_t n);
/* Session token: 32 random bytes, base64url without padding (43 chars). NULL on failure. */
char *crypto_new_token(struct arena *a);
/* Equal-length strings compared without early exit; different lengths are unequal. */
bool crypto_streq(const char *a, const char *b);

#endif
