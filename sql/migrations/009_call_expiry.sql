-- A click-to-call the PBX never reports (the operator's phone never rang, or Zadarma dropped
-- the request) can no longer be claimed after 10 minutes (call_notify's window). The jobs
-- worker ends it as failed, disposition 'unreported', with a call.ended event, so it stops
-- ringing on the operators' screens. Returns how many calls it ended.
CREATE FUNCTION calls_expire_unreported() RETURNS integer
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
