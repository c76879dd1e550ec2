/* zadarma_reply: Zadarma's answers turned into ours. */
#include "zadarma_reply.h"

#include <stdio.h>
#include <string.h>

#include "jsonv.h"
#include "log.h"

DB_STMT(st_zd_user_sip, 1, "SELECT sip_extension FROM users WHERE id = $1::uuid");
/* Zadarma writes times as "YYYY-MM-DD HH:MM:SS" in the account's time zone (ZADARMA_TZ). */
DB_STMT(st_zd_time, 2, "SELECT iso($1::timestamp AT TIME ZONE $2)");

int zr_disabled(struct req *r)
{
	return reply_error(r, 503, "integration_disabled", NULL, "Zadarma is not configured");
}

int zr_upstream_failed(struct req *r, const char *message)
{
	return reply_error(r, 502, "upstream_failed", NULL, message);
}

enum db_rc zr_user_sip(struct req *r, const char **sip)
{
	PGresult *res;
	const char *params[] = {r->user.id};
	enum db_rc rc = db_exec(r->db, r->arena, &st_zd_user_sip, params, &res);

	*sip = rc == DB_OK ? db_val(res, 0, 0) : NULL;
	return rc;
}

int zr_no_sip(struct req *r)
{
	return reply_error(r, 422, "validation_failed", "sipExtension",
			   "your user has no SIP extension: ask an admin to set one");
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

int zr_recording(struct req *r, const cJSON *answer)
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
		return zr_upstream_failed(r, "Zadarma returned no recording link");
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
