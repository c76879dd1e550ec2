/* Unit tests: CSV fields: RFC 4180 quoting and the formula-injection prefix. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "csv.h"

static const char *field(struct arena *a, const char *s)
{
	struct buf b;

	buf_init(&b, a);
	buf_puts(&b, "");
	csv_field(&b, s);
	return b.data;
}

static void plain_and_quoted_fields(void **state)
{
	struct arena a;

	(void)state;
	arena_init(&a, 256);
	assert_string_equal(field(&a, "Samsung"), "Samsung");
	assert_string_equal(field(&a, ""), "");
	assert_string_equal(field(&a, NULL), "");
	assert_string_equal(field(&a, "Kyiv, Khreshchatyk 1"), "\"Kyiv, Khreshchatyk 1\"");
	assert_string_equal(field(&a, "a \"big\" TV"), "\"a \"\"big\"\" TV\"");
	assert_string_equal(field(&a, "line1\nline2"), "\"line1\nline2\"");
	assert_string_equal(field(&a, "cr\rlf"), "\"cr\rlf\"");
	assert_string_equal(field(&a, "Пральна машина"), "Пральна машина");
	arena_reset(&a);
}

static void formulas_are_neutralised(void **state)
{
	struct arena a;

	(void)state;
	arena_init(&a, 256);
	assert_string_equal(field(&a, "=1+1"), "'=1+1");
	assert_string_equal(field(&a, "+380671234567"), "'+380671234567");
	assert_string_equal(field(&a, "-2"), "'-2");
	assert_string_equal(field(&a, "@SUM(A1)"), "'@SUM(A1)");
	assert_string_equal(field(&a, "\tx"), "'\tx");
	assert_string_equal(field(&a, "=HYPERLINK(\"http://x\",\"y\")"), "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
	assert_string_equal(field(&a, "a=b"), "a=b");
	arena_reset(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plain_and_quoted_fields),
		cmocka_unit_test(formulas_are_neutralised),
	};
	return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}
