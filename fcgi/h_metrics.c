/* h_metrics: Prometheus text: the workers' request counters and the outbox backlog. Who may
 * read it is the route's rule (admin session or a trusted caller), checked by dispatch. */
#include "handlers.h"

#include "metrics.h"

DB_STMT(st_outbox_backlog, 0,
	"SELECT count(*) FILTER (WHERE status = 'pending'), count(*) FILTER (WHERE status = 'failed') FROM outbox");

int h_metrics(struct req *r)
{
	struct buf b;
	PGresult *res;

	buf_init(&b, r->arena);
	metrics_render(&b);
	if (db_exec(r->db, r->arena, &st_outbox_backlog, NULL, &res) == DB_OK)
		buf_printf(&b, "# HELP brando_outbox_backlog Outbox messages waiting or given up.\n"
			       "# TYPE brando_outbox_backlog gauge\nbrando_outbox_backlog{status=\"pending\"} %s\n"
			       "brando_outbox_backlog{status=\"failed\"} %s\n", db_val(res, 0, 0), db_val(res, 0, 1));
	return reply_text(r, 200, "text/plain; version=0.0.4", b.data ? b.data : "");
}
