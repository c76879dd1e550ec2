/* h_health: health of each part for load balancers, Prometheus metrics, and what the UI may know of config. */
#include "handlers.h"

#include <string.h>
#include <strings.h>

#include "crypto.h"
#include "metrics.h"
#include "probe.h"

DB_STMT(st_health, 0, "SELECT 1");
DB_STMT(st_outbox_backlog, 0,
	"SELECT count(*) FILTER (WHERE status = 'pending'), count(*) FILTER (WHERE status = 'failed') FROM outbox");

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

/* Who may read metrics: a scraper presenting BRANDO_METRICS_TOKEN as a bearer token (compared
 * in constant time), or a signed-in admin. Never the peer's address: behind a balancer or a
 * proxy on the same host, every peer looks local. 0 when allowed, else the refusal's status. */
static int metrics_access(struct req *r)
{
	const char *auth = req_env(r, "HTTP_AUTHORIZATION");

	if (auth && strncasecmp(auth, "Bearer ", 7) == 0) {
		if (r->cfg->metrics_token && crypto_streq(auth + 7, r->cfg->metrics_token))
			return 0;
		return reply_error(r, 401, "unauthenticated", NULL, "wrong metrics token");
	}
	enum db_rc rc = session_load(r);
	if (rc != DB_OK)
		return reply_db(r, rc);
	if (!r->signed_in)
		return reply_error(r, 401, "unauthenticated", NULL, "sign in first");
	if (r->user.role != ROLE_ADMIN)
		return reply_error(r, 403, "forbidden", NULL, "admins only");
	return 0;
}

int h_metrics(struct req *r)
{
	struct buf b;
	PGresult *res;
	int status;

	if ((status = metrics_access(r)))
		return status;
	buf_init(&b, r->arena);
	metrics_render(&b);
	if (db_exec(r->db, r->arena, &st_outbox_backlog, NULL, &res) == DB_OK)
		buf_printf(&b, "# HELP brando_outbox_backlog Outbox messages waiting or given up.\n"
			       "# TYPE brando_outbox_backlog gauge\nbrando_outbox_backlog{status=\"pending\"} %s\n"
			       "brando_outbox_backlog{status=\"failed\"} %s\n", db_val(res, 0, 0), db_val(res, 0, 1));
	return reply_text(r, 200, "text/plain; version=0.0.4", b.data ? b.data : "");
}

int h_config(struct req *r)
{
	const struct config *c = r->cfg;
	cJSON *root = cJSON_CreateObject(), *in = cJSON_AddObjectToObject(root, "integrations");
	cJSON *zd = cJSON_AddObjectToObject(in, "zadarma");

	cJSON_AddBoolToObject(zd, "enabled", config_zadarma_enabled(c));
	if (c->zadarma_sip)
		cJSON_AddStringToObject(zd, "sip", c->zadarma_sip);
	else
		cJSON_AddNullToObject(zd, "sip");
	cJSON_AddBoolToObject(cJSON_AddObjectToObject(in, "telegram"), "enabled", config_telegram_enabled(c));
	cJSON_AddBoolToObject(cJSON_AddObjectToObject(in, "twilio"), "enabled", config_twilio_enabled(c));
	cJSON_AddStringToObject(root, "defaultCountryCode", c->default_country);
	cJSON_AddStringToObject(root, "version", c->version);
	char *text = jv_print(r->arena, root);
	cJSON_Delete(root);
	if (!text)
		return reply_error(r, 500, "internal", NULL, "internal error");
	return reply_json(r, 200, text);
}
