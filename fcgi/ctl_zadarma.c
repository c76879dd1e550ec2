/* ctl_zadarma: `brando-ctl zadarma-sync`: fold Zadarma's PBX statistics into calls, so calls
 * whose notifications were lost still appear. Paged; Zadarma allows 3 statistics calls a minute. */
#include "ctl_zadarma.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jsonv.h"
#include "phone.h"
#include "zadarma.h"

#define PAGE_MAX 1000
#define PAUSE_DEFAULT 20 /* seconds between pages: 3 requests a minute */

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

static int sync_window(PGconn *c, const struct config *cfg, struct arena *a, const char *from, const char *to,
		       int limit, int pause)
{
	struct zd_client zd;
	const char *msg, *lim = arena_printf(a, "%d", limit);
	int total = 0;

	if (!zd_client_init(&zd, cfg)) {
		fputs("brando-ctl: set ZADARMA_API_KEY and ZADARMA_SECRET_KEY first\n", stderr);
		return 2;
	}
	for (int skip = 0;; ) {
		struct zd_answer page;
		const struct kv q[] = {{"start", from}, {"end", to}, {"version", "2"},
				       {"skip", arena_printf(a, "%d", skip)}, {"limit", lim}};
		if (zd_get(a, &zd, "/v1/statistics/pbx/", q, 5, &page, &msg) != ZD_OK) {
			fprintf(stderr, "brando-ctl: %s\n", msg);
			return 1;
		}
		int n = fold_page(c, a, &page, cfg->default_country, cfg->zadarma_tz);
		if (n < 0)
			return 1;
		total += n;
		skip += n;
		if (n < limit)
			break;
		sleep((unsigned)pause); /* only when another page is needed */
	}
	printf("zadarma-sync: %d calls from %s to %s (%s) reconciled\n", total, from, to, cfg->zadarma_tz);
	return 0;
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
		rc = sync_window(c, cfg, &a, from, to, limit, pause);
	}
	arena_reset(&a);
	return rc;
}
