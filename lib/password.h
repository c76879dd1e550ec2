/* password: argon2id hashing with OWASP parameters (m=19 MiB, t=2, p=1). */
#ifndef BRANDO_PASSWORD_H
#define BRANDO_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

#define PASSWORD_MIN_LEN 6
#define PASSWORD_MAX_LEN 256

/* Encoded argon2id string ("$argon2id$v=19$m=19456,t=2,p=1$..."), arena-owned; NULL on failure. */
char *password_hash(struct arena *a, const char *password);
/* True when password matches encoded. With encoded == NULL it still spends the same time
 * (against a fixed dummy hash) and returns false, so unknown users cost what known ones do. */
bool password_verify(const char *encoded, const char *password);

#endif
