/* h_masters: the dispatch picker: active masters and how many open tickets each one has. */
#include "handlers.h"

DB_STMT(st_masters_list, 0,
	"SELECT coalesce(json_agg((user_json(u)::jsonb || jsonb_build_object('openTickets', master_open_tickets(u.id)))"
	"                ORDER BY u.full_name, u.username), '[]')::text"
	"  FROM users u WHERE u.role = 'master' AND u.active");

int h_masters_list(struct req *r)
{
	PGresult *res;
	enum db_rc rc = db_exec(r->db, r->arena, &st_masters_list, NULL, &res);

	if (rc != DB_OK)
		return reply_db(r, rc);
	return reply_json(r, 200, arena_printf(r->arena, "{\"items\":%s,\"nextCursor\":null}", db_val(res, 0, 0)));
}
