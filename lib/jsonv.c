/* jsonv: each rule is checked in table order so the first bad field is the one reported. */
#include "jsonv.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF. */
bool jv_utf8_valid(const char *s, long long *chars)
{
	const unsigned char *p = (const unsigned char *)s;
	long long n = 0;

	while (*p) {
		unsigned char c = *p, lo = 0x80, hi = 0xbf;
		int len = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;

		if (len == 0)
			return false;
		if (c == 0xe0)
			lo = 0xa0; /* overlong */
		else if (c == 0xed)
			hi = 0x9f; /* UTF-16 surrogates */
		else if (c == 0xf0)
			lo = 0x90; /* overlong */
		else if (c == 0xf4)
			hi = 0x8f; /* above U+10FFFF */
		if (len > 1 && (p[1] < lo || p[1] > hi))
			return false;
		for (int i = 2; i < len; i++)
			if ((p[i] & 0xc0) != 0x80)
				return false;
		p += len;
		n++;
	}
	if (chars)
		*chars = n;
	return true;
}

static bool uuid_form(const char *s, const char *digits)
{
	for (int i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != '-' : !s[i] || !strchr(digits, s[i]))
			return false;
	}
	return s[36] == '\0';
}

bool jv_is_uuid(const char *s)
{
	return uuid_form(s, "0123456789abcdefABCDEF");
}

bool jv_is_uuid_lower(const char *s)
{
	return uuid_form(s, "0123456789abcdef");
}

static bool digits(const char **p, int n)
{
	for (int i = 0; i < n; i++, (*p)++)
		if (!isdigit((unsigned char)**p))
			return false;
	return true;
}

/* Days in month mon (1-12) of year y, Gregorian: "2026-02-30" is not a date. */
static int month_days(int y, int mon)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return mon == 2 && leap ? 29 : days[mon - 1];
}

bool jv_is_time(const char *s)
{
	const char *p = s;

	if (!digits(&p, 4) || *p++ != '-' || !digits(&p, 2) || *p++ != '-' || !digits(&p, 2))
		return false;
	int year = atoi(s), mon = atoi(s + 5), day = atoi(s + 8);
	/* Before 1900 is a typo in a CRM, and near year 1 an offset can carry the time into 1 BC,
	 * which PostgreSQL would keep and we would print as a year AD. */
	if (year < 1900 || mon < 1 || mon > 12 || day < 1 || day > month_days(year, mon))
		return false;
	if (*p == '\0')
		return true;
	if (*p != 'T' && *p != ' ')
		return false;
	p++;
	if (!digits(&p, 2) || *p++ != ':' || !digits(&p, 2))
		return false;
	if (atoi(p - 5) > 23 || atoi(p - 2) > 59)
		return false;
	if (*p == ':') {
		p++;
		if (!digits(&p, 2) || atoi(p - 2) > 60)
			return false;
		if (*p == '.') {
			p++;
			if (!isdigit((unsigned char)*p))
				return false;
			while (isdigit((unsigned char)*p))
				p++;
		}
	}
	if (*p == 'Z')
		return p[1] == '\0';
	if (*p == '+' || *p == '-') { /* PostgreSQL takes offsets up to 15:59 */
		p++;
		if (!digits(&p, 2) || (p[-2] - '0') * 10 + (p[-1] - '0') > 15)
			return false;
		if (*p == ':')
			p++;
		return digits(&p, 2) && p[-2] <= '5' && *p == '\0';
	}
	return *p == '\0';
}

bool jv_is_money(const char *s)
{
	const char *p = s;
	int before = 0, after = 0;

	while (isdigit((unsigned char)*p))
		p++, before++;
	if (before == 0 || before > 10)
		return false;
	if (*p == '.') {
		p++;
		while (isdigit((unsigned char)*p))
			p++, after++;
		if (after == 0 || after > 2)
			return false;
	}
	return *p == '\0';
}

