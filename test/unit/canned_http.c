/* canned_http: accept, read one request, answer from the script, close; tests read what came. */
#include "canned_http.h"

#include "httpc.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* The head and as much body as Content-Length says (bounded by CANNED_MAX). */
static size_t read_request(int fd, char *buf)
{
	size_t len = 0;
	const char *end = NULL;

	while (len < CANNED_MAX - 1) {
		ssize_t n = recv(fd, buf + len, CANNED_MAX - 1 - len, 0);
		if (n <= 0)
			break;
		len += (size_t)n;
		buf[len] = '\0';
		if (!end && (end = strstr(buf, "\r\n\r\n")) == NULL)
			continue;
		const char *cl = strcasestr(buf, "\r\nContent-Length:");
		size_t want = (size_t)(end - buf) + 4 + (cl && cl < end ? strtoul(cl + 17, NULL, 10) : 0);
		if (len >= want)
			break;
	}
	buf[len] = '\0';
	return len;
}

static void serve(struct canned *c, int conn)
{
	static char req[CANNED_MAX];
	read_request(conn, req);
	pthread_mutex_lock(&c->lock);
	memcpy(c->request, req, sizeof(req));
	c->requests++;
	int hang = c->hang_ms;
	bool drop = c->drop;
	char *answer = strdup(c->answer);
	pthread_mutex_unlock(&c->lock);
	if (hang > 0) {
		struct timespec ts = {hang / 1000, (long)(hang % 1000) * 1000000L};
		nanosleep(&ts, NULL);
	}
	if (!drop && answer)
		(void)!send(conn, answer, strlen(answer), MSG_NOSIGNAL);
	free(answer);
	close(conn);
}

static void *loop(void *arg)
{
	struct canned *c = arg;
	int conn;

	while ((conn = accept(c->fd, NULL, NULL)) >= 0)
		serve(c, conn);
	return NULL;
}

bool canned_start(struct canned *c)
{
	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t alen = sizeof(addr);

	memset(c, 0, sizeof(*c));
	pthread_mutex_init(&c->lock, NULL);
	c->fd = socket(AF_INET, SOCK_STREAM, 0);
	if (c->fd < 0 || bind(c->fd, (struct sockaddr *)&addr, sizeof(addr)) != 0 || listen(c->fd, 16) != 0 ||
	    getsockname(c->fd, (struct sockaddr *)&addr, &alen) != 0)
		return false;
	c->port = ntohs(addr.sin_port);
	snprintf(c->url, sizeof(c->url), "http://127.0.0.1:%d", c->port);
	canned_answer(c, 200, "{}");
	return pthread_create(&c->thread, NULL, loop, c) == 0;
}

void canned_stop(struct canned *c)
{
	shutdown(c->fd, SHUT_RDWR); /* accept() returns: the loop ends */
	pthread_join(c->thread, NULL);
	close(c->fd);
	pthread_mutex_destroy(&c->lock);
}

void canned_answer(struct canned *c, int status, const char *body)
{
	pthread_mutex_lock(&c->lock);
	snprintf(c->answer, sizeof(c->answer),
		 "HTTP/1.1 %d Canned\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
		 "Connection: close\r\n\r\n%s", status, strlen(body), body);
	c->hang_ms = 0;
	c->drop = false;
	pthread_mutex_unlock(&c->lock);
}

void canned_hang(struct canned *c, int ms)
{
	pthread_mutex_lock(&c->lock);
	c->hang_ms = ms;
	pthread_mutex_unlock(&c->lock);
}

void canned_drop(struct canned *c)
{
	pthread_mutex_lock(&c->lock);
	c->drop = true;
	c->hang_ms = 0;
	pthread_mutex_unlock(&c->lock);
}

static const char *split(struct canned *c, bool body)
{
	static char copy[CANNED_MAX];

	pthread_mutex_lock(&c->lock);
	memcpy(copy, c->request, sizeof(copy));
	pthread_mutex_unlock(&c->lock);
	char *end = strstr(copy, "\r\n\r\n");
	if (!end)
		return body ? "" : copy;
	if (body)
		return end + 4;
	*end = '\0';
	return copy;
}

const char *canned_body(struct canned *c)
{
	return split(c, true);
}

const char *canned_head(struct canned *c)
{
	return split(c, false);
}

const char *canned_dead_url(void)
{
	static char url[64];
	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t alen = sizeof(addr);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	/* a port just bound and released: nothing listens there now */
	if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0 ||
	    getsockname(fd, (struct sockaddr *)&addr, &alen) != 0)
		snprintf(url, sizeof(url), "http://127.0.0.1:9");
	else
		snprintf(url, sizeof(url), "http://127.0.0.1:%d", ntohs(addr.sin_port));
	if (fd >= 0)
		close(fd);
	return url;
}

int canned_fixture_start(struct canned_fixture *f)
{
	arena_init(&f->a, 4096);
	return httpc_global_init() && canned_start(&f->server) ? 0 : -1;
}

void canned_fixture_stop(struct canned_fixture *f)
{
	canned_stop(&f->server);
	arena_reset(&f->a);
}
