/* http: query, form and cookie parsing without hidden limits; every string is arena-owned. */
#include "http.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "jsonv.h"

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

char *http_url_decode(struct arena *a, const char *s, size_t n, bool plus_space)
{
	char *out = arena_alloc(a, n + 1), *o = out;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '%') {
			if (i + 2 >= n)
				return NULL;
			int h = hexval(s[i + 1]), l = hexval(s[i + 2]);
			if (h < 0 || l < 0)
				return NULL;
			c = (unsigned char)(h * 16 + l);
			i += 2;
		} else if (c == '+' && plus_space) {
			c = ' ';
		}
		if (c == '\0') /* raw or %00: C would read the value as cut short there */
			return NULL;
		*o++ = (char)c;
	}
	*o = '\0';
	return out;
}

bool http_parse_form(struct arena *a, const char *s, size_t n, struct kvlist *out)
{
	size_t count = 1;

	out->items = NULL;
	out->len = 0;
	if (!s || n == 0)
		return true;
	for (size_t i = 0; i < n; i++)
		count += s[i] == '&';
	out->items = arena_alloc(a, count * sizeof(*out->items));
	const char *p = s, *end = s + n;
	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *stop = amp ? amp : end;
		const char *eq = memchr(p, '=', (size_t)(stop - p));
		if (stop > p) {
			const char *kend = eq ? eq : stop;
			char *k = http_url_decode(a, p, (size_t)(kend - p), true);
			char *v = eq ? http_url_decode(a, eq + 1, (size_t)(stop - eq - 1), true)
				     : arena_strdup(a, "");
			if (!k || !v)
				return false;
			out->items[out->len++] = (struct kv){k, v};
		}
		p = stop + 1;
	}
	return true;
}

const char *http_kv_get(const struct kvlist *l, const char *key)
{
	for (size_t i = 0; i < l->len; i++)
		if (strcmp(l->items[i].key, key) == 0)
			return l->items[i].value;
	return NULL;
}

const struct kv *http_kv_not_utf8(const struct kvlist *l, bool *in_key)
{
	for (size_t i = 0; i < l->len; i++) {
		*in_key = !jv_utf8_valid(l->items[i].key, NULL);
		if (*in_key || !jv_utf8_valid(l->items[i].value, NULL))
			return &l->items[i];
	}
	return NULL;
}

const char *http_cookie_get(struct arena *a, const char *header, const char *name)
{
	size_t nlen = strlen(name);
	const char *p = header;

	while (p && *p) {
		while (*p == ' ' || *p == ';')
			p++;
		const char *semi = strchr(p, ';');
		const char *end = semi ? semi : p + strlen(p);
		if ((size_t)(end - p) > nlen && strncmp(p, name, nlen) == 0 && p[nlen] == '=') {
			const char *v = p + nlen + 1;
			size_t vlen = (size_t)(end - v);
			while (vlen && v[vlen - 1] == ' ')
				vlen--;
			if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
				v++;
				vlen -= 2;
			}
			return arena_strndup(a, v, vlen);
		}
		p = semi;
	}
	return NULL;
}

char *http_form_encode(struct arena *a, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(s);
	char *out = arena_alloc(a, n * 3 + 1), *o = out;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (isalnum(c) || c == '_' || c == '.' || c == '-') {
			*o++ = (char)c;
		} else if (c == ' ') {
			*o++ = '+';
		} else {
			*o++ = '%';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	*o = '\0';
	return out;
}

bool http_is_json_type(const char *ct)
{
	static const char json[] = "application/json";

	if (!ct)
		return false;
	while (*ct == ' ')
		ct++;
	if (strncasecmp(ct, json, sizeof(json) - 1) != 0)
		return false;
	ct += sizeof(json) - 1;
	while (*ct == ' ')
		ct++;
	return *ct == '\0' || *ct == ';';
}
