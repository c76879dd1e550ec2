/* h_dashboard: the center's figures over a window (sql/012): calls, tickets, masters,
 * operators, and day series for charts. An operator gets the totals and their own row. */
#include "handlers.h"

#include <string.h>

DB_STMT(st_dashboard, 5,
	"SELECT bad_field, bad_message, body::text FROM dashboard_json($1, $2, $3, $4::uuid, $5::bool)");

int h_dashboard(struct req *r)
{
	const char *from = req_param(r, "from"), *to = req_param(r, "to"), *tz = req_param(r, "tz");
	PGresult *res;

	if (from && !jv_is_time(from))
		return reply_error(r, 422, "validation_failed", "from", "from must be an ISO 8601 date or time");
	if (to && !jv_is_time(to))
		return reply_error(r, 422, "validation_failed", "to", "to must be an ISO 8601 date or time");
	if (!tz)
		tz = r->cfg->zadarma_tz;
	if (strlen(tz) > 64) /* UTF-8: checked for every query value */
		return reply_error(r, 422, "validation_failed", "tz", "tz is not a known time zone name");
	const char *params[] = {from, to, tz, r->user.id, r->user.role == ROLE_ADMIN ? "true" : "false"};
	enum db_rc rc = db_exec(r->db, r->arena, &st_dashboard, params, &res);
	if (rc != DB_OK)
		return reply_db(r, rc);
	if (db_val(res, 0, 0))
		return reply_error(r, 422, "validation_failed", db_val(res, 0, 0), db_val(res, 0, 1));
	return reply_json(r, 200, db_val(res, 0, 2));
}
