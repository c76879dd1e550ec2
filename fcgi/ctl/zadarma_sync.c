/* zadarma_sync: `brando-ctl zadarma-sync`: fold Zadarma's PBX statistics into calls, so calls
 * whose notifications were lost still appear. Each row is read here into the fields of a
 * notification and folded by call_notify, like the webhook's. Zadarma allows 3 statistics calls
 * a minute and a window of at most one month: a longer window goes month by month, each paged,
 * every request paced, and a 429 waits and asks again. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ctl.h"
#include "jsonv.h"
#include "phone.h"
#include "zadarma.h"

#define PAGE_MAX 1000
#define PAUSE_DEFAULT 20 /* seconds between requests: 3 a minute */
#define BUSY_RETRIES 5   /* 429s in a row before giving up; each waits 3 pauses (a minute) */

/* "YYYY-MM-DD" or "YYYY-MM-DD HH:MM:SS" (PBX local time) → the latter; NULL when neither. */
static const char *pbx_time(struct arena *a, const char *v, const char *day_time)
{
	if (!v)
		return NULL;
	if (strlen(v) == 10 && jv_is_time(v))
		return arena_printf(a, "%s %s", v, day_time);
	return strlen(v) == 19 && v[10] == ' ' && jv_is_time(v) ? v : NULL;
}

DB_STMT(st_sync_default_window, 1,
	"SELECT to_char(now() AT TIME ZONE $1 - interval '1 day', 'YYYY-MM-DD HH24:MI:SS'),"
	"       to_char(now() AT TIME ZONE $1, 'YYYY-MM-DD HH24:MI:SS')");
/* [from, to] cut into windows Zadarma accepts: a month each, the last one ending at `to`. */
DB_STMT(st_sync_month_windows, 2,
	"SELECT to_char(g, 'YYYY-MM-DD HH24:MI:SS'),"
	"       to_char(least(g + interval '1 month' - interval '1 second', $2::timestamp), 'YYYY-MM-DD HH24:MI:SS')"
	"  FROM generate_series($1::timestamp, $2::timestamp, interval '1 month') g ORDER BY g");
DB_STMT(st_sync_notify, 4, "SELECT call_notify($1, $2::jsonb, $3, $4, false)");

/* Default window: the last 24 hours in the PBX's time zone. */
static bool default_window(struct db *db, const char *tz, struct arena *a, const char **from, const char **to)
{
	const char *params[] = {tz};
	PGresult *res;

	if (db_exec(db, a, &st_sync_default_window, params, &res) != DB_OK)
		return false;
	*from = *from ? *from : db_val(res, 0, 0);
	*to = *to ? *to : db_val(res, 0, 1);
	return true;
}

/* Zadarma's answer with every number turned into a string holding its exact text: cJSON reads
 * numbers into doubles, and a call id such as 1439981389.2702773 has more digits than a double
 * keeps. Strings are copied as they are, escapes included. Arena-owned. */
