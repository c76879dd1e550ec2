/* fuzz target: list paging (?limit=, ?cursor=) and the ISO 8601 times every list filter takes (jv_is_time). */
#include <string.h>
#include <time.h>

#include "fuzz.h"
#include "jsonv.h"
#include "list.h"

/* A cursor this server could have written: "<microseconds 1970-9999>_<id>". */
static void check_page(const struct req *r, const struct list_page *p)
{
	const char *cursor = req_query(r, "cursor");

	FUZZ_CHECK(p->limit >= 1 && p->limit <= LIST_MAX);
	FUZZ_CHECK(atoi(p->limit_plus_one) == p->limit + 1);
	if (!p->after_us) {
		FUZZ_CHECK(!cursor || !*cursor);
		return;
	}
	size_t n = strlen(p->after_us);
	FUZZ_CHECK(n >= 1 && n <= 19 && strspn(p->after_us, "0123456789") == n);
	FUZZ_CHECK(strtoll(p->after_us, NULL, 10) <= 253402300799999999LL);
	if (p->uuid_ids)
		FUZZ_CHECK(strlen(p->after_id) == 36 && jv_is_uuid(p->after_id));
	else
		FUZZ_CHECK(strlen(p->after_id) >= 1 && strspn(p->after_id, "0123456789") == strlen(p->after_id));
	FUZZ_CHECK(strcmp(cursor, arena_printf(r->arena, "%s_%s", p->after_us, p->after_id)) == 0);
}

/* An accepted time names a real calendar day from 1900 to 9999 and a real clock time. */
static void check_time(const char *s)
{
	int y, mo, d, h = 0, mi = 0;
	struct tm tm = {0}, back;

	FUZZ_CHECK(sscanf(s, "%4d-%2d-%2d", &y, &mo, &d) == 3 && y >= 1900 && y <= 9999);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = 12;
	time_t t = timegm(&tm);
	FUZZ_CHECK(gmtime_r(&t, &back) && back.tm_year == y - 1900 && back.tm_mon == mo - 1 && back.tm_mday == d);
	if (s[10])
		FUZZ_CHECK(sscanf(s + 11, "%2d:%2d", &h, &mi) == 2 && h <= 23 && mi <= 59);
}

static void one_query(struct arena *a, const char *q, size_t len, void *ctx)
{
	struct req r;

	(void)len;
	(void)ctx;
	if (!fuzz_req_init(&r, a, NULL, "GET", q, NULL))
		return;
	for (int uuid = 0; uuid < 2; uuid++) {
		struct list_page page = {.uuid_ids = uuid};
		int status = list_parse(&r, &page);

		if (status == 0) {
			check_page(&r, &page);
		} else {
			FUZZ_CHECK(status == 422);
			fuzz_check_reply(&r);
		}
	}
	for (size_t i = 0; i < r.query.len; i++)
		if (jv_is_time(r.query.items[i].value))
			check_time(r.query.items[i].value);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_each_piece(data, size, one_query, NULL);
}
