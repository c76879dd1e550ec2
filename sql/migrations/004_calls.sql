-- Calls: every Zadarma notification kept raw (call_events) and folded into one calls row per
-- pbx_call_id; the customer lookup learns the calls; WebRTC keys cached for every instance.

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

-- Status, answer time, wait and talk are derived from the facts gathered so far, whatever
-- order they arrived in: the same facts always give the same row.
CREATE FUNCTION calls_derive() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.ended_at IS NOT NULL THEN
    NEW.status := CASE
      WHEN NEW.disposition = 'answered' THEN 'completed'
      WHEN NEW.disposition IN ('no answer', 'cancel') THEN 'missed'
      WHEN NEW.disposition = 'busy' THEN CASE NEW.direction WHEN 'in' THEN 'missed' ELSE 'busy' END
      ELSE 'failed' END;
    NEW.answered_at := CASE WHEN NEW.disposition <> 'answered' THEN NULL
      WHEN NEW.answer_seen_at <= NEW.ended_at THEN NEW.answer_seen_at
      ELSE NEW.ended_at - make_interval(secs => coalesce(NEW.duration, 0)) END;
    NEW.talk_seconds := CASE WHEN NEW.disposition = 'answered' THEN coalesce(NEW.duration, 0) ELSE 0 END;
  ELSE
    NEW.status := CASE WHEN NEW.answer_seen_at IS NOT NULL THEN 'answered' ELSE 'ringing' END;
    NEW.answered_at := NEW.answer_seen_at;
    NEW.talk_seconds := NULL;
  END IF;
  NEW.wait_seconds := CASE WHEN coalesce(NEW.answered_at, NEW.ended_at) IS NOT NULL THEN greatest(0,
    floor(extract(epoch FROM coalesce(NEW.answered_at, NEW.ended_at) - NEW.started_at)))::integer END;
  IF (TG_OP = 'INSERT' AND NEW.operator_id IS NULL) OR
     (TG_OP = 'UPDATE' AND NEW.extension IS DISTINCT FROM OLD.extension) THEN
    NEW.operator_id := (SELECT u.id FROM users u WHERE u.sip_extension = NEW.extension AND u.active
                        ORDER BY u.created_at LIMIT 1);
  END IF;
  NEW.updated_at := now();
  RETURN NEW;
END
$$;
CREATE TRIGGER calls_derive BEFORE INSERT OR UPDATE ON calls
  FOR EACH ROW EXECUTE FUNCTION calls_derive();

-- A missed incoming call stays open until the number is called back (any outgoing call to it,
-- click-to-call included) or a later call from it is answered. Computed, so the order in which
-- notifications arrive cannot leave it wrong.
CREATE FUNCTION call_called_back(c calls) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT c.direction = 'in' AND c.status = 'missed' AND c.customer_phone IS NOT NULL AND EXISTS (
    SELECT 1 FROM calls o
     WHERE o.customer_phone = c.customer_phone AND o.started_at >= c.started_at AND o.id <> c.id
       AND (o.direction = 'out' OR o.status IN ('answered', 'completed')))
$$;

CREATE FUNCTION call_missed_open(c calls) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT c.direction = 'in' AND c.status = 'missed' AND NOT call_called_back(c)
$$;

-- The contract's call object.
CREATE FUNCTION call_json(c calls) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT json_build_object(
    'id', c.id, 'pbxCallId', c.pbx_call_id, 'direction', c.direction, 'status', c.status,
    'callerNumber', c.caller_number, 'calledNumber', c.called_number, 'extension', c.extension,
    'operatorId', c.operator_id,
    'operatorName', (SELECT u.full_name FROM users u WHERE u.id = c.operator_id),
    'customerPhone', c.customer_phone, 'startedAt', iso(c.started_at),
    'answeredAt', iso(c.answered_at), 'endedAt', iso(c.ended_at),
    'waitSeconds', c.wait_seconds, 'talkSeconds', c.talk_seconds, 'duration', c.duration,
    'disposition', c.disposition, 'recorded', c.recorded OR c.recording_id IS NOT NULL,
    'ticketId', c.ticket_id, 'calledBack', call_called_back(c))
