-- The dashboard (CONTRACT "Dashboard"): calls, tickets, masters and operators over a window,
-- with days and hours taken in the center's time zone. One statement per request.

-- [p_from, p_to): the window, checked and computed by the caller (h_dashboard.c) from the
-- request's dates or times in p_tz, a zone of the zone database.
-- p_admin: everything; else the center's totals and only p_user's own operator row.
CREATE OR REPLACE FUNCTION dashboard_json(p_from timestamptz, p_to timestamptz, p_tz text, p_user uuid,
                                          p_admin boolean) RETURNS json
LANGUAGE plpgsql STABLE AS $$
DECLARE
  body json;
BEGIN
  WITH c AS (
    SELECT x.*, x AS crow, (x.started_at AT TIME ZONE p_tz) AS local_at,
           x.direction = 'in' AND x.answered_at IS NOT NULL AS was_answered,
           x.direction = 'in' AND x.status = 'missed' AS was_missed
      FROM calls x WHERE x.started_at >= p_from AND x.started_at < p_to
  ),
  t AS (SELECT t.* FROM tickets t WHERE t.created_at >= p_from AND t.created_at < p_to),
  done AS (
    SELECT t.* FROM tickets t
     WHERE t.completed_at >= p_from AND t.completed_at < p_to AND t.status = 'completed'
  ),
  cancelled AS (
    SELECT DISTINCT h.ticket_id FROM ticket_history h
     WHERE h.action = 'status' AND h.to_status = 'cancelled' AND h.at >= p_from AND h.at < p_to
  ),
  hours AS (
    SELECT h, count(c.id) AS total, count(*) FILTER (WHERE c.was_answered) AS answered,
           count(*) FILTER (WHERE c.was_missed) AS missed
      FROM generate_series(0, 23) h LEFT JOIN c ON extract(hour FROM c.local_at) = h
     GROUP BY h
  ),
  days AS (
    SELECT d::date AS day FROM generate_series(date_trunc('day', p_from AT TIME ZONE p_tz),
                                               (p_to - interval '1 microsecond') AT TIME ZONE p_tz,
                                               interval '1 day') d
  ),
  call_days AS (
    SELECT c.local_at::date AS day, count(*) AS calls, count(*) FILTER (WHERE c.was_answered) AS answered,
           count(*) FILTER (WHERE c.was_missed) AS missed
      FROM c GROUP BY 1
  ),
  created_days AS (SELECT (t.created_at AT TIME ZONE p_tz)::date AS day, count(*) AS created FROM t GROUP BY 1),
  done_days AS (
    SELECT (done.completed_at AT TIME ZONE p_tz)::date AS day, count(*) AS completed,
           sum(done.final_amount) AS revenue
      FROM done GROUP BY 1
  )
  SELECT json_build_object(
    'from', iso(p_from), 'to', iso(p_to), 'tz', p_tz,
    'calls', (SELECT json_build_object(
        'total', count(*),
        'incoming', count(*) FILTER (WHERE c.direction = 'in'),
        'outgoing', count(*) FILTER (WHERE c.direction = 'out'),
        'answered', count(*) FILTER (WHERE c.was_answered),
        'missed', count(*) FILTER (WHERE c.was_missed),
        'missedOpen', count(*) FILTER (WHERE c.was_missed AND call_missed_open(c.crow)),
        'answerRate', round(count(*) FILTER (WHERE c.was_answered)::numeric
                            / nullif(count(*) FILTER (WHERE c.direction = 'in'), 0), 3),
        'avgWaitSeconds', round(avg(c.wait_seconds) FILTER (WHERE c.was_answered)),
        'avgTalkSeconds', round(avg(c.talk_seconds) FILTER (WHERE c.talk_seconds > 0)),
        'byHour', (SELECT json_agg(json_build_object('hour', h, 'total', total, 'answered', answered,
                                                     'missed', missed) ORDER BY h) FROM hours))
      FROM c),
    'tickets', json_build_object(
        'created', (SELECT count(*) FROM t),
        'completed', (SELECT count(*) FROM done),
        'cancelled', (SELECT count(*) FROM cancelled),
        'byStatus', (SELECT json_object_agg(s, (SELECT count(*) FROM t WHERE t.status = s))
                       FROM unnest(ARRAY['new', 'assigned', 'accepted', 'in_progress', 'completed', 'cancelled']) s),
        'revenue', (SELECT coalesce(sum(final_amount), 0)::numeric(14,2)::text FROM done),
        'fromCalls', (SELECT count(*) FROM t WHERE t.call_id IS NOT NULL),
        'conversion', (SELECT round((SELECT count(*) FROM t WHERE t.call_id IS NOT NULL)::numeric
                                    / nullif(count(*), 0), 3) FROM c WHERE c.was_answered)),
    'masters', CASE WHEN p_admin THEN coalesce((
        SELECT json_agg(json_build_object(
                 'id', u.id, 'name', user_display_name(u.id),
                 'open', (SELECT count(*) FROM tickets o WHERE o.master_id = u.id
                           AND o.status IN ('assigned', 'accepted', 'in_progress')),
                 'completed', (SELECT count(*) FROM done WHERE done.master_id = u.id),
                 'revenue', (SELECT coalesce(sum(final_amount), 0)::numeric(14,2)::text FROM done
                              WHERE done.master_id = u.id),
                 'avgCompletionSeconds', (SELECT round(avg(extract(epoch FROM done.completed_at - done.created_at)))
                                            FROM done WHERE done.master_id = u.id))
                 ORDER BY user_display_name(u.id), u.id)
          FROM users u WHERE u.role = 'master' AND u.active), '[]') ELSE '[]' END,
    'operators', coalesce((
        SELECT json_agg(json_build_object(
                 'id', u.id, 'name', user_display_name(u.id),
                 'callsHandled', (SELECT count(*) FROM c WHERE c.operator_id = u.id AND c.answered_at IS NOT NULL),
                 'ticketsCreated', (SELECT count(*) FROM t WHERE t.created_by = u.id))
                 ORDER BY user_display_name(u.id), u.id)
          FROM users u
         WHERE CASE WHEN p_admin THEN u.role IN ('admin', 'operator') AND u.active ELSE u.id = p_user END), '[]'),
    'series', json_build_object('days', (
        SELECT json_agg(json_build_object(
                 'date', to_char(d.day, 'YYYY-MM-DD'),
                 'calls', coalesce(cd.calls, 0), 'answered', coalesce(cd.answered, 0),
                 'missed', coalesce(cd.missed, 0), 'ticketsCreated', coalesce(td.created, 0),
                 'ticketsCompleted', coalesce(dd.completed, 0),
                 'revenue', coalesce(dd.revenue, 0)::numeric(14,2)::text)
                 ORDER BY d.day)
          FROM days d LEFT JOIN call_days cd USING (day) LEFT JOIN created_days td USING (day)
          LEFT JOIN done_days dd USING (day))))
  INTO body;
  RETURN body;
END
$$;
