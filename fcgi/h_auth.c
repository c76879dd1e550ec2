/* h_auth: sign in, sign out, who am I, and nginx's auth_request check for /ws. */
#include "handlers.h"

#include <stdlib.h>
#include <string.h>

#include "password.h"
#include "session.h"

#define FAIL_WINDOW "15 minutes"
#define MAX_USER_FAILS "10"
#define MAX_IP_FAILS "50"

/* Seconds until the oldest failure in the window ages out, when a limit is reached. */
DB_STMT(st_throttle, 4,
	"WITH u AS (SELECT count(*) AS n, min(at) AS first FROM login_attempts"
	"             WHERE username = $1 AND at > now() - interval '" FAIL_WINDOW "'),"
	"     i AS (SELECT count(*) AS n, min(at) AS first FROM login_attempts"
	"             WHERE ip = $2 AND at > now() - interval '" FAIL_WINDOW "')"
	"SELECT greatest(1, ceil(extract(epoch FROM greatest("
	"         CASE WHEN u.n >= $3::int THEN u.first END, CASE WHEN i.n >= $4::int THEN i.first END)"
	"         + interval '" FAIL_WINDOW "' - now())))::int"
	"  FROM u, i WHERE u.n >= $3::int OR i.n >= $4::int");
DB_STMT(st_login_user, 1, "SELECT id, password_hash, active FROM users WHERE username = $1");
DB_STMT(st_login_fail, 2, "INSERT INTO login_attempts (username, ip) VALUES ($1, $2)");
DB_STMT(st_login_ok, 2,
	"WITH cleared AS (DELETE FROM login_attempts WHERE username = $2),"
	"     expired AS (DELETE FROM sessions WHERE user_id = $1 AND expires_at < now())"
	"UPDATE users u SET last_login = now() WHERE id = $1 RETURNING user_json(u)::text");
DB_STMT(st_logout, 1, "DELETE FROM sessions WHERE token_hash = $1");

static int throttled(struct req *r, const char *username)
{
	const char *params[] = {username, r->client_ip, MAX_USER_FAILS, MAX_IP_FAILS};
	PGresult *res;
	enum db_rc rc = db_exec(r->db, r->arena, &st_throttle, params, &res);

	if (rc != DB_OK)
		return reply_db(r, rc);
	if (db_rows(res) == 0)
		return 0;
	reply_header(r, "Retry-After", db_val(res, 0, 0));
	return reply_error(r, 429, "rate_limited", NULL,
			   arena_printf(r->arena, "too many failed sign-ins; try again in %s s", db_val(res, 0, 0)));
}

static int fail(struct req *r, const char *username)
{
	const char *params[] = {username, r->client_ip};
	enum db_rc rc = db_exec(r->db, r->arena, &st_login_fail, params, NULL);

	if (rc != DB_OK)
		return reply_db(r, rc);
	return reply_error(r, 401, "invalid_credentials", NULL, "wrong username or password");
}

static char *lower(struct arena *a, const char *s)
{
	char *out = arena_strdup(a, s);

	for (char *p = out; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return out;
}

int h_auth_login(struct req *r)
{
	const char *username = lower(r->arena, jv_text(r->arena, r->json, "username"));
	const char *password = jv_text(r->arena, r->json, "password");
	PGresult *res;
	int status;

	if ((status = throttled(r, username)))
		return status;
	const char *p1[] = {username};
	enum db_rc rc = db_exec(r->db, r->arena, &st_login_user, p1, &res);
	if (rc != DB_OK)
		return reply_db(r, rc);
	bool known = db_rows(res) == 1 && strcmp(db_val(res, 0, 2), "t") == 0;
	/* Unknown and inactive users pay the same argon2 cost as a wrong password. */
	if (!password_verify(known ? db_val(res, 0, 1) : NULL, password))
		return fail(r, username);
	const char *user_id = db_val(res, 0, 0);
	if ((rc = session_create(r, user_id)) != DB_OK)
		return reply_db(r, rc);
	const char *p2[] = {user_id, username};
	if ((rc = db_exec(r->db, r->arena, &st_login_ok, p2, &res)) != DB_OK || db_rows(res) != 1)
		return reply_db(r, rc);
	return reply_json(r, 200, arena_printf(r->arena, "{\"user\":%s}", db_val(res, 0, 0)));
}

int h_auth_logout(struct req *r)
{
	const char *params[] = {r->user.token_hash};
	enum db_rc rc = db_exec(r->db, r->arena, &st_logout, params, NULL);

	if (rc != DB_OK)
		return reply_db(r, rc);
	session_clear_cookie(r);
	return reply_empty(r, 204);
}

int h_auth_me(struct req *r)
{
	return reply_json(r, 200, arena_printf(r->arena, "{\"user\":%s}", r->user.json));
}

/* nginx auth_request: only the status and these headers matter to it. */
int h_auth_ws_check(struct req *r)
{
	/* Browsers always send Origin on a WebSocket handshake: another site's page must not
	 * open our socket with the user's cookie and read the live events. */
	if (!session_origin_ok(r))
		return reply_error(r, 403, "forbidden", NULL, "cross-origin WebSocket refused");
	reply_header(r, "X-Brando-User", r->user.id);
	reply_header(r, "X-Brando-Role", r->user.role_name);
	return reply_empty(r, 204);
}
