/* http: pure parsers for query strings, form bodies and cookies; results live in the arena. */
#ifndef BRANDO_HTTP_H
#define BRANDO_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

struct kv {
	const char *key;
	const char *value;
};

struct kvlist {
	struct kv *items;
	size_t len;
};

/* Percent-decode s[0..n) ('+' is a space when plus_space); NULL when the result holds NUL. */
char *http_url_decode(struct arena *a, const char *s, size_t n, bool plus_space);
/* Parse "a=1&b=2" (query string or x-www-form-urlencoded); false on a malformed escape or a
 * NUL, raw or escaped. */
bool http_parse_form(struct arena *a, const char *s, size_t n, struct kvlist *out);
/* First value of key, or NULL. */
const char *http_kv_get(const struct kvlist *l, const char *key);
/* The first pair whose name or value is not UTF-8 (*in_key: the name), or NULL. */
const struct kv *http_kv_not_utf8(const struct kvlist *l, bool *in_key);
/* Value of cookie name in a Cookie header, or NULL. */
const char *http_cookie_get(struct arena *a, const char *header, const char *name);
/* Form-encode s for Zadarma-style signing (RFC 1738: space '+', unreserved A-Za-z0-9_.-). */
char *http_form_encode(struct arena *a, const char *s);
/* True when the Content-Type's media type is application/json (parameters ignored). */
bool http_is_json_type(const char *content_type);

#endif
