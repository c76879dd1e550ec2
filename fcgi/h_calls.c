/* h_calls: /api/calls/...: the call log and the missed-call queue, one call with its customer,
 * Zadarma's PBX notifications (the webhook), click-to-call and a call's recording. */
#include "handlers.h"

#include <string.h>

#include "calls_notify.h"
#include "crypto.h"
#include "list.h"
#include "phone.h"
#include "zadarma.h"
#include "zadarma_reply.h"

#define RECORDING_LIFETIME "1800" /* seconds a recording link stays valid */

const struct jv_field OUTGOING_SCHEMA[] = {
	{"to", JV_STRING, JV_REQUIRED, 32, 0, NULL},
	{"ticketId", JV_INT64, 0, 0, 0, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

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
	" FROM calls c WHERE c.id = $1::bigint");
/* One statement per notification: store, fold, emit, and the answer for Zadarma (SQL 004). */
DB_STMT(st_call_notify, 5, "SELECT call_notify($1, $2::jsonb, $3, $4, $5::bool)");
DB_STMT(st_call_ticket, 1, "SELECT 1 FROM tickets WHERE id = $1::bigint");
/* The click-to-call row; the PBX's NOTIFY_OUT_START claims it (call_notify in SQL 004). */
DB_STMT(st_call_pending, 4,
	"INSERT INTO calls (direction, caller_number, called_number, extension, extension_rank, operator_id,"
	"                   customer_phone, ticket_id, created_by)"
	" VALUES ('out', $1, $2, $1, 2, $3::uuid, $2, $4::bigint, $3::uuid) RETURNING call_json(calls)::text");
DB_STMT(st_call_recording, 1,
	"SELECT recording_id, pbx_call_id, recorded OR recording_id IS NOT NULL FROM calls WHERE id = $1::bigint");

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

/* The row st reads for the call the path names: 0, or the answer (404 when there is none). */
static int call_row(struct req *r, struct db_stmt *st, PGresult **res)
{
	const char *params[] = {r->params[0]};
	enum db_rc rc = db_exec(r->db, r->arena, st, params, res);

	if (rc != DB_OK)
		return reply_db(r, rc);
	return db_rows(*res) ? 0 : reply_error(r, 404, "not_found", NULL, "no such call");
}

int h_calls_get(struct req *r)
{
	PGresult *res;
	int status = call_row(r, &st_calls_get, &res);

	return status ? status : reply_json(r, 200, db_val(res, 0, 0));
}

/* Verification ping first (plain text), then: configured? signed? well-formed? → fold. */
int h_calls_incoming(struct req *r)
{
	const char *echo = req_query(r, "zd_echo"), *event, *expected, *sig, *json;
	struct kvlist form;
	PGresult *res;
	int status;

	if (echo) {
		reply_header(r, "X-Content-Type-Options", "nosniff");
		return reply_text(r, 200, "text/plain; charset=utf-8", echo);
	}
	if (strcmp(r->method, "POST") != 0)
		return reply_error(r, 400, "bad_request", "zd_echo", "zd_echo is required");
	if (!config_zadarma_enabled(r->cfg))
		return zr_disabled(r);
	if (!http_parse_form(r->arena, r->body, r->body_len, &form))
		return reply_error(r, 400, "bad_request", NULL, "the body is not a valid form");
	event = http_kv_get(&form, "event");
	if (!event || !*event)
		return reply_error(r, 422, "validation_failed", "event", "event is required");
	if (!(expected = zd_notify_signature(r->arena, r->cfg->zadarma_secret, &form)))
		return reply_error(r, 422, "validation_failed", "event", "this event is not handled");
	sig = req_env(r, "HTTP_SIGNATURE");
	if (!sig || !crypto_streq(sig, expected))
		return calls_notify_refuse(r, event);
	if ((status = calls_notify_check(r, &form)))
		return status;
	if (!(json = calls_notify_record(r, &form)))
		return reply_error(r, 500, "internal", NULL, "internal error");
	const char *params[] = {event, json, calls_notify_customer(r, &form, event), r->cfg->zadarma_tz,
				r->cfg->reject_blacklisted ? "true" : "false"};
	enum db_rc rc = db_exec(r->db, r->arena, &st_call_notify, params, &res);
	if (rc != DB_OK)
		return reply_db(r, rc);
	return reply_json(r, 200, db_val(res, 0, 0));
}

static int check_ticket(struct req *r, const char *ticket_id)
{
	PGresult *res;
	const char *params[] = {ticket_id};

	if (!ticket_id)
		return 0;
	enum db_rc rc = db_exec(r->db, r->arena, &st_call_ticket, params, &res);
	if (rc != DB_OK)
		return reply_db(r, rc);
	return db_rows(res) ? 0 : reply_error(r, 422, "validation_failed", "ticketId", "no such ticket");
}

/* Zadarma rings the user's SIP, then the number; the pending row waits for NOTIFY_OUT_START. */
int h_calls_outgoing(struct req *r)
{
	struct zd_client zd;
	const char *sip, *ticket = jv_text(r->arena, r->json, "ticketId"), *msg;
	char to[32];
	struct zd_answer answer;
	PGresult *res;
	int status;

	if (!zd_client_init(&zd, r->cfg))
		return zr_disabled(r);
	if (!phone_normalize(jv_text(r->arena, r->json, "to"), r->cfg->default_country, to, sizeof(to)))
		return reply_error(r, 422, "validation_failed", "to", "to is not a valid phone number");
	enum db_rc rc = zr_user_sip(r, &sip);
	if (rc != DB_OK)
		return reply_db(r, rc);
	if (!sip)
		return zr_no_sip(r);
	if ((status = check_ticket(r, ticket)))
		return status;
	const struct kv params[] = {{"from", sip}, {"to", to + 1}}; /* Zadarma wants digits only */
	enum zd_rc zrc = zd_get(r->arena, &zd, "/v1/request/callback/", params, 2, &answer, &msg);
	if (zrc != ZD_OK)
		return zr_upstream_failed(r, msg);
	const char *row[] = {sip, to, r->user.id, ticket};
	rc = db_exec(r->db, r->arena, &st_call_pending, row, &res);
	if (rc != DB_OK)
		return reply_db(r, rc);
	return reply_json(r, 202, arena_printf(r->arena, "{\"call\":%s}", db_val(res, 0, 0)));
}

int h_calls_recording(struct req *r)
{
	struct zd_client zd;
	struct zd_answer answer;
	PGresult *res;
	const char *msg;
	int status;

	if (!zd_client_init(&zd, r->cfg))
		return zr_disabled(r);
	if ((status = call_row(r, &st_call_recording, &res)))
		return status;
	const char *rec = db_val(res, 0, 0), *pbx = db_val(res, 0, 1);
	if (strcmp(db_val(res, 0, 2), "t") != 0 || (!rec && !pbx))
		return reply_error(r, 404, "not_found", NULL, "this call has no recording");
	const struct kv q[] = {{rec ? "call_id" : "pbx_call_id", rec ? rec : pbx}, {"lifetime", RECORDING_LIFETIME}};
	if (zd_get(r->arena, &zd, "/v1/pbx/record/request/", q, 2, &answer, &msg) != ZD_OK)
		return zr_upstream_failed(r, msg);
	return zr_recording(r, answer.json);
}
