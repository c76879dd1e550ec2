/* config: process-wide settings from the environment (and an optional env file), read once. */
#ifndef BRANDO_CONFIG_H
#define BRANDO_CONFIG_H

#include <stdbool.h>

struct config {
	const char *database_url;
	const char *listen;          /* BRANDO_LISTEN: unix path or host:port; NULL = fd 0 */
	int workers;                 /* BRANDO_WORKERS, default: cores */
	const char *public_url;      /* BRANDO_PUBLIC_URL, may be NULL */
	int session_ttl;             /* seconds, BRANDO_SESSION_TTL */
	const char *default_country; /* BRANDO_DEFAULT_COUNTRY_CODE, digits */
	const char *version;
	const char *zadarma_key, *zadarma_secret, *zadarma_sip, *zadarma_url, *zadarma_tz;
	int zadarma_sync_hour;       /* BRANDO_ZADARMA_SYNC_HOUR: nightly sync from this hour, -1 off */
	bool reject_blacklisted;
	const char *telegram_token, *telegram_secret, *telegram_url, *master_telegram_map;
	const char *twilio_sid, *twilio_token, *twilio_from, *twilio_url;
	const char *push_listen;     /* BRANDO_PUSH_LISTEN (brando-fcgi: checked by /api/health) */
	const char *metrics_token;   /* BRANDO_METRICS_TOKEN: bearer token for /api/metrics */
	int events_retain_seconds, events_retain_count;
};

/* Load the env file (BRANDO_ENV_FILE, or /etc/brando/brando.env when present) without
 * overriding variables already set, then fill *cfg. Strings point into the environment and
 * live for the process. Returns false and prints why when a value is malformed. */
bool config_load(struct config *cfg);
/* SIGHUP: re-read the env file, its values now overriding earlier ones, and refill *cfg.
 * On failure *cfg is left as it was. */
bool config_reload(struct config *cfg);
/* An integer setting, or def when unset; false on garbage. */
bool config_int(const char *name, int def, int min, int max, int *out);
/* A time zone name PostgreSQL will know: an IANA name ("Europe/Kyiv", "UTC") found in tzdir
 * (the system's zoneinfo, which Debian's PostgreSQL uses); only its form is checked when
 * tzdir is not there (brando-fcgi on a host without tzdata). */
bool config_tz_valid(const char *name, const char *tzdir);

bool config_zadarma_enabled(const struct config *cfg);
bool config_telegram_enabled(const struct config *cfg);
bool config_twilio_enabled(const struct config *cfg);

#endif
