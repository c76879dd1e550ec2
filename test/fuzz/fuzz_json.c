/* fuzz target: JSON bodies against every body schema in the real route table (jv_parse_object_why, jv_validate, jv_text). */
#include <math.h>
#include <string.h>

#include "fuzz.h"
#include "jsonv.h"
#include "router.h"

/* What a handler reads from a validated body is what the schema promised. */
static void check_value(struct arena *a, const cJSON *obj, const struct jv_field *f)
{
	const char *t = jv_text(a, obj, f->name);
	long long chars;

	if (!t) {
		FUZZ_CHECK(!(f->flags & JV_NOT_NULL) || !jv_has(obj, f->name));
		return;
	}
	switch (f->type) {
	case JV_STRING:
		FUZZ_CHECK(jv_utf8_valid(t, &chars) && (!f->max_len || chars <= f->max_len));
		break;
	case JV_ENUM: {
		bool listed = false;
		for (const char *const *e = f->values; *e; e++)
			listed = listed || strcmp(*e, t) == 0;
		FUZZ_CHECK(listed);
		break;
	}
	case JV_INT: {
		char *end;
		long long n = strtoll(t, &end, 10);
		FUZZ_CHECK(!*end && n >= f->min && n <= f->max_len);
		break;
	}
	case JV_INT64:
		FUZZ_CHECK(strspn(t + (*t == '-'), "0123456789") == strlen(t + (*t == '-')) && strlen(t) <= 19);
		break;
	case JV_BOOL:
		FUZZ_CHECK(strcmp(t, "true") == 0 || strcmp(t, "false") == 0);
		break;
	case JV_MONEY:
		FUZZ_CHECK(jv_is_money(t) || *t == '\0');
		break;
	case JV_TIME:
		FUZZ_CHECK(jv_is_time(t) || *t == '\0');
		break;
	case JV_UUID:
		FUZZ_CHECK(jv_is_uuid(t) || *t == '\0');
		break;
	}
}

static void check_body(struct arena *a, const cJSON *obj, const struct jv_field *schema, bool partial)
{
	struct jv_error err;
	const cJSON *m;

	if (!jv_validate(obj, schema, partial, &err)) {
		FUZZ_CHECK(err.field && err.message && *err.message);
		return;
	}
	cJSON_ArrayForEach(m, obj) {
		bool known = false;
		for (const struct jv_field *f = schema; f->name; f++)
			known = known || strcmp(f->name, m->string) == 0;
		FUZZ_CHECK(known);
	}
	for (const struct jv_field *f = schema; f->name; f++) {
		const char *t = jv_text(a, obj, f->name);
		if ((f->flags & JV_REQUIRED) && (!partial || jv_has(obj, f->name)))
			FUZZ_CHECK(t && *t);
		check_value(a, obj, f);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	const char *why;

	arena_init(&a, 4096);
	const char *body = fuzz_copy(&a, data, size);
	cJSON *obj = jv_parse_object_why(&a, body, size, &why);
	if (obj) {
		FUZZ_CHECK(memchr(data, 0, size) == NULL && jv_utf8_valid(body, NULL));
		for (const struct route *rt = ROUTES; rt->method; rt++) {
			bool seen = false; /* routes share schemas: each (schema, PATCH-ness) once */
			for (const struct route *q = ROUTES; q < rt && !seen; q++)
				seen = q->body == rt->body && strcmp(q->method, rt->method) == 0;
			if (rt->body && !seen)
				check_body(&a, obj, rt->body, strcmp(rt->method, "PATCH") == 0);
		}
	} else {
		FUZZ_CHECK(why && *why);
	}
	arena_reset(&a);
	return 0;
}
