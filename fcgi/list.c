/* list: the cursor is "<microseconds>_<id>": opaque to clients, checked strictly here. */
#include "list.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "jsonv.h"

/* n decimal digits that fit a bigint. */
static bool bigint_digits(const char *s, size_t n)
{
	char *end;

	if (n == 0 || n > 19 || strspn(s, "0123456789") < n)
		return false;
	errno = 0;
	(void)strtoll(s, &end, 10);
	return errno == 0 && (size_t)(end - s) == n;
}

/* Strict: a cursor this server did not give is refused here, never by the database. */
static bool valid_cursor(const char *c, bool uuid_ids, const char **us, const char **id, struct arena *a)
{
	const char *sep = strchr(c, '_');
	size_t n = sep ? (size_t)(sep - c) : 0;

	if (!sep || !bigint_digits(c, n))
		return false;
	long long t = strtoll(c, NULL, 10); /* a time this server could have written: 1970..9999 */
	if (t < 0 || t > 253402300799999999LL)
		return false;
	const char *rest = sep + 1;
	if (uuid_ids ? !jv_is_uuid_lower(rest) : !bigint_digits(rest, strlen(rest)))
		return false;
	*us = arena_strndup(a, c, n);
	*id = rest;
	return true;
}

int list_parse(struct req *r, struct list_page *page)
{
	const char *limit = req_query(r, "limit"), *cursor = req_query(r, "cursor");
	char *end;

	page->limit = LIST_DEFAULT;
	page->after_us = page->after_id = NULL;
	if (limit) {
		long n = strtol(limit, &end, 10);
		if (*limit == '\0' || *end || n < 1 || n > LIST_MAX)
			return reply_error(r, 422, "validation_failed", "limit", "limit must be 1 to 200");
		page->limit = (int)n;
	}
	if (cursor && *cursor && !valid_cursor(cursor, page->uuid_ids, &page->after_us, &page->after_id, r->arena))
		return reply_error(r, 422, "validation_failed", "cursor", "cursor is not one this server gave");
	page->limit_plus_one = arena_printf(r->arena, "%d", page->limit + 1);
	return 0;
}

static void json_item(struct req *r, struct buf *b, const PGresult *res, int row)
{
	(void)r;
	buf_puts(b, db_val(res, row, 0));
}

int list_reply(struct req *r, const PGresult *res, const struct list_page *page)
{
	return list_reply_items(r, res, page, json_item);
}

int list_reply_items(struct req *r, const PGresult *res, const struct list_page *page, list_item_fn item)
{
	int rows = db_rows(res), shown = rows > page->limit ? page->limit : rows;
	struct buf b;

	buf_init(&b, r->arena);
	buf_puts(&b, "{\"items\":[");
	for (int i = 0; i < shown; i++) {
		if (i)
			buf_putc(&b, ',');
		item(r, &b, res, i);
	}
	buf_puts(&b, "],\"nextCursor\":");
	if (rows > page->limit)
		buf_printf(&b, "\"%s\"}", db_val(res, shown - 1, 1));
	else
		buf_puts(&b, "null}");
	return reply_json(r, 200, b.data);
}
