-- Functions, triggers and views now live in sql/functions/, each defined once, applied by
-- brando-ctl migrate after the migrations in the same transaction. The numbered files before
-- this one keep only tables, sequences, indexes, constraints and data. What they defined and
-- nothing calls any more is dropped here, so an upgraded database ends up as a fresh one.

-- Reads brando-push replaced with events_poll / events_page / events_start (sql/007).
DROP FUNCTION IF EXISTS events_after(bigint, integer);
DROP FUNCTION IF EXISTS events_head();
-- The NOTIFY after COMMIT that events_wake replaced (sql/011); kept until now for old binaries.
DROP FUNCTION IF EXISTS notify_emitted();
-- Telegram texts are written in C now (ticket_tell_master queues facts only).
DROP FUNCTION IF EXISTS html_escape(text);
-- The dashboard's window is checked and computed in C (h_dashboard.c); dashboard_json takes
-- its bounds as timestamptz.
DROP FUNCTION IF EXISTS dashboard_json(text, text, text, uuid, boolean);
DROP FUNCTION IF EXISTS dashboard_bound(text, text, boolean);
DROP FUNCTION IF EXISTS tz_known(text);
-- brando-ctl zadarma-sync now reads the statistics rows itself and folds each with call_notify.
DROP FUNCTION IF EXISTS call_sync_page(jsonb, jsonb, text);

-- A table's default must not need sql/functions (migrations run first on a fresh database):
-- ticket numbers are formatted by an expression, as in 003 now.
ALTER TABLE tickets ALTER COLUMN number
  SET DEFAULT 'T-' || translate(format('%6s', nextval('ticket_number_seq')), ' ', '0');
DROP FUNCTION IF EXISTS ticket_number(bigint);
