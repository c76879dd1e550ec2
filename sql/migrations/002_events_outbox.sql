-- Live events and the outbox: written in the same transaction as the change they describe.
-- events feeds brando-push (LISTEN/NOTIFY + replay); outbox feeds the jobs worker.
CREATE TABLE events (
  id          bigserial PRIMARY KEY,
  type        text NOT NULL,
  audience    text[] NOT NULL DEFAULT '{admin,operator}',
  payload     jsonb NOT NULL DEFAULT '{}',
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_created_idx ON events (created_at);

-- Frame exactly as the WebSocket contract shows it.
CREATE FUNCTION event_json(e events) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT json_build_object('id', e.id, 'type', e.type, 'at', iso(e.created_at), 'data', e.payload)
$$;

-- Ids are taken under a transaction-scoped advisory lock held until commit, so ids become
-- visible in id order: a reader that remembers the last id it delivered never skips one.
-- Call it as the last statement of a writing transaction.
CREATE FUNCTION emit_event(p_type text, p_audience text[], p_payload jsonb) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  new_id bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(7243001);
  INSERT INTO events (type, audience, payload) VALUES (p_type, p_audience, p_payload)
  RETURNING id INTO new_id;
  PERFORM pg_notify('brando_events', new_id::text);
  RETURN new_id;
END
$$;

CREATE TABLE outbox (
  id               bigserial PRIMARY KEY,
  channel          text NOT NULL CHECK (channel IN ('telegram', 'twilio', 'zadarma')),
  recipient        text NOT NULL,
  payload          jsonb NOT NULL,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  last_error       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  sent_at          timestamptz
);
CREATE INDEX outbox_due_idx ON outbox (next_attempt_at) WHERE status = 'pending';

-- Idempotency-Key: the first answer to (user, key) is kept for 24 h.
CREATE TABLE idempotency_keys (
  user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  key           text NOT NULL,
  request_hash  text NOT NULL,
  status        integer,
  response      text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_created_idx ON idempotency_keys (created_at);
