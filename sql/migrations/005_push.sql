-- brando-push: what the daemon reads (events after an id, with the audience as a bit mask) and
-- how the retained window is pruned, with the high-water mark replays are checked against.

-- Every event with id <= upto may have been pruned: a client asking for events after an id
-- below it is told to resync instead of getting a list with holes.
CREATE TABLE events_pruned (
  singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  upto       bigint NOT NULL DEFAULT 0
);
INSERT INTO events_pruned DEFAULT VALUES;

-- Audience as the daemon's role bits: admin 1, operator 2, master 4.
CREATE FUNCTION event_roles(audience text[]) RETURNS int
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT ('admin' = ANY (audience))::int | (('operator' = ANY (audience))::int << 1)
       | (('master' = ANY (audience))::int << 2)
$$;

-- Up to lim events after `after`, in id order, as frames; always at least one row so the
-- caller also learns the pruned mark (an empty page is one row with NULL id). emit_event
-- makes ids visible in id order, so a page is always a prefix of what will ever commit.
CREATE FUNCTION events_after(after bigint, lim int)
RETURNS TABLE (upto bigint, id bigint, roles int, age double precision, frame text)
LANGUAGE sql STABLE AS $$
  SELECT p.upto, e.id, event_roles(e.audience),
         extract(epoch FROM clock_timestamp() - e.created_at)::double precision, event_json(e)::text
  FROM events_pruned p
  LEFT JOIN LATERAL (SELECT * FROM events x WHERE x.id > after ORDER BY x.id LIMIT lim) e ON true
  ORDER BY e.id
$$;

-- The newest id a fresh daemon starts after (pruned ones count: ids never go back).
CREATE FUNCTION events_head() RETURNS bigint
LANGUAGE sql STABLE AS $$
  SELECT greatest((SELECT coalesce(max(id), 0) FROM events), (SELECT upto FROM events_pruned))
$$;

-- Delete events older than keep_seconds and beyond the newest keep_count, always a prefix in
-- id order (so "id > upto are all still here" holds). One instance at a time: the others get
-- -1 at once instead of waiting. Returns the number of rows deleted.
CREATE FUNCTION prune_events(keep_seconds int, keep_count int) RETURNS bigint
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
