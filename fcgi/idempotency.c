/* idempotency: claim-then-run; a claim whose owner died is taken over after a minute. */
#include "idempotency.h"

#include <stdlib.h>
#include <string.h>

#include "idempotency_key.h"

DB_STMT(st_idem_claim, 3,
	"INSERT INTO idempotency_keys (user_id, key, request_hash) VALUES ($1, $2, $3)"
	" ON CONFLICT (user_id, key) DO UPDATE SET request_hash = EXCLUDED.request_hash,"
	"   status = NULL, response = NULL, created_at = now()"
	" WHERE idempotency_keys.created_at < now() - interval '24 hours'"
	"    OR (idempotency_keys.status IS NULL AND idempotency_keys.created_at < now() - interval '60 seconds')"
	" RETURNING 1");
DB_STMT(st_idem_get, 2,
	"SELECT request_hash, status, response FROM idempotency_keys WHERE user_id = $1 AND key = $2");
DB_STMT(st_idem_store, 4,
	"UPDATE idempotency_keys SET status = $3::int, response = $4 WHERE user_id = $1 AND key = $2");
DB_STMT(st_idem_drop, 2, "DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2");

static void replay(struct req *r, const char *hash, const PGresult *res)
{
	const char *stored_hash = db_val(res, 0, 0), *status = db_val(res, 0, 1);

	if (!stored_hash || strcmp(stored_hash, hash) != 0) {
		reply_error(r, 422, "idempotency_mismatch", "Idempotency-Key",
			    "this key was used with a different request");
		return;
	}
	if (!status) {
		reply_error(r, 409, "conflict", "Idempotency-Key", "a request with this key is still in progress");
		return;
	}
	reply_header(r, "Idempotent-Replayed", "true");
	reply_json(r, atoi(status), db_val(res, 0, 2));
}

void idempotency_run(struct req *r, handler_fn handler)
{
	const char *key = req_env(r, "HTTP_IDEMPOTENCY_KEY");
	PGresult *res;
	const char *bad = idempotency_key_error(key, strlen(key));

	if (bad) {
		reply_error(r, 422, "validation_failed", "Idempotency-Key", bad);
		return;
	}
	const char *hash = idempotency_fingerprint(r->arena, r->method, r->path, r->body, r->body_len);
	const char *params[] = {r->user.id, key, hash};
	enum db_rc rc = db_exec(r->db, r->arena, &st_idem_claim, params, &res);
	if (rc == DB_OK && db_rows(res) == 0)
		rc = db_exec(r->db, r->arena, &st_idem_get, params, &res);
	if (rc != DB_OK || db_rows(res) == 0) {
		reply_db(r, rc == DB_OK ? DB_ERROR : rc);
		return;
	}
	if (PQnfields(res) == 3) {
		replay(r, hash, res);
		return;
	}
	int status = handler(r);
	db_rollback(r->db);
	const char *store[] = {r->user.id, key, arena_printf(r->arena, "%d", status), r->out.data ? r->out.data : ""};
	if (status >= 500 || status == 409)
		rc = db_exec(r->db, r->arena, &st_idem_drop, params, NULL); /* let a retry run again */
	else
		rc = db_exec(r->db, r->arena, &st_idem_store, store, NULL);
	(void)rc; /* the answer stands; a lost record only means a retry runs the handler again */
}
