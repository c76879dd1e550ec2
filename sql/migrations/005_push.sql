-- brando-push: the high-water mark of the pruned events, which replays are checked against
-- (prune_events and the reads are in sql/functions/events.sql).

-- Every event with id <= upto may have been pruned: a client asking for events after an id
-- below it is told to resync instead of getting a list with holes.
CREATE TABLE events_pruned (
  singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  upto       bigint NOT NULL DEFAULT 0
);
INSERT INTO events_pruned DEFAULT VALUES;
