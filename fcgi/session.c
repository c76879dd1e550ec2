/* session: one indexed query per request validates the cookie and slides the expiry. */
#include "session.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "crypto.h"

/* A pure indexed read on the hot path; the last column says whether the expiry needs sliding. */
DB_STMT(st_session_load, 1,
	"SELECT u.id, u.username, u.role, user_json(u)::text, s.last_seen < now() - interval '60 seconds'"
	"  FROM sessions s JOIN users u ON u.id = s.user_id"
	" WHERE s.token_hash = $1 AND s.expires_at > now() AND u.active");
DB_STMT(st_session_touch, 2,
	"UPDATE sessions SET last_seen = now(), expires_at = now() + make_interval(secs => $2::int)"
	" WHERE token_hash = $1");

DB_STMT(st_session_create, 5,
	"INSERT INTO sessions (token_hash, user_id, expires_at, ip, user_agent)"
	" VALUES ($1, $2, now() + make_interval(secs => $3::int), $4, left($5, 512))");

enum db_rc session_load(struct req *r)
{
	const char *cookie = req_env(r, "HTTP_COOKIE");
	const char *token = cookie ? http_cookie_get(r->arena, cookie, SESSION_COOKIE) : NULL;
	PGresult *res;

	r->signed_in = false;
	if (!token || strlen(token) != 43)
		return DB_OK;
	const char *hash = crypto_sha256_hex(r->arena, token, strlen(token));
	const char *params[] = {hash, arena_printf(r->arena, "%d", r->cfg->session_ttl)};
	enum db_rc rc = db_exec(r->db, r->arena, &st_session_load, params, &res);
	if (rc != DB_OK || db_rows(res) != 1)
		return rc;
	if (strcmp(db_val(res, 0, 4), "t") == 0 &&
	    (rc = db_exec(r->db, r->arena, &st_session_touch, params, NULL)) != DB_OK)
		return rc;
	r->user.id = db_val(res, 0, 0);
	r->user.username = db_val(res, 0, 1);
	r->user.role_name = db_val(res, 0, 2);
	r->user.json = db_val(res, 0, 3);
	r->user.role = role_parse(r->user.role_name);
	r->user.token_hash = hash;
	r->signed_in = r->user.role != 0;
	return DB_OK;
}

static bool https(const struct req *r)
{
	const char *proto = req_env(r, "HTTP_X_FORWARDED_PROTO"), *on = req_env(r, "HTTPS");

	if (r->cfg->public_url && strncmp(r->cfg->public_url, "https://", 8) == 0)
		return true;
	return (on && strcasecmp(on, "on") == 0) || (proto && strcasecmp(proto, "https") == 0);
}

enum db_rc session_create(struct req *r, const char *user_id)
{
	const char *token = crypto_new_token(r->arena);

	if (!token)
		return DB_ERROR;
	const char *hash = crypto_sha256_hex(r->arena, token, strlen(token));
	const char *ttl = arena_printf(r->arena, "%d", r->cfg->session_ttl);
	const char *params[] = {hash, user_id, ttl, r->client_ip, req_env(r, "HTTP_USER_AGENT")};
	enum db_rc rc = db_exec(r->db, r->arena, &st_session_create, params, NULL);
	if (rc != DB_OK)
		return rc;
	reply_header(r, "Set-Cookie",
		     arena_printf(r->arena, "%s=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%d%s",
				  SESSION_COOKIE, token, r->cfg->session_ttl, https(r) ? "; Secure" : ""));
	return DB_OK;
}

void session_clear_cookie(struct req *r)
{
	reply_header(r, "Set-Cookie",
		     arena_printf(r->arena, "%s=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0%s",
				  SESSION_COOKIE, https(r) ? "; Secure" : ""));
}

/* scheme://host[:port] of a URL, without path. */
static const char *origin_of(struct arena *a, const char *url)
{
	const char *p = strstr(url, "://");

	if (!p)
		return url;
	p += 3;
	return arena_strndup(a, url, (size_t)(p - url) + strcspn(p, "/?#"));
}

bool session_origin_ok(const struct req *r)
{
	const char *origin = req_env(r, "HTTP_ORIGIN"), *host = req_env(r, "HTTP_HOST");

	if (!origin)
		return true;
	if (r->cfg->public_url && strcasecmp(origin, origin_of(r->arena, r->cfg->public_url)) == 0)
		return true;
	if (!host)
		return false;
	const char *own = arena_printf(r->arena, "%s://%s", https(r) ? "https" : "http", host);
	return strcasecmp(origin, own) == 0;
}
