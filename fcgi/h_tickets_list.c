/* h_tickets_list: the ticket list and its CSV export, both under the same filters. */
#include "handlers.h"

#include <ctype.h>
#include <string.h>
#include <time.h>

#include "csv.h"
#include "list.h"
#include "ticket_status.h"

#define SEARCH_MAX 100  /* characters of q */
#define EXPORT_MAX 50000 /* rows in one CSV */

/* $1 status list, $2 masterId, $3 the master's own id, $4 from, $5 to, $6 fraud,
 * $7/$8 LIKE patterns for q. A date-only `to` includes that whole day (UTC). */
#define TICKET_FILTERS                                                                                 \
	" WHERE ($1::text IS NULL OR t.status = ANY (string_to_array($1::text, ',')))"                  \
	"   AND ($2::uuid IS NULL OR t.master_id = $2::uuid) AND ($3::uuid IS NULL OR t.master_id = $3::uuid)" \
	"   AND ($4::timestamptz IS NULL OR t.created_at >= $4::timestamptz)"                           \
	"   AND ($5::text IS NULL OR t.created_at < CASE WHEN length($5::text) = 10"                     \
	"        THEN ($5::text::date + 1)::timestamptz ELSE $5::text::timestamptz + interval '1 microsecond' END)" \
	"   AND ($6::bool IS NULL OR (t.fraud_score > 0) = $6::bool)"
#define TICKET_SEARCH " AND (t.search LIKE $7::text OR t.search LIKE $8::text)"
#define TICKET_PAGE                                                                                     \
	" AND " LIST_AFTER_SQL("t.created_at", "t.id", "$9", "$10", "bigint")                           \
	" ORDER BY t.created_at DESC, t.id DESC LIMIT $11::int"
#define TICKET_ROW "SELECT ticket_json(t)::text, " LIST_CURSOR_SQL("t.created_at", "t.id") " FROM tickets t"

/* Two statements, so that a search always gets a plan that uses the trigram index. */
DB_STMT(st_tickets_list, 11, TICKET_ROW TICKET_FILTERS " AND $7::text IS NULL AND $8::text IS NULL" TICKET_PAGE);
DB_STMT(st_tickets_search, 11, TICKET_ROW TICKET_FILTERS TICKET_SEARCH TICKET_PAGE);
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

/* The filters as SQL parameters $1..$8. */
struct ticket_filter {
	const char *p[8];
};

/* A query parameter; an empty one ("status=") counts as absent. */
static int bad_filter(struct req *r, const char *field, const char *message)
{
	return reply_error(r, 422, "validation_failed", field, message);
}

static bool valid_statuses(const char *list, struct arena *a)
{
	char *copy = arena_strdup(a, list), *save = NULL;

	if (list[0] == ',' || list[strlen(list) - 1] == ',')
		return false;
	for (char *s = strtok_r(copy, ",", &save); s; s = strtok_r(NULL, ",", &save))
		if (ticket_status_parse(s) == TS_INVALID)
			return false;
	return !strstr(list, ",,");
}

/* "%q%" for LIKE, lower-cased, with LIKE's own wildcards taken literally. */
static const char *like_pattern(struct arena *a, const char *q)
{
	struct buf b;

	buf_init(&b, a);
	buf_putc(&b, '%');
	for (const char *p = q; *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			buf_putc(&b, '\\');
		buf_putc(&b, (char)tolower((unsigned char)*p));
	}
	buf_putc(&b, '%');
	return b.data;
}

/* A phone typed as people do ("067 123-45") also matches the stored "+38067123...": its
 * digits, without the national trunk 0. NULL when q is not phone-like. */
static const char *phone_pattern(struct arena *a, const char *q)
{
	char digits[SEARCH_MAX + 1];
	size_t n = 0;

	if (strspn(q, "0123456789 +-().") != strlen(q))
		return NULL;
	for (const char *p = q; *p && n < SEARCH_MAX; p++)
		if (isdigit((unsigned char)*p))
			digits[n++] = *p;
	digits[n] = '\0';
	const char *d = digits[0] == '0' ? digits + 1 : digits;
	return strlen(d) >= 3 ? arena_printf(a, "%%%s%%", d) : NULL;
}

static int parse_search(struct req *r, struct ticket_filter *f)
{
	const char *q = req_param(r, "q");
	long long chars;

	if (!q)
		return 0;
	if (!jv_utf8_valid(q, &chars) || chars > SEARCH_MAX)
		return bad_filter(r, "q", "q must be valid text of at most 100 characters");
	f->p[6] = like_pattern(r->arena, q);
	f->p[7] = phone_pattern(r->arena, q);
	return 0;
}

/* Parse status, masterId, q, from, to and fraud; 422 with the field on a bad value. */
static int parse_filter(struct req *r, struct ticket_filter *f)
{
	const char *status = req_param(r, "status"), *master = req_param(r, "masterId");
	const char *from = req_param(r, "from"), *to = req_param(r, "to"), *fraud = req_param(r, "fraud");

	memset(f, 0, sizeof(*f));
	if (status && !valid_statuses(status, r->arena))
		return bad_filter(r, "status", "status must be a comma list of ticket statuses");
	if (master && !jv_is_uuid(master))
		return bad_filter(r, "masterId", "masterId must be a UUID");
	if (from && !jv_is_time(from))
		return bad_filter(r, "from", "from must be an ISO 8601 date or time");
	if (to && !jv_is_time(to))
		return bad_filter(r, "to", "to must be an ISO 8601 date or time");
	if (fraud && strcmp(fraud, "true") != 0 && strcmp(fraud, "false") != 0)
		return bad_filter(r, "fraud", "fraud must be true or false");
	f->p[0] = status;
	f->p[1] = master;
	f->p[2] = r->user.role == ROLE_MASTER ? r->user.id : NULL;
	f->p[3] = from;
	f->p[4] = to;
	f->p[5] = fraud;
	return parse_search(r, f);
}

int h_tickets_list(struct req *r)
{
	struct ticket_filter f;
	struct list_page page = {0};
	PGresult *res;
	int status;

	if ((status = list_parse(r, &page)) || (status = parse_filter(r, &f)))
		return status;
	const char *params[] = {f.p[0], f.p[1], f.p[2], f.p[3], f.p[4], f.p[5], f.p[6], f.p[7],
				page.after_us, page.after_id, page.limit_plus_one};
	struct db_stmt *st = f.p[6] ? &st_tickets_search : &st_tickets_list;
	enum db_rc rc = db_exec(r->db, r->arena, st, params, &res);
	if (rc != DB_OK)
		return reply_db(r, rc);
	return list_reply(r, res, &page);
}

static void csv_rows(struct buf *b, const PGresult *res, int rows)
{
	int cols = PQnfields(res);

	buf_puts(b, EXPORT_HEADER);
	for (int i = 0; i < rows; i++) {
		for (int c = 0; c < cols; c++) {
			if (c)
				buf_putc(b, ',');
			csv_field(b, db_val(res, i, c));
		}
		buf_puts(b, "\r\n");
	}
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

	if ((status = parse_filter(r, &f)))
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
	reply_text(r, 200, "text/csv; charset=utf-8", NULL);
	csv_rows(&r->out, res, rows > EXPORT_MAX ? EXPORT_MAX : rows); /* straight into the answer */
	return 200;
}
