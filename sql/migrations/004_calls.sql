-- Calls: every Zadarma notification kept raw (call_events) and folded into one calls row per
-- pbx_call_id (call_notify, sql/functions/calls.sql); WebRTC keys cached for every instance.

CREATE TABLE calls (
  id              bigserial PRIMARY KEY,
  pbx_call_id     text UNIQUE CHECK (length(pbx_call_id) BETWEEN 1 AND 128), -- NULL: click-to-call not yet seen by the PBX
  direction       text NOT NULL DEFAULT 'in' CHECK (direction IN ('in', 'out')),
  status          text NOT NULL DEFAULT 'ringing'
                  CHECK (status IN ('ringing', 'answered', 'completed', 'missed', 'busy', 'failed')),
  caller_number   text CHECK (length(caller_number) <= 64),
  called_number   text CHECK (length(called_number) <= 64),
  extension       text CHECK (length(extension) <= 32),
  extension_rank  smallint NOT NULL DEFAULT 0, -- 1: only rung (NOTIFY_INTERNAL); 2: answered or dialled from
  operator_id     uuid REFERENCES users (id),
  customer_phone  text CHECK (length(customer_phone) <= 16),
  started_at      timestamptz NOT NULL DEFAULT now(),
  start_exact     boolean NOT NULL DEFAULT false, -- started_at is Zadarma's call_start, not our clock
  answer_seen_at  timestamptz,                    -- when NOTIFY_ANSWER arrived
  answered_at     timestamptz,
  ended_at        timestamptz,
  wait_seconds    integer,
  talk_seconds    integer,
  duration        integer CHECK (duration >= 0),
  disposition     text CHECK (length(disposition) <= 64),
  status_code     text CHECK (length(status_code) <= 16),
  recorded        boolean NOT NULL DEFAULT false,
  recording_id    text CHECK (length(recording_id) <= 128),
  ticket_id       bigint REFERENCES tickets (id) ON DELETE SET NULL,
  created_by      uuid REFERENCES users (id),
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX calls_started_idx ON calls (started_at DESC, id DESC);
CREATE INDEX calls_phone_idx ON calls (customer_phone, started_at DESC) WHERE customer_phone IS NOT NULL;
CREATE INDEX calls_missed_idx ON calls (started_at DESC, id DESC) WHERE status = 'missed' AND direction = 'in';
CREATE INDEX calls_operator_idx ON calls (operator_id, started_at) WHERE operator_id IS NOT NULL;
CREATE INDEX calls_pending_idx ON calls (extension, customer_phone) WHERE pbx_call_id IS NULL;

-- Raw notifications for audit and replay; the unique key makes a repeat a no-op
-- (internal is part of it: NOTIFY_INTERNAL comes once per extension rung).
CREATE TABLE call_events (
  id           bigserial PRIMARY KEY,
  pbx_call_id  text NOT NULL,
  event        text NOT NULL,
  internal     text NOT NULL DEFAULT '',
  fields       jsonb NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (pbx_call_id, event, internal)
);

-- A ticket created (or re-pointed) from a call links the call back to it.
ALTER TABLE tickets ADD CONSTRAINT tickets_call_id_fkey
  FOREIGN KEY (call_id) REFERENCES calls (id) ON DELETE SET NULL;
CREATE INDEX tickets_call_idx ON tickets (call_id) WHERE call_id IS NOT NULL;

-- Zadarma WebRTC keys live 72 h: fetched once, shared by every instance until shortly before.
CREATE TABLE zadarma_webrtc_keys (
  sip         text PRIMARY KEY,
  key         text NOT NULL,
  fetched_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL
);
