/* httpc: one easy handle per request, bounded in time and size; the answer lands in the arena. */
#include "httpc.h"

#include <curl/curl.h>
#include <string.h>

#include "buf.h"

struct sink {
	struct buf buf;
	bool too_large;
};

char *httpc_join(struct arena *a, const char *base, const char *path)
{
	size_t n = strlen(base);

	if (n && base[n - 1] == '/' && path[0] == '/')
		n--;
	return arena_printf(a, "%.*s%s", (int)n, base, path);
}

bool httpc_global_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
}

static size_t on_data(char *p, size_t size, size_t n, void *userdata)
{
	struct sink *s = userdata;
	size_t len = size * n;

	if (s->buf.len + len > (size_t)HTTPC_MAX_RESPONSE) {
		s->too_large = true;
		return 0; /* makes curl stop with CURLE_WRITE_ERROR */
	}
	buf_append(&s->buf, p, len);
	return len;
}

static void free_headers(void *list)
{
	curl_slist_free_all(list);
}

static bool set_options(CURL *c, const char *method, const char *url, struct curl_slist *hdrs,
			const char *body, size_t body_len, long total_ms, struct sink *s)
{
	bool ok = curl_easy_setopt(c, CURLOPT_URL, url) == CURLE_OK &&
		  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https") == CURLE_OK &&
		  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) == CURLE_OK &&
		  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, HTTPC_CONNECT_TIMEOUT_MS) == CURLE_OK &&
		  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, total_ms) == CURLE_OK &&
		  curl_easy_setopt(c, CURLOPT_USERAGENT, "brando-crm") == CURLE_OK &&
		  curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs) == CURLE_OK &&
		  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data) == CURLE_OK &&
		  curl_easy_setopt(c, CURLOPT_WRITEDATA, s) == CURLE_OK;

	if (ok && strcmp(method, "POST") == 0)
		ok = curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len) == CURLE_OK &&
		     curl_easy_setopt(c, CURLOPT_POSTFIELDS, body ? body : "") == CURLE_OK;
	else if (ok && strcmp(method, "GET") != 0)
		ok = curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method) == CURLE_OK;
	return ok;
}

bool httpc_request(struct arena *a, const char *method, const char *url, const char *const *headers,
		   const char *body, size_t body_len, struct httpc_response *out, const char **err)
{
	return httpc_request_timed(a, method, url, headers, body, body_len, HTTPC_TOTAL_TIMEOUT_MS, out, err);
}

bool httpc_request_timed(struct arena *a, const char *method, const char *url, const char *const *headers,
			 const char *body, size_t body_len, long total_ms, struct httpc_response *out,
			 const char **err)
{
	struct curl_slist *hdrs = NULL;
	struct sink s = {.too_large = false};
	CURL *c = curl_easy_init();

	out->status = 0;
	out->body = "";
	out->len = 0;
	if (!c) {
		*err = "cannot create a curl handle";
		return false;
	}
	buf_init(&s.buf, a);
	for (size_t i = 0; headers && headers[i]; i++) {
		struct curl_slist *next = curl_slist_append(hdrs, headers[i]);
		if (!next) {
			curl_slist_free_all(hdrs);
			curl_easy_cleanup(c);
			*err = "out of memory";
			return false;
		}
		hdrs = next;
	}
	arena_defer(a, free_headers, hdrs);
	CURLcode rc = set_options(c, method, url, hdrs, body, body_len, total_ms, &s) ? curl_easy_perform(c)
									     : CURLE_BAD_FUNCTION_ARGUMENT;
	if (rc == CURLE_OK)
		rc = curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
	curl_easy_cleanup(c);
	if (rc != CURLE_OK) {
		*err = s.too_large ? "the answer is too large" : arena_strdup(a, curl_easy_strerror(rc));
		return false;
	}
	out->body = s.buf.data ? s.buf.data : "";
	out->len = s.buf.len;
	return true;
}
