/* Unit tests: body validation rules and value helpers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "jsonv.h"

static const char *const PRIO[] = {"low", "normal", "high", NULL};
static const struct jv_field SCHEMA[] = {
	{"name", JV_STRING, JV_REQUIRED, 5, 0, NULL},
	{"count", JV_INT, 0, 10, 1, NULL},
	{"priority", JV_ENUM, 0, 0, 0, PRIO},
	{"price", JV_MONEY, 0, 0, 0, NULL},
	{"at", JV_TIME, 0, 0, 0, NULL},
	{"chat", JV_INT64, 0, 0, 0, NULL},
	{"id", JV_UUID, 0, 0, 0, NULL},
	{"ok", JV_BOOL, 0, 0, 0, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

static const char *check(struct arena *a, const char *text, bool partial)
{
	struct jv_error err;
	cJSON *obj = jv_parse_object(a, text, strlen(text));

	if (!obj)
		return "<bad json>";
	return jv_validate(obj, SCHEMA, partial, &err) ? NULL : err.field;
}

static void accepts_valid_bodies(void **state)
{
	struct arena a;

	(void)state;
	arena_init(&a, 1024);
	assert_null(check(&a, "{\"name\":\"Ivan\"}", false));
	assert_null(check(&a, "{\"name\":\"Іван\",\"count\":3,\"priority\":\"high\",\"price\":\"12.50\","
			      "\"at\":\"2026-11-24T09:15:00Z\",\"chat\":\"-100123\",\"ok\":true,"
			      "\"id\":\"0b7e0c5e-1111-4a4a-9c9c-123456789abc\"}", false));
	assert_null(check(&a, "{\"name\":\"x\",\"price\":12.5,\"at\":\"2026-11-24\",\"chat\":42}", false));
	assert_null(check(&a, "{\"count\":2}", true)); /* PATCH: required may be absent */
	assert_null(check(&a, "{\"name\":\"x\",\"count\":null}", false)); /* optional null clears */
	arena_reset(&a);
}

static void reports_the_bad_field(void **state)
{
	struct arena a;

	(void)state;
	arena_init(&a, 1024);
	assert_string_equal(check(&a, "{}", false), "name");
	assert_string_equal(check(&a, "{\"name\":\"\"}", false), "name");
	assert_string_equal(check(&a, "{\"name\":null}", true), "name");
	assert_string_equal(check(&a, "{\"name\":\"toolong\"}", false), "name");
	assert_null(check(&a, "{\"name\":\"ііііі\"}", false)); /* 5 characters, 10 bytes */
	assert_string_equal(check(&a, "{\"name\":\"x\",\"count\":11}", false), "count");
	assert_string_equal(check(&a, "{\"name\":\"x\",\"count\":1.5}", false), "count");
	assert_string_equal(check(&a, "{\"name\":\"x\",\"priority\":\"top\"}", false), "priority");
	assert_string_equal(check(&a, "{\"name\":\"x\",\"price\":\"-1\"}", false), "price");
	assert_string_equal(check(&a, "{\"name\":\"x\",\"price\":\"1.234\"}", false), "price");
	assert_string_equal(check(&a, "{\"name\":\"x\",\"price\":1.234}", false), "price");
	assert_string_equal(check(&a, "{\"name\":\"x\",\"price\":1e-9}", false), "price"); /* not 0.00 */
	assert_null(check(&a, "{\"name\":\"x\",\"price\":12.34}", false));
	assert_null(check(&a, "{\"name\":\"x\",\"price\":9999999999.99}", false));
	assert_string_equal(check(&a, "{\"name\":\"x\",\"at\":\"tomorrow\"}", false), "at");
	assert_string_equal(check(&a, "{\"name\":\"x\",\"at\":\"2026-13-01\"}", false), "at");
	assert_string_equal(check(&a, "{\"name\":\"x\",\"at\":\"2026-02-29\"}", false), "at");
	assert_null(check(&a, "{\"name\":\"x\",\"at\":\"2028-02-29\"}", false));
	assert_string_equal(check(&a, "{\"name\":\"x\",\"at\":\"0000-01-01\"}", false), "at"); /* no year 0 */
	assert_string_equal(check(&a, "{\"name\":\"x\",\"at\":\"0001-01-01T00:00:00+14:00\"}", false), "at"); /* would be 1 BC */
	assert_string_equal(check(&a, "{\"name\":\"x\",\"at\":\"1899-12-31\"}", false), "at");
	assert_null(check(&a, "{\"name\":\"x\",\"at\":\"1900-01-01T00:00:00Z\"}", false));
	assert_null(check(&a, "{\"name\":\"x\",\"at\":\"2026-11-24T10:00:00+15:59\"}", false));
	assert_null(check(&a, "{\"name\":\"x\",\"at\":\"2026-11-24T10:00:00-1200\"}", false));
	assert_string_equal(check(&a, "{\"name\":\"x\",\"at\":\"2026-11-24T10:00:00+16:00\"}", false), "at");
	assert_string_equal(check(&a, "{\"name\":\"x\",\"at\":\"2026-11-24T10:00:00+99:00\"}", false), "at");
	assert_string_equal(check(&a, "{\"name\":\"x\",\"at\":\"2026-11-24T10:00:00+05:60\"}", false), "at");
	assert_string_equal(check(&a, "{\"name\":\"x\",\"chat\":\"12a\"}", false), "chat");
	assert_string_equal(check(&a, "{\"name\":\"x\",\"id\":\"nope\"}", false), "id");
	assert_string_equal(check(&a, "{\"name\":\"x\",\"ok\":\"yes\"}", false), "ok");
	assert_string_equal(check(&a, "{\"name\":\"x\",\"extra\":1}", false), "extra");
	assert_string_equal(check(&a, "{\"name\":5}", false), "name");
	arena_reset(&a);
}

