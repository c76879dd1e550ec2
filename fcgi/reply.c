/* reply: every answer is a complete buffer; nothing reaches the stream before the handler ends. */
#include "req.h"

#include <fcgiapp.h>
#include <string.h>

#include "jsonv.h"

const char *req_env(const struct req *r, const char *name)
{
	if (!r->envp)
		return NULL;
	const char *v = FCGX_GetParam(name, r->envp);
	return v && *v ? v : NULL;
}

const char *req_query(const struct req *r, const char *name)
{
	return http_kv_get(&r->query, name);
}

const char *req_param(const struct req *r, const char *name)
{
	const char *v = req_query(r, name);

	return v && *v ? v : NULL;
}

int reply_text(struct req *r, int status, const char *content_type, const char *body)
{
	r->status = status;
	r->content_type = content_type;
	buf_clear(&r->out);
	if (body)
		buf_puts(&r->out, body);
	return status;
}

int reply_json(struct req *r, int status, const char *json)
{
	return reply_text(r, status, "application/json", json);
}

int reply_empty(struct req *r, int status)
{
	return reply_text(r, status, NULL, NULL);
}

int reply_error(struct req *r, int status, const char *code, const char *field, const char *message)
{
	cJSON *root = cJSON_CreateObject(), *err = cJSON_AddObjectToObject(root, "error");

	if (!root || !err || !cJSON_AddStringToObject(err, "code", code) ||
	    !cJSON_AddStringToObject(err, "message", message ? message : code) ||
	    (field && !cJSON_AddStringToObject(err, "field", field))) {
		cJSON_Delete(root);
		return reply_json(r, 500, "{\"error\":{\"code\":\"internal\",\"message\":\"internal error\"}}");
	}
	char *text = jv_print(r->arena, root);
	cJSON_Delete(root);
	return reply_json(r, status, text);
}

int reply_db(struct req *r, enum db_rc rc)
{
	switch (rc) {
	case DB_OK:
		return reply_error(r, 500, "internal", NULL, "internal error");
	case DB_UNAVAILABLE:
		reply_header(r, "Retry-After", "1");
		return reply_error(r, 503, "unavailable", NULL, "the database is unavailable, try again shortly");
	case DB_CONFLICT:
		return reply_error(r, 409, "conflict", NULL, "a record with these values already exists");
	case DB_INVALID:
		return reply_error(r, 422, "validation_failed", NULL, "a value was not accepted");
	case DB_ERROR:
		break;
	}
	return reply_error(r, 500, "internal", NULL, "internal error");
}

void reply_header(struct req *r, const char *name, const char *value)
{
	struct req_header *h = arena_alloc(r->arena, sizeof(*h));

	h->name = name;
	h->value = arena_strdup(r->arena, value);
	h->next = r->headers;
	r->headers = h;
}
