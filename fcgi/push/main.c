/* brando-push: the WebSocket fan-out daemon behind nginx's /ws. One libwebsockets event loop,
 * one PostgreSQL connection on it (feed.c), clients identified only by the X-Brando-User /
 * X-Brando-Role headers nginx sets from auth_request: it listens where only nginx can reach.
 * No global state: the callbacks reach the daemon through lws_context_user(), and signals
 * arrive on the loop through a signalfd instead of a handler. */
#include <errno.h>
#include <libwebsockets.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "config.h"
#include "log.h"
#include "clients.h"
#include "feed.h"
#include "rawfd.h"
#include "ring.h"
#include "since.h"
#include "stats.h"

#define SHUTDOWN_GRACE_US (3 * LWS_US_PER_SEC) /* for clients to take their close frame */
#define SIGNAL_PROTOCOL "brando-signal"             /* the signalfd's callback */

/* The daemon: main owns it, on its stack, for the life of the lws context. */
struct push {
	struct lws_context *cx;
	struct ring ring;
	struct push_stats stats;
	struct clients clients;
	struct feed *feed;
	struct lws *signals; /* the signalfd */
	bool shutting_down, done;
	lws_sorted_usec_list_t sul_shutdown;
};

static struct push *push_of(struct lws *wsi)
{
	return lws_context_user(lws_get_context(wsi));
}

struct ident {
	char user[64];
	const char *role_name;
	unsigned role;
	int64_t since; /* -1: no ?since */
};

/* ---- who is asking ----------------------------------------------------------------------- */

static bool token_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '-'))
			return false;
	return true;
}

static int parse_since(struct lws *wsi, int64_t *since)
{
	char buf[64];
	const char *v = lws_get_urlarg_by_name(wsi, "since=", buf, sizeof(buf));

	*since = -1;
	return !v || push_since_parse(v, strlen(v), since) ? 0 : 400;
}

/* The HTTP status refusing the upgrade, or 0 with *id filled. Only nginx can reach us, and
 * nginx sets both headers from its auth_request answer (empty when there was none). */
static int identify(struct lws *wsi, struct ident *id, const char **msg)
{
	char path[16], role[16];

	*msg = "no such endpoint";
	if (lws_hdr_copy(wsi, path, sizeof(path), WSI_TOKEN_GET_URI) <= 0 || strcmp(path, "/ws") != 0)
		return 404;
	*msg = "sign in first";
	if (lws_hdr_custom_copy(wsi, id->user, sizeof(id->user), "x-brando-user:", 14) <= 0 ||
	    !token_ok(id->user))
		return 401;
	*msg = "only admins and operators receive live events";
	if (lws_hdr_custom_copy(wsi, role, sizeof(role), "x-brando-role:", 14) <= 0)
		return 401;
	id->role = role_parse(role) & ROLES_STAFF;
	if (!id->role)
		return 403;
	id->role_name = role_name(id->role);
	*msg = "since must be an event id (digits)";
	return parse_since(wsi, &id->since);
}

/* ---- plain HTTP: /metrics and errors ----------------------------------------------------- */

static int http_reply(struct lws *wsi, unsigned status, const char *type, const char *body, size_t len)
{
	unsigned char head[LWS_PRE + 512], *start = head + LWS_PRE, *p = start, *end = head + sizeof(head);
	unsigned char *out = malloc(LWS_PRE + len + 1);
	int rc = -1;

	if (!out)
		return -1;
	memcpy(out + LWS_PRE, body, len);
	if (lws_add_http_common_headers(wsi, status, type, len, &p, end) == 0 &&
	    lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_CACHE_CONTROL, (unsigned char *)"no-store", 8, &p,
					 end) == 0 &&
	    lws_finalize_write_http_header(wsi, start, &p, end) == 0 &&
	    lws_write(wsi, out + LWS_PRE, len, LWS_WRITE_HTTP_FINAL) == (int)len)
		rc = 0;
	free(out);
	return rc;
}

static int http_error(struct lws *wsi, unsigned status, const char *msg)
{
	const char *code = status == 400 ? "bad_request" : status == 401 ? "unauthenticated" :
			   status == 403 ? "forbidden" : status == 404 ? "not_found" : "unavailable";
	char body[300];
	int n = snprintf(body, sizeof(body), "{\"error\":{\"code\":\"%s\",\"message\":\"%s\"}}", code, msg);

	return http_reply(wsi, status, "application/json", body, (size_t)n);
}

static int http_request(struct push *p, struct lws *wsi, const char *path)
{
	if (strcmp(path, "/metrics") != 0)
		return http_error(wsi, strcmp(path, "/ws") == 0 ? 400 : 404,
				  strcmp(path, "/ws") == 0 ? "a WebSocket upgrade is required" : "no such endpoint");
	struct push_gauges g = {clients_count(&p->clients), clients_backlog_max(&p->clients), ring_last(&p->ring)};
	struct arena a;
	struct buf b;
	int rc;

	arena_init(&a, 8192);
	buf_init(&b, &a);
	push_stats_render(&b, &p->stats, &g);
	rc = http_reply(wsi, 200, "text/plain; version=0.0.4", b.data, b.len);
	arena_reset(&a);
	return rc;
}

