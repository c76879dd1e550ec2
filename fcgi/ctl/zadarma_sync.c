/* zadarma_sync: `brando-ctl zadarma-sync`: fold Zadarma's PBX statistics into calls, so calls
 * whose notifications were lost still appear. Zadarma allows 3 statistics calls a minute and a
 * window of at most one month: a longer window goes month by month, each paged, every request
 * paced, and a 429 waits and asks again. */
#include "zadarma_sync.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "jsonv.h"
#include "phone.h"
#include "zadarma.h"

#define PAGE_MAX 1000
#define PAUSE_DEFAULT 20 /* seconds between requests: 3 a minute */
#define BUSY_RETRIES 5   /* 429s in a row before giving up; each waits 3 pauses (a minute) */

static const char *opt(int argc, char **argv, const char *name)
{
	for (int i = 0; i + 1 < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return argv[i + 1];
	return NULL;
}

/* "YYYY-MM-DD" or "YYYY-MM-DD HH:MM:SS" (PBX local time) → the latter; NULL when neither. */
static const char *pbx_time(struct arena *a, const char *v, const char *day_time)
{
	if (!v)
		return NULL;
	if (strlen(v) == 10 && jv_is_time(v))
		return arena_printf(a, "%s %s", v, day_time);
	return strlen(v) == 19 && v[10] == ' ' && jv_is_time(v) ? v : NULL;
}

/* Default window: the last 24 hours in the PBX's time zone. */
static bool default_window(PGconn *c, const char *tz, struct arena *a, const char **from, const char **to)
{
	const char *params[] = {tz};
	PGresult *res = PQexecParams(c,
				     "SELECT to_char(now() AT TIME ZONE $1 - interval '1 day', 'YYYY-MM-DD HH24:MI:SS'),"
				     "       to_char(now() AT TIME ZONE $1, 'YYYY-MM-DD HH24:MI:SS')",
				     1, NULL, params, NULL, NULL, 0);
	bool ok = PQresultStatus(res) == PGRES_TUPLES_OK;

	if (ok) {
		*from = *from ? *from : arena_strdup(a, PQgetvalue(res, 0, 0));
		*to = *to ? *to : arena_strdup(a, PQgetvalue(res, 0, 1));
	} else {
		fprintf(stderr, "brando-ctl: %s", PQresultErrorMessage(res));
	}
	PQclear(res);
	return ok;
}

/* A number's text as Zadarma sent it (integers may come as JSON numbers). */
static const char *number_text(struct arena *a, const cJSON *v)
{
	if (cJSON_IsString(v))
		return v->valuestring;
	return cJSON_IsNumber(v) ? arena_printf(a, "%.0f", v->valuedouble) : NULL;
}

/* {raw number: normalized phone} for every caller and destination on the page. */
static char *phone_map(struct arena *a, const cJSON *stats, const char *cc)
{
	cJSON *map = cJSON_CreateObject();
	const cJSON *row;
	char norm[32];

	cJSON_ArrayForEach(row, stats)
	{
		const char *keys[] = {"clid", "destination"};
		for (int i = 0; i < 2; i++) {
			const char *raw = number_text(a, cJSON_GetObjectItemCaseSensitive(row, keys[i]));
			if (raw && !cJSON_GetObjectItemCaseSensitive(map, raw) && phone_normalize(raw, cc, norm, sizeof(norm)))
				cJSON_AddStringToObject(map, raw, norm);
		}
	}
	char *text = jv_print(a, map);
	cJSON_Delete(map);
	return text;
}

/* Fold one page in one statement; returns the number of rows on it, or -1. */
static int fold_page(PGconn *c, struct arena *a, const struct zd_answer *page, const char *cc, const char *tz)
{
	const cJSON *stats = cJSON_GetObjectItemCaseSensitive(page->json, "stats");

	if (!cJSON_IsArray(stats)) {
		fputs("brando-ctl: Zadarma's answer has no stats list\n", stderr);
		return -1;
	}
	/* the rows from the exact text: jsonb keeps call ids like 1439981389.2702773 as they are */
	const char *params[] = {page->text, phone_map(a, stats, cc), tz};
	PGresult *res = PQexecParams(c, "SELECT call_sync_page(($1::jsonb)->'stats', $2::jsonb, $3)", 3, NULL, params,
				     NULL, NULL, 0);
	int n = PQresultStatus(res) == PGRES_TUPLES_OK ? cJSON_GetArraySize(stats) : -1;

	if (n < 0)
		fprintf(stderr, "brando-ctl: %s", PQresultErrorMessage(res));
	PQclear(res);
	return n;
}

/* Statistics requests, at most one per `pause` seconds; a 429 waits three pauses (Zadarma's
 * minute at the default) and asks again. */
struct stats_pacer {
	struct zd_client zd;
	int pause;
	time_t last; /* when the previous request was sent; 0: none yet */
};

static void wait_until(time_t when)
{
	for (time_t now = time(NULL); now < when; now = time(NULL))
		sleep((unsigned)(when - now));
}

static enum zd_rc stats_get(struct stats_pacer *p, struct arena *a, const struct kv *q, size_t n,
			    struct zd_answer *page, const char **msg)
{
	enum zd_rc rc = ZD_BUSY;

	for (int busy = 0; rc == ZD_BUSY && busy <= BUSY_RETRIES; busy++) {
		if (p->last)
			wait_until(p->last + (time_t)p->pause * (busy ? 3 : 1));
		p->last = time(NULL);
		rc = zd_get(a, &p->zd, "/v1/statistics/pbx/", q, n, page, msg);
		if (rc == ZD_BUSY && busy < BUSY_RETRIES)
			fprintf(stderr, "brando-ctl: %s; asking again in %d s\n", *msg, p->pause * 3);
	}
	return rc;
}

/* One window of at most a month, page by page; returns the rows folded, or -1. */
static int sync_window(PGconn *c, const struct config *cfg, struct arena *a, struct stats_pacer *p,
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
		int n = fold_page(c, a, &page, cfg->default_country, cfg->zadarma_tz);
		if (n < 0)
			return -1;
		total += n;
		skip += n;
		if (n < limit)
			return total;
	}
}

