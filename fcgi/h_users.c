/* h_users: admins create, read, change and deactivate the people who use Brando. */
#include "handlers.h"

#include <string.h>

#include "list.h"
#include "password.h"
#include "phone.h"
#include "session.h"

static const char *const ROLE_NAMES[] = {"admin", "operator", "master", NULL};

#define USER_FIELDS(req)                                                                    \
	{"username", JV_STRING, req, 64, 0, NULL},                                          \
	{"password", JV_STRING, req, PASSWORD_MAX_LEN, 0, NULL},                            \
	{"fullName", JV_STRING, req, 200, 0, NULL},                                         \
	{"role", JV_ENUM, req, 0, 0, ROLE_NAMES},                                           \
	{"masterCode", JV_STRING, 0, 64, 0, NULL},                                          \
	{"phone", JV_STRING, 0, 32, 0, NULL},                                               \
	{"sipExtension", JV_STRING, 0, 32, 0, NULL},                                        \
	{"telegramChatId", JV_INT64, 0, 0, 0, NULL},                                        \
	{"active", JV_BOOL, JV_NOT_NULL, 0, 0, NULL},                                       \
	{NULL, 0, 0, 0, 0, NULL}

/* One schema for POST and PATCH: PATCH only refuses null or "" for the required ones. */
const struct jv_field USER_SCHEMA[] = {USER_FIELDS(JV_REQUIRED)};

DB_STMT(st_users_list, 6,
	"SELECT user_json(u)::text, " LIST_CURSOR_SQL("u.created_at", "u.id") " FROM users u"
	" WHERE ($1::text IS NULL OR u.role = $1) AND ($2::bool IS NULL OR u.active = $2)"
	"   AND ($3::text IS NULL OR u.username ILIKE '%' || $3 || '%' OR u.full_name ILIKE '%' || $3 || '%')"
	"   AND " LIST_AFTER_SQL("u.created_at", "u.id", "$4", "$5", "uuid")
	" ORDER BY u.created_at DESC, u.id DESC LIMIT $6::int");
DB_STMT(st_users_get, 1, "SELECT user_json(u)::text FROM users u WHERE u.id = $1::uuid");
DB_STMT(st_users_insert, 9,
	"INSERT INTO users (username, password_hash, full_name, role, master_code, phone, sip_extension,"
	"                   telegram_chat_id, active)"
	" VALUES ($1, $2, $3, $4, nullif($5, ''), $6, nullif($7, ''), $8::bigint, coalesce($9::bool, true))"
	" RETURNING user_json(users)::text, id");
/* $2 is the validated patch: a key present means "set it", null means "clear it". */
DB_STMT(st_users_update, 4,
	"UPDATE users u SET"
	"  username = CASE WHEN $2::jsonb ? 'username' THEN $2::jsonb->>'username' ELSE username END,"
	"  full_name = CASE WHEN $2::jsonb ? 'fullName' THEN $2::jsonb->>'fullName' ELSE full_name END,"
	"  role = CASE WHEN $2::jsonb ? 'role' THEN $2::jsonb->>'role' ELSE role END,"
	"  master_code = CASE WHEN $2::jsonb ? 'masterCode' THEN nullif($2::jsonb->>'masterCode', '') ELSE master_code END,"
	"  phone = CASE WHEN $2::jsonb ? 'phone' THEN $3 ELSE phone END,"
	"  sip_extension = CASE WHEN $2::jsonb ? 'sipExtension' THEN nullif($2::jsonb->>'sipExtension', '') ELSE sip_extension END,"
	"  telegram_chat_id = CASE WHEN $2::jsonb ? 'telegramChatId' THEN ($2::jsonb->>'telegramChatId')::bigint ELSE telegram_chat_id END,"
	"  active = CASE WHEN $2::jsonb ? 'active' THEN ($2::jsonb->>'active')::bool ELSE active END,"
	"  password_hash = coalesce($4, password_hash), updated_at = now()"
	" WHERE id = $1::uuid RETURNING user_json(u)::text, active");