/* ---- WebSocket --------------------------------------------------------------------------- */

static int confirm_upgrade(struct push *p, struct lws *wsi)
{
	struct ident id;
	const char *msg;
	int status = p->shutting_down ? 503 : identify(wsi, &id, &msg);

	if (status == 0)
		return 0;
	p->stats.refused++;
	if (status == 503)
		msg = "shutting down; connect again";
	return http_error(wsi, (unsigned)status, msg) ? -1 : 1;
}

static void on_shutdown_sul(lws_sorted_usec_list_t *sul)
{
	lws_container_of(sul, struct push, sul_shutdown)->done = true;
}

static void begin_shutdown(struct push *p)
{
	if (p->shutting_down)
		return;
	p->shutting_down = true;
	log_line("info", "SIGTERM: closing clients with 1001", NULL);
	clients_go_away(&p->clients);
	if (clients_count(&p->clients) == 0)
		p->done = true;
	else
		lws_sul_schedule(p->cx, 0, &p->sul_shutdown, on_shutdown_sul, SHUTDOWN_GRACE_US);
}

static int on_ws(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	struct client *c = user;
	struct ident id;
	const char *msg;

	switch (reason) {
	case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE:
		return confirm_upgrade(push_of(wsi), wsi);
	case LWS_CALLBACK_HTTP:
		if (http_request(push_of(wsi), wsi, in ? (const char *)in : ""))
			return -1;
		return lws_http_transaction_completed(wsi) ? -1 : 0;
	case LWS_CALLBACK_ESTABLISHED: /* headers are still there: read them again, keep a copy */
		if (identify(wsi, &id, &msg) != 0)
			return -1;
		client_open(&push_of(wsi)->clients, c, wsi, id.user, id.role_name, id.role, id.since);
		return 0;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		return client_writable(c);
	case LWS_CALLBACK_CLOSED: {
		struct push *p = push_of(wsi);

		client_close(c);
		if (p->shutting_down && clients_count(&p->clients) == 0)
			p->done = true;
		return 0;
	}
	default: /* RECEIVE included: clients have nothing to say */
		return lws_callback_http_dummy(wsi, reason, user, in, len);
	}
}

/* ---- signals ----------------------------------------------------------------------------- */

/* SIGTERM and SIGINT, blocked from the start (one sent during start-up waits for the loop),
 * read from a signalfd. -1 on failure. */
