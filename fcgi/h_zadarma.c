/* h_zadarma: the browser's WebRTC widget key for the signed-in user's SIP, shared by instances. */
#include "handlers.h"

#include "zadarma.h"
#include "zadarma_reply.h"

#define WEBRTC_KEY_TTL "72 hours"
#define WEBRTC_KEY_MARGIN "1 hour" /* fetch a new key this long before the old one expires */

/* Concurrent requests for one SIP wait here, then find the key the first one stored. */
DB_STMT(st_zd_key_lock, 1, "SELECT pg_advisory_xact_lock(7243005, hashtext($1))");
DB_STMT(st_zd_key_get, 1,
	"SELECT key FROM zadarma_webrtc_keys WHERE sip = $1 AND expires_at > now() + interval '" WEBRTC_KEY_MARGIN "'");
DB_STMT(st_zd_key_put, 2,
	"INSERT INTO zadarma_webrtc_keys (sip, key, expires_at) VALUES ($1, $2, now() + interval '" WEBRTC_KEY_TTL "')"
	" ON CONFLICT (sip) DO UPDATE SET key = EXCLUDED.key, fetched_at = now(), expires_at = EXCLUDED.expires_at");

/* Fetch a key from Zadarma and store it; the caller holds the SIP's lock. */
static int fetch_key(struct req *r, const struct zd_client *zd, const char *sip, const char **key)
{
	const struct kv q[] = {{"sip", sip}};
	const char *msg;
	struct zd_answer answer;

	if (zd_get(r->arena, zd, "/v1/webrtc/get_key/", q, 1, &answer, &msg) != ZD_OK)
		return zr_upstream_failed(r, msg);
	const cJSON *k = cJSON_GetObjectItemCaseSensitive(answer.json, "key");
	if (!cJSON_IsString(k) || !*k->valuestring)
		return zr_upstream_failed(r, "Zadarma returned no key");
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
		return zr_disabled(r);
	enum db_rc rc = zr_user_sip(r, &sip);
	if (rc != DB_OK)
		return reply_db(r, rc);
	if (!sip && !(sip = r->cfg->zadarma_sip))
		return zr_no_sip(r);
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