static void parse_rejects_non_objects_and_trailing_text(void **state)
{
	struct arena a;

	(void)state;
	arena_init(&a, 1024);
	assert_null(jv_parse_object(&a, "[1]", 3));
	assert_null(jv_parse_object(&a, "{} x", 4));
	assert_null(jv_parse_object(&a, "{", 1));
	assert_non_null(jv_parse_object(&a, " {\"a\":1} \n", 10));
	arena_reset(&a);
}

static void text_of_members(void **state)
{
	struct arena a;

	(void)state;
	arena_init(&a, 1024);
	const char *text = "{\"s\":\"x\",\"i\":42,\"d\":12.5,\"b\":false,\"n\":null}";
	cJSON *o = jv_parse_object(&a, text, strlen(text));
	assert_non_null(o);
	assert_string_equal(jv_text(&a, o, "s"), "x");
	assert_string_equal(jv_text(&a, o, "i"), "42");
	assert_string_equal(jv_text(&a, o, "d"), "12.50");
	assert_string_equal(jv_text(&a, o, "b"), "false");
	assert_null(jv_text(&a, o, "n"));
	assert_null(jv_text(&a, o, "missing"));
	assert_false(jv_utf8_valid("\xc0\xaf", NULL)); /* overlong '/' */
	arena_reset(&a);
}

/* What C or PostgreSQL would read differently from the checks: refused at parse time. */
static void parse_rejects_what_the_checks_would_misread(void **state)
{
	struct arena a;
	const char *why = NULL;
	static const char raw_nul[] = "{\"a\":\"x\0y\"}";
#define P(text) jv_parse_object_why(&a, text, strlen(text), &why)

	(void)state;
	arena_init(&a, 1024);
	assert_null(P("{\"status\":\"new\",\"status\":\"completed\"}"));
	assert_string_equal(why, "the body names a member twice");
	assert_null(P("{\"a\":{\"b\":1,\"c\":2,\"b\":3}}"));
	assert_null(P("{\"a\":[{\"b\":1,\"b\":2}]}"));
	assert_non_null(P("{\"a\":{\"b\":1},\"b\":{\"a\":1},\"c\":[{\"a\":1},{\"a\":2}]}"));
	assert_null(P("{\"customerName\":\"A\\u0000B\"}"));
	assert_string_equal(why, "the body contains a NUL character");
	assert_null(jv_parse_object_why(&a, raw_nul, sizeof(raw_nul) - 1, &why));
	assert_string_equal(why, "the body contains a NUL character");
	assert_non_null(P("{\"a\":\"\\\\u0000\"}")); /* an escaped backslash, then the text u0000 */
	assert_null(P("{\"a\":\"\xed\xa0\x80\"}"));      /* a UTF-16 surrogate */
	assert_string_equal(why, "the body is not valid UTF-8");
	assert_non_null(P("{\"a\":\"\xf0\x9f\x98\x80 \xd0\x9a\xd0\xb8\xd1\x97\xd0\xb2\"}"));
	arena_reset(&a);
#undef P
}

static void utf8_is_strict(void **state)
{
	(void)state;
	assert_true(jv_utf8_valid("a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf", NULL));
	assert_false(jv_utf8_valid("\xc0\xaf", NULL));             /* overlong '/' */
	assert_false(jv_utf8_valid("\xe0\x80\xaf", NULL));         /* overlong, 3 bytes */
	assert_false(jv_utf8_valid("\xf0\x80\x80\xaf", NULL));     /* overlong, 4 bytes */
	assert_false(jv_utf8_valid("\xed\xa0\x80", NULL));         /* U+D800 */
	assert_false(jv_utf8_valid("\xed\xbf\xbf", NULL));         /* U+DFFF */
	assert_true(jv_utf8_valid("\xed\x9f\xbf", NULL));          /* U+D7FF */
	assert_false(jv_utf8_valid("\xf4\x90\x80\x80", NULL));     /* U+110000 */
	assert_false(jv_utf8_valid("\xf5\x80\x80\x80", NULL));
	assert_false(jv_utf8_valid("\xe2\x82", NULL));             /* cut short */
	assert_false(jv_utf8_valid("\x80", NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(accepts_valid_bodies),
		cmocka_unit_test(parse_rejects_what_the_checks_would_misread),
		cmocka_unit_test(utf8_is_strict),
		cmocka_unit_test(reports_the_bad_field),
		cmocka_unit_test(parse_rejects_non_objects_and_trailing_text),
		cmocka_unit_test(text_of_members),
	};
	return cmocka_run_group_tests_name("jsonv", tests, NULL, NULL);
}
