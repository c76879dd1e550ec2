-- Calls: Zadarma's notifications folded into calls rows (call_notify), the screen pop, and what
-- the lists render. Hot paths are plpgsql: a LANGUAGE sql function PostgreSQL cannot inline (it
-- has a FROM or a subquery) is parsed and planned again on every statement that calls it, while
-- plpgsql plans each statement once per connection and reuses the plan. These run on every
-- webhook, screen pop and list. (Functions that inline, a single expression like iso, stay sql.)

-- Status, answer time, wait and talk are derived from the facts gathered so far, whatever
-- order they arrived in: the same facts always give the same row.
CREATE OR REPLACE FUNCTION calls_derive() RETURNS trigger
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
CREATE OR REPLACE TRIGGER calls_derive BEFORE INSERT OR UPDATE ON calls
  FOR EACH ROW EXECUTE FUNCTION calls_derive();

-- A missed incoming call stays open until the number is called back (any outgoing call to it,
-- click-to-call included) or a later call from it is answered. Computed, so the order in which
-- notifications arrive cannot leave it wrong.
CREATE OR REPLACE FUNCTION call_called_back(c calls) RETURNS boolean
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
  RETURN c.direction = 'in' AND c.status = 'missed' AND c.customer_phone IS NOT NULL AND EXISTS (
    SELECT 1 FROM calls o
     WHERE o.customer_phone = c.customer_phone AND o.started_at >= c.started_at AND o.id <> c.id
       AND (o.direction = 'out' OR o.status IN ('answered', 'completed')));
END
$$;

CREATE OR REPLACE FUNCTION call_missed_open(c calls) RETURNS boolean
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
  RETURN c.direction = 'in' AND c.status = 'missed' AND NOT call_called_back(c);
END
$$;

-- The contract's call object.
CREATE OR REPLACE FUNCTION call_json(c calls) RETURNS json
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
  RETURN json_build_object(
    'id', c.id, 'pbxCallId', c.pbx_call_id, 'direction', c.direction, 'status', c.status,
    'callerNumber', c.caller_number, 'calledNumber', c.called_number, 'extension', c.extension,
    'operatorId', c.operator_id,
    'operatorName', (SELECT u.full_name FROM users u WHERE u.id = c.operator_id),
    'customerPhone', c.customer_phone, 'startedAt', iso(c.started_at),
    'answeredAt', iso(c.answered_at), 'endedAt', iso(c.ended_at),
    'waitSeconds', c.wait_seconds, 'talkSeconds', c.talk_seconds, 'duration', c.duration,
    'disposition', c.disposition, 'recorded', c.recorded OR c.recording_id IS NOT NULL,
    'ticketId', c.ticket_id, 'calledBack', call_called_back(c));
END
$$;

-- A phone's calls for the screen pop.
CREATE OR REPLACE FUNCTION customer_calls_json(p_phone text) RETURNS json
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN coalesce((SELECT json_agg(call_json(x.c) ORDER BY (x.c).started_at DESC, (x.c).id DESC)
                     FROM (SELECT c FROM calls c WHERE c.customer_phone = p_phone
                            ORDER BY c.started_at DESC, c.id DESC LIMIT 20) x), '[]');
END
$$;

-- The screen pop: what we know about a phone.
CREATE OR REPLACE FUNCTION customer_lookup_json(p_phone text) RETURNS json
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN json_build_object(
    'phone', p_phone,
    'blacklisted', EXISTS (SELECT 1 FROM blacklist b WHERE b.phone = p_phone),
    'tickets', coalesce((SELECT json_agg(ticket_json(x.t) ORDER BY (x.t).created_at DESC, (x.t).id DESC)
                           FROM (SELECT t FROM tickets t WHERE t.customer_phone = p_phone
                                  ORDER BY t.created_at DESC, t.id DESC LIMIT 20) x), '[]'),
    'calls', customer_calls_json(p_phone));
END
$$;