$$;

-- The screen pop now lists the number's calls too (customer_lookup_json calls this).
CREATE OR REPLACE FUNCTION customer_calls_json(p_phone text) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT coalesce((SELECT json_agg(call_json(x.c) ORDER BY (x.c).started_at DESC, (x.c).id DESC)
                     FROM (SELECT c FROM calls c WHERE c.customer_phone = p_phone
                            ORDER BY c.started_at DESC, c.id DESC LIMIT 20) x), '[]')
$$;

-- The lookup for a call's customer; an unknown number has an empty one.
CREATE FUNCTION call_customer_json(p_phone text) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN p_phone IS NULL
    THEN json_build_object('phone', NULL, 'blacklisted', false, 'tickets', '[]'::json, 'calls', '[]'::json)
    ELSE customer_lookup_json(p_phone) END
$$;

-- What NOTIFY_START answers: reject a blacklisted caller when asked to, else name the
-- customer (and their open ticket) on the operator's phone.
CREATE FUNCTION call_start_answer(p_lookup json, p_reject boolean) RETURNS text
LANGUAGE sql STABLE AS $$
  WITH t AS (SELECT e.value AS ticket, e.ordinality AS n
               FROM json_array_elements(p_lookup->'tickets') WITH ORDINALITY e),
  name AS (SELECT concat_ws(' – ',
      (SELECT nullif(ticket->>'customerName', '') FROM t ORDER BY n LIMIT 1),
      (SELECT ticket->>'number' FROM t WHERE ticket->>'status' NOT IN ('completed', 'cancelled')
        ORDER BY n LIMIT 1)) AS v)
  SELECT CASE
    WHEN p_reject AND (p_lookup->>'blacklisted')::boolean THEN '{"redirect":"blacklist"}'
    WHEN (SELECT v FROM name) <> '' THEN json_build_object('caller_name', (SELECT v FROM name))::text
    ELSE '{}' END
$$;

-- One notification, one statement: store it raw, fold it into its call (an upsert whose merge
-- rules do not depend on arrival order), emit the live event, return the answer for Zadarma.
-- p_fields: the form fields as received; p_phone: the customer's number, normalized by the
-- caller; p_tz: the PBX time zone of call_start. SYNC_IN / SYNC_OUT come from zadarma-sync.
CREATE FUNCTION call_notify(p_event text, p_fields jsonb, p_phone text, p_tz text, p_reject boolean)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  f jsonb := p_fields;
  v_pbx text := f->>'pbx_call_id';
  v_out boolean := p_event IN ('NOTIFY_OUT_START', 'NOTIFY_OUT_END', 'SYNC_OUT');
  v_dir text := CASE WHEN p_event = 'NOTIFY_RECORD' THEN NULL WHEN v_out THEN 'out' ELSE 'in' END;
  v_ended boolean := p_event IN ('NOTIFY_END', 'NOTIFY_OUT_END', 'SYNC_IN', 'SYNC_OUT');
  v_internal text := nullif(f->>'internal', '');
  v_start timestamptz := (nullif(f->>'call_start', '')::timestamp AT TIME ZONE p_tz);
  v_duration integer := nullif(f->>'duration', '')::integer;
  v_rec text := nullif(f->>'call_id_with_rec', '');
  v_ended_at timestamptz := CASE WHEN p_event LIKE 'SYNC%'
    THEN v_start + make_interval(secs => coalesce(v_duration, 0)) ELSE now() END;
  v_lookup json;
  v_answer text := '{}';
  c calls;
