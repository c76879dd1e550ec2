-- Core: the helpers every domain renders with (timestamps, users).

-- ISO 8601 in UTC with a Z, as the contract shows timestamps. STABLE, not IMMUTABLE: to_char()
-- is only STABLE, and PostgreSQL never inlines a function whose body is less immutable than its
-- label, so every call was parsed and planned again. STABLE is the truth, and inlines.
CREATE OR REPLACE FUNCTION iso(ts timestamptz) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
$$;

-- The one place a user becomes JSON: every endpoint renders users through it.
CREATE OR REPLACE FUNCTION user_json(u users) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT json_build_object(
    'id', u.id, 'username', u.username, 'fullName', u.full_name, 'role', u.role,
    'masterCode', u.master_code, 'phone', u.phone, 'sipExtension', u.sip_extension,
    'telegramChatId', u.telegram_chat_id, 'active', u.active,
    'createdAt', iso(u.created_at), 'lastLogin', iso(u.last_login))
$$;

-- A user's display name: full name, or the username when none was given. LANGUAGE sql, not
-- plpgsql: it runs per row of every ticket list, where a plpgsql call per row cost the list
-- benchmark a third; as SQL it is parsed once per list and run per row from that plan (the
-- screen pop pays one small parse).
CREATE OR REPLACE FUNCTION user_display_name(p_id uuid) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT coalesce(nullif(u.full_name, ''), u.username) FROM users u WHERE u.id = p_id
$$;
