/* tickets_query: the ticket list's filters (status, masterId, q, from, to, fraud), read from the
 * query string once for the list and its CSV export, and the SQL that applies them. */
#ifndef BRANDO_TICKETS_QUERY_H
#define BRANDO_TICKETS_QUERY_H

#include "req.h"

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

/* The filters as SQL parameters $1..$8 (NULL: no filter); strings live in the request arena. */
struct ticket_filter {
	const char *p[8];
};

/* Parse the filters; a master is held to their own tickets. 0, or the 422 (with the field)
 * is set and its status returned. */
int tickets_filter_parse(struct req *r, struct ticket_filter *f);

#endif