BEGIN
  INSERT INTO call_events (pbx_call_id, event, internal, fields)
  VALUES (v_pbx, p_event, coalesce(v_internal, ''), f) ON CONFLICT DO NOTHING;
  IF NOT FOUND THEN -- a repeat changes nothing; NOTIFY_START still gets its answer
    IF p_event = 'NOTIFY_START' THEN
      RETURN call_start_answer(call_customer_json(p_phone), p_reject);
    END IF;
    RETURN v_answer;
  END IF;
  IF v_out THEN -- claim the click-to-call row this PBX call belongs to, one claimer at a time
    PERFORM pg_advisory_xact_lock(7243004, hashtext(v_pbx));
    IF NOT EXISTS (SELECT 1 FROM calls WHERE pbx_call_id = v_pbx) THEN
      UPDATE calls SET pbx_call_id = v_pbx
       WHERE id = (SELECT p.id FROM calls p
                    WHERE p.pbx_call_id IS NULL AND p.direction = 'out' AND p.extension = v_internal AND p.customer_phone = p_phone
                      AND p.created_at > now() - interval '10 minutes'
                    ORDER BY p.created_at LIMIT 1 FOR UPDATE SKIP LOCKED);
    END IF;
  END IF;
  INSERT INTO calls AS k (pbx_call_id, direction, caller_number, called_number, extension,
                          extension_rank, customer_phone, started_at, start_exact, answer_seen_at,
                          ended_at, duration, disposition, status_code, recorded, recording_id)
  VALUES (v_pbx, coalesce(v_dir, 'in'),
          CASE WHEN v_out THEN coalesce(nullif(f->>'caller_id', ''), v_internal) ELSE nullif(f->>'caller_id', '') END,
          nullif(f->>CASE WHEN v_out THEN 'destination' ELSE 'called_did' END, ''),
          v_internal,
          CASE WHEN v_internal IS NULL THEN 0 WHEN p_event = 'NOTIFY_INTERNAL' THEN 1 ELSE 2 END,
          p_phone, coalesce(v_start, now()), v_start IS NOT NULL,
          CASE WHEN p_event = 'NOTIFY_ANSWER' THEN now() END,
          CASE WHEN v_ended THEN v_ended_at END,
          CASE WHEN v_ended THEN coalesce(v_duration, 0) END,
          CASE WHEN v_ended THEN nullif(f->>'disposition', '') END,
          CASE WHEN v_ended THEN nullif(f->>'status_code', '') END,
          coalesce(f->>'is_recorded', '') = '1' OR p_event = 'NOTIFY_RECORD', v_rec)
  ON CONFLICT (pbx_call_id) DO UPDATE SET
    direction = coalesce(v_dir, k.direction),
    caller_number = coalesce(k.caller_number, EXCLUDED.caller_number),
    called_number = coalesce(k.called_number, EXCLUDED.called_number),
    extension = CASE WHEN EXCLUDED.extension IS NOT NULL AND EXCLUDED.extension_rank >= k.extension_rank
                     THEN EXCLUDED.extension ELSE k.extension END,
    extension_rank = greatest(k.extension_rank, EXCLUDED.extension_rank),
    customer_phone = coalesce(k.customer_phone, EXCLUDED.customer_phone),
    started_at = CASE WHEN k.start_exact OR NOT EXCLUDED.start_exact THEN k.started_at ELSE EXCLUDED.started_at END,
    start_exact = k.start_exact OR EXCLUDED.start_exact,
    answer_seen_at = coalesce(k.answer_seen_at, EXCLUDED.answer_seen_at),
    ended_at = coalesce(k.ended_at, EXCLUDED.ended_at),
    duration = coalesce(k.duration, EXCLUDED.duration),
    disposition = coalesce(k.disposition, EXCLUDED.disposition),
    status_code = coalesce(k.status_code, EXCLUDED.status_code),
    recorded = k.recorded OR EXCLUDED.recorded,
    recording_id = coalesce(k.recording_id, EXCLUDED.recording_id)
  RETURNING * INTO c;

  IF p_event IN ('NOTIFY_START', 'NOTIFY_OUT_START') THEN
    v_lookup := call_customer_json(p_phone);
    IF p_event = 'NOTIFY_START' THEN
      v_answer := call_start_answer(v_lookup, p_reject);
    END IF;
    IF c.status = 'ringing' THEN -- a start that arrives after the end pops nothing
      PERFORM emit_event('call.ringing', '{admin,operator}',
                         jsonb_build_object('call', call_json(c), 'customer', v_lookup));
    END IF;
  ELSIF p_event = 'NOTIFY_ANSWER' AND c.status = 'answered' THEN
    PERFORM emit_event('call.answered', '{admin,operator}', jsonb_build_object('call', call_json(c)));
  ELSIF p_event IN ('NOTIFY_END', 'NOTIFY_OUT_END') THEN
    PERFORM emit_event('call.ended', '{admin,operator}', jsonb_build_object('call', call_json(c)));
  END IF;
  RETURN v_answer;
