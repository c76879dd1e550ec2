/* twilio: a form POST per SMS; signatures and segment counts are pure and unit-tested. */
#include "twilio.h"

#include <cJSON.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "httpc.h"
#include "jsonv.h"

bool tw_client_init(struct tw_client *c, const struct config *cfg)
{
	c->base_url = cfg->twilio_url;
	c->sid = cfg->twilio_sid;
	c->token = cfg->twilio_token;
	c->from = cfg->twilio_from;
	c->timeout_ms = TW_TIMEOUT_MS;
	return c->base_url && c->sid && c->token && c->from;
}

/* ---- sending ------------------------------------------------------------------------------ */

static bool is_e164(const char *s)
{
	size_t n = s && s[0] == '+' ? strlen(s + 1) : 0;

	return n >= 8 && n <= 15 && s[1] != '0' && strspn(s + 1, "0123456789") == n;
}

static bool is_recipient_gone(long code)
{
	return code == TW_ERR_OPTED_OUT || code == TW_ERR_INVALID_TO || code == TW_ERR_NOT_MOBILE;
}

/* Twilio's answer → one of the four classes; on DL_OK provider_id is the message's sid. */
static void classify(struct arena *a, const struct httpc_response *res, struct dl_result *r)
{
	cJSON *root = jv_parse_object(a, res->body, res->len);
	const cJSON *sid = cJSON_GetObjectItemCaseSensitive(root, "sid");
	const cJSON *code = cJSON_GetObjectItemCaseSensitive(root, "code");
	const cJSON *msg = cJSON_GetObjectItemCaseSensitive(root, "message");
	const char *text = cJSON_IsString(msg) ? msg->valuestring : "no message";
	long n = cJSON_IsNumber(code) && code->valuedouble > 0 && code->valuedouble < 1e6 ? (long)code->valuedouble : 0;

	if (res->status >= 200 && res->status < 300 && cJSON_IsString(sid) && *sid->valuestring) {
		dl_set(r, DL_OK, NULL);
		r->provider_id = arena_strdup(a, sid->valuestring);
	} else if (res->status >= 200 && res->status < 300)
		dl_fail(a, r, DL_TRANSIENT, "Twilio answered HTTP %ld without a message sid", res->status);
	else if (res->status == 429 || res->status >= 500 || res->status < 400 || res->status == 401 ||
		 res->status == 404) /* busy, down, or our credentials / account sid: not the message's fault */
		dl_fail(a, r, DL_TRANSIENT, "Twilio: HTTP %ld: %ld %s", res->status, n, text);
	else {
		dl_fail(a, r, DL_PERMANENT, "Twilio: HTTP %ld: %ld %s", res->status, n, text);
		r->recipient_gone = is_recipient_gone(n);
	}
	r->http_status = res->status;
	r->code = n;
}

static char *form_body(struct arena *a, const struct tw_client *c, const char *to, const char *body,
		       const char *status_callback)
{
	char *form = arena_printf(a, "To=%s&From=%s&Body=%s", http_form_encode(a, to), http_form_encode(a, c->from),
				  http_form_encode(a, body));

	return status_callback ? arena_printf(a, "%s&StatusCallback=%s", form, http_form_encode(a, status_callback))
			       : form;
}

enum dl_class tw_send_sms(struct arena *a, const struct tw_client *c, const char *to, const char *body,
			  const char *status_callback, struct dl_result *out)
{
	long long chars = 0;
	struct httpc_response res;
	const char *err;

	if (!is_e164(to)) {
		dl_fail(a, out, DL_PERMANENT, "the number is not in E.164 form (+ and 8-15 digits)");
		out->recipient_gone = true;
		return out->cls;
	}
	if (!body || !jv_utf8_valid(body, &chars) || chars < 1 || chars > TW_BODY_MAX)
		return dl_fail(a, out, DL_PERMANENT, "the text has %lld characters; Twilio takes 1 to %d", chars,
			       TW_BODY_MAX);
	const char *auth = arena_printf(a, "%s:%s", c->sid, c->token);
	const char *headers[] = {arena_printf(a, "Authorization: Basic %s", crypto_base64(a, auth, strlen(auth))),
				 "Content-Type: application/x-www-form-urlencoded", "Accept: application/json", NULL};
	const char *path = arena_printf(a, "/2010-04-01/Accounts/%s/Messages.json", http_form_encode(a, c->sid));
	const char *form = form_body(a, c, to, body, status_callback);
	if (!httpc_request_timed(a, "POST", httpc_join(a, c->base_url, path), headers, form, strlen(form),
				 c->timeout_ms, &res, &err))
		return dl_fail(a, out, DL_TRANSIENT, "Twilio did not answer: %s", err);
	classify(a, &res, out);
	return out->cls;
}

/* ---- status callbacks --------------------------------------------------------------------- */

static int by_name_then_value(const void *x, const void *y)
{
	const struct kv *p = x, *q = y;
	int c = strcmp(p->key, q->key);

	return c ? c : strcmp(p->value, q->value);
}

char *tw_signature(struct arena *a, const char *token, const char *url, const struct kvlist *form)
{
	struct kv *sorted = arena_alloc(a, (form->len + 1) * sizeof(*sorted));
	unsigned char mac[20];
	struct buf s;

	if (form->len)
		memcpy(sorted, form->items, form->len * sizeof(*sorted));
	qsort(sorted, form->len, sizeof(*sorted), by_name_then_value);
	buf_init(&s, a);
	buf_puts(&s, url);
	for (size_t i = 0; i < form->len; i++) /* a pair sent twice counts once, as Twilio signs it */
		if (i == 0 || by_name_then_value(&sorted[i - 1], &sorted[i]) != 0) {
			buf_puts(&s, sorted[i].key);
			buf_puts(&s, sorted[i].value);
		}
	if (!crypto_hmac_sha1(token, strlen(token), s.data, s.len, mac))
		return NULL;
	return crypto_base64(a, mac, sizeof(mac));
}