-- The lookup for a call's customer; an unknown number has an empty one.
CREATE OR REPLACE FUNCTION call_customer_json(p_phone text) RETURNS json
LANGUAGE plpgsql STABLE AS $$
BEGIN
  IF p_phone IS NULL THEN
    RETURN json_build_object('phone', NULL, 'blacklisted', false, 'tickets', '[]'::json, 'calls', '[]'::json);
  END IF;
  RETURN customer_lookup_json(p_phone);
END
$$;

-- What NOTIFY_START answers: reject a blacklisted caller when asked to, else name the
-- customer (and their open ticket) on the operator's phone.
CREATE OR REPLACE FUNCTION call_start_answer(p_lookup json, p_reject boolean) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
  v_name text;
  v_open text;
BEGIN
  IF p_reject AND (p_lookup->>'blacklisted')::boolean THEN
    RETURN '{"redirect":"blacklist"}';
  END IF;
  -- Tickets come newest first: the newest name, and the newest ticket still open.
  SELECT nullif(t->>'customerName', '') INTO v_name
    FROM json_array_elements(p_lookup->'tickets') WITH ORDINALITY e (t, n) ORDER BY n LIMIT 1;
  SELECT t->>'number' INTO v_open
    FROM json_array_elements(p_lookup->'tickets') WITH ORDINALITY e (t, n)
   WHERE t->>'status' NOT IN ('completed', 'cancelled') ORDER BY n LIMIT 1;
  IF concat_ws(' – ', v_name, v_open) = '' THEN
    RETURN '{}';
  END IF;
  RETURN json_build_object('caller_name', concat_ws(' – ', v_name, v_open))::text;
END
$$;

-- One notification, one statement: store it raw, fold it into its call (an upsert whose merge
-- rules do not depend on arrival order), emit the live event, return the answer for Zadarma.
-- p_fields: the form fields as received (brando-ctl zadarma-sync reads Zadarma's statistics into
-- the same fields, as SYNC_IN / SYNC_OUT); p_phone: the customer's number, normalized by the
-- caller; p_tz: the PBX time zone of call_start.
-- Every statement runs with a generic plan. Under the default (plan_cache_mode auto)
-- PostgreSQL kept choosing a custom plan for the screen-pop lookups (an unknown phone looks
-- cheaper with its value than with a parameter) and so planned them again on every
-- notification: a quarter of the fold's time. Every statement in it is an index lookup by a
-- key (pbx_call_id, phone, id) whose generic plan is the same index scan. pgbench, one client,
-- no fsync wait: NOTIFY_START 0.72 → 0.39 ms, NOTIFY_END 0.35 → 0.30 ms.
CREATE OR REPLACE FUNCTION call_notify(p_event text, p_fields jsonb, p_phone text, p_tz text, p_reject boolean)
RETURNS text
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
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

-- A click-to-call the PBX never reports (the operator's phone never rang, or Zadarma dropped
-- the request) can no longer be claimed after 10 minutes (call_notify's window). The jobs
-- worker ends it as failed, disposition 'unreported', with a call.ended event, so it stops
-- ringing on the operators' screens. Returns how many calls it ended.
CREATE OR REPLACE FUNCTION calls_expire_unreported() RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  c calls;
  n integer := 0;
BEGIN
  FOR c IN
    UPDATE calls SET ended_at = created_at + interval '10 minutes', duration = 0, disposition = 'unreported'
     WHERE id IN (SELECT p.id FROM calls p
                   WHERE p.pbx_call_id IS NULL AND p.direction = 'out' AND p.ended_at IS NULL
                     AND p.created_at <= now() - interval '10 minutes'
                   FOR UPDATE SKIP LOCKED)
    RETURNING *
  LOOP
    PERFORM emit_event('call.ended', '{admin,operator}', jsonb_build_object('call', call_json(c)));
    n := n + 1;
  END LOOP;
  RETURN n;
END
$$;
