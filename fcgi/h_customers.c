/* h_customers: the operator's screen pop: what we know about a phone number. */
#include "handlers.h"

#include "phone.h"

DB_STMT(st_customer_lookup, 1, "SELECT customer_lookup_json($1)::text");

int h_customers_lookup(struct req *r)
{
	const char *raw = req_query(r, "phone");
	PGresult *res;
	char phone[32];

	if (!raw)
		return reply_error(r, 422, "validation_failed", "phone", "phone is required");
	if (!phone_normalize(raw, r->cfg->default_country, phone, sizeof(phone)))
		return reply_error(r, 422, "validation_failed", "phone", "phone is not a valid phone number");
	const char *params[] = {phone};
	enum db_rc rc = db_exec(r->db, r->arena, &st_customer_lookup, params, &res);
	if (rc != DB_OK)
		return reply_db(r, rc);
	return reply_json(r, 200, db_val(res, 0, 0));
}
