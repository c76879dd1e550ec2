/* h_zadarma: what the CRM asks of Zadarma's REST API: click-to-call, recordings, WebRTC keys. */
#include "handlers.h"

#include <stdio.h>
#include <string.h>

#include "log.h"
#include "phone.h"
#include "zadarma.h"

#define RECORDING_LIFETIME "1800" /* seconds a recording link stays valid */
#define WEBRTC_KEY_TTL "72 hours"
#define WEBRTC_KEY_MARGIN "1 hour" /* fetch a new key this long before the old one expires */

const struct jv_field OUTGOING_SCHEMA[] = {
	{"to", JV_STRING, JV_REQUIRED, 32, 0, NULL},
	{"ticketId", JV_INT64, 0, 0, 0, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

DB_STMT(st_zd_user_sip, 1, "SELECT sip_extension FROM users WHERE id = $1::uuid");
DB_STMT(st_zd_ticket, 1, "SELECT 1 FROM tickets WHERE id = $1::bigint");
/* The click-to-call row; the PBX's NOTIFY_OUT_START claims it (call_notify in SQL 004). */
DB_STMT(st_zd_pending, 4,
	"INSERT INTO calls (direction, caller_number, called_number, extension, extension_rank, operator_id,"
	"                   customer_phone, ticket_id, created_by)"
	" VALUES ('out', $1, $2, $1, 2, $3::uuid, $2, $4::bigint, $3::uuid) RETURNING call_json(calls)::text");
DB_STMT(st_zd_recording, 1,
	"SELECT recording_id, pbx_call_id, recorded OR recording_id IS NOT NULL FROM calls"
	" WHERE id = " CALL_ID_SQL("$1"));
/* Zadarma writes times as "YYYY-MM-DD HH:MM:SS" in the account's time zone (ZADARMA_TZ). */
DB_STMT(st_zd_time, 2, "SELECT iso($1::timestamp AT TIME ZONE $2)");
/* Concurrent requests for one SIP wait here, then find the key the first one stored. */
DB_STMT(st_zd_key_lock, 1, "SELECT pg_advisory_xact_lock(7243005, hashtext($1))");
DB_STMT(st_zd_key_get, 1,
	"SELECT key FROM zadarma_webrtc_keys WHERE sip = $1 AND expires_at > now() + interval '" WEBRTC_KEY_MARGIN "'");
DB_STMT(st_zd_key_put, 2,
	"INSERT INTO zadarma_webrtc_keys (sip, key, expires_at) VALUES ($1, $2, now() + interval '" WEBRTC_KEY_TTL "')"
	" ON CONFLICT (sip) DO UPDATE SET key = EXCLUDED.key, fetched_at = now(), expires_at = EXCLUDED.expires_at");

static int disabled(struct req *r)
{
	return reply_error(r, 503, "integration_disabled", NULL, "Zadarma is not configured");
}

/* Zadarma's refusal (with its own words) or silence: both are a 502 for our caller. */
static int upstream_failed(struct req *r, const char *message)
{
	return reply_error(r, 502, "upstream_failed", NULL, message);
}

/* The signed-in user's SIP extension into *sip (NULL when none is set). */
static enum db_rc user_sip(struct req *r, const char **sip)
{
	PGresult *res;
	const char *params[] = {r->user.id};
	enum db_rc rc = db_exec(r->db, r->arena, &st_zd_user_sip, params, &res);

	*sip = rc == DB_OK ? db_val(res, 0, 0) : NULL;
	return rc;
}

static int no_sip(struct req *r)
{
	return reply_error(r, 422, "validation_failed", "sipExtension",
			   "your user has no SIP extension: ask an admin to set one");
}

static int check_ticket(struct req *r, const char *ticket_id)
{
	PGresult *res;
	const char *params[] = {ticket_id};

	if (!ticket_id)
		return 0;
	enum db_rc rc = db_exec(r->db, r->arena, &st_zd_ticket, params, &res);
	if (rc != DB_OK)
		return reply_db(r, rc);
	return db_rows(res) ? 0 : reply_error(r, 422, "validation_failed", "ticketId", "no such ticket");
}

int h_calls_outgoing(struct req *r)
{
	struct zd_client zd;
	const char *sip, *ticket = jv_text(r->arena, r->json, "ticketId"), *msg;
	char to[32];
	struct zd_answer answer;
	PGresult *res;
	int status;

	if (!zd_client_init(&zd, r->cfg))
		return disabled(r);
	if (!phone_normalize(jv_text(r->arena, r->json, "to"), r->cfg->default_country, to, sizeof(to)))
		return reply_error(r, 422, "validation_failed", "to", "to is not a valid phone number");
	enum db_rc rc = user_sip(r, &sip);
	if (rc != DB_OK)
		return reply_db(r, rc);
	if (!sip)
		return no_sip(r);
	if ((status = check_ticket(r, ticket)))
		return status;
	const struct kv params[] = {{"from", sip}, {"to", to + 1}}; /* Zadarma wants digits only */
	enum zd_rc zrc = zd_get(r->arena, &zd, "/v1/request/callback/", params, 2, &answer, &msg);
	if (zrc != ZD_OK)
		return upstream_failed(r, msg);
	const char *row[] = {sip, to, r->user.id, ticket};
	rc = db_exec(r->db, r->arena, &st_zd_pending, row, &res);
	if (rc != DB_OK)
		return reply_db(r, rc);
	return reply_json(r, 202, arena_printf(r->arena, "{\"call\":%s}", db_val(res, 0, 0)));
}

/* Zadarma's local "YYYY-MM-DD HH:MM:SS" as the contract's ISO 8601 UTC; NULL when it is not
 * one (the link still works, only its expiry is unknown). */
static int pbx_time_iso(struct req *r, const char *local, const char **iso)
{
	PGresult *res;

	*iso = NULL;
	if (strlen(local) != 19 || local[10] != ' ' || !jv_is_time(local)) {
		char esc[64], extra[128];

		log_escape(esc, sizeof(esc), local);
		snprintf(extra, sizeof(extra), ",\"lifetimeTill\":\"%s\"", esc);
		log_line("warn", "zadarma sent a recording expiry that is not a time", extra);
		return 0;
	}
	const char *params[] = {local, r->cfg->zadarma_tz};
	enum db_rc rc = db_exec(r->db, r->arena, &st_zd_time, params, &res);
	if (rc != DB_OK)
		return reply_db(r, rc);
	*iso = db_val(res, 0, 0);
	return 0;
}

/* {link, links, lifetimeTill} from Zadarma's {link, lifetime_till} or {links:[…]}. */
static int render_recording(struct req *r, const cJSON *answer)
{
	const cJSON *link = cJSON_GetObjectItemCaseSensitive(answer, "link");
	const cJSON *links = cJSON_GetObjectItemCaseSensitive(answer, "links");
	const cJSON *till = cJSON_GetObjectItemCaseSensitive(answer, "lifetime_till");
	const char *till_iso = NULL, *text = NULL;
	cJSON *out;
	int status;

	if (!cJSON_IsString(link) && cJSON_IsArray(links) && cJSON_IsString(cJSON_GetArrayItem(links, 0)))
		link = cJSON_GetArrayItem(links, 0);
	if (!cJSON_IsString(link))
		return upstream_failed(r, "Zadarma returned no recording link");
	if (cJSON_IsString(till) && (status = pbx_time_iso(r, till->valuestring, &till_iso)))
		return status;
	if ((out = cJSON_CreateObject()) && cJSON_AddStringToObject(out, "link", link->valuestring) &&
	    cJSON_AddItemToObject(out, "links", cJSON_IsArray(links) ? cJSON_Duplicate(links, 1)
								       : cJSON_CreateStringArray((const char *[]){link->valuestring}, 1)) &&
	    (till_iso ? cJSON_AddStringToObject(out, "lifetimeTill", till_iso) != NULL
		      : cJSON_AddNullToObject(out, "lifetimeTill") != NULL))
		text = jv_print(r->arena, out);
	cJSON_Delete(out);
	return text ? reply_json(r, 200, text) : reply_error(r, 500, "internal", NULL, "internal error");
}

int h_calls_recording(struct req *r)
{
	struct zd_client zd;
	struct zd_answer answer;
	PGresult *res;
	const char *msg;

	if (!zd_client_init(&zd, r->cfg))
		return disabled(r);
	const char *params[] = {r->params[0]};
	enum db_rc rc = db_exec(r->db, r->arena, &st_zd_recording, params, &res);
	if (rc != DB_OK)
		return reply_db(r, rc);
	if (db_rows(res) == 0)
		return reply_error(r, 404, "not_found", NULL, "no such call");
	const char *rec = db_val(res, 0, 0), *pbx = db_val(res, 0, 1);
	if (strcmp(db_val(res, 0, 2), "t") != 0 || (!rec && !pbx))
		return reply_error(r, 404, "not_found", NULL, "this call has no recording");
	const struct kv q[] = {{rec ? "call_id" : "pbx_call_id", rec ? rec : pbx}, {"lifetime", RECORDING_LIFETIME}};
	if (zd_get(r->arena, &zd, "/v1/pbx/record/request/", q, 2, &answer, &msg) != ZD_OK)
		return upstream_failed(r, msg);
	return render_recording(r, answer.json);
}

/* Fetch a key from Zadarma and store it; the caller holds the SIP's lock. */
static int fetch_key(struct req *r, const struct zd_client *zd, const char *sip, const char **key)
{
	const struct kv q[] = {{"sip", sip}};
	const char *msg;
	struct zd_answer answer;

	if (zd_get(r->arena, zd, "/v1/webrtc/get_key/", q, 1, &answer, &msg) != ZD_OK)
		return upstream_failed(r, msg);
	const cJSON *k = cJSON_GetObjectItemCaseSensitive(answer.json, "key");
	if (!cJSON_IsString(k) || !*k->valuestring)
		return upstream_failed(r, "Zadarma returned no key");
	*key = k->valuestring;
	const char *params[] = {sip, *key};
	enum db_rc rc = db_exec(r->db, r->arena, &st_zd_key_put, params, NULL);
	return rc == DB_OK ? 0 : reply_db(r, rc);
}

int h_zadarma_webrtc_key(struct req *r)
{
	struct zd_client zd;
	const char *sip, *key;
	PGresult *res;
	int status;

	if (!zd_client_init(&zd, r->cfg))
		return disabled(r);
	enum db_rc rc = user_sip(r, &sip);
	if (rc != DB_OK)
		return reply_db(r, rc);
	if (!sip && !(sip = r->cfg->zadarma_sip))
		return no_sip(r);
	const char *params[] = {sip};
	rc = db_begin(r->db);
	if (rc == DB_OK)
		rc = db_exec(r->db, r->arena, &st_zd_key_lock, params, NULL);
	if (rc == DB_OK)
		rc = db_exec(r->db, r->arena, &st_zd_key_get, params, &res);
	if (rc != DB_OK)
		return reply_db(r, rc);
	key = db_val(res, 0, 0);
	if (!key && (status = fetch_key(r, &zd, sip, &key)))
		return status;
	if ((rc = db_commit(r->db)) != DB_OK)
		return reply_db(r, rc);
	cJSON *out = cJSON_CreateObject();
	cJSON_AddStringToObject(out, "key", key);
	cJSON_AddStringToObject(out, "sip", sip);
	const char *text = jv_print(r->arena, out);
	cJSON_Delete(out);
	return text ? reply_json(r, 200, text) : reply_error(r, 500, "internal", NULL, "internal error");
}
