-- user_display_name goes back to LANGUAGE sql. As plpgsql (006) it kept its plan but cost a
-- function call per row, and it runs per row of every ticket list: the list benchmark lost a
-- third. As SQL it is parsed once per list and then run per row from that plan, which is the
-- better trade where rows are many; the screen pop pays one small parse.
CREATE OR REPLACE FUNCTION user_display_name(p_id uuid) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT coalesce(nullif(u.full_name, ''), u.username) FROM users u WHERE u.id = p_id
$$;