bool tw_signature_valid(struct arena *a, const char *token, const char *url, const struct kvlist *form,
			const char *header)
{
	const char *expected = tw_signature(a, token, url, form);

	return header && expected && crypto_streq(expected, header);
}

static bool is_message_sid(const char *s)
{
	return s && (strncmp(s, "SM", 2) == 0 || strncmp(s, "MM", 2) == 0) && strlen(s) == 34 &&
	       strspn(s + 2, "0123456789abcdefABCDEF") == 32;
}

static bool refuse(const char **why, const char *text)
{
	*why = text;
	return false;
}

static enum tw_outcome outcome_of(const char *status)
{
	if (strcmp(status, "delivered") == 0 || strcmp(status, "read") == 0)
		return TW_DELIVERED;
	if (strcmp(status, "failed") == 0 || strcmp(status, "undelivered") == 0)
		return TW_FAILED;
	return TW_IN_FLIGHT;
}

bool tw_callback_parse(struct arena *a, const char *data, size_t len, struct kvlist *form, struct tw_callback *out,
		       const char **why)
{
	char *text = arena_alloc(a, len + 1);
	bool in_key;

	memset(out, 0, sizeof(*out));
	memcpy(text, data, len);
	text[len] = '\0';
	if (memchr(data, '\0', len) || !http_parse_form(a, text, len, form))
		return refuse(why, "the body is not a form");
	if (http_kv_not_utf8(form, &in_key))
		return refuse(why, "the form is not UTF-8");
	out->message_sid = http_kv_get(form, "MessageSid");
	out->status = http_kv_get(form, "MessageStatus");
	out->to = http_kv_get(form, "To");
	const char *code = http_kv_get(form, "ErrorCode");
	if (!is_message_sid(out->message_sid))
		return refuse(why, "MessageSid is missing or not a message sid");
	if (!out->status || !*out->status || strspn(out->status, "abcdefghijklmnopqrstuvwxyz_") != strlen(out->status))
		return refuse(why, "MessageStatus is missing or malformed");
	if (code && *code && (strlen(code) > 6 || strspn(code, "0123456789") != strlen(code)))
		return refuse(why, "ErrorCode is not a number");
	out->error_code = code ? strtol(code, NULL, 10) : 0;
	out->outcome = outcome_of(out->status);
	return true;
}

/* ---- segments ------------------------------------------------------------------------------- */

/* Septets a code point takes in GSM-7: 1 (basic table), 2 (extension table), 0 (not there). */
static int gsm_septets(uint32_t cp)
{
	static const uint16_t BASIC[] = {0xa1, 0xa3, 0xa4, 0xa5, 0xa7, 0xbf, 0xc4, 0xc5, 0xc6, 0xc7, 0xc9,
					 0xd1, 0xd6, 0xd8, 0xdc, 0xdf, 0xe0, 0xe4, 0xe5, 0xe6, 0xe8, 0xe9,
					 0xec, 0xf1, 0xf2, 0xf6, 0xf8, 0xf9, 0xfc, 0x393, 0x394, 0x398, 0x39b,
					 0x39e, 0x3a0, 0x3a3, 0x3a6, 0x3a8, 0x3a9};

	if (cp == '\n' || cp == '\r')
		return 1;
	if (cp >= 0x20 && cp < 0x7f)
		return cp == '`' ? 0 : strchr("^{}\\[~]|", (int)cp) ? 2 : 1;
	if (cp == 0x20ac || cp == '\f') /* € and the page break live in the extension table */
		return 2;
	for (size_t i = 0; i < sizeof(BASIC) / sizeof(BASIC[0]); i++)
		if (BASIC[i] == cp)
			return 1;
	return 0;
}

/* The code point at *p (advanced past it); a malformed byte is taken as U+FFFD on its own. */
static uint32_t next_cp(const unsigned char **p)
{
	const unsigned char *s = *p;
	int len = s[0] < 0x80 ? 1 : s[0] >= 0xc2 && s[0] <= 0xdf ? 2 : s[0] >= 0xe0 && s[0] <= 0xef ? 3
					: s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : 0;
	uint32_t cp = len == 1 ? s[0] : len == 2 ? s[0] & 0x1fu : len == 3 ? s[0] & 0x0fu : s[0] & 0x07u;

	for (int i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			len = 0;
			break;
		}
		cp = cp << 6 | (s[i] & 0x3fu);
	}
	*p += len ? len : 1;
	return len ? cp : 0xfffd;
}

void tw_count_segments(const char *utf8, struct tw_segments *out)
{
	size_t septets = 0, units = 0;
	bool gsm = true;

	for (const unsigned char *p = (const unsigned char *)utf8; *p;) {
		uint32_t cp = next_cp(&p);
		int s = gsm_septets(cp);
		gsm = gsm && s > 0;
		septets += (size_t)s;
		units += cp > 0xffff ? 2 : 1;
	}
	out->ucs2 = !gsm;
	out->units = gsm ? septets : units;
	size_t single = gsm ? 160 : 70, part = gsm ? 153 : 67;
	out->segments = out->units == 0 ? 0 : out->units <= single ? 1 : (int)((out->units + part - 1) / part);
}
