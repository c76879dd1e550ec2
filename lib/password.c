/* password: libargon2 does the work; we only fix the parameters and the timing of misses. */
#include "password.h"

#include <argon2.h>
#include <string.h>

#include "crypto.h"

#define T_COST 2
#define M_COST 19456
#define PARALLEL 1
#define SALT_LEN 16
#define HASH_LEN 32

/* Hash of a random string nobody knows; used to spend equal time on unknown usernames. */
static const char DUMMY[] =
	"$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$"
	"3vBvqbJ2Q0NfS3W4rXWl0mYl0b7n1vG2mQzC8kLrj8I";

char *password_hash(struct arena *a, const char *password)
{
	unsigned char salt[SALT_LEN];
	size_t len = argon2_encodedlen(T_COST, M_COST, PARALLEL, SALT_LEN, HASH_LEN, Argon2_id);
	char *out = arena_alloc(a, len);

	if (!crypto_random(salt, sizeof(salt)))
		return NULL;
	if (argon2id_hash_encoded(T_COST, M_COST, PARALLEL, password, strlen(password), salt,
				  SALT_LEN, HASH_LEN, out, len) != ARGON2_OK)
		return NULL;
	return out;
}

bool password_verify(const char *encoded, const char *password)
{
	size_t n = strlen(password);

	if (!encoded) {
		(void)argon2id_verify(DUMMY, password, n);
		return false;
	}
	return argon2id_verify(encoded, password, n) == ARGON2_OK;
}
