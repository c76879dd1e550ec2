/* h_health: liveness for load balancers: is this instance's database reachable? */
#include "handlers.h"

DB_STMT(st_health, 0, "SELECT 1");

int h_health(struct req *r)
{
	enum db_rc rc = db_exec(r->db, r->arena, &st_health, NULL, NULL);

	if (rc != DB_OK)
		return reply_json(r, 503, "{\"status\":\"unavailable\",\"db\":\"unavailable\","
					  "\"error\":{\"code\":\"unavailable\",\"message\":\"the database is unreachable\"}}");
	return reply_json(r, 200, "{\"status\":\"ok\",\"db\":\"ok\"}");
}
