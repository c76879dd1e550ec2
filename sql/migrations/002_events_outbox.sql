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
