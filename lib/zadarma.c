/* zadarma: signing is pure (unit-tested against Zadarma's own vectors); zd_get adds the wire. */
#include "zadarma.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "httpc.h"

bool zd_client_init(struct zd_client *c, const struct config *cfg)
{
	c->base_url = cfg->zadarma_url;
	c->key = cfg->zadarma_key;
	c->secret = cfg->zadarma_secret;
	return c->key && c->secret && c->base_url;
}

/* base64 of the lowercase hex HMAC-SHA1: Zadarma signs the hex text, not the raw bytes. */
static char *hmac_hex_b64(struct arena *a, const char *secret, const char *msg)
{
	unsigned char mac[20];

	if (!crypto_hmac_sha1(secret, strlen(secret), msg, strlen(msg), mac))
		return NULL;
	const char *hex = crypto_hex(a, mac, sizeof(mac));
	return crypto_base64(a, hex, strlen(hex));
}

/* The fields each event signs, in order (a missing one counts as ""). */
static const struct {
	const char *event;
	const char *fields[3];
} SIGNED[] = {
	{"NOTIFY_START", {"caller_id", "called_did", "call_start"}},
	{"NOTIFY_INTERNAL", {"caller_id", "called_did", "call_start"}},
	{"NOTIFY_ANSWER", {"caller_id", "destination", "call_start"}},
	{"NOTIFY_END", {"caller_id", "called_did", "call_start"}},
	{"NOTIFY_OUT_START", {"internal", "destination", "call_start"}},
	{"NOTIFY_OUT_END", {"internal", "destination", "call_start"}},
	{"NOTIFY_RECORD", {"pbx_call_id", "call_id_with_rec", NULL}},
};

char *zd_notify_signature(struct arena *a, const char *secret, const struct kvlist *form)
{
	const char *event = http_kv_get(form, "event");
	struct buf s;

	if (!event)
		return NULL;
	for (size_t i = 0; i < sizeof(SIGNED) / sizeof(SIGNED[0]); i++) {
		if (strcmp(SIGNED[i].event, event) != 0)
			continue;
		buf_init(&s, a);
		buf_puts(&s, ""); /* s.data is never NULL, even when every field is empty */
		for (int f = 0; f < 3 && SIGNED[i].fields[f]; f++) {
			const char *v = http_kv_get(form, SIGNED[i].fields[f]);
			buf_puts(&s, v ? v : "");
		}
		return hmac_hex_b64(a, secret, s.data);
	}
	return NULL;
}

static int by_key(const void *x, const void *y)
{
	return strcmp(((const struct kv *)x)->key, ((const struct kv *)y)->key);
}

char *zd_sign(struct arena *a, const char *secret, const char *method, const struct kv *params,
	      size_t n, const char **query)
{
	struct kv *sorted = arena_alloc(a, (n + 1) * sizeof(*sorted));
	struct buf p, m;

	memcpy(sorted, params, n * sizeof(*sorted));
	sorted[n] = (struct kv){"format", "json"};
	qsort(sorted, n + 1, sizeof(*sorted), by_key);
	buf_init(&p, a);
	for (size_t i = 0; i <= n; i++)
		buf_printf(&p, "%s%s=%s", i ? "&" : "", http_form_encode(a, sorted[i].key),
			   http_form_encode(a, sorted[i].value));
	*query = p.data;
	const char *md5 = crypto_md5_hex(a, p.data, p.len);
	if (!md5)
		return NULL;
	buf_init(&m, a);
	buf_printf(&m, "%s%s%s", method, p.data, md5);
	return hmac_hex_b64(a, secret, m.data);
}

static void delete_json(void *p)
{
	cJSON_Delete(p);
}

/* Zadarma's answer → ZD_OK with the object, or its error message. */
static enum zd_rc read_answer(struct arena *a, const struct httpc_response *res, struct zd_answer *out,
			      const char **message)
{
	cJSON *root = cJSON_ParseWithLength(res->body, res->len);
	const cJSON *status, *msg;

	if (res->status == 429) {
		cJSON_Delete(root);
		*message = "Zadarma's rate limit was reached (HTTP 429)";
		return ZD_BUSY;
	}
	if (!root || !cJSON_IsObject(root)) {
		cJSON_Delete(root);
		*message = arena_printf(a, "Zadarma answered HTTP %ld without JSON", res->status);
		return ZD_UNREACHABLE;
	}
	arena_defer(a, delete_json, root);
	status = cJSON_GetObjectItemCaseSensitive(root, "status");
	msg = cJSON_GetObjectItemCaseSensitive(root, "message");
	if (res->status >= 400 || (cJSON_IsString(status) && strcmp(status->valuestring, "success") != 0)) {
		*message = cJSON_IsString(msg) && *msg->valuestring
				   ? arena_strdup(a, msg->valuestring)
				   : arena_printf(a, "Zadarma refused the request (HTTP %ld)", res->status);
		return ZD_REFUSED;
	}
	out->json = root;
	out->text = res->body;
	return ZD_OK;
}

enum zd_rc zd_get(struct arena *a, const struct zd_client *c, const char *method, const struct kv *params,
		  size_t n, struct zd_answer *out, const char **message)
{
	const char *query, *err;
	const char *sign = zd_sign(a, c->secret, method, params, n, &query);
	struct httpc_response res;

	out->json = NULL;
	out->text = NULL;
	if (!sign) {
		*message = "cannot sign the request";
		return ZD_UNREACHABLE;
	}
	const char *headers[] = {arena_printf(a, "Authorization: %s:%s", c->key, sign),
				 "Accept: application/json", NULL};
	const char *url = arena_printf(a, "%s?%s", httpc_join(a, c->base_url, method), query);
	if (!httpc_request(a, "GET", url, headers, NULL, 0, &res, &err)) {
		*message = arena_printf(a, "Zadarma did not answer: %s", err);
		return ZD_UNREACHABLE;
	}
	return read_answer(a, &res, out, message);
}
