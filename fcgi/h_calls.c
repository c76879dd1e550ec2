/* h_calls: the call log and the missed-call queue, and one call with its customer. */
#include "handlers.h"

#include <string.h>

#include "list.h"
#include "phone.h"

static const char *const STATUSES[] = {"ringing", "answered", "completed", "missed", "busy", "failed", NULL};

/* $2: statuses (comma list); $3/$4: startedAt window, a bare date `to` includes that day. */
DB_STMT(st_calls_list, 9,
	"SELECT call_json(c)::text, " LIST_CURSOR_SQL("c.started_at", "c.id") " FROM calls c"
	" WHERE ($1::text IS NULL OR c.direction = $1)"
	"   AND ($2::text IS NULL OR c.status = ANY (string_to_array($2, ',')))"
	"   AND ($3::timestamptz IS NULL OR c.started_at >= $3::timestamptz)"
	"   AND ($4::text IS NULL OR CASE WHEN length($4) = 10 THEN c.started_at < $4::date + 1"
	"                                  ELSE c.started_at <= $4::timestamptz END)"
	"   AND ($5::text IS NULL OR c.customer_phone = $5)"
	"   AND ($6::bool IS NULL OR call_missed_open(c) = $6::bool)"
	"   AND " LIST_AFTER_SQL("c.started_at", "c.id", "$7", "$8", "bigint")
	" ORDER BY c.started_at DESC, c.id DESC LIMIT $9::int");
DB_STMT(st_calls_get, 1,
	"SELECT json_build_object('call', call_json(c), 'customer', call_customer_json(c.customer_phone))::text"
	" FROM calls c WHERE c.id = " CALL_ID_SQL("$1"));

static bool in_list(const char *const *names, const char *v)
{
	for (; *names; names++)
		if (strcmp(*names, v) == 0)
			return true;
	return false;
}

/* Every name in a comma list must be a known status. */
static bool statuses_ok(struct req *r, const char *list)
{
	char *copy = arena_strdup(r->arena, list), *save = NULL;
	bool any = false;

	for (char *s = strtok_r(copy, ",", &save); s; s = strtok_r(NULL, ",", &save)) {
		if (!in_list(STATUSES, s))
			return false;
		any = true;
	}
	return any;
}

static int bad(struct req *r, const char *field, const char *message)
{
	return reply_error(r, 422, "validation_failed", field, message);
}

/* The query's filters as statement parameters; on bad input the 422 is set and returned. */
static int parse_filters(struct req *r, const char **p)
{
	const char *dir = req_query(r, "direction"), *status = req_query(r, "status"), *open = req_query(r, "open");
	const char *from = req_query(r, "from"), *to = req_query(r, "to"), *phone = req_query(r, "phone");
	char norm[32];

	if (dir && strcmp(dir, "in") != 0 && strcmp(dir, "out") != 0)
		return bad(r, "direction", "direction must be in or out");
	if (status && !statuses_ok(r, status))
		return bad(r, "status", "status must be a comma list of ringing, answered, completed, missed, busy, failed");
	if (from && !jv_is_time(from))
		return bad(r, "from", "from must be an ISO 8601 date or time");
	if (to && !jv_is_time(to))
		return bad(r, "to", "to must be an ISO 8601 date or time");
	if (phone && !phone_normalize(phone, r->cfg->default_country, norm, sizeof(norm)))
		return bad(r, "phone", "phone is not a valid phone number");
	if (open && strcmp(open, "true") != 0 && strcmp(open, "false") != 0)
		return bad(r, "open", "open must be true or false");
	p[0] = dir;
	p[1] = status;
	p[2] = from;
	p[3] = to;
	p[4] = phone ? arena_strdup(r->arena, norm) : NULL;
	p[5] = open;
	return 0;
}

int h_calls_list(struct req *r)
{
	struct list_page page = {0};
	const char *p[9];
	PGresult *res;
	int status;

	if ((status = list_parse(r, &page)) || (status = parse_filters(r, p)))
		return status;
	p[6] = page.after_us;
	p[7] = page.after_id;
	p[8] = page.limit_plus_one;
	enum db_rc rc = db_exec(r->db, r->arena, &st_calls_list, p, &res);
	if (rc != DB_OK)
		return reply_db(r, rc);
	return list_reply(r, res, &page);
}

int h_calls_get(struct req *r)
{
	PGresult *res;

	const char *params[] = {r->params[0]};
	enum db_rc rc = db_exec(r->db, r->arena, &st_calls_get, params, &res);
	if (rc != DB_OK)
		return reply_db(r, rc);
	if (db_rows(res) == 0)
		return reply_error(r, 404, "not_found", NULL, "no such call");
	return reply_json(r, 200, db_val(res, 0, 0));
}
