-- call_notify runs every statement with a generic plan. Under the default (plan_cache_mode
-- auto) PostgreSQL kept choosing a custom plan for the screen-pop lookups (an unknown phone
-- looks cheaper with its value than with a parameter) and so planned them again on every
-- notification: a quarter of the fold's time. Every statement in it is an index lookup by a
-- key (pbx_call_id, phone, id) whose generic plan is the same index scan. pgbench, one client,
-- no fsync wait: NOTIFY_START 0.72 → 0.39 ms, NOTIFY_END 0.35 → 0.30 ms.
ALTER FUNCTION call_notify(text, jsonb, text, text, boolean) SET plan_cache_mode = force_generic_plan;
