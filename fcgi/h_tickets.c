/* h_tickets: /api/tickets/...: the list and its CSV export, create, read and change one ticket;
 * the status machine decides who may move it, and every answer says where it may go next. */
#include "handlers.h"

#include <string.h>
#include <time.h>

#include "csv.h"
#include "list.h"
#include "phone.h"
#include "ticket_status.h"
#include "tickets_query.h"

#define EXPORT_MAX 50000 /* rows in one CSV */

static const char *const PRIORITIES[] = {"low", "normal", "high", "urgent", NULL};
static const char *const SOURCES[] = {"call", "web", "manual", NULL};
static const char *const PAYMENT[] = {"unpaid", "partial", "paid", "refunded", NULL};
static const char *const STATUSES[] = {"new", "assigned", "accepted", "in_progress", "completed", "cancelled", NULL};

/* The writable fields; `req` marks the ones POST needs (PATCH refuses only null or ""). */
#define TICKET_FIELDS(req)                                                                  \
	{"customerName", JV_STRING, req, 200, 0, NULL},                                     \
	{"customerPhone", JV_STRING, req, 32, 0, NULL},                                     \
	{"deviceType", JV_STRING, req, 100, 0, NULL},                                       \
	{"problem", JV_STRING, req, 5000, 0, NULL},                                         \
	{"priority", JV_ENUM, JV_NOT_NULL, 0, 0, PRIORITIES},                               \
	{"customerEmail", JV_STRING, 0, 254, 0, NULL},                                      \
	{"address", JV_STRING, 0, 500, 0, NULL},                                            \
	{"city", JV_STRING, 0, 100, 0, NULL},                                               \
	{"deviceBrand", JV_STRING, 0, 100, 0, NULL},                                        \
	{"deviceModel", JV_STRING, 0, 100, 0, NULL},                                        \
	{"serialNumber", JV_STRING, 0, 100, 0, NULL},                                       \
	{"notes", JV_STRING, 0, 5000, 0, NULL},                                             \
	{"source", JV_ENUM, JV_NOT_NULL, 0, 0, SOURCES},                                    \
	{"callId", JV_INT64, 0, 0, 0, NULL},                                                \
	{"masterId", JV_UUID, 0, 0, 0, NULL},                                               \
	{"scheduledAt", JV_TIME, 0, 0, 0, NULL},                                            \
	{"priceEstimate", JV_MONEY, 0, 0, 0, NULL},                                         \
	{"finalAmount", JV_MONEY, 0, 0, 0, NULL},                                           \
	{"paymentStatus", JV_ENUM, 0, 0, 0, PAYMENT}