DB_STMT(st_users_end_sessions, 2,
	"DELETE FROM sessions WHERE user_id = $1::uuid AND token_hash IS DISTINCT FROM $2");
DB_STMT(st_users_deactivate, 1,
	"UPDATE users u SET active = false, updated_at = now() WHERE id = $1::uuid RETURNING user_json(u)::text");
DB_STMT(st_users_event, 1,
	"SELECT emit_event('user.updated', '{admin,operator}', jsonb_build_object('user', $1::jsonb))");

static int conflict(struct req *r)
{
	const char *c = db_last_constraint(r->db);
	bool code = strstr(c, "master_code") != NULL;

	return reply_error(r, 409, "conflict", code ? "masterCode" : "username",
			   code ? "this master code is taken" : "this username is taken");
}

/* Checks the schema cannot express: username alphabet, password length, phone format. */
static int check_values(struct req *r, const char **phone)
{
	const char *username = jv_text(r->arena, r->json, "username");
	const char *password = jv_text(r->arena, r->json, "password");
	const char *raw = jv_text(r->arena, r->json, "phone");
	char norm[32];

	*phone = NULL;
	if (username && (strlen(username) < 3 || strspn(username, "abcdefghijklmnopqrstuvwxyz0123456789._-") != strlen(username)))
		return reply_error(r, 422, "validation_failed", "username",
				   "username must be 3-64 characters: a-z, 0-9, '.', '_' or '-'");
	if (password && strlen(password) < PASSWORD_MIN_LEN)
		return reply_error(r, 422, "validation_failed", "password", "password must be at least 8 characters");
	if (raw && *raw) {
		if (!phone_normalize(raw, r->cfg->default_country, norm, sizeof(norm)))
			return reply_error(r, 422, "validation_failed", "phone", "phone is not a valid phone number");
		*phone = arena_strdup(r->arena, norm);
	}
	return 0;
}

/* Write the change and its user.updated event in one transaction. */
static enum db_rc emit_user(struct req *r, const char *user_json)
{
	const char *params[] = {user_json};

	return db_exec(r->db, r->arena, &st_users_event, params, NULL);
}

int h_users_list(struct req *r)
{
	struct list_page page = {.uuid_ids = true};
	PGresult *res;
	const char *role = req_query(r, "role"), *active = req_query(r, "active");
	int status;

	if ((status = list_parse(r, &page)))
		return status;
	if (role && *role && !role_parse(role))
		return reply_error(r, 422, "validation_failed", "role", "role must be admin, operator or master");
	if (active && strcmp(active, "true") != 0 && strcmp(active, "false") != 0)
		return reply_error(r, 422, "validation_failed", "active", "active must be true or false");
	const char *params[] = {role && *role ? role : NULL, active, req_query(r, "q"), page.after_us,
				page.after_id, page.limit_plus_one};
	enum db_rc rc = db_exec(r->db, r->arena, &st_users_list, params, &res);
	if (rc != DB_OK)
		return reply_db(r, rc);
	return list_reply(r, res, &page);
}

int h_users_get(struct req *r)
{
	PGresult *res;

	const char *params[] = {r->params[0]};
	enum db_rc rc = db_exec(r->db, r->arena, &st_users_get, params, &res);
	if (rc != DB_OK)
		return reply_db(r, rc);
	if (db_rows(res) == 0)
		return reply_error(r, 404, "not_found", NULL, "no such user");
	return reply_json(r, 200, arena_printf(r->arena, "{\"user\":%s}", db_val(res, 0, 0)));
}

