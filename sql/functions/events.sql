-- Live events: how writers record them (emit_event, in the writing transaction) and how
-- brando-push reads, waits for and prunes them. docs/operations.md ("brando-push") tells the
-- whole protocol; brando-push's fcgi/push/gap.c holds the proof that no committed event is skipped.

-- Frame exactly as the WebSocket contract shows it.
CREATE OR REPLACE FUNCTION event_json(e events) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT json_build_object('id', e.id, 'type', e.type, 'at', iso(e.created_at), 'data', e.payload)
$$;

-- Audience as the daemon's role bits (lib/roles.h): admin 1, operator 2, master 4.
CREATE OR REPLACE FUNCTION event_roles(audience text[]) RETURNS int
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT ('admin' = ANY (audience))::int | (('operator' = ANY (audience))::int << 1)
       | (('master' = ANY (audience))::int << 2)
$$;

-- Writers wake brando-push only while it waits. A NOTIFY per committed event cost a round trip,
-- PostgreSQL's notify queue, a signal to the listening backend and a wake-up of the daemon for
-- every event: 40 % of the Zadarma webhook's throughput (docs/benchmarks.md). A daemon that has
-- just read events reads again every few milliseconds anyway, so only a waiting one needs telling.
-- - A daemon that waits for NOTIFY holds advisory lock 7243011 in share mode (events_wait). It
--   takes it after its reads have come back empty for a while, and lets go at the next NOTIFY.
-- - emit_event takes the transaction's xid, then tries the lock in exclusive mode (and lets go
--   at once). If that fails, a daemon waits: the transaction NOTIFYs, delivered at its COMMIT.
--   Under load no daemon waits, so no writer touches the cluster-wide notify lock.
-- - A writer that tried while no daemon waited may commit after one began to wait. Its xid was
--   taken before the daemon's lock, so it is below an xid the daemon takes after the lock
--   (events_wait's answer): the daemon keeps reading until no transaction below that horizon
--   is still open (pg_snapshot_xmin), which includes such a writer. (A snapshot's xmax would
--   not do: it is the newest *finished* xid + 1, and older xids may still run above it.)
-- Two writers trying at the same instant may see each other's lock: one NOTIFYs for nothing.
CREATE OR REPLACE FUNCTION events_wake() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF pg_try_advisory_lock(7243011) THEN
    PERFORM pg_advisory_unlock(7243011);
  ELSE
    PERFORM pg_notify('brando_events', '');
  END IF;
END
$$;

-- Record an event in the writing transaction. Ids are taken freely (no lock: one held through
-- COMMIT's WAL flush made every writer wait for every other one's fsync), so they may become
-- visible out of order; brando-push holds an id gap back until the transaction that took it
-- has ended. The transaction's xid is assigned before the id is taken: an id can only be
-- missing while a transaction that began before any later id was taken is still running, so
-- once every xid below a horizon read after the gap was seen has ended (pg_snapshot_xmin), the
-- gap is final. The xid also comes before the wake check (see events_wake).
CREATE OR REPLACE FUNCTION emit_event(p_type text, p_audience text[], p_payload jsonb) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  new_id bigint;
BEGIN
  PERFORM pg_current_xact_id();
  INSERT INTO events (type, audience, payload) VALUES (p_type, p_audience, p_payload)
  RETURNING id INTO new_id;
  PERFORM events_wake();
  RETURN new_id;
END
$$;

-- brando-push begins to wait: the share lock, then an xid of its own as the horizon.
CREATE OR REPLACE FUNCTION events_wait() RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_lock_shared(7243011);
  RETURN pg_current_xact_id()::text;
END
$$;

CREATE OR REPLACE FUNCTION events_unwait() RETURNS boolean
LANGUAGE sql AS $$
  SELECT pg_advisory_unlock_shared(7243011)
$$;

-- The fan-out poll: up to lim events after `after` (a page with gaps where transactions are
-- still open or rolled back), the pruned mark, and the oldest running xid of the same
-- snapshot. Always at least one row (an empty page is one row with NULL id). The pruned mark
-- is one row: saying so (LIMIT 1) keeps the planner's estimate at the page size (a join against
-- an unanalyzed table estimated half a million rows and sent every poll through JIT).
CREATE OR REPLACE FUNCTION events_poll(after bigint, lim int)
RETURNS TABLE (upto bigint, id bigint, roles int, age double precision, frame text, xmin text)
LANGUAGE sql STABLE AS $$
  SELECT p.upto, e.id, event_roles(e.audience),
         extract(epoch FROM clock_timestamp() - e.created_at)::double precision, event_json(e)::text,
         pg_snapshot_xmin(pg_current_snapshot())::text
  FROM (SELECT upto FROM events_pruned LIMIT 1) p
  LEFT JOIN LATERAL (SELECT * FROM events x WHERE x.id > after ORDER BY x.id LIMIT lim) e ON true
  ORDER BY e.id
$$;

-- A replay page: like events_poll, but never past `until`, the id up to which the daemon
-- knows every event (a client must not be handed an event past a gap that may still fill).
CREATE OR REPLACE FUNCTION events_page(after bigint, lim int, until bigint)
RETURNS TABLE (upto bigint, id bigint, roles int, age double precision, frame text)
LANGUAGE sql STABLE AS $$
  SELECT p.upto, e.id, event_roles(e.audience),
         extract(epoch FROM clock_timestamp() - e.created_at)::double precision, event_json(e)::text
  FROM (SELECT upto FROM events_pruned LIMIT 1) p
  LEFT JOIN LATERAL (SELECT * FROM events x WHERE x.id > after AND x.id <= until
                      ORDER BY x.id LIMIT lim) e ON true
  ORDER BY e.id
$$;

-- Where a starting daemon begins reading: just below the oldest id missing among the newest
-- 10,000 (one may belong to a transaction still open), with the newest id and an xid horizon
-- that settle every gap below it as soon as the transactions open now have ended.
CREATE OR REPLACE FUNCTION events_start(OUT head bigint, OUT cover bigint, OUT horizon text)
LANGUAGE plpgsql AS $$
DECLARE
  top bigint := (SELECT coalesce(max(e.id), 0) FROM events e);
  floor_ bigint := greatest((SELECT upto FROM events_pruned), top - 10000);
BEGIN
  SELECT greatest(coalesce(min(g.i) - 1, top), floor_) INTO head
    FROM generate_series(floor_ + 1, top) g (i)
   WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.id = g.i);
  cover := top;
  horizon := pg_current_xact_id()::text;
END
$$;

-- Delete events older than keep_seconds and beyond the newest keep_count, always a prefix in
-- id order (so "id > upto are all still here" holds). One instance at a time: the others get
-- -1 at once instead of waiting. Returns the number of rows deleted.
CREATE OR REPLACE FUNCTION prune_events(keep_seconds int, keep_count int) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  by_age bigint;
  by_count bigint;
  cut bigint;
  n bigint;
BEGIN
  IF NOT pg_try_advisory_xact_lock(7243002) THEN
    RETURN -1;
  END IF;
  SELECT max(id) INTO by_age FROM events WHERE created_at < now() - make_interval(secs => keep_seconds);
  SELECT id INTO by_count FROM events ORDER BY id DESC OFFSET keep_count LIMIT 1;
  cut := greatest(coalesce(by_age, 0), coalesce(by_count, 0));
  IF cut <= (SELECT upto FROM events_pruned) THEN
    RETURN 0;
  END IF;
  DELETE FROM events WHERE id <= cut;
  GET DIAGNOSTICS n = ROW_COUNT;
  UPDATE events_pruned SET upto = cut;
  RETURN n;
END
$$;