const struct jv_field TICKET_CREATE_SCHEMA[] = {
	TICKET_FIELDS(JV_REQUIRED),
	{NULL, 0, 0, 0, 0, NULL},
};
/* version is required too, but PATCH semantics cannot say so: h_tickets_update checks it. */
const struct jv_field TICKET_PATCH_SCHEMA[] = {
	TICKET_FIELDS(JV_REQUIRED),
	{"status", JV_ENUM, JV_NOT_NULL, 0, 0, STATUSES},
	{"version", JV_INT, JV_NOT_NULL, 2147483647, 1, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

/* What a master may send: the move and the completion fields (anything else is 403). */
static const char *const MASTER_FIELDS[] = {"version", "status", "finalAmount", "paymentStatus", "notes", NULL};

/* A ticket answer's row: (ticket_json, status, masterId), for reply_ticket. */
#define TICKET_ROW(f) "SELECT x.t::text, x.t->>'status', x.t->>'masterId' FROM " f " AS x(t)"
#define TICKET_LIST_ROW "SELECT ticket_json(t)::text, " LIST_CURSOR_SQL("t.created_at", "t.id") ", t.status, t.master_id FROM tickets t"
#define TICKET_PAGE                                                                                     \
	" AND " LIST_AFTER_SQL("t.created_at", "t.id", "$9", "$10", "bigint")                           \
	" ORDER BY t.created_at DESC, t.id DESC LIMIT $11::int"

/* Two statements, so that a search always gets a plan that uses the trigram index. */
DB_STMT(st_tickets_list, 11, TICKET_LIST_ROW TICKET_FILTERS " AND $7::text IS NULL AND $8::text IS NULL" TICKET_PAGE);
DB_STMT(st_tickets_search, 11, TICKET_LIST_ROW TICKET_FILTERS TICKET_SEARCH TICKET_PAGE);
DB_STMT(st_tickets_export, 9,
	"SELECT t.number, t.status, t.priority, iso(t.created_at), t.customer_name, t.customer_phone,"
	"       t.customer_email, t.address, t.city, t.device_type, t.device_brand, t.device_model,"
	"       t.serial_number, t.problem, t.notes, t.source, user_display_name(t.master_id),"
	"       iso(t.scheduled_at), t.price_estimate::numeric(12,2)::text, t.final_amount::numeric(12,2)::text,"
	"       t.payment_status, t.fraud_score::text, array_to_string(t.fraud_flags, ' '), iso(t.completed_at)"
	"  FROM tickets t" TICKET_FILTERS " AND ($7::text IS NULL OR t.search LIKE $7::text OR t.search LIKE $8::text)"
	" ORDER BY t.created_at DESC, t.id DESC LIMIT $9::int");
static const char EXPORT_HEADER[] =
	"number,status,priority,createdAt,customerName,customerPhone,customerEmail,address,city,"
	"deviceType,deviceBrand,deviceModel,serialNumber,problem,notes,source,masterName,scheduledAt,"
	"priceEstimate,finalAmount,paymentStatus,fraudScore,fraudFlags,completedAt\r\n";

DB_STMT(st_ticket_create, 2, TICKET_ROW("ticket_create($1::jsonb, $2::uuid)"));
DB_STMT(st_ticket_get, 2,
	"SELECT ticket_json(t)::text, t.status, t.master_id,"
	"       coalesce((SELECT json_agg(ticket_history_json(h) ORDER BY h.id) FROM ticket_history h"
	"                  WHERE h.ticket_id = t.id), '[]')::text"
	"  FROM tickets t WHERE t.id = $1::bigint AND ($2::uuid IS NULL OR t.master_id = $2::uuid)");
/* Everything a PATCH is judged on, and whether $3 names an active master, in one trip. */
DB_STMT(st_ticket_state, 3,
	"SELECT t.status, t.master_id, t.version, t.final_amount IS NOT NULL,"
	"       EXISTS (SELECT 1 FROM users u WHERE u.id = $3::uuid AND u.role = 'master' AND u.active)"
	"  FROM tickets t WHERE t.id = $1::bigint AND ($2::uuid IS NULL OR t.master_id = $2::uuid)");
DB_STMT(st_ticket_patch, 4, TICKET_ROW("ticket_patch($1::bigint, $2::int, $3::uuid, $4::jsonb)"));

/* The current state of a ticket, as st_ticket_state reads it. */
struct ticket_state {
	enum ticket_status status;
	const char *master_id; /* NULL: unassigned */
	const char *version;
	bool has_amount;
	bool master_ok; /* the requested masterId is an active master */
};

/* A master only ever sees their own tickets: the others answer 404, as if absent. */
static const char *only_owner(const struct req *r)
{
	return r->user.role == ROLE_MASTER ? r->user.id : NULL;
}

static int not_found(struct req *r)
{
	return reply_error(r, 404, "not_found", NULL, "no such ticket");
}

/* A ticket's JSON (from SQL) with, before its closing brace, the statuses the signed-in user
 * may move it to: staff any listed move, a master only on a ticket assigned to them. */
static void put_ticket(const struct req *r, struct buf *b, const char *json, const char *status,
		       const char *master_id)
{
	enum ticket_status to[TS_COUNT];
	bool staff = r->user.role != ROLE_MASTER, mine = master_id && strcmp(master_id, r->user.id) == 0;
	int n = staff || mine ? ticket_moves(staff ? TA_STAFF : TA_MASTER, ticket_status_parse(status), to) : 0;

	buf_append(b, json, strlen(json) - 1); /* ticket_json is an object: it ends with '}' */
	buf_puts(b, ",\"allowedTransitions\":[");
	for (int i = 0; i < n; i++)
		buf_printf(b, "%s\"%s\"", i ? "," : "", ticket_status_name(to[i]));
	buf_puts(b, "]}");
}

/* {"ticket":…} from a row (ticket_json, status, masterId), with its history when given. */
static int reply_ticket(struct req *r, int status, const PGresult *res, const char *history)
{
	struct buf b;

	buf_init(&b, r->arena);
	buf_puts(&b, "{\"ticket\":");
	put_ticket(r, &b, db_val(res, 0, 0), db_val(res, 0, 1), db_val(res, 0, 2));
	if (history)
		buf_printf(&b, ",\"history\":%s", history);
	buf_putc(&b, '}');
	return reply_json(r, status, b.data);
}

static void list_item(struct req *r, struct buf *b, const PGresult *res, int row)
{
	put_ticket(r, b, db_val(res, row, 0), db_val(res, row, 2), db_val(res, row, 3));
}

int h_tickets_list(struct req *r)
{
	struct ticket_filter f;
	struct list_page page = {0};
	PGresult *res;
	int status;

	if ((status = list_parse(r, &page)) || (status = tickets_filter_parse(r, &f)))
		return status;
	const char *params[] = {f.p[0], f.p[1], f.p[2], f.p[3], f.p[4], f.p[5], f.p[6], f.p[7],
				page.after_us, page.after_id, page.limit_plus_one};
	struct db_stmt *st = f.p[6] ? &st_tickets_search : &st_tickets_list;
	enum db_rc rc = db_exec(r->db, r->arena, st, params, &res);
	if (rc != DB_OK)
		return reply_db(r, rc);
	return list_reply_items(r, res, &page, list_item);
}

/* The whole file is built in the request's buffer (at most EXPORT_MAX rows), then sent. */
int h_tickets_export(struct req *r)
{
	struct ticket_filter f;
	PGresult *res;
	char day[16];
	int status;
	time_t now = time(NULL);
	struct tm tm;

	if ((status = tickets_filter_parse(r, &f)))
		return status;
	const char *params[] = {f.p[0], f.p[1], f.p[2], f.p[3], f.p[4], f.p[5], f.p[6], f.p[7],
				arena_printf(r->arena, "%d", EXPORT_MAX + 1)};
	enum db_rc rc = db_exec(r->db, r->arena, &st_tickets_export, params, &res);
	if (rc != DB_OK)
		return reply_db(r, rc);
	int rows = db_rows(res);
	if (!gmtime_r(&now, &tm) || strftime(day, sizeof(day), "%Y%m%d", &tm) == 0)
		return reply_error(r, 500, "internal", NULL, "internal error");
	if (rows > EXPORT_MAX)
		reply_header(r, "X-Export-Truncated", "true");
	reply_header(r, "Content-Disposition", arena_printf(r->arena, "attachment; filename=\"tickets-%s.csv\"", day));
	reply_text(r, 200, "text/csv; charset=utf-8", EXPORT_HEADER);
	csv_rows(&r->out, res, rows > EXPORT_MAX ? EXPORT_MAX : rows); /* straight into the answer */
	return 200;
}

/* Normalize customerPhone in the body in place; 422 when it is not a phone number. */
static int normalize_phone(struct req *r)
{
	const char *raw = jv_text(r->arena, r->json, "customerPhone");
	char norm[32];

	if (!raw)
		return 0;
	if (!phone_normalize(raw, r->cfg->default_country, norm, sizeof(norm)))
		return reply_error(r, 422, "validation_failed", "customerPhone", "customerPhone is not a valid phone number");
	cJSON_DeleteItemFromObjectCaseSensitive(r->json, "customerPhone");
	if (!cJSON_AddStringToObject(r->json, "customerPhone", norm))
		return reply_error(r, 500, "internal", NULL, "internal error");
	return 0;
}

/* The schema checks the email's length; this, that it looks like one (x@y, no spaces). */
static int check_email(struct req *r)
{
	const char *e = jv_text(r->arena, r->json, "customerEmail");
	const char *at = e ? strchr(e, '@') : NULL;

	if (!e || !*e)
		return 0;
	if (!at || at == e || !at[1] || strchr(at + 1, '@') || strpbrk(e, " \t\r\n"))
		return reply_error(r, 422, "validation_failed", "customerEmail", "customerEmail is not an email address");
	return 0;
}

/* A failed write: a callId that names no call is the client's field, not a bare 422. */
static int write_failed(struct req *r, enum db_rc rc)
{
	if (rc == DB_INVALID && strcmp(db_last_constraint(r->db), "tickets_call_id_fkey") == 0)
		return reply_error(r, 422, "validation_failed", "callId", "callId is not a known call");
	return reply_db(r, rc);
}

int h_tickets_create(struct req *r)
{
	PGresult *res;
	int status;

	if ((status = normalize_phone(r)) || (status = check_email(r)))
		return status;
	const char *params[] = {jv_print(r->arena, r->json), r->user.id};
	enum db_rc rc = db_exec(r->db, r->arena, &st_ticket_create, params, &res);
	if (rc != DB_OK)
		return write_failed(r, rc);
	const char *ticket = db_val(res, 0, 0);
	if (!ticket)
		return reply_error(r, 422, "validation_failed", "masterId", "masterId is not an active master");
	return reply_ticket(r, 201, res, NULL);
}

int h_tickets_get(struct req *r)
{
	PGresult *res;

	const char *params[] = {r->params[0], only_owner(r)};
	enum db_rc rc = db_exec(r->db, r->arena, &st_ticket_get, params, &res);
	if (rc != DB_OK)
		return reply_db(r, rc);
	if (db_rows(res) == 0)
		return not_found(r);
	return reply_ticket(r, 200, res, db_val(res, 0, 3));
}

/* A master may send only MASTER_FIELDS; 403 names the first other one. */
static int check_master_fields(struct req *r)
{
	const cJSON *m;

	if (r->user.role != ROLE_MASTER)
		return 0;
	cJSON_ArrayForEach(m, r->json) {
		const char *const *f = MASTER_FIELDS;
		while (*f && strcmp(*f, m->string) != 0)
			f++;
		if (!*f)
			return reply_error(r, 403, "forbidden", NULL,
					   arena_printf(r->arena, "a master may change only status, finalAmount,"
							" paymentStatus and notes, not %s", m->string));
	}
	return 0;
}

static enum db_rc load_state(struct req *r, struct ticket_state *s, bool *found)
{
	PGresult *res;
	const char *params[] = {r->params[0], only_owner(r), jv_text(r->arena, r->json, "masterId")};
	enum db_rc rc = db_exec(r->db, r->arena, &st_ticket_state, params, &res);

	*found = rc == DB_OK && db_rows(res) == 1;
	if (!*found)
		return rc;
	s->status = ticket_status_parse(db_val(res, 0, 0));
	s->master_id = db_val(res, 0, 1);
	s->version = db_val(res, 0, 2);
	s->has_amount = strcmp(db_val(res, 0, 3), "t") == 0;
	s->master_ok = strcmp(db_val(res, 0, 4), "t") == 0;
	return DB_OK;
}

static int invalid_move(struct req *r, enum ticket_status from, enum ticket_status to)
{
	return reply_error(r, 422, "invalid_transition", "status",
			   arena_printf(r->arena, "a ticket cannot move from %s to %s here",
					ticket_status_name(from), ticket_status_name(to)));
}

/* The status the change leads to: sent explicitly, or implied by (un)assigning a master. */
static enum ticket_status target_status(struct req *r, const struct ticket_state *s)
{
	const char *sent = jv_text(r->arena, r->json, "status");

	if (sent)
		return ticket_status_parse(sent);
	if (!jv_has(r->json, "masterId"))
		return s->status;
	bool assign = jv_text(r->arena, r->json, "masterId") != NULL;
	if (assign && s->status == TS_NEW)
		return TS_ASSIGNED;
	if (!assign && s->status == TS_ASSIGNED)
		return TS_NEW;
	return s->status;
}

/* The master after the change, and the rules on it: assigning needs an active master, and
 * the master changes only by an assignment (to "assigned") or by going back to "new". */
static int check_master(struct req *r, const struct ticket_state *s, enum ticket_status to)
{
	bool sent = jv_has(r->json, "masterId");
	const char *wanted = jv_text(r->arena, r->json, "masterId");
	const char *after = sent ? wanted : s->master_id;

	if (wanted && !s->master_ok)
		return reply_error(r, 422, "validation_failed", "masterId", "masterId is not an active master");
	if (to == TS_NEW && wanted)
		return reply_error(r, 422, "validation_failed", "masterId", "a new ticket has no master");
	if (to == TS_ASSIGNED && !after && (sent || to != s->status))
		return reply_error(r, 422, "validation_failed", "masterId", "assigning needs masterId");
	bool changes = sent && (!wanted != !s->master_id || (wanted && strcmp(wanted, s->master_id) != 0));
	if (changes && to != TS_ASSIGNED && to != TS_NEW)
		return invalid_move(r, s->status, to);
	return 0;
}

/* Completing needs a final amount: sent now or recorded before; nor may it be cleared later. */
static int check_completion(struct req *r, const struct ticket_state *s, enum ticket_status to)
{
	bool sent = jv_has(r->json, "finalAmount");
	bool have = sent ? jv_text(r->arena, r->json, "finalAmount") != NULL : s->has_amount;

	if (to == TS_COMPLETED && !have && (sent || to != s->status))
		return reply_error(r, 422, "validation_failed", "finalAmount", "completing a ticket needs finalAmount");
	return 0;
}

/* Is this change allowed for this user on this ticket? 0, or the refusal's status. */
static int judge(struct req *r, const struct ticket_state *s)
{
	enum ticket_status to = target_status(r, s);
	enum ticket_actor actor = r->user.role == ROLE_MASTER ? TA_MASTER : TA_STAFF;
	int status;

	if (strcmp(s->version, jv_text(r->arena, r->json, "version")) != 0)
		return reply_error(r, 409, "conflict", "version", "the ticket was changed by someone else; reload it");
	if (to != s->status && !ticket_move_allowed(actor, s->status, to))
		return invalid_move(r, s->status, to);
	if ((status = check_master(r, s, to)) || (status = check_completion(r, s, to)))
		return status;
	if (to != s->status) { /* make the implied move explicit for ticket_patch */
		cJSON_DeleteItemFromObjectCaseSensitive(r->json, "status");
		if (!cJSON_AddStringToObject(r->json, "status", ticket_status_name(to)))
			return reply_error(r, 500, "internal", NULL, "internal error");
	}
	return 0;
}

int h_tickets_update(struct req *r)
{
	struct ticket_state s;
	PGresult *res;
	bool found;
	int status;

	if (!jv_text(r->arena, r->json, "version"))
		return reply_error(r, 422, "validation_failed", "version", "version is required");
	if ((status = check_master_fields(r)) || (status = normalize_phone(r)) || (status = check_email(r)))
		return status;
	enum db_rc rc = load_state(r, &s, &found);
	if (rc != DB_OK)
		return reply_db(r, rc);
	if (!found)
		return not_found(r);
	if ((status = judge(r, &s)))
		return status;
	const char *params[] = {r->params[0], s.version, r->user.id, jv_print(r->arena, r->json)};
	rc = db_exec(r->db, r->arena, &st_ticket_patch, params, &res);
	if (rc != DB_OK)
		return write_failed(r, rc);
	if (!db_val(res, 0, 0))
		return reply_error(r, 409, "conflict", "version", "the ticket was changed by someone else; reload it");
	return reply_ticket(r, 200, res, NULL);
}