/* [from, to] cut into windows Zadarma accepts: a month each, the last one ending at `to`. */
static PGresult *month_windows(PGconn *c, const char *from, const char *to)
{
	const char *params[] = {from, to};
	PGresult *res = PQexecParams(c,
				     "SELECT to_char(g, 'YYYY-MM-DD HH24:MI:SS'),"
				     "       to_char(least(g + interval '1 month' - interval '1 second', $2::timestamp),"
				     "               'YYYY-MM-DD HH24:MI:SS')"
				     "  FROM generate_series($1::timestamp, $2::timestamp, interval '1 month') g ORDER BY g",
				     2, NULL, params, NULL, NULL, 0);

	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "brando-ctl: %s", PQresultErrorMessage(res));
		PQclear(res);
		return NULL;
	}
	return res;
}

static int sync_range(PGconn *c, const struct config *cfg, struct arena *a, const char *from, const char *to,
		      int limit, int pause)
{
	struct stats_pacer p = {.pause = pause};
	PGresult *windows;
	int total = 0, n = 0;

	if (!zd_client_init(&p.zd, cfg)) {
		fputs("brando-ctl: set ZADARMA_API_KEY and ZADARMA_SECRET_KEY first\n", stderr);
		return 2;
	}
	if (strcmp(from, to) > 0) {
		fprintf(stderr, "brando-ctl: --from %s is after --to %s\n", from, to);
		return 2;
	}
	if (!(windows = month_windows(c, from, to)))
		return 1;
	for (int i = 0; i < PQntuples(windows) && n >= 0; i++) {
		n = sync_window(c, cfg, a, &p, PQgetvalue(windows, i, 0), PQgetvalue(windows, i, 1), limit);
		total += n > 0 ? n : 0;
	}
	if (n >= 0)
		printf("zadarma-sync: %d calls from %s to %s (%s) reconciled\n", total, from, to, cfg->zadarma_tz);
	else
		fprintf(stderr, "brando-ctl: stopped after %d calls; run it again for the same window\n", total);
	PQclear(windows);
	return n >= 0 ? 0 : 1;
}

int ctl_zadarma_sync(PGconn *c, const struct config *cfg, int argc, char **argv)
{
	struct arena a;
	int limit, pause, rc = 1;
	const char *lim = opt(argc, argv, "--limit");
	char *end;

	arena_init(&a, 8192);
	const char *from = pbx_time(&a, opt(argc, argv, "--from"), "00:00:00");
	const char *to = pbx_time(&a, opt(argc, argv, "--to"), "23:59:59");
	limit = lim ? (int)strtol(lim, &end, 10) : PAGE_MAX;
	if ((opt(argc, argv, "--from") && !from) || (opt(argc, argv, "--to") && !to) ||
	    (lim && (*end || limit < 1 || limit > PAGE_MAX))) {
		fputs("usage: brando-ctl zadarma-sync [--from 'YYYY-MM-DD[ HH:MM:SS]'] [--to …] [--limit 1-1000]\n"
		      "  (times in the PBX time zone, ZADARMA_TZ; default: the last 24 hours)\n", stderr);
		rc = 2;
	} else if (config_int("ZADARMA_STATS_PAUSE", PAUSE_DEFAULT, 0, 3600, &pause) &&
		   default_window(c, cfg->zadarma_tz, &a, &from, &to)) {
		rc = sync_range(c, cfg, &a, from, to, limit, pause);
	}
	arena_reset(&a);
	return rc;
}
