/* probe: one bounded HTTP GET over a unix or TCP socket, with poll(2) deadlines and no libcurl:
 * the health check must stay cheap and must never hang a request worker. */
#include "probe.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait for events on fd until the deadline; false on timeout or error. */
static bool wait_fd(int fd, short events, long deadline)
{
	struct pollfd p = {.fd = fd, .events = events};
	long left;
	int n;

	while ((left = deadline - now_ms()) > 0) {
		n = poll(&p, 1, (int)left);
		if (n > 0)
			return !(p.revents & (POLLERR | POLLNVAL)) || (p.revents & POLLIN);
		if (n < 0 && errno != EINTR)
			return false;
	}
	return false;
}

/* A non-blocking socket connecting to listen, or -1. Only numeric hosts: no DNS wait. */
static int open_socket(const char *listen)
{
	struct sockaddr_un un = {.sun_family = AF_UNIX};
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV}, *ai = NULL;
	const char *colon = strrchr(listen, ':');
	char host[64];
	int fd = -1;

	if (strchr(listen, '/') || !colon) {
		if (strlen(listen) >= sizeof(un.sun_path))
			return -1;
		memcpy(un.sun_path, listen, strlen(listen) + 1);
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		/* a unix socket connects at once, or fails (EAGAIN: its backlog is full) */
		if (fd >= 0 && connect(fd, (struct sockaddr *)&un, sizeof(un)) != 0)
			close(fd), fd = -1;
		return fd;
	}
	/* "host:port"; an empty host or a wildcard one means this host */
	snprintf(host, sizeof(host), "%.*s", (int)(colon - listen), listen);
	if (!*host || strcmp(host, "*") == 0 || strcmp(host, "0.0.0.0") == 0)
		snprintf(host, sizeof(host), "127.0.0.1");
	if (getaddrinfo(host, colon + 1, &hints, &ai) != 0)
		return -1;
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) != 0 && errno != EINPROGRESS)
		close(fd), fd = -1;
	freeaddrinfo(ai);
	return fd;
}

/* Send the request and read the status line ("HTTP/1.1 200 ..."). */
static bool exchange(int fd, const char *path, long deadline)
{
	char req[256], resp[64];
	size_t got = 0;
	int n = snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", path);
	int err = 0;
	socklen_t len = sizeof(err);

	if (n <= 0 || (size_t)n >= sizeof(req) || !wait_fd(fd, POLLOUT, deadline) ||
	    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0 ||
	    send(fd, req, (size_t)n, MSG_NOSIGNAL) != n)
		return false;
	while (got < 12 && wait_fd(fd, POLLIN, deadline)) {
		ssize_t r = recv(fd, resp + got, sizeof(resp) - 1 - got, 0);
		if (r <= 0)
			return false;
		got += (size_t)r;
	}
	resp[got] = '\0';
	return got >= 12 && strncmp(resp, "HTTP/1.", 7) == 0 && strncmp(resp + 8, " 200", 4) == 0;
}

bool probe_http_ok(const char *listen, const char *path, int timeout_ms)
{
	long deadline = now_ms() + timeout_ms;
	int fd = listen ? open_socket(listen) : -1;

	if (fd < 0)
		return false;
	bool ok = exchange(fd, path, deadline);
	close(fd);
	return ok;
}
