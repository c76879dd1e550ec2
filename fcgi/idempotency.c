/* idempotency: the key is claimed inside the handler's own transaction, so the claim, the
 * handler's writes and the stored answer commit together or not at all. */
#include "idempotency.h"

#include <stdlib.h>
#include <string.h>

#include "idempotency_key.h"

/* A second request with the same key waits here on the first one's uncommitted row: the first
 * commits (the row is there with its answer: replay it) or rolls back, a dead worker's
 * included (the row never existed: this request claims it and runs). A row without an answer
 * can only be one committed by the older claim-first code: it is taken over. */
DB_STMT(st_idem_claim, 3,
	"INSERT INTO idempotency_keys (user_id, key, request_hash) VALUES ($1, $2, $3)"
	" ON CONFLICT (user_id, key) DO UPDATE SET request_hash = EXCLUDED.request_hash,"
	"   status = NULL, response = NULL, created_at = now()"
	" WHERE idempotency_keys.created_at < now() - interval '24 hours' OR idempotency_keys.status IS NULL"
	" RETURNING 1");
DB_STMT(st_idem_get, 2,
	"SELECT request_hash, status, response FROM idempotency_keys"
	" WHERE user_id = $1 AND key = $2 AND status IS NOT NULL");
DB_STMT(st_idem_store, 4,
	"UPDATE idempotency_keys SET status = $3::int, response = $4 WHERE user_id = $1 AND key = $2");

static void replay(struct req *r, const char *hash, const PGresult *res)
{
	const char *stored_hash = db_val(res, 0, 0);

	if (!stored_hash || strcmp(stored_hash, hash) != 0) {
		reply_error(r, 422, "idempotency_mismatch", "Idempotency-Key",
			    "this key was used with a different request");
		return;
	}
	reply_header(r, "Idempotent-Replayed", "true");
	reply_json(r, atoi(db_val(res, 0, 1)), db_val(res, 0, 2));
}

/* Run the handler on a claimed key and commit its answer with its writes. 409 and 5xx are not
 * remembered: the whole transaction rolls back and a retry runs again. A refusal (4xx) keeps
 * the key and its answer but none of the handler's writes. */
static void run_claimed(struct req *r, handler_fn handler, const char *user, const char *key)
{
	struct req_header *headers = r->headers;
	enum db_rc rc = db_command(r->db, "SAVEPOINT handler");
	int status = rc == DB_OK ? handler(r) : reply_db(r, rc);

	if (status >= 500 || status == 409) {
		db_rollback(r->db);
		return;
	}
	if (status >= 400)
		rc = db_command(r->db, "ROLLBACK TO SAVEPOINT handler");
	const char *store[] = {user, key, arena_printf(r->arena, "%d", status), r->out.data ? r->out.data : ""};
	if (rc == DB_OK)
		rc = db_exec(r->db, r->arena, &st_idem_store, store, NULL);
	if (rc == DB_OK)
		rc = db_release(r->db);
	if (rc != DB_OK) { /* nothing was kept: the answer must not say otherwise */
		db_rollback(r->db);
		r->headers = headers;
		reply_db(r, rc);
	}
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
	enum db_rc rc = db_hold(r->db);
	if (rc == DB_OK)
		rc = db_exec(r->db, r->arena, &st_idem_claim, params, &res);
	if (rc == DB_OK && db_rows(res) == 1) {
		run_claimed(r, handler, r->user.id, key);
		return;
	}
	if (rc == DB_OK)
		rc = db_exec(r->db, r->arena, &st_idem_get, params, &res);
	db_rollback(r->db);
	if (rc != DB_OK || db_rows(res) == 0)
		reply_db(r, rc == DB_OK ? DB_ERROR : rc);
	else
		replay(r, hash, res);
}
