/* tickets_query: each filter checked strictly, q made into the LIKE patterns of the search index. */
#include "tickets_query.h"

#include <ctype.h>
#include <string.h>

#include "jsonv.h"
#include "ticket_status.h"

#define SEARCH_MAX 100 /* characters of q */

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

/* An empty parameter ("status=") counts as absent (req_param). */
int tickets_filter_parse(struct req *r, struct ticket_filter *f)
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
