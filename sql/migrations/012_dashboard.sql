-- The dashboard (CONTRACT "Dashboard"): the indexes its window reads by (dashboard_json is in
-- sql/functions/dashboard.sql).

CREATE INDEX tickets_completed_idx ON tickets (completed_at) WHERE completed_at IS NOT NULL;
CREATE INDEX ticket_history_cancelled_idx ON ticket_history (at)
  WHERE action = 'status' AND to_status = 'cancelled';