int h_users_create(struct req *r)
{
	const char *phone, *hash;
	PGresult *res;
	int status;

	if ((status = check_values(r, &phone)))
		return status;
	if (!(hash = password_hash(r->arena, jv_text(r->arena, r->json, "password"))))
		return reply_error(r, 500, "internal", NULL, "internal error");
	const char *params[] = {
		jv_text(r->arena, r->json, "username"), hash, jv_text(r->arena, r->json, "fullName"),
		jv_text(r->arena, r->json, "role"), jv_text(r->arena, r->json, "masterCode"), phone,
		jv_text(r->arena, r->json, "sipExtension"), jv_text(r->arena, r->json, "telegramChatId"),
		jv_text(r->arena, r->json, "active")};
	enum db_rc rc = db_begin(r->db);
	if (rc == DB_OK)
		rc = db_exec(r->db, r->arena, &st_users_insert, params, &res);
	if (rc == DB_CONFLICT)
		return conflict(r);
	if (rc == DB_OK)
		rc = emit_user(r, db_val(res, 0, 0));
	if (rc == DB_OK)
		rc = db_commit(r->db);
	if (rc != DB_OK)
		return reply_db(r, rc);
	reply_header(r, "Location", arena_printf(r->arena, "/api/users/%s", db_val(res, 0, 1)));
	return reply_json(r, 201, arena_printf(r->arena, "{\"user\":%s}", db_val(res, 0, 0)));
}

/* An admin may not lock themselves out: no self-deactivation, no self-demotion. */
static int check_self(struct req *r)
{
	const char *active = jv_text(r->arena, r->json, "active"), *role = jv_text(r->arena, r->json, "role");

	if (strcmp(r->params[0], r->user.id) != 0)
		return 0;
	if (active && strcmp(active, "false") == 0)
		return reply_error(r, 422, "validation_failed", "active", "you cannot deactivate yourself");
	if (role && strcmp(role, "admin") != 0)
		return reply_error(r, 422, "validation_failed", "role", "you cannot remove your own admin role");
	return 0;
}

int h_users_update(struct req *r)
{
	const char *phone, *hash = NULL, *password = jv_text(r->arena, r->json, "password");
	PGresult *res;
	int status;

	if ((status = check_values(r, &phone)) || (status = check_self(r)))
		return status;
	if (password && !(hash = password_hash(r->arena, password)))
		return reply_error(r, 500, "internal", NULL, "internal error");
	cJSON_DeleteItemFromObjectCaseSensitive(r->json, "password"); /* never into SQL text */
	const char *params[] = {r->params[0], jv_print(r->arena, r->json), phone, hash};
	enum db_rc rc = db_begin(r->db);
	if (rc == DB_OK)
		rc = db_exec(r->db, r->arena, &st_users_update, params, &res);
	if (rc == DB_CONFLICT)
		return conflict(r);
	if (rc != DB_OK)
		return reply_db(r, rc);
	if (db_rows(res) == 0)
		return reply_error(r, 404, "not_found", NULL, "no such user");
	const char *end[] = {r->params[0], r->user.token_hash};
	if (hash || strcmp(db_val(res, 0, 1), "f") == 0)
		rc = db_exec(r->db, r->arena, &st_users_end_sessions, end, NULL);
	if (rc == DB_OK)
		rc = emit_user(r, db_val(res, 0, 0));
	if (rc == DB_OK)
		rc = db_commit(r->db);
	if (rc != DB_OK)
		return reply_db(r, rc);
	return reply_json(r, 200, arena_printf(r->arena, "{\"user\":%s}", db_val(res, 0, 0)));
}

int h_users_delete(struct req *r)
{
	PGresult *res;

	if (strcmp(r->params[0], r->user.id) == 0)
		return reply_error(r, 422, "validation_failed", "id", "you cannot deactivate yourself");
	const char *params[] = {r->params[0]};
	const char *end[] = {r->params[0], NULL};
	enum db_rc rc = db_begin(r->db);
	if (rc == DB_OK)
		rc = db_exec(r->db, r->arena, &st_users_deactivate, params, &res);
	if (rc == DB_OK && db_rows(res) == 0)
		return reply_error(r, 404, "not_found", NULL, "no such user");
	if (rc == DB_OK)
		rc = db_exec(r->db, r->arena, &st_users_end_sessions, end, NULL);
	if (rc == DB_OK)
		rc = emit_user(r, db_val(res, 0, 0));
	if (rc == DB_OK)
		rc = db_commit(r->db);
	if (rc != DB_OK)
		return reply_db(r, rc);
	return reply_empty(r, 204);
}
