/* req: the one struct every handler receives: request in, response out, arena for both. */
#ifndef BRANDO_REQ_H
#define BRANDO_REQ_H

#include <cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "buf.h"
#include "config.h"
#include "db.h"
#include "http.h"
#include "roles.h"

#define REQ_MAX_PARAMS 4
#define REQ_MAX_BODY (1024 * 1024)

struct route;

struct req_user {
	const char *id;
	const char *username;
	const char *role_name;
	const char *json;       /* user_json() of the signed-in user, for /auth/me */
	const char *token_hash; /* the session's key */
	unsigned role;
};

struct req_header {
	const char *name, *value;
	struct req_header *next;
};

struct req {
	struct arena *arena;
	struct db *db;
	const struct config *cfg;
	char **envp; /* FastCGI params: valid only during the request; copy what you keep */

	const char *method, *path, *query_string, *request_id, *client_ip;
	struct kvlist query;
	const struct route *route;
	const char *params[REQ_MAX_PARAMS];
	int nparams;
	const char *body; /* NUL-terminated */
	size_t body_len;
	cJSON *json;      /* parsed body when the route declares a schema */

	bool signed_in;
	struct req_user user;

	int status;
	const char *content_type;
	struct buf out;
	struct req_header *headers;
};

/* A FastCGI parameter (e.g. "HTTP_ORIGIN"), or NULL. */
const char *req_env(const struct req *r, const char *name);
/* A query parameter, or NULL. */
const char *req_query(const struct req *r, const char *name);
/* A query parameter that is not empty (an empty filter means no filter), or NULL. */
const char *req_param(const struct req *r, const char *name);

/* Set the answer; every function returns the status so handlers can `return reply_...`. */
int reply_json(struct req *r, int status, const char *json);
int reply_text(struct req *r, int status, const char *content_type, const char *body);
int reply_empty(struct req *r, int status);
/* {"error":{"code","message","field"?}}; field may be NULL. */
int reply_error(struct req *r, int status, const char *code, const char *field, const char *message);
/* Map a database failure to its answer (503 / 409 / 422 / 500). */
int reply_db(struct req *r, enum db_rc rc);
void reply_header(struct req *r, const char *name, const char *value);

#endif
