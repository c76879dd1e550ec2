-- Tickets: how a ticket, its history and a blacklist entry become JSON, the fraud rules, and
-- the writes. Every write goes through ticket_create / ticket_patch so a ticket, its history
-- row, its outbox row and its event commit together. The caller (brando-fcgi, h_tickets.c) has
-- validated the body and decided the status, including the one an assignment implies.

-- The one place a ticket becomes JSON (the contract's `ticket`).
CREATE OR REPLACE FUNCTION ticket_json(t tickets) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT json_build_object(
    'id', t.id, 'number', t.number, 'status', t.status, 'priority', t.priority,
    'customerName', t.customer_name, 'customerPhone', t.customer_phone,
    'customerEmail', t.customer_email, 'address', t.address, 'city', t.city,
    'deviceType', t.device_type, 'deviceBrand', t.device_brand, 'deviceModel', t.device_model,
    'serialNumber', t.serial_number, 'problem', t.problem, 'notes', t.notes,
    'source', t.source, 'callId', t.call_id, 'masterId', t.master_id,
    'masterName', user_display_name(t.master_id), 'scheduledAt', iso(t.scheduled_at),
    'priceEstimate', t.price_estimate::numeric(12,2)::text,
    'finalAmount', t.final_amount::numeric(12,2)::text, 'paymentStatus', t.payment_status,
    'fraudScore', t.fraud_score, 'fraudFlags', t.fraud_flags, 'createdBy', t.created_by,
    'createdAt', iso(t.created_at), 'updatedAt', iso(t.updated_at),
    'completedAt', iso(t.completed_at), 'version', t.version)
$$;

CREATE OR REPLACE FUNCTION ticket_history_json(h ticket_history) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT json_build_object(
    'at', iso(h.at), 'userId', h.user_id, 'userName', user_display_name(h.user_id),
    'action', h.action, 'from', h.from_status, 'to', h.to_status, 'changes', h.changes)
$$;

CREATE OR REPLACE FUNCTION blacklist_json(b blacklist) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT json_build_object('id', b.id, 'phone', b.phone, 'reason', b.reason,
                           'createdBy', b.created_by, 'createdAt', iso(b.created_at))
$$;

CREATE OR REPLACE FUNCTION master_open_tickets(master uuid) RETURNS integer
LANGUAGE sql STABLE AS $$
  SELECT count(*)::integer FROM tickets
   WHERE master_id = master AND status IN ('assigned', 'accepted', 'in_progress')
$$;

-- Fraud rules, in one statement: each hit adds a named flag and its points (capped at 100).
-- They warn, they never block. p_self: the ticket being re-checked, not counted against itself.
CREATE OR REPLACE FUNCTION ticket_fraud(p_phone text, p_address text, p_self bigint,
                             OUT score integer, OUT flags text[])
LANGUAGE sql STABLE AS $$
  WITH mine AS (
    SELECT t.status, t.address, t.created_at FROM tickets t
     WHERE t.customer_phone = p_phone AND t.id IS DISTINCT FROM p_self
       AND t.created_at > now() - interval '90 days'
  ), rules (flag, points, hit) AS (VALUES
    ('blacklisted', 60, EXISTS (SELECT 1 FROM blacklist b WHERE b.phone = p_phone)),
    ('repeated_cancellations', 30, (SELECT count(*) FROM mine WHERE status = 'cancelled') >= 2),
    ('duplicate_open_ticket', 25, EXISTS (
       SELECT 1 FROM tickets t
        WHERE t.customer_phone = p_phone AND t.id IS DISTINCT FROM p_self
          AND t.status IN ('new', 'assigned', 'accepted', 'in_progress')
          AND lower(btrim(coalesce(t.address, ''))) = lower(btrim(coalesce(p_address, ''))))),
    ('frequent_tickets', 20, (SELECT count(*) FROM mine WHERE created_at > now() - interval '24 hours') >= 3)
  )
  SELECT least(100, coalesce(sum(points) FILTER (WHERE hit), 0))::integer,
         coalesce(array_agg(flag ORDER BY points DESC) FILTER (WHERE hit), '{}')
    FROM rules
$$;

-- API field names → columns, for the fields a client may write. "" clears an optional field.
CREATE OR REPLACE FUNCTION ticket_columns(p jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(jsonb_object_agg(m.col, CASE WHEN p -> m.key = '""' THEN 'null' ELSE p -> m.key END), '{}')
    FROM (VALUES ('status', 'status'), ('priority', 'priority'), ('customerName', 'customer_name'),
                 ('customerPhone', 'customer_phone'), ('customerEmail', 'customer_email'),
                 ('address', 'address'), ('city', 'city'), ('deviceType', 'device_type'),
                 ('deviceBrand', 'device_brand'), ('deviceModel', 'device_model'),
                 ('serialNumber', 'serial_number'), ('problem', 'problem'), ('notes', 'notes'),
                 ('source', 'source'), ('callId', 'call_id'), ('masterId', 'master_id'),
                 ('scheduledAt', 'scheduled_at'), ('priceEstimate', 'price_estimate'),
                 ('finalAmount', 'final_amount'), ('paymentStatus', 'payment_status')) m (key, col)
   WHERE p ? m.key
$$;

-- Tell the master on Telegram when a ticket becomes theirs: an outbox row in the same
-- transaction, with facts only (which ticket, which master, their chat). The delivery worker
-- writes the message's text in C at send time, from the ticket as it is then.
CREATE OR REPLACE FUNCTION ticket_tell_master(n tickets, old_status text, old_master uuid) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO outbox (channel, recipient, payload)
  SELECT 'telegram', u.telegram_chat_id::text,
         jsonb_build_object('kind', 'ticket.assigned', 'ticketId', n.id, 'masterId', n.master_id)
    FROM users u
   WHERE u.id = n.master_id AND u.telegram_chat_id IS NOT NULL AND n.status = 'assigned'
     AND (old_status IS DISTINCT FROM 'assigned' OR old_master IS DISTINCT FROM n.master_id)
$$;

-- Field-by-field difference of two versions of a ticket: {"field": {"from": .., "to": ..}}.
CREATE OR REPLACE FUNCTION ticket_changes(o tickets, n tickets) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT coalesce(jsonb_object_agg(a.key, jsonb_build_object('from', a.value, 'to', b.value)), '{}')
    FROM jsonb_each(ticket_json(o)::jsonb) a JOIN jsonb_each(ticket_json(n)::jsonb) b USING (key)
   WHERE a.value IS DISTINCT FROM b.value
     AND a.key NOT IN ('updatedAt', 'version', 'masterName')
$$;

-- Create: ticket + history + outbox + event in one statement's transaction. p holds the
-- validated body (API names, phone already normalized) and the status the caller decided
-- ("assigned" with a master, else "new"): it is stored as given. NULL when masterId is not an
-- active master.
CREATE OR REPLACE FUNCTION ticket_create(p jsonb, p_user uuid) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
  n tickets := jsonb_populate_record(NULL::tickets, ticket_columns(p));
  f record;
BEGIN
  IF n.master_id IS NOT NULL AND NOT EXISTS (
       SELECT 1 FROM users u WHERE u.id = n.master_id AND u.role = 'master' AND u.active) THEN
    RETURN NULL;
  END IF;
  SELECT * INTO f FROM ticket_fraud(n.customer_phone, n.address, NULL);
  INSERT INTO tickets (status, priority, customer_name, customer_phone, customer_email, address,
                       city, device_type, device_brand, device_model, serial_number, problem,
                       notes, source, call_id, master_id, scheduled_at, price_estimate,
                       final_amount, payment_status, fraud_score, fraud_flags, created_by)
  VALUES (n.status, coalesce(n.priority, 'normal'), n.customer_name, n.customer_phone,
          n.customer_email, n.address, n.city, n.device_type, n.device_brand, n.device_model,
          n.serial_number, n.problem, n.notes, coalesce(n.source, 'manual'), n.call_id,
          n.master_id, n.scheduled_at, n.price_estimate, n.final_amount, n.payment_status,
          f.score, f.flags, p_user)
  RETURNING * INTO n;
  INSERT INTO ticket_history (ticket_id, user_id, action, to_status)
  VALUES (n.id, p_user, 'created', n.status);
  PERFORM ticket_tell_master(n, NULL, NULL);
  PERFORM emit_event('ticket.created', '{admin,operator}', jsonb_build_object('ticket', ticket_json(n)));
  RETURN ticket_json(n);
END
$$;

-- Patch: apply the validated change (the caller has checked the role, the move and the
-- master) if the ticket is still at p_version. NULL when it is not (stale: 409). A change
-- that changes nothing writes nothing and keeps the version.
CREATE OR REPLACE FUNCTION ticket_patch(p_id bigint, p_version integer, p_user uuid, p jsonb) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
  o tickets;
  n tickets;
  ch jsonb;
  f record;
BEGIN
  SELECT * INTO o FROM tickets WHERE id = p_id AND version = p_version FOR UPDATE;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  n := jsonb_populate_record(o, ticket_columns(p));
  IF n.status = 'new' THEN
    n.master_id := NULL; -- a declined or unassigned ticket belongs to nobody
  END IF;
  IF n.status = 'completed' AND o.status <> 'completed' THEN
    n.completed_at := now();
  END IF;
  IF n.customer_phone <> o.customer_phone THEN
    SELECT * INTO f FROM ticket_fraud(n.customer_phone, n.address, o.id);
    n.fraud_score := f.score;
    n.fraud_flags := f.flags;
  END IF;
  ch := ticket_changes(o, n);
  IF ch = '{}' THEN
    RETURN ticket_json(o);
  END IF;
  UPDATE tickets SET
    status = n.status, priority = n.priority, customer_name = n.customer_name,
    customer_phone = n.customer_phone, customer_email = n.customer_email, address = n.address,
    city = n.city, device_type = n.device_type, device_brand = n.device_brand,
    device_model = n.device_model, serial_number = n.serial_number, problem = n.problem,
    notes = n.notes, source = n.source, call_id = n.call_id, master_id = n.master_id,
    scheduled_at = n.scheduled_at, price_estimate = n.price_estimate,
    final_amount = n.final_amount, payment_status = n.payment_status,
    fraud_score = n.fraud_score, fraud_flags = n.fraud_flags, completed_at = n.completed_at,
    updated_at = now(), version = o.version + 1
  WHERE id = o.id
  RETURNING * INTO n;
  INSERT INTO ticket_history (ticket_id, user_id, action, from_status, to_status, changes)
  VALUES (o.id, p_user,
          CASE WHEN n.status = 'assigned' AND (o.status <> 'assigned' OR o.master_id IS DISTINCT FROM n.master_id)
               THEN 'assigned'
               WHEN n.status <> o.status THEN 'status'
               ELSE 'updated' END,
          CASE WHEN n.status <> o.status THEN o.status END,
          CASE WHEN n.status <> o.status THEN n.status END, ch);
  PERFORM ticket_tell_master(n, o.status, o.master_id);
  PERFORM emit_event('ticket.updated', '{admin,operator}',
                     jsonb_build_object('ticket', ticket_json(n), 'changes', ch));
  RETURN ticket_json(n);
END
$$;

-- A ticket created (or re-pointed) from a call links the call back to it.
CREATE OR REPLACE FUNCTION tickets_link_call() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE calls SET ticket_id = NEW.id WHERE id = NEW.call_id AND ticket_id IS NULL;
  RETURN NULL;
END
$$;
CREATE OR REPLACE TRIGGER tickets_link_call AFTER INSERT OR UPDATE OF call_id ON tickets
  FOR EACH ROW WHEN (NEW.call_id IS NOT NULL) EXECUTE FUNCTION tickets_link_call();
