/* wsfan: a lean WebSocket load client for `make bench` — N connections to /ws through nginx
 * in one libwebsockets event loop. Each received frame that carries "bench-ts:<epoch µs>"
 * (put in the ticket's notes by the writer) yields one latency sample: receipt − send.
 * Prints one JSON line: clients connected, frames and samples received, p50/p99/max in ms.
 * Bounded: it exits after the given number of seconds. Only 127.0.0.1 is ever a target. */
#include <libwebsockets.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#define MAX_SAMPLES (4 * 1024 * 1024)

static const char *cookie;
static int connected, closed_early;
static long frames, nsamples;
static double *samples;

struct conn {
	char buf[65536];
	size_t len;
};

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static void sample(const char *msg)
{
	const char *p = strstr(msg, "bench-ts:");

	frames++;
	if (!p || nsamples >= MAX_SAMPLES)
		return;
	samples[nsamples++] = (now_us() - strtod(p + 9, NULL)) / 1000.0;
}

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	struct conn *c = user;

	switch (reason) {
	case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER: {
		unsigned char **p = in, *end = *p + len;
		if (lws_add_http_header_by_name(wsi, (const unsigned char *)"cookie:",
						(const unsigned char *)cookie, (int)strlen(cookie), p, end))
			return -1;
		break;
	}
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		connected++;
		break;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		if (c->len + len < sizeof(c->buf)) {
			memcpy(c->buf + c->len, in, len);
			c->len += len;
		}
		if (lws_is_final_fragment(wsi)) {
			c->buf[c->len] = '\0';
			sample(c->buf);
			c->len = 0;
		}
		break;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
	case LWS_CALLBACK_CLIENT_CLOSED:
		closed_early++;
		break;
	default:
		break;
	}
	return 0;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	static const struct lws_protocols protocols[] = {
		{"brando", callback, sizeof(struct conn), 65536, 0, NULL, 0},
		{NULL, NULL, 0, 0, 0, NULL, 0},
	};
	struct lws_context_creation_info info;
	struct rlimit rl = {65536, 65536};

	if (argc != 5) {
		fprintf(stderr, "usage: wsfan PORT COOKIE CLIENTS SECONDS\n");
		return 2;
	}
	int port = atoi(argv[1]), clients = atoi(argv[3]), seconds = atoi(argv[4]);
	cookie = argv[2];
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
		perror("setrlimit");
	samples = malloc(sizeof(*samples) * MAX_SAMPLES);
	if (!samples)
		return 1;
	lws_set_log_level(LLL_ERR, NULL);
	memset(&info, 0, sizeof(info));
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	info.fd_limit_per_thread = (unsigned)clients + 64;
	struct lws_context *ctx = lws_create_context(&info);
	if (!ctx)
		return 1;
	for (int i = 0; i < clients; i++) {
		struct lws_client_connect_info ci;
		memset(&ci, 0, sizeof(ci));
		ci.context = ctx;
		ci.address = "127.0.0.1";
		ci.port = port;
		ci.path = "/ws";
		ci.host = "127.0.0.1";
		ci.origin = "127.0.0.1";
		ci.protocol = NULL;
		ci.local_protocol_name = "brando";
		if (!lws_client_connect_via_info(&ci))
			closed_early++;
	}
	double end = now_us() + seconds * 1e6;
	printf("{\"ready\":true}\n");
	fflush(stdout);
	while (now_us() < end)
		lws_service(ctx, 50);
	lws_context_destroy(ctx);
	qsort(samples, (size_t)nsamples, sizeof(*samples), cmp);
	double p50 = nsamples ? samples[nsamples / 2] : 0, p99 = nsamples ? samples[(long)(nsamples * 0.99)] : 0;
	double max = nsamples ? samples[nsamples - 1] : 0;
	printf("{\"connected\":%d,\"closed\":%d,\"frames\":%ld,\"samples\":%ld,\"p50\":%.2f,\"p99\":%.2f,\"max\":%.2f}\n",
	       connected, closed_early, frames, nsamples, p50, p99, max);
	free(samples);
	return 0;
}