static int signals_open(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	if (sigprocmask(SIG_BLOCK, &set, NULL) != 0)
		return -1;
	return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

static int on_signal(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	struct signalfd_siginfo si;

	(void)user, (void)in, (void)len;
	switch (reason) {
	case LWS_CALLBACK_RAW_RX_FILE:
		while (read(lws_get_socket_fd(wsi), &si, sizeof(si)) == (ssize_t)sizeof(si))
			begin_shutdown(push_of(wsi));
		return 0;
	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
		return 1; /* never a WebSocket subprotocol */
	default:
		return 0;
	}
}

static const struct lws_protocols protocols[] = {
	{.name = "brando-push", .callback = on_ws, .per_session_data_size = sizeof(struct client),
	 .rx_buffer_size = 1024},
	{.name = FEED_PROTOCOL, .callback = feed_callback},
	{.name = SIGNAL_PROTOCOL, .callback = on_signal},
	{0},
};

/* ---- process ----------------------------------------------------------------------------- */

static void lws_log(int level, const char *line)
{
	char msg[512];

	snprintf(msg, sizeof(msg), "%s", line);
	msg[strcspn(msg, "\n")] = '\0';
	log_line(level == LLL_ERR ? "error" : "warn", msg, ",\"source\":\"libwebsockets\"");
}

struct settings {
	struct config cfg;
	int queue, ping, prune_interval, idle_poll_ms, gap_hold;
	long socket_mode; /* BRANDO_SOCKET_MODE, as for brando-fcgi: nginx's user must connect */
	char host[64];
	int port; /* 0: cfg.push_listen is a unix socket path */
};

static bool load_settings(struct settings *s)
{
	if (!config_load(&s->cfg))
		return false;
	if (!s->cfg.push_listen) {
		fprintf(stderr, "brando-push: set BRANDO_PUSH_LISTEN (a unix socket path, or 127.0.0.1:port)\n");
		return false;
	}
	const char *colon = strrchr(s->cfg.push_listen, ':');
	s->port = 0;
	if (colon && !strchr(s->cfg.push_listen, '/')) {
		s->port = atoi(colon + 1);
		snprintf(s->host, sizeof(s->host), "%.*s", (int)(colon - s->cfg.push_listen), s->cfg.push_listen);
		if (s->port <= 0 || s->port > 65535) {
			fprintf(stderr, "brando-push: BRANDO_PUSH_LISTEN port must be 1-65535\n");
			return false;
		}
	}
	const char *m = getenv("BRANDO_SOCKET_MODE");
	char *end = NULL;
	s->socket_mode = m && *m ? strtol(m, &end, 8) : 0660;
	if (m && *m && (*end || s->socket_mode < 0 || s->socket_mode > 0777)) {
		fprintf(stderr, "brando-push: BRANDO_SOCKET_MODE must be octal, like 0660\n");
		return false;
	}
	return config_int("BRANDO_PUSH_QUEUE", 4096, 16, 1 << 20, &s->queue) &&
	       config_int("BRANDO_PUSH_PING", 30, 1, 3600, &s->ping) &&
	       config_int("BRANDO_PUSH_PRUNE_INTERVAL", 300, 1, 86400, &s->prune_interval) &&
	       config_int("BRANDO_PUSH_IDLE_POLL_MS", 1000, 10, 3600000, &s->idle_poll_ms) &&
	       config_int("BRANDO_PUSH_GAP_HOLD", 10, 1, 3600, &s->gap_hold);
}

static struct lws_context *create_context(struct push *p, const struct settings *s, const lws_retry_bo_t *idle)
{
	struct lws_context_creation_info info;
	struct stat st;

	memset(&info, 0, sizeof(info));
	info.protocols = protocols;
	info.retry_and_idle_policy = idle;
	info.vhost_name = "default";
	info.options = LWS_SERVER_OPTION_DISABLE_IPV6;
	info.user = p; /* push_of() */
	if (s->port) {
		info.iface = s->host;
		info.port = s->port;
	} else {
		info.options |= LWS_SERVER_OPTION_UNIX_SOCK;
		info.iface = s->cfg.push_listen;
		if (stat(info.iface, &st) == 0 && S_ISSOCK(st.st_mode))
			unlink(info.iface); /* stale socket of a previous run */
	}
	return lws_create_context(&info);
}

/* The feed reads into the ring and tells the clients (hooks); the clients ask it for pages. */
static bool start_feed(struct push *p, const struct settings *s)
{
	struct feed_config fc = {s->cfg.database_url, s->cfg.events_retain_seconds, s->cfg.events_retain_count,
				 s->prune_interval, s->queue / 4 < FEED_PAGE_MAX ? s->queue / 4 : FEED_PAGE_MAX,
				 s->idle_poll_ms, s->gap_hold, &p->ring, &p->stats};
	struct feed_hooks hooks = clients_hooks(&p->clients);

	p->clients.ring = &p->ring;
	p->clients.stats = &p->stats;
	p->feed = feed_start(p->cx, lws_get_vhost_by_name(p->cx, "default"), &fc, &hooks);
	p->clients.feed = p->feed;
	return p->feed != NULL;
}

/* Listen, serve until SIGTERM has closed every client (or the grace ran out), clean up. */
static int serve(struct push *p, const struct settings *s, const lws_retry_bo_t *idle, int sigfd)
{
	p->cx = create_context(p, s, idle);
	if (!p->cx) {
		fprintf(stderr, "brando-push: cannot listen on %s\n", s->cfg.push_listen);
		close(sigfd);
		return 1;
	}
	if (!s->port && chmod(s->cfg.push_listen, (mode_t)s->socket_mode) != 0)
		log_fmt("error", "chmod %s: %s", s->cfg.push_listen, strerror(errno));
	p->signals = rawfd_adopt(lws_get_vhost_by_name(p->cx, "default"), sigfd, SIGNAL_PROTOCOL, p);
	if (!p->signals) {
		p->done = true;
		log_line("error", "cannot watch the signalfd", NULL);
	} else if (!start_feed(p, s)) {
		p->done = true;
		log_line("error", "out of memory", NULL);
	} else {
		log_fmt("info", "brando-push listening on %s", s->cfg.push_listen);
	}
	while (!p->done && lws_service(p->cx, 0) >= 0)
		;
	feed_stop(p->feed);
	lws_context_destroy(p->cx); /* closing clients leave the feed's queue: free it after */
	feed_free(p->feed);
	if (!s->port)
		unlink(s->cfg.push_listen);
	return p->feed ? 0 : 1;
}

int main(void)
{
	struct settings s;
	lws_retry_bo_t idle = {0};
	struct push p = {0};
	int sigfd, rc;

	if (!load_settings(&s))
		return 2;
	if (!ring_init(&p.ring, (size_t)s.queue)) {
		fprintf(stderr, "brando-push: out of memory\n");
		return 1;
	}
	idle.secs_since_valid_ping = (uint16_t)s.ping;
	idle.secs_since_valid_hangup = (uint16_t)(s.ping * 2 > 65535 ? 65535 : s.ping * 2);
	lws_set_log_level(LLL_ERR | LLL_WARN, lws_log);
	signal(SIGPIPE, SIG_IGN);
	sigfd = signals_open();
	if (sigfd < 0) {
		fprintf(stderr, "brando-push: signalfd: %s\n", strerror(errno));
		return 1;
	}
	rc = serve(&p, &s, &idle, sigfd);
	ring_free(&p.ring);
	log_line("info", "brando-push stopped", NULL);
	return rc;
}
