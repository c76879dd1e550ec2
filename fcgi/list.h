/* list: ?limit= and ?cursor= for every list endpoint, and the {items, nextCursor} answer. */
#ifndef BRANDO_LIST_H
#define BRANDO_LIST_H

#include "req.h"

#define LIST_DEFAULT 50
#define LIST_MAX 200

struct list_page {
	bool uuid_ids;              /* set before list_parse: row ids are uuids, else bigints */
	int limit;
	const char *limit_plus_one; /* text, for the SQL LIMIT parameter */
	const char *after_us;       /* cursor: created_at in epoch microseconds, or NULL */
	const char *after_id;       /* cursor: id of the last row seen, or NULL */
};

/* Parse limit and cursor; on bad input the 422 answer is set and its status returned. */
int list_parse(struct req *r, struct list_page *page);
/* Rows are (json, cursor) with at most limit + 1 of them; answers 200 with items and a
 * nextCursor when the extra row shows there is more. */
int list_reply(struct req *r, const PGresult *res, const struct list_page *page);
/* Writes row `row` of res into b as one item of the list. */
typedef void (*list_item_fn)(struct req *r, struct buf *b, const PGresult *res, int row);
/* As list_reply, with each item written by item (rows are (json, cursor, …): the columns after
 * the cursor are the item writer's own). */
int list_reply_items(struct req *r, const PGresult *res, const struct list_page *page, list_item_fn item);

/* The cursor column for SQL: epoch microseconds and id joined by '_'. */
#define LIST_CURSOR_SQL(ts, id) \
	"(floor(extract(epoch FROM " ts ") * 1000000)::bigint::text || '_' || " id "::text)"
/* Keyset condition for "newest first" on (ts, id) with params $us and $id. */
#define LIST_AFTER_SQL(ts, id, pus, pid, idtype)                                                \
	"(" pus "::bigint IS NULL OR (" ts ", " id ") < (timestamptz 'epoch' + " pus              \
	"::bigint * interval '1 microsecond', " pid "::" idtype "))"

#endif
