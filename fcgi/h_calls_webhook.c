/* h_calls_webhook: Zadarma's PBX notifications: verified, stored raw, folded into their call. */
#include "handlers.h"

#include <stdio.h>
#include <string.h>

#include "crypto.h"
#include "log.h"
#include "phone.h"
#include "zadarma.h"

/* One statement per notification: store, fold, emit, and the answer for Zadarma (SQL 004). */
DB_STMT(st_call_notify, 5, "SELECT call_notify($1, $2::jsonb, $3, $4, $5::bool)");

enum field_kind { F_TEXT, F_TIME, F_DIGITS, F_FLAG };

/* What a notification's fields may hold; anything else is refused before it is stored. */
static const struct {
	const char *name;
	enum field_kind kind;
	size_t max;
} FIELDS[] = {
	{"pbx_call_id", F_TEXT, 128}, {"call_start", F_TIME, 19},  {"caller_id", F_TEXT, 64},
	{"called_did", F_TEXT, 64},   {"destination", F_TEXT, 64}, {"internal", F_TEXT, 32},
	{"duration", F_DIGITS, 9},    {"disposition", F_TEXT, 64}, {"status_code", F_TEXT, 16},
	{"is_recorded", F_FLAG, 1},   {"call_id_with_rec", F_TEXT, 128},
};

static bool field_ok(enum field_kind kind, const char *v, size_t max)
{
	size_t n = strlen(v);

	if (n > max) /* UTF-8 was checked for every field first */
		return false;
	switch (kind) {
	case F_TIME: /* Zadarma's "YYYY-MM-DD HH:MM:SS", in this century or the next: a call from
		      * year 1 would fold its start but never its end (wait seconds overflow) */
		return n == 0 || (n == 19 && v[10] == ' ' && jv_is_time(v) && strncmp(v, "2000", 4) >= 0 &&
				  strncmp(v, "2199", 4) <= 0);
	case F_DIGITS:
		return strspn(v, "0123456789") == n;
	case F_FLAG:
		return n == 0 || *v == '0' || *v == '1';
	case F_TEXT:
		break;
	}
	return true;
}

static int check_fields(struct req *r, const struct kvlist *form)
{
	const char *pbx = http_kv_get(form, "pbx_call_id");

	bool in_key;
	const struct kv *bad = http_kv_not_utf8(form, &in_key); /* the raw record keeps every field */

	if (bad)
		return reply_error(r, 422, "validation_failed", in_key ? NULL : bad->key, "a field is not valid UTF-8");

	if (!pbx || !*pbx)
		return reply_error(r, 422, "validation_failed", "pbx_call_id", "pbx_call_id is required");
	for (size_t i = 0; i < sizeof(FIELDS) / sizeof(FIELDS[0]); i++) {
		const char *v = http_kv_get(form, FIELDS[i].name);

		if (v && !field_ok(FIELDS[i].kind, v, FIELDS[i].max))
			return reply_error(r, 422, "validation_failed", FIELDS[i].name,
					   arena_printf(r->arena, "%s is not a valid value", FIELDS[i].name));
	}
	return 0;
}

/* The customer's side of the call: the caller coming in, the destination going out. */
static const char *customer_phone(struct req *r, const struct kvlist *form, const char *event)
{
	const char *raw = http_kv_get(form, strncmp(event, "NOTIFY_OUT_", 11) == 0 ? "destination" : "caller_id");
	char norm[32];

	if (!raw || !phone_normalize(raw, r->cfg->default_country, norm, sizeof(norm)))
		return NULL; /* anonymous, or an internal extension */
	return arena_strdup(r->arena, norm);
}

/* The form as a JSON object (first value of a repeated key wins), for the raw record. */
static const char *fields_json(struct req *r, const struct kvlist *form)
{
	cJSON *o = cJSON_CreateObject();
	char *text;

	for (size_t i = 0; o && i < form->len; i++)
		if (!cJSON_GetObjectItemCaseSensitive(o, form->items[i].key) &&
		    !cJSON_AddStringToObject(o, form->items[i].key, form->items[i].value)) {
			cJSON_Delete(o);
			return NULL;
		}
	text = o ? jv_print(r->arena, o) : NULL;
	cJSON_Delete(o);
	return text;
}

static int refuse_signature(struct req *r, const char *event)
{
	char extra[512], esc[128];

	log_escape(esc, sizeof(esc), event);
	snprintf(extra, sizeof(extra), ",\"requestId\":\"%s\",\"event\":\"%s\",\"client\":\"%s\"", r->request_id,
		 esc, r->client_ip);
	log_line("warn", "zadarma notification with a bad or missing Signature refused", extra);
	return reply_error(r, 401, "unauthenticated", NULL, "bad or missing Signature");
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
		return reply_error(r, 503, "integration_disabled", NULL, "Zadarma is not configured");
	if (!http_parse_form(r->arena, r->body, r->body_len, &form))
		return reply_error(r, 400, "bad_request", NULL, "the body is not a valid form");
	event = http_kv_get(&form, "event");
	if (!event || !*event)
		return reply_error(r, 422, "validation_failed", "event", "event is required");
	if (!(expected = zd_notify_signature(r->arena, r->cfg->zadarma_secret, &form)))
		return reply_error(r, 422, "validation_failed", "event", "this event is not handled");
	sig = req_env(r, "HTTP_SIGNATURE");
	if (!sig || !crypto_streq(sig, expected))
		return refuse_signature(r, event);
	if ((status = check_fields(r, &form)))
		return status;
	if (!(json = fields_json(r, &form)))
		return reply_error(r, 500, "internal", NULL, "internal error");
	const char *params[] = {event, json, customer_phone(r, &form, event), r->cfg->zadarma_tz,
				r->cfg->reject_blacklisted ? "true" : "false"};
	enum db_rc rc = db_exec(r->db, r->arena, &st_call_notify, params, &res);
	if (rc != DB_OK)
		return reply_db(r, rc);
	return reply_json(r, 200, db_val(res, 0, 0));
}
