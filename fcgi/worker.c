/* worker: accept → read → dispatch → write once → log → reset the arena, until told to stop. */
#include "worker.h"

#include <errno.h>
#include <fcgiapp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto.h"
#include "dispatch.h"
#include "log.h"
#include "metrics.h"
#include "router.h"

static volatile sig_atomic_t stopping;

static void on_term(int sig)
{
	(void)sig;
	stopping = 1;
}

static const char *reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 202: return "Accepted";
	case 204: return "No Content";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Entity";
	case 429: return "Too Many Requests";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	default: return status < 500 ? "Client Error" : "Server Error";
	}
}

static char *copy_env(struct req *r, const char *name)
{
	return arena_strdup(r->arena, req_env(r, name));
}

/* Read exactly CONTENT_LENGTH bytes; > REQ_MAX_BODY is refused before reading. */
static int read_body(struct req *r, FCGX_Stream *in)
{
	const char *cl = req_env(r, "CONTENT_LENGTH");
	char *end;
	long long n = cl ? strtoll(cl, &end, 10) : 0;

	if (cl && (*end || n < 0))
		return reply_error(r, 400, "bad_request", NULL, "bad Content-Length");
	if (n > REQ_MAX_BODY)
		return reply_error(r, 413, "too_large", NULL, "the body is larger than 1 MiB");
	char *body = arena_alloc(r->arena, (size_t)n + 1);
	int got = n ? FCGX_GetStr(body, (int)n, in) : 0;
	if (got != n)
		return reply_error(r, 400, "bad_request", NULL, "the body ended early");
	body[n] = '\0';
	r->body = body;
	r->body_len = (size_t)n;
	return 0;
}

static void parse_request(struct req *r, FCGX_Request *fr)
{
	char rid[33];
	unsigned char raw[16];

	r->method = copy_env(r, "REQUEST_METHOD");
	r->path = copy_env(r, "DOCUMENT_URI");
	if (!r->path) {
		const char *uri = req_env(r, "REQUEST_URI");
		r->path = uri ? arena_strndup(r->arena, uri, strcspn(uri, "?")) : "/";
	}
	r->query_string = copy_env(r, "QUERY_STRING");
	r->request_id = copy_env(r, "HTTP_X_REQUEST_ID");
	if (!r->request_id) {
		if (!crypto_random(raw, sizeof(raw)))
			memset(raw, 0, sizeof(raw));
		for (int i = 0; i < 16; i++)
			snprintf(rid + i * 2, 3, "%02x", raw[i]);
		r->request_id = arena_strdup(r->arena, rid);
	}
	r->client_ip = copy_env(r, "HTTP_X_REAL_IP");
	if (!r->client_ip)
		r->client_ip = copy_env(r, "REMOTE_ADDR");
	if (!r->client_ip)
		r->client_ip = "unknown";
	if (!r->method)
		r->method = "GET";
	(void)fr;
}

static void write_response(struct req *r, FCGX_Stream *out)
{
	struct buf h;

	buf_init(&h, r->arena);
	buf_printf(&h, "Status: %d %s\r\nX-Request-Id: %s\r\nCache-Control: no-store\r\n", r->status,
		   reason(r->status), r->request_id);
	if (r->content_type)
		buf_printf(&h, "Content-Type: %s\r\n", r->content_type);
	for (struct req_header *x = r->headers; x; x = x->next)
		buf_printf(&h, "%s: %s\r\n", x->name, x->value);
	buf_printf(&h, "Content-Length: %zu\r\n\r\n", r->out.len);
	/* A client that went away is not our failure: nothing more to do for it. */
	if (FCGX_PutStr(h.data, (int)h.len, out) < 0 ||
	    (r->out.len && strcmp(r->method, "HEAD") != 0 && FCGX_PutStr(r->out.data, (int)r->out.len, out) < 0))
		return;
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static void log_request(struct req *r, const char *route, double us)
{
	char extra[1024], path[512];

	log_escape(path, sizeof(path), r->path);
	snprintf(extra, sizeof(extra),
		 ",\"requestId\":\"%s\",\"method\":\"%s\",\"path\":\"%s\",\"route\":\"%s\",\"status\":%d,"
		 "\"durationUs\":%.0f,\"userId\":%s%s%s",
		 r->request_id, r->method, path, route, r->status, us,
		 r->signed_in ? "\"" : "", r->signed_in ? r->user.id : "null", r->signed_in ? "\"" : "");
	log_line(r->status >= 500 ? "error" : "info", "request", extra);
}

/* Every name and value, once decoded, is UTF-8: handlers and SQL never see other bytes. A bad
 * name is a bad request; a bad value is a validation error on its parameter. */
static int query_utf8(struct req *r)
{
	bool in_key;
	const struct kv *bad = http_kv_not_utf8(&r->query, &in_key);

	if (!bad)
		return 0;
	if (in_key)
		return reply_error(r, 400, "bad_request", NULL, "the query string is not valid UTF-8");
	return reply_error(r, 422, "validation_failed", bad->key, arena_printf(r->arena, "%s is not valid UTF-8", bad->key));
}

static void serve_one(FCGX_Request *fr, struct arena *arena, struct db *db, const struct config *cfg)
{
	struct req r = {.arena = arena, .db = db, .cfg = cfg, .envp = fr->envp, .status = 500};
	double start = now_us();

	buf_init(&r.out, arena);
	parse_request(&r, fr);
	db_set_log_context(db, r.request_id);
	if (!http_parse_form(arena, r.query_string, r.query_string ? strlen(r.query_string) : 0, &r.query))
		reply_error(&r, 400, "bad_request", NULL, "malformed query string");
	else if (query_utf8(&r))
		; /* answered */
	else if (read_body(&r, fr->in) == 0)
		dispatch(&r);
	double us = now_us() - start;
	char route[128]; /* "/api/users/{id}": the pattern without its types, as logs and metrics had it */

	write_response(&r, fr->out);
	router_label(r.route ? r.route->pattern : "", route, sizeof(route));
	metrics_observe(r.route ? route : "unmatched", r.status, us);
	log_request(&r, route, us);
}

int worker_run(int listen_fd, const struct config *cfg)
{
	struct sigaction sa = {.sa_handler = on_term};
	FCGX_Request fr;
	struct arena arena;

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGTERM, &sa, NULL) || sigaction(SIGINT, &sa, NULL) || FCGX_Init() ||
	    FCGX_InitRequest(&fr, listen_fd, FCGI_FAIL_ACCEPT_ON_INTR))
		return 1;
	signal(SIGPIPE, SIG_IGN);
	struct db *db = db_open(cfg->database_url);
	if (!db)
		return 1;
	arena_init(&arena, 32768);
	while (!stopping) {
		if (FCGX_Accept_r(&fr) < 0) {
			if (stopping || errno == EINTR)
				continue;
			log_fmt("error", "accept failed: %s", strerror(errno));
			break;
		}
		serve_one(&fr, &arena, db, cfg);
		FCGX_Finish_r(&fr);
		arena_reset(&arena);
	}
	FCGX_Free(&fr, 1);
	db_close(db);
	return 0;
}
