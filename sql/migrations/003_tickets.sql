-- Tickets: service orders with a human number, their history, fraud checks, the phone
-- blacklist and the operator's screen pop. Every write goes through ticket_create /
-- ticket_patch so a ticket, its history row, its outbox row and its event commit together.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE SEQUENCE ticket_number_seq;

CREATE TABLE tickets (
  id              bigserial PRIMARY KEY,
  -- 'T-000123': six digits at least (format pads to a width, never cuts), more once the
  -- counter outgrows them. An expression, not a function: migrations run before sql/functions.
  number          text NOT NULL UNIQUE
                  DEFAULT 'T-' || translate(format('%6s', nextval('ticket_number_seq')), ' ', '0'),
  status          text NOT NULL DEFAULT 'new'
                  CHECK (status IN ('new', 'assigned', 'accepted', 'in_progress', 'completed', 'cancelled')),
  priority        text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  customer_name   text NOT NULL CHECK (length(customer_name) BETWEEN 1 AND 200),
  customer_phone  text NOT NULL CHECK (customer_phone ~ '^\+[1-9][0-9]{7,14}$'),
  customer_email  text CHECK (length(customer_email) <= 254),
  address         text CHECK (length(address) <= 500),
  city            text CHECK (length(city) <= 100),
  device_type     text NOT NULL CHECK (length(device_type) BETWEEN 1 AND 100),
  device_brand    text CHECK (length(device_brand) <= 100),
  device_model    text CHECK (length(device_model) <= 100),
  serial_number   text CHECK (length(serial_number) <= 100),
  problem         text NOT NULL CHECK (length(problem) BETWEEN 1 AND 5000),
  notes           text CHECK (length(notes) <= 5000),
  source          text NOT NULL DEFAULT 'manual' CHECK (source IN ('call', 'web', 'manual')),
  call_id         bigint, -- the calls migration adds the foreign key
  master_id       uuid REFERENCES users (id),
  scheduled_at    timestamptz,
  price_estimate  numeric(12,2) CHECK (price_estimate >= 0),
  final_amount    numeric(12,2) CHECK (final_amount >= 0),
  payment_status  text CHECK (payment_status IN ('unpaid', 'partial', 'paid', 'refunded')),
  fraud_score     integer NOT NULL DEFAULT 0 CHECK (fraud_score BETWEEN 0 AND 100),
  fraud_flags     text[] NOT NULL DEFAULT '{}',
  created_by      uuid REFERENCES users (id),
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  completed_at    timestamptz,
  version         integer NOT NULL DEFAULT 1,
  -- What `q` searches (number, name, phone, address, device), lower-cased for LIKE.
  search          text GENERATED ALWAYS AS (lower(
                    number || ' ' || customer_name || ' ' || customer_phone || ' ' ||
                    coalesce(address, '') || ' ' || device_type || ' ' ||
                    coalesce(device_brand, '') || ' ' || coalesce(device_model, ''))) STORED
  -- The life-cycle rules (a new ticket has no master, an open one has one, a completed one has
  -- a final amount) are enforced by the API, not by CHECKs, so imports and seeds of
  -- historical rows are not refused.
);
-- Keyset pagination newest first, alone and under each filter.
CREATE INDEX tickets_created_idx ON tickets (created_at DESC, id DESC);
CREATE INDEX tickets_status_idx ON tickets (status, created_at DESC, id DESC);
CREATE INDEX tickets_master_idx ON tickets (master_id, created_at DESC, id DESC) WHERE master_id IS NOT NULL;
CREATE INDEX tickets_fraud_idx ON tickets (created_at DESC, id DESC) WHERE fraud_score > 0;
CREATE INDEX tickets_phone_idx ON tickets (customer_phone, created_at DESC);
CREATE INDEX tickets_search_idx ON tickets USING gin (search gin_trgm_ops);

CREATE TABLE ticket_history (
  id           bigserial PRIMARY KEY,
  ticket_id    bigint NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  at           timestamptz NOT NULL DEFAULT now(),
  user_id      uuid REFERENCES users (id),
  action       text NOT NULL CHECK (action IN ('created', 'updated', 'assigned', 'status')),
  from_status  text,
  to_status    text,
  changes      jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX ticket_history_ticket_idx ON ticket_history (ticket_id, id);

CREATE TABLE blacklist (
  id          bigserial PRIMARY KEY,
  phone       text NOT NULL CHECK (phone ~ '^\+[1-9][0-9]{7,14}$'),
  reason      text CHECK (length(reason) <= 500),
  created_by  uuid REFERENCES users (id),
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX blacklist_phone_key ON blacklist (phone);
CREATE INDEX blacklist_created_idx ON blacklist (created_at DESC, id DESC);
