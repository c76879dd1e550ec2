-- Emitting an event no longer serializes writers. emit_event used to take one advisory lock
-- and NOTIFY inside the transaction; both are held through COMMIT's WAL flush, so every
-- writing request queued behind every other one's fsync (the webhook ceiling measured in
-- docs/benchmarks.md). Now ids are taken freely, so they may become visible out of order:
-- brando-push holds an id gap back until the transaction that took it has ended (see
-- lib/push_gap.c), and the writer's connection sends NOTIFY after COMMIT (lib/db.c).

-- The transaction's xid is assigned before the id is taken: an id can only be missing while a
-- transaction that began before any later id was taken is still running, so once every xid
-- below a horizon read after the gap was seen has ended (pg_snapshot_xmin), the gap is final.
-- The id is also noted in the session (a setting, undone if the transaction rolls back) for
-- notify_emitted().
CREATE OR REPLACE FUNCTION emit_event(p_type text, p_audience text[], p_payload jsonb) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  new_id bigint;
BEGIN
  PERFORM pg_current_xact_id();
  INSERT INTO events (type, audience, payload) VALUES (p_type, p_audience, p_payload)
  RETURNING id INTO new_id;
  PERFORM set_config('brando.emitted', new_id::text, false);
  RETURN new_id;
END
$$;

-- Run by the writer's connection right after COMMIT: if committed transactions of this session
-- emitted events since the last call, NOTIFY brando_events with the newest id, and forget it.
-- A transaction of its own with nothing to flush: it does not wait for the disk.
CREATE FUNCTION notify_emitted() RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  v text := current_setting('brando.emitted', true);
BEGIN
  IF coalesce(v, '') = '' THEN
    RETURN NULL;
  END IF;
  PERFORM set_config('brando.emitted', '', false);
  PERFORM pg_notify('brando_events', v);
  RETURN v::bigint;
END
$$;

-- The fan-out poll: up to lim events after `after` (a page with gaps where transactions are
-- still open or rolled back), the pruned mark, and the oldest running xid of the same
-- snapshot. Always at least one row (an empty page is one row with NULL id).
CREATE FUNCTION events_poll(after bigint, lim int)
RETURNS TABLE (upto bigint, id bigint, roles int, age double precision, frame text, xmin text)
LANGUAGE sql STABLE AS $$
  SELECT p.upto, e.id, event_roles(e.audience),
         extract(epoch FROM clock_timestamp() - e.created_at)::double precision, event_json(e)::text,
         pg_snapshot_xmin(pg_current_snapshot())::text
  FROM (SELECT upto FROM events_pruned LIMIT 1) p
  LEFT JOIN LATERAL (SELECT * FROM events x WHERE x.id > after ORDER BY x.id LIMIT lim) e ON true
  ORDER BY e.id
$$;

-- A replay page: like events_after, but never past `until`, the id up to which the daemon
-- knows every event (a client must not be handed an event past a gap that may still fill).
CREATE FUNCTION events_page(after bigint, lim int, until bigint)
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
CREATE FUNCTION events_start(OUT head bigint, OUT cover bigint, OUT horizon text)
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
