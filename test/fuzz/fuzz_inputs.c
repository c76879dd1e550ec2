/* libFuzzer target: everything a stranger's bytes reach before a handler — query/form and
 * cookie parsing, JSON body parsing + schema validation, phone normalization, routing. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "http.h"
#include "jsonv.h"
#include "phone.h"
#include "router.h"

static const char *const ROLES[] = {"admin", "operator", "master", NULL};
static const struct jv_field SCHEMA[] = {
	{"username", JV_STRING, JV_REQUIRED, 64, 0, NULL},
	{"role", JV_ENUM, 0, 0, 0, ROLES},
	{"count", JV_INT, 0, 100, 0, NULL},
	{"chat", JV_INT64, 0, 0, 0, NULL},
	{"price", JV_MONEY, 0, 0, 0, NULL},
	{"at", JV_TIME, 0, 0, 0, NULL},
	{"id", JV_UUID, 0, 0, 0, NULL},
	{"ok", JV_BOOL, 0, 0, 0, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	struct kvlist l;
	struct jv_error err;
	const struct route *rt;
	const char *params[REQ_MAX_PARAMS];
	int n;
	char phone[32];

	arena_init(&a, 4096);
	char *s = arena_strndup(&a, (const char *)data, size); /* NUL-terminated copy */
	if (http_parse_form(&a, s, strlen(s), &l))
		for (size_t i = 0; i < l.len; i++)
			(void)http_kv_get(&l, l.items[i].key);
	(void)http_cookie_get(&a, s, "brando_sid");
	(void)http_form_encode(&a, s);
	cJSON *obj = jv_parse_object(&a, s, strlen(s));
	if (obj && jv_validate(obj, SCHEMA, size & 1, &err))
		for (const struct jv_field *f = SCHEMA; f->name; f++)
			(void)jv_text(&a, obj, f->name);
	(void)phone_normalize(s, "380", phone, sizeof(phone));
	(void)router_match(ROUTES, &a, "GET", s, &rt, params, &n);
	(void)router_match(ROUTES, &a, "PATCH", s, &rt, params, &n);
	arena_reset(&a);
	return 0;
}
