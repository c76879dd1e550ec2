/* config: 12-factor settings; an env file only fills what the environment leaves unset. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BRANDO_VERSION "0.1.0"

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	char *e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

static void unquote(char *v)
{
	size_t n = strlen(v);

	if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
		memmove(v, v + 1, n - 2);
		v[n - 2] = '\0';
	}
}

static bool load_env_file(const char *path, bool must_exist, bool override)
{
	FILE *f = fopen(path, "r");
	char line[8192];

	if (!f) {
		if (!must_exist && errno == ENOENT)
			return true;
		fprintf(stderr, "config: cannot open %s: %s\n", path, strerror(errno));
		return false;
	}
	while (fgets(line, sizeof(line), f)) {
		char *s = trim(line), *eq;

		if (*s == '#' || *s == '\0')
			continue;
		if (strncmp(s, "export ", 7) == 0)
			s = trim(s + 7);
		eq = strchr(s, '=');
		if (!eq)
			continue;
		*eq = '\0';
		char *k = trim(s), *v = trim(eq + 1);
		unquote(v);
		if (*k && setenv(k, v, override) != 0) {
			fclose(f);
			return false;
		}
	}
	fclose(f);
	return true;
}

static const char *env(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? v : NULL;
}

bool config_int(const char *name, int def, int min, int max, int *out)
{
	const char *v = env(name);
	char *end;

	*out = def;
	if (!v)
		return true;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (errno || *end || n < min || n > max) {
		fprintf(stderr, "config: %s must be an integer in [%d, %d]\n", name, min, max);
		return false;
	}
	*out = (int)n;
	return true;
}

static int cores(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 && n < 256 ? (int)n : 1;
}

static bool fill(struct config *c);

bool config_tz_valid(const char *name, const char *tzdir)
{
	size_t n = strlen(name);
	struct stat st;
	char path[PATH_MAX];

	if (n == 0 || n > 64 || name[0] == '/' || strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
							      "0123456789_+-/") != n)
		return false;
	for (const char *p = name; (p = strstr(p, "..")); p++)
		if ((p == name || p[-1] == '/') && (p[2] == '/' || p[2] == '\0'))
			return false; /* a path out of tzdir */
	if (!tzdir || stat(tzdir, &st) != 0 || !S_ISDIR(st.st_mode))
		return true;
	if (snprintf(path, sizeof(path), "%s/%s", tzdir, name) >= (int)sizeof(path))
		return false;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

bool config_load(struct config *c)
{
	const char *file = env("BRANDO_ENV_FILE");
	bool ok = file ? load_env_file(file, true, false) : load_env_file("/etc/brando/brando.env", false, false);

	return ok && fill(c);
}

bool config_reload(struct config *cfg)
{
	const char *file = env("BRANDO_ENV_FILE");
	struct config fresh;

	if (!(file ? load_env_file(file, true, true) : load_env_file("/etc/brando/brando.env", false, true)))
		return false;
	if (!fill(&fresh))
		return false;
	*cfg = fresh;
	return true;
}

static bool fill(struct config *c)
{
	bool ok = true;

	memset(c, 0, sizeof(*c));
	c->database_url = env("DATABASE_URL") ? env("DATABASE_URL") : "";
	c->listen = env("BRANDO_LISTEN");
	c->public_url = env("BRANDO_PUBLIC_URL");
	c->default_country = env("BRANDO_DEFAULT_COUNTRY_CODE") ? env("BRANDO_DEFAULT_COUNTRY_CODE") : "380";
	c->version = BRANDO_VERSION;
	c->zadarma_key = env("ZADARMA_API_KEY");
	c->zadarma_secret = env("ZADARMA_SECRET_KEY");
	c->zadarma_sip = env("ZADARMA_SIP");
	c->zadarma_url = env("ZADARMA_API_URL") ? env("ZADARMA_API_URL") : "https://api.zadarma.com";
	c->zadarma_tz = env("ZADARMA_TZ") ? env("ZADARMA_TZ") : "UTC";
	c->reject_blacklisted = env("BRANDO_REJECT_BLACKLISTED") && strcmp(env("BRANDO_REJECT_BLACKLISTED"), "1") == 0;
	c->telegram_token = env("TELEGRAM_BOT_TOKEN");
	c->telegram_secret = env("TELEGRAM_WEBHOOK_SECRET");
	c->telegram_url = env("TELEGRAM_API_URL") ? env("TELEGRAM_API_URL") : "https://api.telegram.org";
	c->master_telegram_map = env("MASTER_TELEGRAM_MAP");
	c->twilio_sid = env("TWILIO_ACCOUNT_SID");
	c->twilio_token = env("TWILIO_AUTH_TOKEN");
	c->twilio_from = env("TWILIO_PHONE_NUMBER");
	c->twilio_url = env("TWILIO_API_URL") ? env("TWILIO_API_URL") : "https://api.twilio.com";
	c->push_listen = env("BRANDO_PUSH_LISTEN");
	c->metrics_token = env("BRANDO_METRICS_TOKEN");
	for (const char *p = c->default_country; *p; p++)
		if (*p < '0' || *p > '9' || p - c->default_country > 3) {
			fprintf(stderr, "config: BRANDO_DEFAULT_COUNTRY_CODE must be 1-4 digits\n");
			ok = false;
			break;
		}
	ok = config_int("BRANDO_WORKERS", cores(), 1, 256, &c->workers) && ok;
	ok = config_int("BRANDO_SESSION_TTL", 12 * 3600, 60, 90 * 86400, &c->session_ttl) && ok;
	ok = config_int("BRANDO_EVENTS_RETAIN", 86400, 60, INT_MAX, &c->events_retain_seconds) && ok;
	ok = config_int("BRANDO_EVENTS_RETAIN_COUNT", 10000, 10, INT_MAX, &c->events_retain_count) && ok;
	ok = config_int("BRANDO_ZADARMA_SYNC_HOUR", 3, -1, 23, &c->zadarma_sync_hour) && ok;
	if (!config_tz_valid(c->zadarma_tz, env("TZDIR") ? env("TZDIR") : "/usr/share/zoneinfo")) {
		/* it reads every call_start: a typo would refuse every signed notification */
		fprintf(stderr, "config: ZADARMA_TZ is not a known time zone name (e.g. Europe/Kyiv, UTC)\n");
		ok = false;
	}
	return ok;
}

bool config_zadarma_enabled(const struct config *c)
{
	return c->zadarma_secret != NULL;
}

bool config_telegram_enabled(const struct config *c)
{
	return c->telegram_token != NULL;
}

bool config_twilio_enabled(const struct config *c)
{
	return c->twilio_sid && c->twilio_token && c->twilio_from;
}