END
$$;

-- brando-ctl zadarma-sync: one page of /v1/statistics/pbx/ (version 2) folded like the
-- notifications, so calls whose notifications were lost still appear; known calls keep what
-- they have. A destination of 7+ digits is an outside number: the call went out.
-- p_phones maps each raw number to its normalized form (lib/phone.c, done by the caller).
CREATE FUNCTION call_sync_page(p_stats jsonb, p_phones jsonb, p_tz text) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  r jsonb;
  v_out boolean;
  n integer := 0;
BEGIN
  FOR r IN SELECT value FROM jsonb_array_elements(p_stats) LOOP
    CONTINUE WHEN coalesce(r->>'pbx_call_id', '') = '';
    v_out := length(r->>'destination') >= 7;
    PERFORM call_notify(CASE WHEN v_out THEN 'SYNC_OUT' ELSE 'SYNC_IN' END,
      jsonb_strip_nulls(jsonb_build_object(
        'pbx_call_id', r->>'pbx_call_id', 'call_start', r->>'callstart', 'caller_id', r->>'clid',
        'internal', CASE WHEN v_out THEN r->>'sip' ELSE r->>'destination' END,
        'destination', CASE WHEN v_out THEN r->>'destination' END,
        'duration', r->>'seconds', 'disposition', r->>'disposition',
        'is_recorded', CASE WHEN r->>'is_recorded' IN ('true', '1') THEN '1' ELSE '0' END,
        'call_id_with_rec', CASE WHEN r->>'is_recorded' IN ('true', '1') THEN r->>'call_id' END)),
      p_phones->>(r->>CASE WHEN v_out THEN 'destination' ELSE 'clid' END), p_tz, false);
    n := n + 1;
  END LOOP;
  RETURN n;
END
$$;

-- A ticket created (or re-pointed) from a call links the call back to it.
ALTER TABLE tickets ADD CONSTRAINT tickets_call_id_fkey
  FOREIGN KEY (call_id) REFERENCES calls (id) ON DELETE SET NULL;
CREATE INDEX tickets_call_idx ON tickets (call_id) WHERE call_id IS NOT NULL;

CREATE FUNCTION tickets_link_call() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE calls SET ticket_id = NEW.id WHERE id = NEW.call_id AND ticket_id IS NULL;
  RETURN NULL;
END
$$;
CREATE TRIGGER tickets_link_call AFTER INSERT OR UPDATE OF call_id ON tickets
  FOR EACH ROW WHEN (NEW.call_id IS NOT NULL) EXECUTE FUNCTION tickets_link_call();

-- Zadarma WebRTC keys live 72 h: fetched once, shared by every instance until shortly before.
CREATE TABLE zadarma_webrtc_keys (
  sip         text PRIMARY KEY,
  key         text NOT NULL,
  fetched_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL
);
