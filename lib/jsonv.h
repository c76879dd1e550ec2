/* jsonv: request-body validation as data (Kore-style validators) over cJSON objects. */
#ifndef BRANDO_JSONV_H
#define BRANDO_JSONV_H

#include <cJSON.h>
#include <stdbool.h>

#include "arena.h"

enum jv_type {
	JV_STRING,  /* UTF-8 text, max_len characters */
	JV_INT,     /* integral JSON number in [min, max] */
	JV_INT64,   /* integer as JSON number or digit string (Telegram chat ids) */
	JV_BOOL,
	JV_MONEY,   /* "1250.00" or 1250.5: >= 0, at most 2 decimals */
	JV_TIME,    /* ISO 8601 date or date-time */
	JV_UUID,
	JV_ENUM,    /* string, one of values[] */
};

#define JV_REQUIRED 1u /* missing, null or "" → 422 (PATCH: only null or "" is refused) */
#define JV_NOT_NULL 2u /* may be left out, but null or "" → 422 (a column with no empty state) */

struct jv_field {
	const char *name;
	enum jv_type type;
	unsigned flags;
	long long max_len; /* strings: characters; ints: max */
	long long min;     /* ints: min */
	const char *const *values;
};

struct jv_error {
	const char *field;
	const char *message;
};

/* Check obj against fields (terminated by {NULL}). Unknown fields are refused so typos
 * are caught. partial: PATCH semantics. Messages are static strings. */
bool jv_validate(const cJSON *obj, const struct jv_field *fields, bool partial, struct jv_error *err);

/* Text form of a member for a SQL parameter: strings as they are, numbers as integers or
 * decimals, booleans as true/false; NULL when missing or null. Arena-owned. */
const char *jv_text(struct arena *a, const cJSON *obj, const char *name);
bool jv_has(const cJSON *obj, const char *name);
/* Parse text into a tree owned by the arena; NULL when it is not a JSON object, or holds a
 * NUL, invalid UTF-8 or an object naming a member twice (*why says which, when given). */
cJSON *jv_parse_object(struct arena *a, const char *text, size_t len);
cJSON *jv_parse_object_why(struct arena *a, const char *text, size_t len, const char **why);
/* Render a tree into arena-owned text; the tree itself is not freed. */
char *jv_print(struct arena *a, const cJSON *node);

bool jv_utf8_valid(const char *s, long long *chars);
/* 8-4-4-4-12 hex digits, either case (what PostgreSQL reads as a uuid). */
bool jv_is_uuid(const char *s);
/* The same in the canonical lowercase form PostgreSQL writes: one spelling per id. */
bool jv_is_uuid_lower(const char *s);
bool jv_is_time(const char *s);
bool jv_is_money(const char *s);

#endif
