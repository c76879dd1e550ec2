/* list: the cursor is "<microseconds>_<id>": opaque to clients, checked strictly here. */
#include "list.h"

#include <stdlib.h>
#include <string.h>

static bool valid_cursor(const char *c, const char **us, const char **id, struct arena *a)
{
	const char *sep = strchr(c, '_');
	size_t n = sep ? (size_t)(sep - c) : 0;

	if (!sep || n == 0 || n > 19 || strspn(c, "0123456789") != n)
		return false;
	const char *rest = sep + 1;
	size_t m = strlen(rest);
	if (m == 0 || m > 36 || strspn(rest, "0123456789abcdef-") != m)
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
	if (cursor && *cursor && !valid_cursor(cursor, &page->after_us, &page->after_id, r->arena))
		return reply_error(r, 422, "validation_failed", "cursor", "cursor is not one this server gave");
	page->limit_plus_one = arena_printf(r->arena, "%d", page->limit + 1);
	return 0;
}

int list_reply(struct req *r, const PGresult *res, const struct list_page *page)
{
	int rows = db_rows(res), shown = rows > page->limit ? page->limit : rows;
	struct buf b;

	buf_init(&b, r->arena);
	buf_puts(&b, "{\"items\":[");
	for (int i = 0; i < shown; i++) {
		if (i)
			buf_putc(&b, ',');
		buf_puts(&b, db_val(res, i, 0));
	}
	buf_puts(&b, "],\"nextCursor\":");
	if (rows > page->limit)
		buf_printf(&b, "\"%s\"}", db_val(res, shown - 1, 1));
	else
		buf_puts(&b, "null}");
	return reply_json(r, 200, b.data);
}
