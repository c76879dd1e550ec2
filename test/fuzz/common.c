/* common: the fuzz targets' shared helpers (see fuzz.h). */
#include "fuzz.h"

#include <string.h>

#include "jsonv.h"

char *fuzz_copy(struct arena *a, const uint8_t *data, size_t size)
{
	char *s = arena_alloc(a, size + 1);

	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

void fuzz_pieces(struct arena *a, const uint8_t *data, size_t size,
		 void (*fn)(struct arena *a, const char *s, size_t len, void *ctx), void *ctx)
{
	const char *s = fuzz_copy(a, data, size), *end = s + size;

	for (const char *p = s; p <= end;) {
		size_t len = strlen(p);

		fn(a, p, len, ctx);
		p += len + 1;
	}
}

int fuzz_each_piece(const uint8_t *data, size_t size,
		    void (*fn)(struct arena *a, const char *s, size_t len, void *ctx), void *ctx)
{
	struct arena a;

	arena_init(&a, 4096);
	fuzz_pieces(&a, data, size, fn, ctx);
	arena_reset(&a);
	return 0;
}

bool fuzz_req_init(struct req *r, struct arena *a, const struct config *cfg, const char *method,
		   const char *query, char **envp)
{
	memset(r, 0, sizeof(*r));
	r->arena = a;
	r->cfg = cfg;
	r->envp = envp;
	r->method = method;
	r->path = "/";
	r->request_id = "fuzz";
	r->client_ip = "127.0.0.1";
	r->status = 500;
	r->query_string = query;
	buf_init(&r->out, a);
	if (!http_parse_form(a, query, query ? strlen(query) : 0, &r->query))
		return false;
	bool in_key;
	return http_kv_not_utf8(&r->query, &in_key) == NULL;
}

void fuzz_check_reply(const struct req *r)
{
	static const int known[] = {200, 201, 202, 204, 400, 401, 403, 404, 405, 409, 413, 415, 422, 429, 503};
	bool ok = false;

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		ok = ok || r->status == known[i];
	FUZZ_CHECK(ok);
	if (r->status < 400)
		return;
	struct arena a;
	arena_init(&a, 1024);
	FUZZ_CHECK(r->out.data && r->content_type && strcmp(r->content_type, "application/json") == 0);
	cJSON *root = jv_parse_object(&a, r->out.data, r->out.len);
	FUZZ_CHECK(root);
	const cJSON *err = cJSON_GetObjectItemCaseSensitive(root, "error");
	FUZZ_CHECK(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(err, "code")));
	FUZZ_CHECK(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(err, "message")));
	arena_reset(&a);
}
