/* h_dashboard: the center's figures over a window: calls, tickets, masters, operators, and day
 * series for charts; an operator gets the totals and their own row. The window is checked and
 * its bounds computed here, in the zone `tz`; dashboard_json (sql/functions) only counts. */
#include "handlers.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"

#define USEC 1000000LL
/* 366 days of dates: a date as `to` reaches the end of its day, and DST may add an hour */
#define WINDOW_MAX (367LL * 86400 * USEC)

DB_STMT(st_dashboard, 5,
	"SELECT dashboard_json($1::timestamptz, $2::timestamptz, $3, $4::uuid, $5::bool)::text");

/* The window in microseconds since the epoch: [from, to). */
struct window {
	long long from, to;
};

/* Local time is taken in zone tz until zone_leave. The C library knows one zone at a time
 * (TZ); a worker serves one request at a time, and zone_leave puts the previous TZ back.
 * *old: that TZ (arena-owned, NULL when unset). False when the environment is out of memory. */
static bool zone_enter(struct arena *a, const char *tz, const char **old)
{
	const char *was = getenv("TZ");

	*old = was ? arena_strdup(a, was) : NULL;
	if (setenv("TZ", arena_printf(a, ":%s", tz), 1) != 0) /* ":": a file of the zone database */
		return false;
	tzset();
	return true;
}

static void zone_leave(const char *old)
{
	if (old ? setenv("TZ", old, 1) : unsetenv("TZ"))
		unsetenv("TZ"); /* the old value did not fit: UTC, never the request's zone */
	tzset();
}

/* The UTC offset (seconds east) in effect at instant t. */
static long offset_at(time_t t)
{
	struct tm tm;

	return localtime_r(&t, &tm) ? tm.tm_gmtoff : 0;
}

/* The instant local midnight begins day d of month m of year y (d past the month's end rolls
 * on), resolved as PostgreSQL resolves a wall time a DST change skips or repeats: with the
 * offset in force after the change when that gives back the same wall time (a repeated hour:
 * the later one), else with the offset before it (a skipped hour). A day either side holds the
 * two offsets: zones change at most once in two days. */
static long long local_midnight(int y, int m, int d)
{
	struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d};
	time_t wall = timegm(&tm);
	time_t before = wall - offset_at(wall - 86400), after = wall - offset_at(wall + 86400);

	return (long long)(offset_at(after) == wall - after ? after : before) * USEC;
}

/* Local midnight of the day instant t falls on. */
static long long day_start(long long t)
{
	time_t s = (time_t)(t / USEC - (t % USEC < 0));
	struct tm tm;

	localtime_r(&s, &tm);
	return local_midnight(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* A jv_is_time() date-time read as PostgreSQL reads it in a UTC session: no offset is UTC,
 * the fraction rounds to microseconds (rint, as PostgreSQL does), second 60 rolls over. */
static long long parse_instant(const char *s)
{
	struct tm tm = {.tm_year = atoi(s) - 1900, .tm_mon = atoi(s + 5) - 1, .tm_mday = atoi(s + 8),
			.tm_hour = atoi(s + 11), .tm_min = atoi(s + 14)};
	const char *p = s + 16;
	long long us = 0, offset = 0;
	char *end;

	if (*p == ':') {
		tm.tm_sec = atoi(p + 1);
		p += 3;
	}
	if (*p == '.') {
		us = llrint(strtod(p, &end) * 1e6);
		p = end;
	}
	if (*p == '+' || *p == '-')
		offset = (((p[1] - '0') * 10 + (p[2] - '0')) * 60LL + atoi(p + (p[3] == ':' ? 4 : 3))) * 60 *
			 (*p == '-' ? -1 : 1);
	return ((long long)timegm(&tm) - offset) * USEC + us;
}

/* A bound as given: a date is its local midnight (`next`: the next day's, so `to` takes its
 * whole day), a date-time the instant it names. */
static long long bound(const char *v, bool next)
{
	if (strlen(v) > 10)
		return parse_instant(v);
	return local_midnight(atoi(v), atoi(v + 5), atoi(v + 8) + next);
}

/* The window in zone tz: no `to` is the end of today there (today's midnight + 24 h), no
 * `from` the start of the day the window ends in. False when the zone could not be set. */
static bool window_in(struct arena *a, const char *tz, const char *from, const char *to, struct window *w)
{
	const char *old;
	struct timespec now;

	if (!zone_enter(a, tz, &old))
		return false;
	clock_gettime(CLOCK_REALTIME, &now);
	w->to = to ? bound(to, true) : day_start(now.tv_sec * USEC) + 86400 * USEC;
	w->from = from ? bound(from, false) : day_start(w->to - 1);
	zone_leave(old);
	return true;
}

/* An instant as PostgreSQL reads a timestamptz: ISO 8601, UTC, microseconds. Arena-owned. */
static const char *instant_text(struct arena *a, long long t)
{
	time_t s = (time_t)(t / USEC - (t % USEC < 0));
	long long us = t - (long long)s * USEC;
	struct tm tm;

	gmtime_r(&s, &tm);
	return arena_printf(a, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", tm.tm_year + 1900, tm.tm_mon + 1,
			    tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, us);
}

int h_dashboard(struct req *r)
{
	const char *from = req_param(r, "from"), *to = req_param(r, "to"), *tz = req_param(r, "tz");
	struct window w;
	PGresult *res;

	if (from && !jv_is_time(from))
		return reply_error(r, 422, "validation_failed", "from", "from must be an ISO 8601 date or time");
	if (to && !jv_is_time(to))
		return reply_error(r, 422, "validation_failed", "to", "to must be an ISO 8601 date or time");
	if (!tz)
		tz = r->cfg->zadarma_tz;
	if (!config_tz_known(tz))
		return reply_error(r, 422, "validation_failed", "tz", "tz is not a known time zone name");
	if (!window_in(r->arena, tz, from, to, &w))
		return reply_error(r, 500, "internal", NULL, "internal error");
	if (w.from >= w.to)
		return reply_error(r, 422, "validation_failed", "to", "to must be after from");
	if (w.to - w.from > WINDOW_MAX)
		return reply_error(r, 422, "validation_failed", "from", "the window may span at most 366 days");
	const char *params[] = {instant_text(r->arena, w.from), instant_text(r->arena, w.to), tz, r->user.id,
				r->user.role == ROLE_ADMIN ? "true" : "false"};
	enum db_rc rc = db_exec(r->db, r->arena, &st_dashboard, params, &res);
	if (rc != DB_OK)
		return reply_db(r, rc);
	return reply_json(r, 200, db_val(res, 0, 0));
}
