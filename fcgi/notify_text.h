/* notify_text: the ticket as notifications see it, dates in the center's zone, and customer SMS texts. */
#ifndef BRANDO_NOTIFY_TEXT_H
#define BRANDO_NOTIFY_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "arena.h"
#include "http.h"
#include "ticket_status.h"

enum nt_lang { NT_EN, NT_RU, NT_LANG_COUNT };

/* "ru", "ru-RU", "RU" → NT_RU; anything else (NULL included) → NT_EN. */
enum nt_lang nt_lang_parse(const char *code);
const char *nt_lang_code(enum nt_lang lang);

/* Who reads the text and where: the recipient's language, the center's time zone
 * (BRANDO_TZ; NULL = UTC) and the company name SMS are signed with (NULL or "": a neutral
 * word in the language). */
struct nt_context {
	enum nt_lang lang;
	const char *tz;
	const char *company;
};

/* A ticket as every text needs it. Strings may be NULL when the field is empty; times are 0
 * when not set. Nothing here is trusted: every text escapes what it inserts. */
struct nt_ticket {
	int64_t id;
	const char *number;          /* "T-000123" */
	enum ticket_status status;
	const char *customer_name;
	const char *customer_phone;  /* E.164 */
	const char *address, *city;
	const char *device_type, *device_brand, *device_model;
	const char *problem;
	const char *price_estimate;  /* money text "1250.00" */
	const char *final_amount;
	const char *master_name;
	time_t window_start, window_end; /* the arrival window promised to the customer */
	time_t scheduled_at;             /* used when there is no window */
};

/* A ticket from its JSON (the contract's `ticket`, as ticket_json renders it: camelCase
 * members, times as "YYYY-MM-DDTHH:MM:SSZ"): data[0..len). false, with *why, when it is not
 * one (missing id, number, status, customerName, customerPhone, deviceType or problem; a
 * member of the wrong type; a time in another form). Pure; strings are arena-owned. */
bool nt_ticket_parse(struct arena *a, const char *data, size_t len, struct nt_ticket *out, const char **why);

/* When the master is expected, in the context's zone and language: "Tue 5 May, 10:00–12:00",
 * "Tue 5 May 22:00 – Wed 6 May 01:00" across midnight, "Tue 5 May, 10:00" for a scheduled
 * time, NULL when the ticket has neither. Arena-owned. */
char *nt_when(struct arena *a, const struct nt_context *ctx, const struct nt_ticket *t);

/* ---- templates --------------------------------------------------------------------------------- */

#define NT_NAME_MAX 32 /* a placeholder's name: {a-z0-9_, 1..NT_NAME_MAX} */

/* tpl[0..len) with every {name} found in vars replaced by its value; a {name} not in vars, and
 * any brace that does not make a placeholder, stays as written. Reads nothing past len, drops
 * NUL bytes. Arena-owned. */
char *nt_render(struct arena *a, const char *tpl, size_t len, const struct kv *vars, size_t n);
/* The first placeholder in tpl[0..len) that none of names (NULL-terminated) matches, as an
 * arena string, or NULL when all are known: an admin's template is checked before it is saved. */
char *nt_unknown_placeholder(struct arena *a, const char *tpl, size_t len, const char *const *names);

/* ---- SMS to the customer ------------------------------------------------------------------------ */

enum nt_sms {
	NT_SMS_ACCEPTED,    /* the master accepted: their name and the arrival window */
	NT_SMS_ON_THE_WAY,  /* the master pressed "On my way" */
	NT_SMS_COMPLETED,   /* the ticket was completed, with the amount */
	NT_SMS_MISSED_CALL, /* a missed call: we will call back (no ticket) */
	NT_SMS_COUNT,
};

/* The placeholders SMS templates may use (NULL-terminated): number, master, window, company,
 * amount, device. */
extern const char *const NT_SMS_PLACEHOLDERS[];

/* "accepted", "on_the_way", "completed", "missed_call": the template's key when stored. */
const char *nt_sms_name(enum nt_sms kind);
/* enum from that key; NT_SMS_COUNT for anything else. */
enum nt_sms nt_sms_parse(const char *name);
/* The shipped template (static). */
const char *nt_sms_default(enum nt_lang lang, enum nt_sms kind);
/* The SMS for t (NULL for the missed call) from tpl, or the shipped template when tpl is NULL.
 * Arena-owned plain text. */
char *nt_sms_text(struct arena *a, const struct nt_context *ctx, enum nt_sms kind, const char *tpl,
		  const struct nt_ticket *t);

/* An amount the master typed ("1250", "1 250,50", "1250.5") as money text "1250.50"; NULL when
 * it is not one (negative, more than 2 decimals, more than 10 digits before the point). */
char *nt_amount_parse(struct arena *a, const char *text);

#endif
