/* h_health: health of each part this instance serves (database, brando-push), for balancers. */
#include "handlers.h"

#include <string.h>

#include "probe.h"

DB_STMT(st_health, 0, "SELECT 1");

#define PUSH_PROBE_MS 300 /* a healthy brando-push answers in well under a millisecond */

/* Each part this instance serves: the database, and brando-push when BRANDO_PUSH_LISTEN says
 * where it listens ("unchecked" without it). 503 when one is down, so a balancer stops sending
 * this instance requests (or WebSocket handshakes) that it would fail. */
int h_health(struct req *r)
{
	bool db = db_exec(r->db, r->arena, &st_health, NULL, NULL) == DB_OK;
	const char *push = !r->cfg->push_listen ? "unchecked"
			   : probe_http_ok(r->cfg->push_listen, "/metrics", PUSH_PROBE_MS) ? "ok" : "unavailable";
	bool push_ok = strcmp(push, "unavailable") != 0;

	if (db && push_ok)
		return reply_json(r, 200, arena_printf(r->arena, "{\"status\":\"ok\",\"db\":\"ok\",\"push\":\"%s\"}", push));
	reply_header(r, "Retry-After", "1");
	return reply_json(r, 503, arena_printf(r->arena,
		"{\"status\":\"unavailable\",\"db\":\"%s\",\"push\":\"%s\",\"error\":{\"code\":\"unavailable\","
		"\"message\":\"%s\"}}", db ? "ok" : "unavailable", push,
		!db ? "the database is unreachable" : "brando-push does not answer"));
}
