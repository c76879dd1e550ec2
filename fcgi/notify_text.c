/* notify_text: tables of words per language; every function is pure except for reading the zone files. */
#include "notify_text.h"

#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "jsonv.h"
#include "tg_update.h"

enum nt_lang nt_lang_parse(const char *code)
{
	return code && tolower((unsigned char)code[0]) == 'r' && tolower((unsigned char)code[1]) == 'u' &&
			       (code[2] == '\0' || code[2] == '-' || code[2] == '_')
		       ? NT_RU
		       : NT_EN;
}

const char *nt_lang_code(enum nt_lang lang)
{
	return lang == NT_RU ? "ru" : "en";
}

/* ---- the ticket from its JSON ------------------------------------------------------------------- */

static const struct {
	const char *name;
	size_t off;
	bool required;
} STRINGS[] = {
	{"number", offsetof(struct nt_ticket, number), true},
	{"customerName", offsetof(struct nt_ticket, customer_name), true},
	{"customerPhone", offsetof(struct nt_ticket, customer_phone), true},
	{"deviceType", offsetof(struct nt_ticket, device_type), true},
	{"problem", offsetof(struct nt_ticket, problem), true},
	{"address", offsetof(struct nt_ticket, address), false},
	{"city", offsetof(struct nt_ticket, city), false},
	{"deviceBrand", offsetof(struct nt_ticket, device_brand), false},
	{"deviceModel", offsetof(struct nt_ticket, device_model), false},
	{"priceEstimate", offsetof(struct nt_ticket, price_estimate), false},
	{"finalAmount", offsetof(struct nt_ticket, final_amount), false},
	{"masterName", offsetof(struct nt_ticket, master_name), false},
};

static const struct {
	const char *name;
	size_t off;
} TIMES[] = {
	{"windowStart", offsetof(struct nt_ticket, window_start)},
	{"windowEnd", offsetof(struct nt_ticket, window_end)},
	{"scheduledAt", offsetof(struct nt_ticket, scheduled_at)},
};

/* "YYYY-MM-DDTHH:MM:SSZ", the one form iso() writes. */
static bool iso_time(const char *s, time_t *out)
{
	struct tm tm = {0};
	int n = 0;

	if (strlen(s) != 20 || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
				      &tm.tm_min, &tm.tm_sec, &n) != 6 || n != 20 || !jv_is_time(s))
		return false;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	*out = timegm(&tm);
	return *out != (time_t)-1;
}

/* A string member into *field: NULL when missing, null or ""; false when of another type. */
static bool string_field(struct arena *a, const cJSON *obj, const char *name, const char **field)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	*field = cJSON_IsString(v) && *v->valuestring ? arena_strdup(a, v->valuestring) : NULL;
	return !v || cJSON_IsNull(v) || cJSON_IsString(v);
}

static const char *read_fields(struct arena *a, const cJSON *obj, struct nt_ticket *out)
{
	for (size_t i = 0; i < sizeof(STRINGS) / sizeof(STRINGS[0]); i++) {
		const char **field = (const char **)((char *)out + STRINGS[i].off);
		if (!string_field(a, obj, STRINGS[i].name, field) || (STRINGS[i].required && !*field))
			return arena_printf(a, "%s is missing or not a string", STRINGS[i].name);
	}
	for (size_t i = 0; i < sizeof(TIMES) / sizeof(TIMES[0]); i++) {
		const char *text;
		time_t *field = (time_t *)((char *)out + TIMES[i].off);
		if (!string_field(a, obj, TIMES[i].name, &text) || (text && !iso_time(text, field)))
			return arena_printf(a, "%s is not a time like 2026-05-05T07:00:00Z", TIMES[i].name);
	}
	return NULL;
}

bool nt_ticket_parse(struct arena *a, const char *data, size_t len, struct nt_ticket *out, const char **why)
{
	cJSON *obj = tg_json_read(a, data, len, why);
	const cJSON *status = cJSON_GetObjectItemCaseSensitive(obj, "status");

	memset(out, 0, sizeof(*out));
	if (!obj)
		return false;
	if (!tg_json_int64(obj, "id", &out->id) || out->id <= 0) {
		*why = "id is missing or not a positive integer";
		return false;
	}
	out->status = cJSON_IsString(status) ? ticket_status_parse(status->valuestring) : TS_INVALID;
	if (out->status == TS_INVALID) {
		*why = "status is missing or not a ticket status";
		return false;
	}
	*why = read_fields(a, obj, out);
	return *why == NULL;
}

/* ---- dates ---------------------------------------------------------------------------------------- */

