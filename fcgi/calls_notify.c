/* calls_notify: a Zadarma notification's fields checked against what each may hold. */
#include "calls_notify.h"

#include <stdio.h>
#include <string.h>

#include "jsonv.h"
#include "log.h"
#include "phone.h"

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

int calls_notify_check(struct req *r, const struct kvlist *form)
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

/* The caller coming in, the destination going out. */
const char *calls_notify_customer(struct req *r, const struct kvlist *form, const char *event)
{
	const char *raw = http_kv_get(form, strncmp(event, "NOTIFY_OUT_", 11) == 0 ? "destination" : "caller_id");
	char norm[32];

	if (!raw || !phone_normalize(raw, r->cfg->default_country, norm, sizeof(norm)))
		return NULL; /* anonymous, or an internal extension */
	return arena_strdup(r->arena, norm);
}

const char *calls_notify_record(struct req *r, const struct kvlist *form)
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

int calls_notify_refuse(struct req *r, const char *event)
{
	char extra[512], esc[128];

	log_escape(esc, sizeof(esc), event);
	snprintf(extra, sizeof(extra), ",\"requestId\":\"%s\",\"event\":\"%s\",\"client\":\"%s\"", r->request_id,
		 esc, r->client_ip);
	log_line("warn", "zadarma notification with a bad or missing Signature refused", extra);
	return reply_error(r, 401, "unauthenticated", NULL, "bad or missing Signature");
}