static char *numbers_as_text(struct arena *a, const char *json)
{
	char *out = arena_alloc(a, strlen(json) * 3 + 1), *o = out; /* 1 → "1" at worst */

	for (const char *p = json; *p;) {
		if (*p == '"') {
			*o++ = *p++;
			for (; *p && *p != '"'; *o++ = *p++)
				if (*p == '\\' && p[1])
					*o++ = *p++;
			if (*p)
				*o++ = *p++;
		} else if (*p == '-' || isdigit((unsigned char)*p)) {
			*o++ = '"';
			while (*p && strchr("+-.eE0123456789", *p))
				*o++ = *p++;
			*o++ = '"';
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	return out;
}

/* A member's text: strings (numbers are strings here, see numbers_as_text) and booleans. */
static const char *member(const cJSON *row, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(row, key);

	if (cJSON_IsString(v))
		return v->valuestring;
	return cJSON_IsBool(v) ? (cJSON_IsTrue(v) ? "true" : "false") : NULL;
}

static void put(cJSON *fields, const char *key, const char *value)
{
	if (value && !cJSON_AddStringToObject(fields, key, value))
		abort(); /* out of memory */
}

/* One statistics row (version 2) as the notification fields call_notify folds, with its event:
 * a destination of 7 digits or more is an outside number, so the call went out (SYNC_OUT).
 * *phone: the customer's number normalized, NULL when it is none. Arena-owned text. */
static const char *row_fields(struct arena *a, const cJSON *row, const char *cc, const char **event,
			      const char **phone)
{
	const char *dest = member(row, "destination"), *rec = member(row, "is_recorded");
	bool out = dest && strlen(dest) >= 7;
	bool recorded = rec && (strcmp(rec, "true") == 0 || strcmp(rec, "1") == 0);
	cJSON *f = cJSON_CreateObject();
	char norm[32];

	if (!f)
		abort(); /* out of memory */
	put(f, "pbx_call_id", member(row, "pbx_call_id"));
	put(f, "call_start", member(row, "callstart"));
	put(f, "caller_id", member(row, "clid"));
	put(f, "internal", out ? member(row, "sip") : dest);
	put(f, "destination", out ? dest : NULL);
	put(f, "duration", member(row, "seconds"));
	put(f, "disposition", member(row, "disposition"));
	put(f, "is_recorded", recorded ? "1" : "0");
	put(f, "call_id_with_rec", recorded ? member(row, "call_id") : NULL);
	const char *raw = out ? dest : member(row, "clid");
	*phone = raw && phone_normalize(raw, cc, norm, sizeof(norm)) ? arena_strdup(a, norm) : NULL;
	*event = out ? "SYNC_OUT" : "SYNC_IN";
	const char *text = jv_print(a, f);
	cJSON_Delete(f);
	return text;
}

/* Fold one page in one transaction; returns the number of rows on it, or -1. */
static int fold_page(struct db *db, struct arena *a, const struct zd_answer *page, const char *cc, const char *tz)
{
	const char *text = numbers_as_text(a, page->text);
	const cJSON *root = jv_parse_object(a, text, strlen(text));
	const cJSON *stats = cJSON_GetObjectItemCaseSensitive(root, "stats"), *row;

	if (!cJSON_IsArray(stats)) {
		fputs("brando-ctl: Zadarma's answer has no stats list\n", stderr);
		return -1;
	}
	bool ok = db_begin(db) == DB_OK;
	cJSON_ArrayForEach(row, stats)
	{
		const char *pbx = member(row, "pbx_call_id"), *params[4] = {NULL, NULL, NULL, tz};
		if (!ok || !pbx || !*pbx)
			continue; /* a row without a PBX call id names no call */
		params[1] = row_fields(a, row, cc, &params[0], &params[2]);
		ok = db_exec(db, a, &st_sync_notify, params, NULL) == DB_OK;
	}
	ok = ok && db_commit(db) == DB_OK;
	if (!ok)
		db_rollback(db);
	return ok ? cJSON_GetArraySize(stats) : -1;
}

/* Statistics requests, at most one per `pause` seconds; a 429 waits three pauses (Zadarma's
 * minute at the default) and asks again. */
struct stats_pacer {
	struct zd_client zd;
	int pause;
	double last; /* monotonic seconds when the previous request was sent; 0: none yet */
};

/* Monotonic seconds, to the nanosecond: whole seconds of time() let two requests go out a
 * moment apart when the first one crossed a second's boundary. */
static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void wait_until(double when)
{
	for (double left = when - now_s(); left > 0; left = when - now_s()) {
		struct timespec ts = {.tv_sec = (time_t)left, .tv_nsec = (long)((left - (double)(time_t)left) * 1e9)};
		nanosleep(&ts, NULL); /* EINTR: the loop sleeps the rest */
	}
}

static enum zd_rc stats_get(struct stats_pacer *p, struct arena *a, const struct kv *q, size_t n,
			    struct zd_answer *page, const char **msg)
{
	enum zd_rc rc = ZD_BUSY;

	for (int busy = 0; rc == ZD_BUSY && busy <= BUSY_RETRIES; busy++) {
		if (p->last > 0)
			wait_until(p->last + p->pause * (busy ? 3 : 1));
		p->last = now_s();
		rc = zd_get(a, &p->zd, "/v1/statistics/pbx/", q, n, page, msg);
		if (rc == ZD_BUSY && busy < BUSY_RETRIES)
			fprintf(stderr, "brando-ctl: %s; asking again in %d s\n", *msg, p->pause * 3);
	}
	return rc;
}

/* One window of at most a month, page by page; returns the rows folded, or -1. */
static int sync_window(struct db *db, const struct config *cfg, struct arena *a, struct stats_pacer *p,
		       const char *from, const char *to, int limit)
{
	const char *msg, *lim = arena_printf(a, "%d", limit);
	int total = 0;

	for (int skip = 0;;) {
		struct zd_answer page;
		const struct kv q[] = {{"start", from}, {"end", to}, {"version", "2"},
				       {"skip", arena_printf(a, "%d", skip)}, {"limit", lim}};
		if (stats_get(p, a, q, 5, &page, &msg) != ZD_OK) {
			fprintf(stderr, "brando-ctl: %s\n", msg);
			return -1;
		}
		int n = fold_page(db, a, &page, cfg->default_country, cfg->zadarma_tz);
		if (n < 0)
			return -1;
		total += n;
		skip += n;
		if (n < limit)
			return total;
	}
}

static int sync_range(struct db *db, const struct config *cfg, struct arena *a, const char *from, const char *to,
		      int limit, int pause)
{
	struct stats_pacer p = {.pause = pause};
	PGresult *windows;
	const char *params[] = {from, to};
	int total = 0, n = 0;

	if (!zd_client_init(&p.zd, cfg)) {
		fputs("brando-ctl: set ZADARMA_API_KEY and ZADARMA_SECRET_KEY first\n", stderr);
		return 2;
	}
	if (strcmp(from, to) > 0) {
		fprintf(stderr, "brando-ctl: --from %s is after --to %s\n", from, to);
		return 2;
	}
	if (db_exec(db, a, &st_sync_month_windows, params, &windows) != DB_OK)
		return 1;
	for (int i = 0; i < db_rows(windows) && n >= 0; i++) {
		n = sync_window(db, cfg, a, &p, db_val(windows, i, 0), db_val(windows, i, 1), limit);
		total += n > 0 ? n : 0;
	}
	if (n >= 0)
		printf("zadarma-sync: %d calls from %s to %s (%s) reconciled\n", total, from, to, cfg->zadarma_tz);
	else
		fprintf(stderr, "brando-ctl: stopped after %d calls; run it again for the same window\n", total);
	return n >= 0 ? 0 : 1;
}

int ctl_zadarma_sync(struct db *db, const struct config *cfg, int argc, char **argv)
{
	struct arena a;
	int limit, pause, rc = 1;
	const char *lim = ctl_opt(argc, argv, "--limit");
	char *end;

	arena_init(&a, 8192);
	const char *from = pbx_time(&a, ctl_opt(argc, argv, "--from"), "00:00:00");
	const char *to = pbx_time(&a, ctl_opt(argc, argv, "--to"), "23:59:59");
	limit = lim ? (int)strtol(lim, &end, 10) : PAGE_MAX;
	if ((ctl_opt(argc, argv, "--from") && !from) || (ctl_opt(argc, argv, "--to") && !to) ||
	    (lim && (*end || limit < 1 || limit > PAGE_MAX))) {
		fputs("usage: brando-ctl zadarma-sync [--from 'YYYY-MM-DD[ HH:MM:SS]'] [--to …] [--limit 1-1000]\n"
		      "  (times in the PBX time zone, ZADARMA_TZ; default: the last 24 hours)\n", stderr);
		rc = 2;
	} else if (config_int("ZADARMA_STATS_PAUSE", PAUSE_DEFAULT, 0, 3600, &pause) &&
		   default_window(db, cfg->zadarma_tz, &a, &from, &to)) {
		rc = sync_range(db, cfg, &a, from, to, limit, pause);
	}
	arena_reset(&a);
	return rc;
}
