-- Hot paths keep their plans. A LANGUAGE sql function that PostgreSQL cannot inline (it has
-- a FROM or a subquery) is parsed and planned again on every statement that calls it; a
-- plpgsql one plans each statement once per connection and reuses the plan. The functions
-- below run on every webhook, screen pop and push poll, so they become plpgsql with the same
-- results. Functions that inline (a single expression: iso, ticket_json, event_json, ...) stay
-- LANGUAGE sql: they become part of the calling statement's plan.

CREATE OR REPLACE FUNCTION user_display_name(p_id uuid) RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
  RETURN (SELECT coalesce(nullif(u.full_name, ''), u.username) FROM users u WHERE u.id = p_id);
END
$$;

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

CREATE OR REPLACE FUNCTION customer_calls_json(p_phone text) RETURNS json
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN coalesce((SELECT json_agg(call_json(x.c) ORDER BY (x.c).started_at DESC, (x.c).id DESC)
                     FROM (SELECT c FROM calls c WHERE c.customer_phone = p_phone
                            ORDER BY c.started_at DESC, c.id DESC LIMIT 20) x), '[]');
END
$$;

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

CREATE OR REPLACE FUNCTION call_customer_json(p_phone text) RETURNS json
LANGUAGE plpgsql STABLE AS $$
BEGIN
  IF p_phone IS NULL THEN
    RETURN json_build_object('phone', NULL, 'blacklisted', false, 'tickets', '[]'::json, 'calls', '[]'::json);
  END IF;
  RETURN customer_lookup_json(p_phone);
END
$$;

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

-- brando-push polls this on every notification. The pruned mark is one row: saying so keeps
-- the planner's estimate at the page size (a join against an unanalyzed table estimated half
-- a million rows and sent every poll through JIT compilation).
CREATE OR REPLACE FUNCTION events_after(after bigint, lim int)
RETURNS TABLE (upto bigint, id bigint, roles int, age double precision, frame text)
LANGUAGE sql STABLE AS $$
  SELECT p.upto, e.id, event_roles(e.audience),
         extract(epoch FROM clock_timestamp() - e.created_at)::double precision, event_json(e)::text
  FROM (SELECT upto FROM events_pruned LIMIT 1) p
  LEFT JOIN LATERAL (SELECT * FROM events x WHERE x.id > after ORDER BY x.id LIMIT lim) e ON true
  ORDER BY e.id
$$;

-- iso() was IMMUTABLE around to_char(), which is only STABLE, and PostgreSQL never inlines a
-- function whose body is less immutable than its label: every call parsed and planned it
-- again. STABLE is the truth, and inlines.
CREATE OR REPLACE FUNCTION iso(ts timestamptz) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
$$;
