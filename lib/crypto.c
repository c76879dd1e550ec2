/* crypto: thin wrappers over libcrypto so callers never touch EVP contexts. */
#include "crypto.h"

#include <errno.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <string.h>
#include <sys/random.h>

char *crypto_hex(struct arena *a, const unsigned char *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	char *out = arena_alloc(a, n * 2 + 1);

	for (size_t i = 0; i < n; i++) {
		out[i * 2] = hex[p[i] >> 4];
		out[i * 2 + 1] = hex[p[i] & 15];
	}
	out[n * 2] = '\0';
	return out;
}

static char *digest_hex(struct arena *a, const EVP_MD *md, const void *data, size_t n)
{
	unsigned char out[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	if (!EVP_Digest(data, n, out, &len, md, NULL))
		return NULL;
	return crypto_hex(a, out, len);
}

char *crypto_sha256_hex(struct arena *a, const void *data, size_t n)
{
	return digest_hex(a, EVP_sha256(), data, n);
}

char *crypto_md5_hex(struct arena *a, const void *data, size_t n)
{
	return digest_hex(a, EVP_md5(), data, n);
}

bool crypto_hmac_sha1(const void *key, size_t klen, const void *msg, size_t mlen, unsigned char out[20])
{
	unsigned int len = 0;

	if (klen > 0x7fffffff)
		return false;
	return HMAC(EVP_sha1(), key, (int)klen, msg, mlen, out, &len) && len == 20;
}

char *crypto_base64(struct arena *a, const void *data, size_t n)
{
	char *out = arena_alloc(a, 4 * ((n + 2) / 3) + 1);

	if (n > 0x7fffffff)
		return NULL;
	EVP_EncodeBlock((unsigned char *)out, data, (int)n);
	return out;
}

bool crypto_random(void *out, size_t n)
{
	unsigned char *p = out;

	while (n > 0) {
		ssize_t got = getrandom(p, n, 0);

		if (got < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		p += got;
		n -= (size_t)got;
	}
	return true;
}

char *crypto_new_token(struct arena *a)
{
	static const char b64url[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	unsigned char raw[33] = {0};
	char *out = arena_alloc(a, 45);
	size_t o = 0;

	if (!crypto_random(raw, 32))
		return NULL;
	for (size_t i = 0; i < 33; i += 3) {
		unsigned v = (unsigned)raw[i] << 16 | (unsigned)raw[i + 1] << 8 | raw[i + 2];

		out[o++] = b64url[(v >> 18) & 63];
		out[o++] = b64url[(v >> 12) & 63];
		out[o++] = b64url[(v >> 6) & 63];
		out[o++] = b64url[v & 63];
	}
	out[43] = '\0'; /* 32 bytes = 42.67 sextets: 43 characters carry them all */
	return out;
}

bool crypto_streq(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned char diff = la != lb;

	for (size_t i = 0; i < la; i++)
		diff |= (unsigned char)a[i] ^ (unsigned char)b[i % (lb ? lb : 1)];
	return diff == 0;
}
