/* canned_http: a one-thread HTTP server on 127.0.0.1 for unit tests of the outside-service clients. */
#ifndef BRANDO_CANNED_HTTP_H
#define BRANDO_CANNED_HTTP_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

#define CANNED_MAX 65536

/* Each connection gets one request read (head and Content-Length body), recorded, and the
 * answer set last with canned_answer / canned_hang / canned_drop. */
struct canned {
	int fd, port;
	pthread_t thread;
	pthread_mutex_t lock;
	char answer[CANNED_MAX]; /* the whole HTTP response */
	int hang_ms;             /* wait this long before answering */
	bool drop;               /* close without answering */
	char request[CANNED_MAX];/* the last request as received, NUL-terminated */
	char url[CANNED_MAX];    /* "http://127.0.0.1:<port>" */
	int requests;            /* how many arrived */
};

bool canned_start(struct canned *c);
void canned_stop(struct canned *c);
/* Answer every request with status and a JSON body until told otherwise. */
void canned_answer(struct canned *c, int status, const char *body);
void canned_hang(struct canned *c, int ms);
void canned_drop(struct canned *c);
/* The body of the last request (after the blank line), in a static copy. */
const char *canned_body(struct canned *c);
/* The request line and headers of the last request, in a static copy. */
const char *canned_head(struct canned *c);
/* A URL on which nothing listens (connection refused). */
const char *canned_dead_url(void);

/* A test group's arena and running server (libcurl set up too): 0 when ready, -1 otherwise. */
struct canned_fixture {
	struct arena a;
	struct canned server;
};
int canned_fixture_start(struct canned_fixture *f);
void canned_fixture_stop(struct canned_fixture *f);

#endif
