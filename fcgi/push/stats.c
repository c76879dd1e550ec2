/* stats: counters bumped by the push modules, rendered on demand (no locking: one thread). */
#include "stats.h"

static void metric(struct buf *b, const char *name, const char *type, const char *help, double v)
{
	buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n%s %.17g\n", name, help, name, type, name, v);
}

void push_stats_render(struct buf *b, const struct push_stats *s, const struct push_gauges *g)
{
	metric(b, "brando_push_connections", "gauge", "WebSocket clients connected now.", g->clients);
	metric(b, "brando_push_connections_total", "counter", "WebSocket clients accepted.", (double)s->accepted);
	metric(b, "brando_push_refused_total", "counter", "Upgrades refused (no identity, master, bad since).",
	       (double)s->refused);
	metric(b, "brando_push_events_total", "counter", "Events read from the table for fan-out.", (double)s->events);
	metric(b, "brando_push_frames_sent_total", "counter", "Frames written to clients, replays included.",
	       (double)s->frames);
	metric(b, "brando_push_dropped_clients_total", "counter", "Clients dropped for falling a whole queue behind.",
	       (double)s->dropped_slow);
	metric(b, "brando_push_replay_pages_total", "counter", "Pages of old events read for ?since.", (double)s->replays);
	metric(b, "brando_push_resyncs_total", "counter", "Resync frames sent.", (double)s->resyncs);
	metric(b, "brando_push_lag_seconds", "gauge", "Age of the newest event when the daemon read it.",
	       s->lag_seconds);
	metric(b, "brando_push_backlog_max", "gauge", "Most queued frames any live client has yet to take.",
	       (double)g->backlog_max);
	metric(b, "brando_push_last_event_id", "gauge", "Id of the newest event read.", (double)g->last_event_id);
	metric(b, "brando_push_db_up", "gauge", "1 while the PostgreSQL connection is up.", s->db_up);
	metric(b, "brando_push_db_connects_total", "counter", "PostgreSQL connections made.", (double)s->db_connects);
	metric(b, "brando_push_db_failures_total", "counter", "PostgreSQL connections failed or lost.",
	       (double)s->db_failures);
	metric(b, "brando_push_pruned_events_total", "counter", "Events deleted by this instance's pruning.",
	       (double)s->pruned);
	metric(b, "brando_push_gap_ids_settled_total", "counter",
	       "Missing event ids found rolled back (delivery waited for their transaction).",
	       (double)s->gaps_settled);
	metric(b, "brando_push_gap_ids_skipped_total", "counter",
	       "Missing event ids delivered past after BRANDO_PUSH_GAP_HOLD (a transaction stayed open).",
	       (double)s->gaps_skipped);
	metric(b, "brando_push_waiting", "gauge",
	       "1 while the daemon waits for NOTIFY; 0 while it reads every few ms (writers do not NOTIFY).",
	       s->waiting);
	metric(b, "brando_push_wakeups_total", "counter", "NOTIFYs that ended a wait.", (double)s->wakeups);
}