static const char *check_string(const cJSON *v, const struct jv_field *f)
{
	long long chars;

	if (!cJSON_IsString(v))
		return "must be a string";
	if (!jv_utf8_valid(v->valuestring, &chars))
		return "must be valid UTF-8";
	if (f->max_len && chars > f->max_len)
		return "is too long";
	return NULL;
}

static const char *check_enum(const cJSON *v, const struct jv_field *f)
{
	if (!cJSON_IsString(v))
		return "must be a string";
	for (const char *const *e = f->values; e && *e; e++)
		if (strcmp(*e, v->valuestring) == 0)
			return NULL;
	return "is not an allowed value";
}

static const char *check_int(const cJSON *v, const struct jv_field *f)
{
	if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble))
		return "must be an integer";
	if (v->valuedouble < (double)f->min || v->valuedouble > (double)f->max_len)
		return "is out of range";
	return NULL;
}

static const char *check_int64(const cJSON *v)
{
	if (cJSON_IsNumber(v))
		return v->valuedouble == floor(v->valuedouble) && fabs(v->valuedouble) < 9.0e15
			       ? NULL : "must be an integer";
	if (!cJSON_IsString(v))
		return "must be an integer";
	const char *p = v->valuestring + (v->valuestring[0] == '-');
	size_t n = strlen(p);
	if (n == 0 || n > 18 || strspn(p, "0123456789") != n)
		return "must be an integer";
	return NULL;
}

static const char *check_money(const cJSON *v)
{
	if (cJSON_IsNumber(v)) {
		/* whole cents, up to the rounding a double adds (relative: 1e10 has fewer decimals) */
		double cents = v->valuedouble * 100, slack = fmax(1e-9, fabs(cents) * 1e-14);
		if (v->valuedouble < 0 || v->valuedouble >= 1e10 || fabs(cents - round(cents)) > slack)
			return "must be an amount >= 0 with at most 2 decimals";
		return NULL;
	}
	if (!cJSON_IsString(v) || !jv_is_money(v->valuestring))
		return "must be an amount >= 0 with at most 2 decimals";
	return NULL;
}

static const char *check_value(const cJSON *v, const struct jv_field *f)
{
	switch (f->type) {
	case JV_STRING: return check_string(v, f);
	case JV_ENUM: return check_enum(v, f);
	case JV_INT: return check_int(v, f);
	case JV_INT64: return check_int64(v);
	case JV_BOOL: return cJSON_IsBool(v) ? NULL : "must be true or false";
	case JV_MONEY: return check_money(v);
	case JV_TIME:
		return cJSON_IsString(v) && jv_is_time(v->valuestring) ? NULL : "must be an ISO 8601 date or time";
	case JV_UUID:
		return cJSON_IsString(v) && jv_is_uuid(v->valuestring) ? NULL : "must be a UUID";
	}
	return "has an unknown type";
}

