/* h_blacklist: phone numbers that get a fraud flag on every new ticket. */
#include "handlers.h"

#include <string.h>

#include "list.h"
#include "phone.h"

const struct jv_field BLACKLIST_SCHEMA[] = {
	{"phone", JV_STRING, JV_REQUIRED, 32, 0, NULL},
	{"reason", JV_STRING, 0, 500, 0, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

DB_STMT(st_blacklist_list, 4,
	"SELECT blacklist_json(b)::text, " LIST_CURSOR_SQL("b.created_at", "b.id") " FROM blacklist b"
	" WHERE ($1::text IS NULL OR b.phone = $1::text)"
	"   AND " LIST_AFTER_SQL("b.created_at", "b.id", "$2", "$3", "bigint")
	" ORDER BY b.created_at DESC, b.id DESC LIMIT $4::int");
DB_STMT(st_blacklist_insert, 3,
	"INSERT INTO blacklist (phone, reason, created_by) VALUES ($1, nullif($2, ''), $3::uuid)"
	" RETURNING blacklist_json(blacklist)::text, id");
DB_STMT(st_blacklist_delete, 1, "DELETE FROM blacklist WHERE id = $1::bigint RETURNING id");

static int bad_phone(struct req *r)
{
	return reply_error(r, 422, "validation_failed", "phone", "phone is not a valid phone number");
}

int h_blacklist_list(struct req *r)
{
	const char *raw = req_query(r, "phone");
	struct list_page page = {0};
	PGresult *res;
	char phone[32];
	int status;

	if ((status = list_parse(r, &page)))
		return status;
	if (raw && !phone_normalize(raw, r->cfg->default_country, phone, sizeof(phone)))
		return bad_phone(r);
	const char *params[] = {raw ? phone : NULL, page.after_us, page.after_id, page.limit_plus_one};
	enum db_rc rc = db_exec(r->db, r->arena, &st_blacklist_list, params, &res);
	if (rc != DB_OK)
		return reply_db(r, rc);
	return list_reply(r, res, &page);
}

int h_blacklist_create(struct req *r)
{
	PGresult *res;
	char phone[32];

	if (!phone_normalize(jv_text(r->arena, r->json, "phone"), r->cfg->default_country, phone, sizeof(phone)))
		return bad_phone(r);
	const char *params[] = {phone, jv_text(r->arena, r->json, "reason"), r->user.id};
	enum db_rc rc = db_exec(r->db, r->arena, &st_blacklist_insert, params, &res);
	if (rc == DB_CONFLICT)
		return reply_error(r, 409, "conflict", "phone", "this phone is already blacklisted");
	if (rc != DB_OK)
		return reply_db(r, rc);
	reply_header(r, "Location", arena_printf(r->arena, "/api/blacklist/%s", db_val(res, 0, 1)));
	return reply_json(r, 201, arena_printf(r->arena, "{\"entry\":%s}", db_val(res, 0, 0)));
}

int h_blacklist_delete(struct req *r)
{
	PGresult *res;

	const char *params[] = {r->params[0]};
	enum db_rc rc = db_exec(r->db, r->arena, &st_blacklist_delete, params, &res);
	if (rc != DB_OK)
		return reply_db(r, rc);
	if (db_rows(res) == 0)
		return reply_error(r, 404, "not_found", NULL, "no such blacklist entry");
	return reply_empty(r, 204);
}