static const char *const DAYS[NT_LANG_COUNT][7] = {
	{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"},
	{"вс", "пн", "вт", "ср", "чт", "пт", "сб"},
};
static const char *const MONTHS[NT_LANG_COUNT][12] = {
	{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
	{"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
	 "ноября", "декабря"},
};

/* t in zone tz. TZ is process-wide: it is set for the conversion and put back at once (our
 * processes are single-threaded). An unknown name reads as UTC (config checks the names). */
static bool local_tm(struct arena *a, time_t t, const char *tz, struct tm *out)
{
	const char *old = getenv("TZ");
	char *saved = old ? arena_strdup(a, old) : NULL;
	bool ok = setenv("TZ", tz && *tz ? tz : "UTC", 1) == 0;

	tzset();
	ok = ok && localtime_r(&t, out) != NULL;
	if (saved ? setenv("TZ", saved, 1) != 0 : unsetenv("TZ") != 0)
		ok = false;
	tzset();
	return ok;
}

static char *day_text(struct arena *a, enum nt_lang lang, const struct tm *tm)
{
	return arena_printf(a, "%s %d %s", DAYS[lang][tm->tm_wday], tm->tm_mday, MONTHS[lang][tm->tm_mon]);
}

char *nt_when(struct arena *a, const struct nt_context *ctx, const struct nt_ticket *t)
{
	time_t start = t->window_start ? t->window_start : t->scheduled_at;
	struct tm s, e;

	if (!start || !local_tm(a, start, ctx->tz, &s))
		return NULL;
	const char *day = day_text(a, ctx->lang, &s);
	if (!t->window_start || !t->window_end || !local_tm(a, t->window_end, ctx->tz, &e))
		return arena_printf(a, "%s, %02d:%02d", day, s.tm_hour, s.tm_min);
	if (s.tm_year == e.tm_year && s.tm_yday == e.tm_yday)
		return arena_printf(a, "%s, %02d:%02d–%02d:%02d", day, s.tm_hour, s.tm_min, e.tm_hour, e.tm_min);
	return arena_printf(a, "%s %02d:%02d – %s %02d:%02d", day, s.tm_hour, s.tm_min, day_text(a, ctx->lang, &e),
			    e.tm_hour, e.tm_min);
}

/* ---- templates --------------------------------------------------------------------------------- */

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/* Does tpl[i] open a placeholder? Its name is tpl[i+1 .. i+1+*n). Never reads at or past len. */
static bool placeholder_at(const char *tpl, size_t len, size_t i, size_t *n)
{
	size_t j = i + 1;

	if (tpl[i] != '{')
		return false;
	while (j < len && j - i - 1 < NT_NAME_MAX && name_char(tpl[j]))
		j++;
	if (j == i + 1 || j >= len || tpl[j] != '}')
		return false;
	*n = j - i - 1;
	return true;
}

static const char *lookup(const struct kv *vars, size_t n, const char *name, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(vars[i].key) == len && memcmp(vars[i].key, name, len) == 0)
			return vars[i].value;
	return NULL;
}

char *nt_render(struct arena *a, const char *tpl, size_t len, const struct kv *vars, size_t n)
{
	struct buf b;
	size_t name_len;

	buf_init(&b, a);
	buf_puts(&b, "");
	for (size_t i = 0; i < len; i++) {
		const char *v = placeholder_at(tpl, len, i, &name_len) ? lookup(vars, n, tpl + i + 1, name_len) : NULL;
		if (v) {
			buf_puts(&b, v);
			i += name_len + 1; /* past the closing brace */
		} else if (tpl[i] != '\0') {
			buf_putc(&b, tpl[i]);
		}
	}
	return b.data;
}

char *nt_unknown_placeholder(struct arena *a, const char *tpl, size_t len, const char *const *names)
{
	size_t name_len;

	for (size_t i = 0; i < len; i++) {
		if (!placeholder_at(tpl, len, i, &name_len))
			continue;
		bool known = false;
		for (size_t k = 0; names[k] && !known; k++)
			known = strlen(names[k]) == name_len && memcmp(names[k], tpl + i + 1, name_len) == 0;
		if (!known)
			return arena_strndup(a, tpl + i + 1, name_len);
		i += name_len + 1;
	}
	return NULL;
}

/* ---- SMS ---------------------------------------------------------------------------------------- */

const char *const NT_SMS_PLACEHOLDERS[] = {"number", "master", "window", "company", "amount", "device", NULL};

static const char *const SMS_NAMES[NT_SMS_COUNT] = {"accepted", "on_the_way", "completed", "missed_call"};

/* Short enough for one GSM-7 segment in English (two UCS-2 segments in Russian) with
 * ordinary values. */
static const char *const SMS_DEFAULTS[NT_LANG_COUNT][NT_SMS_COUNT] = {
	{
		"{company}: repair {number} is confirmed. Master: {master}. Arrival: {window}.",
		"{company}: master {master} is on the way to you (repair {number}).",
		"{company}: repair {number} is complete. Amount: {amount}. Thank you!",
		"{company}: we missed your call and will call you back shortly.",
	},
	{
		"{company}: заявка {number} принята. Мастер: {master}. Приезд: {window}.",
		"{company}: мастер {master} выехал к вам (заявка {number}).",
		"{company}: заявка {number} выполнена. Сумма: {amount}. Спасибо!",
		"{company}: мы пропустили ваш звонок и скоро перезвоним.",
	},
};

/* Words for values a ticket may lack. */
static const char *const NO_COMPANY[NT_LANG_COUNT] = {"Service", "Сервис"};
static const char *const NO_MASTER[NT_LANG_COUNT] = {"your master", "ваш мастер"};
static const char *const NO_WINDOW[NT_LANG_COUNT] = {"we will call to agree the time", "время согласуем по телефону"};

const char *nt_sms_name(enum nt_sms kind)
{
	return kind >= 0 && kind < NT_SMS_COUNT ? SMS_NAMES[kind] : "";
}

enum nt_sms nt_sms_parse(const char *name)
{
	for (int i = 0; name && i < NT_SMS_COUNT; i++)
		if (strcmp(SMS_NAMES[i], name) == 0)
			return (enum nt_sms)i;
	return NT_SMS_COUNT;
}

const char *nt_sms_default(enum nt_lang lang, enum nt_sms kind)
{
	return lang >= 0 && lang < NT_LANG_COUNT && kind >= 0 && kind < NT_SMS_COUNT ? SMS_DEFAULTS[lang][kind] : "";
}

char *nt_sms_text(struct arena *a, const struct nt_context *ctx, enum nt_sms kind, const char *tpl,
		  const struct nt_ticket *t)
{
	enum nt_lang lang = ctx->lang == NT_RU ? NT_RU : NT_EN;
	const char *text = tpl ? tpl : nt_sms_default(lang, kind);
	const char *when = t ? nt_when(a, ctx, t) : NULL;
	const char *amount = t && t->final_amount ? t->final_amount : t ? t->price_estimate : NULL;
	const struct kv vars[] = {
		{"company", ctx->company && *ctx->company ? ctx->company : NO_COMPANY[lang]},
		{"number", t && t->number ? t->number : ""},
		{"master", t && t->master_name ? t->master_name : NO_MASTER[lang]},
		{"window", when ? when : NO_WINDOW[lang]},
		{"amount", amount ? amount : ""},
		{"device", t && t->device_type ? t->device_type : ""},
	};

	return nt_render(a, text, strlen(text), vars, sizeof(vars) / sizeof(vars[0]));
}

/* ---- an amount typed by a master ------------------------------------------------------------------ */

/* Length of a digit-group separator at p: a space, a no-break space or a thin space; 0 if none. */
static size_t group_separator(const char *p)
{
	if (*p == ' ')
		return 1;
	if (strncmp(p, "\xc2\xa0", 2) == 0)
		return 2;
	if (strncmp(p, "\xe2\x80\xaf", 3) == 0 || strncmp(p, "\xe2\x80\x89", 3) == 0)
		return 3;
	return 0;
}

char *nt_amount_parse(struct arena *a, const char *text)
{
	char digits[16];
	size_t n = 0, whole = 0, sep;
	int decimals = -1; /* -1: no decimal point yet */
	const char *p = text ? text + strspn(text, " ") : "";

	for (; *p && n < sizeof(digits) - 1; p++) {
		if (isdigit((unsigned char)*p)) {
			digits[n++] = *p;
			whole += decimals < 0;
			decimals += decimals >= 0;
		} else if ((*p == '.' || *p == ',') && decimals < 0 && n > 0) {
			digits[n++] = '.';
			decimals = 0;
		} else if ((sep = group_separator(p)) && decimals < 0 && n > 0 && isdigit((unsigned char)p[sep])) {
			p += sep - 1; /* between digits of the whole part only */
		} else {
			break;
		}
	}
	if (p[strspn(p, " ")] != '\0' || whole < 1 || whole > 10 || decimals == 0 || decimals > 2)
		return NULL;
	digits[n] = '\0';
	const char *d = digits;
	while (d[0] == '0' && isdigit((unsigned char)d[1]))
		d++; /* "007" is 7 */
	return arena_printf(a, "%s%s", d, decimals < 0 ? ".00" : decimals == 1 ? "0" : "");
}
