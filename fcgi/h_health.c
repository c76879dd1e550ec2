/* h_health: liveness for load balancers, Prometheus metrics, and what the UI may know of config. */
#include "handlers.h"

#include <string.h>

#include "metrics.h"

DB_STMT(st_health, 0, "SELECT 1");
DB_STMT(st_outbox_backlog, 0,
	"SELECT count(*) FILTER (WHERE status = 'pending'), count(*) FILTER (WHERE status = 'failed') FROM outbox");

int h_health(struct req *r)
{
	enum db_rc rc = db_exec(r->db, r->arena, &st_health, NULL, NULL);

	if (rc != DB_OK)
		return reply_json(r, 503, "{\"status\":\"unavailable\",\"db\":\"unavailable\","
					  "\"error\":{\"code\":\"unavailable\",\"message\":\"the database is unreachable\"}}");
	return reply_json(r, 200, "{\"status\":\"ok\",\"db\":\"ok\"}");
}

static bool loopback(const char *ip)
{
	return ip && (strcmp(ip, "127.0.0.1") == 0 || strcmp(ip, "::1") == 0 || strncmp(ip, "127.", 4) == 0);
}

/* Admin session or a loopback client (a Prometheus agent on the same host). */
int h_metrics(struct req *r)
{
	struct buf b;
	PGresult *res;

	if (!loopback(r->client_ip)) {
		enum db_rc rc = session_load(r);
		if (rc != DB_OK)
			return reply_db(r, rc);
		if (!r->signed_in)
			return reply_error(r, 401, "unauthenticated", NULL, "sign in first");
		if (r->user.role != ROLE_ADMIN)
			return reply_error(r, 403, "forbidden", NULL, "admins only");
	}
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