static const struct jv_field *find_rule(const struct jv_field *fields, const char *name)
{
	for (const struct jv_field *f = fields; f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

static bool empty(const cJSON *v)
{
	return !v || cJSON_IsNull(v) || (cJSON_IsString(v) && v->valuestring[0] == '\0');
}

bool jv_validate(const cJSON *obj, const struct jv_field *fields, bool partial, struct jv_error *err)
{
	const cJSON *m;

	cJSON_ArrayForEach(m, obj) {
		if (!m->string || !find_rule(fields, m->string)) {
			err->field = m->string ? m->string : "";
			err->message = "is not a known field";
			return false;
		}
	}
	for (const struct jv_field *f = fields; f->name; f++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, f->name);
		bool required = f->flags & JV_REQUIRED;

		err->field = f->name;
		if (empty(v)) {
			if (required && (!partial || v)) {
				err->message = "is required";
				return false;
			}
			if (v && (f->flags & JV_NOT_NULL)) {
				err->message = "cannot be null or empty";
				return false;
			}
			if (!v || cJSON_IsNull(v) || f->type == JV_STRING)
				continue;
		}
		if ((err->message = check_value(v, f)) != NULL)
			return false;
	}
	err->field = NULL;
	err->message = NULL;
	return true;
}

bool jv_has(const cJSON *obj, const char *name)
{
	return cJSON_GetObjectItemCaseSensitive(obj, name) != NULL;
}

const char *jv_text(struct arena *a, const cJSON *obj, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	if (!v || cJSON_IsNull(v))
		return NULL;
	if (cJSON_IsString(v))
		return v->valuestring;
	if (cJSON_IsBool(v))
		return cJSON_IsTrue(v) ? "true" : "false";
	if (cJSON_IsNumber(v)) {
		if (v->valuedouble == floor(v->valuedouble) && fabs(v->valuedouble) < 9.0e15)
			return arena_printf(a, "%.0f", v->valuedouble);
		return arena_printf(a, "%.2f", v->valuedouble);
	}
	return jv_print(a, v);
}

static void delete_json(void *p)
{
	cJSON_Delete(p);
}

/* A NUL, raw or escaped, would silently cut the value short in C. In JSON a backslash only
 * appears inside strings, always starting an escape pair, so a plain scan finds every \u0000. */
static bool has_nul(const char *text, size_t len)
{
	if (memchr(text, '\0', len))
		return true;
	for (size_t i = 0; i + 1 < len; i++) {
		if (text[i] != '\\')
			continue;
		if (text[i + 1] == 'u' && i + 5 < len && strncmp(text + i + 2, "0000", 4) == 0)
			return true;
		i++; /* the escaped character */
	}
	return false;
}

static int key_cmp(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Every object, at any depth, names each member once: the checks read one copy of a repeated
 * key, and PostgreSQL's jsonb keeps the last, so a repeat could carry an unchecked value. */
static bool keys_unique(struct arena *a, const cJSON *node)
{
	size_t n = 0, i = 0;
	const cJSON *c;

	cJSON_ArrayForEach(c, node) n++;
	bool named = cJSON_IsObject(node) && n > 1;
	const char **keys = named ? arena_alloc(a, n * sizeof(*keys)) : NULL;
	if (named && !keys)
		return false;
	cJSON_ArrayForEach(c, node)
	{
		if (keys)
			keys[i++] = c->string;
		if ((cJSON_IsObject(c) || cJSON_IsArray(c)) && !keys_unique(a, c))
			return false;
	}
	if (!keys)
		return true;
	qsort(keys, n, sizeof(*keys), key_cmp);
	for (i = 1; i < n; i++)
		if (strcmp(keys[i - 1], keys[i]) == 0)
			return false;
	return true;
}

cJSON *jv_parse_object_why(struct arena *a, const char *text, size_t len, const char **why)
{
	const char *ignored;
	cJSON *root;

	why = why ? why : &ignored;
	*why = "the body is not a valid JSON object";
	if (has_nul(text, len)) {
		*why = "the body contains a NUL character";
		return NULL;
	}
	if (!jv_utf8_valid(text, NULL)) {
		*why = "the body is not valid UTF-8";
		return NULL;
	}
	/* text is NUL-terminated: include the NUL so trailing garbage is detected. */
	if (!(root = cJSON_ParseWithLengthOpts(text, len + 1, NULL, 1)))
		return NULL;
	arena_defer(a, delete_json, root);
	if (!cJSON_IsObject(root))
		return NULL;
	if (!keys_unique(a, root)) {
		*why = "the body names a member twice";
		return NULL;
	}
	return root;
}

cJSON *jv_parse_object(struct arena *a, const char *text, size_t len)
{
	return jv_parse_object_why(a, text, len, NULL);
}

char *jv_print(struct arena *a, const cJSON *node)
{
	char *s = cJSON_PrintUnformatted(node);

	if (!s)
		return NULL;
	char *copy = arena_strdup(a, s);
	cJSON_free(s);
	return copy;
}
