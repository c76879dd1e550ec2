/* Unit tests: arena, buffer, token hashing and crypto vectors, phone normalization. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "config.h"
#include "crypto.h"
#include "phone.h"

static int cleaned;
static void count_cleanup(void *p) { (void)p; cleaned++; }

static void arena_allocates_aligned_and_cleans_up(void **state)
{
	struct arena a;

	(void)state;
	arena_init(&a, 64);
	for (int i = 0; i < 100; i++) {
		char *p = arena_alloc(&a, (size_t)i + 1);
		assert_int_equal((uintptr_t)p % 16, 0);
		memset(p, 'x', (size_t)i + 1);
	}
	char *big = arena_alloc(&a, 10000); /* larger than a chunk */
	memset(big, 0, 10000);
	assert_string_equal(arena_printf(&a, "%s-%d", "t", 42), "t-42");
	assert_string_equal(arena_strndup(&a, "hello", 3), "hel");
	cleaned = 0;
	arena_defer(&a, count_cleanup, &a);
	arena_defer(&a, count_cleanup, &a);
	arena_reset(&a);
	assert_int_equal(cleaned, 2);
	assert_null(a.head);
	assert_non_null(arena_alloc(&a, 8)); /* usable again */
	arena_reset(&a);
}

static void buf_grows(void **state)
{
	struct arena a;
	struct buf b;

	(void)state;
	arena_init(&a, 128);
	buf_init(&b, &a);
	for (int i = 0; i < 1000; i++)
		buf_printf(&b, "%d,", i % 10);
	assert_int_equal(b.len, 2000);
	assert_int_equal(b.data[b.len], '\0');
	assert_memory_equal(b.data, "0,1,2,", 6);
	arena_reset(&a);
}

static void tokens_are_random_and_hash_known_vectors(void **state)
{
	struct arena a;

	(void)state;
	arena_init(&a, 1024);
	char *t1 = crypto_new_token(&a), *t2 = crypto_new_token(&a);
	assert_int_equal(strlen(t1), 43);
	assert_int_equal(strspn(t1, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), 43);
	assert_string_not_equal(t1, t2);
	assert_string_equal(crypto_sha256_hex(&a, "abc", 3),
			    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_string_equal(crypto_md5_hex(&a, "", 0), "d41d8cd98f00b204e9800998ecf8427e");
	unsigned char mac[20];
	assert_true(crypto_hmac_sha1("key", 3, "The quick brown fox jumps over the lazy dog", 43, mac));
	assert_string_equal(crypto_hex(&a, mac, 20), "de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9");
	assert_string_equal(crypto_base64(&a, "hello", 5), "aGVsbG8=");
	assert_true(crypto_streq("same", "same"));
	assert_false(crypto_streq("same", "sama"));
	assert_false(crypto_streq("same", "samesame"));
	assert_false(crypto_streq("", "x"));
	arena_reset(&a);
}

static void phones_normalize_to_one_form(void **state)
{
	char out[32];
	const char *same[] = {"(067) 123-45-67", "+380671234567", "380 67 123 45 67", "00380671234567",
			      "067.123.45.67", "  +38 (067) 123 45 67 "};

	(void)state;
	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		assert_true(phone_normalize(same[i], "380", out, sizeof(out)));
		assert_string_equal(out, "+380671234567");
	}
	assert_true(phone_normalize("+44 20 3769 1880", "380", out, sizeof(out)));
	assert_string_equal(out, "+442037691880");
	assert_true(phone_normalize("2025550123", "1", out, sizeof(out)));
	assert_string_equal(out, "+12025550123");
	assert_false(phone_normalize("call me", "380", out, sizeof(out)));
	assert_false(phone_normalize("123", "380", out, sizeof(out)));
	assert_false(phone_normalize("+1234567890123456", "380", out, sizeof(out)));
	assert_false(phone_normalize("", "380", out, sizeof(out)));
	assert_false(phone_normalize("+", "380", out, sizeof(out)));
	assert_false(phone_normalize("067-123-ab", "380", out, sizeof(out)));
}

/* ZADARMA_TZ: a name from the zone database, never a path out of it; form only without one. */
static void time_zone_names_are_checked(void **state)
{
	char dir[] = "/tmp/brando-tz-XXXXXX", path[256];
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/Europe", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	const char *zones[] = {"UTC", "Europe/Kyiv"};
	for (size_t i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, zones[i]);
		assert_non_null(f = fopen(path, "w"));
		assert_int_equal(fclose(f), 0);
	}
	assert_true(config_tz_valid("UTC", dir));
	assert_true(config_tz_valid("Europe/Kyiv", dir));
	assert_false(config_tz_valid("Europe/Kiev2", dir)); /* a typo */
	assert_false(config_tz_valid("Europe", dir));       /* a folder */
	assert_false(config_tz_valid("", dir));
	assert_false(config_tz_valid("/etc/passwd", dir));
	assert_false(config_tz_valid("../tz/UTC", dir));
	assert_false(config_tz_valid("Europe/../UTC", dir));
	assert_false(config_tz_valid("UTC; DROP", dir));
	/* no zone database on this host: the form alone */
	assert_true(config_tz_valid("America/Argentina/Buenos_Aires", "/nonexistent-tzdir"));
	assert_true(config_tz_valid("Etc/GMT+3", "/nonexistent-tzdir"));
	assert_false(config_tz_valid("Europe/..", "/nonexistent-tzdir"));
	for (size_t i = 2; i-- > 0;) {
		snprintf(path, sizeof(path), "%s/%s", dir, zones[i]);
		assert_int_equal(unlink(path), 0);
	}
	snprintf(path, sizeof(path), "%s/Europe", dir);
	assert_int_equal(rmdir(path), 0);
	assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(arena_allocates_aligned_and_cleans_up),
		cmocka_unit_test(buf_grows),
		cmocka_unit_test(tokens_are_random_and_hash_known_vectors),
		cmocka_unit_test(phones_normalize_to_one_form),
		cmocka_unit_test(time_zone_names_are_checked),
	};
	return cmocka_run_group_tests_name("core", tests, NULL, NULL);
}
