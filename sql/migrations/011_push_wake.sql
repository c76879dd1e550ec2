-- Writers wake brando-push only while it waits. A NOTIFY per committed event (sql/007: sent
-- by the writer's connection after COMMIT) cost a round trip, PostgreSQL's notify queue, a
-- signal to the listening backend and a wake-up of the daemon for every event: 40 % of the
-- Zadarma webhook's throughput (docs/benchmarks.md). A daemon that has just read events reads
-- again every few milliseconds anyway, so only a waiting one needs telling.
--
-- The protocol (brando-push: lib/push_feed.c):
-- - A daemon that waits for NOTIFY holds advisory lock 7243011 in share mode. It takes it
--   after its reads have come back empty for a while, and lets go of it at the next NOTIFY.
-- - emit_event takes the transaction's xid, then tries the lock in exclusive mode (and lets go
--   at once). If that fails, a daemon waits: the transaction NOTIFYs, delivered at its
--   COMMIT. Under load no daemon waits, so no writer touches the cluster-wide notify lock.
-- - A writer that tried while no daemon waited may commit after one began to wait. Its xid was
--   taken before the daemon's lock, so it is below an xid the daemon takes after the lock
--   (events_wait's answer): the daemon keeps reading until no transaction below that horizon
--   is still open (pg_snapshot_xmin), which includes such a writer. (A snapshot's xmax would
--   not do: it is the newest *finished* xid + 1, and older xids may still run above it.)
-- Two writers trying at the same instant may see each other's lock: one NOTIFYs for nothing.

CREATE FUNCTION events_wake() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF pg_try_advisory_lock(7243011) THEN
    PERFORM pg_advisory_unlock(7243011);
  ELSE
    PERFORM pg_notify('brando_events', '');
  END IF;
END
$$;

CREATE OR REPLACE FUNCTION emit_event(p_type text, p_audience text[], p_payload jsonb) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  new_id bigint;
BEGIN
  PERFORM pg_current_xact_id(); -- before the id and before the wake check (see above)
  INSERT INTO events (type, audience, payload) VALUES (p_type, p_audience, p_payload)
  RETURNING id INTO new_id;
  PERFORM events_wake();
  RETURN new_id;
END
$$;

-- brando-push begins to wait: the share lock, then an xid of its own as the horizon.
CREATE FUNCTION events_wait() RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_lock_shared(7243011);
  RETURN pg_current_xact_id()::text;
END
$$;

CREATE FUNCTION events_unwait() RETURNS boolean
LANGUAGE sql AS $$
  SELECT pg_advisory_unlock_shared(7243011)
$$;

-- notify_emitted() (sql/007) stays for binaries still running during a rolling deploy: with
-- nothing noted in the session any more it sends nothing.
