/* tg_update: pure readers of what Telegram sends (updates, button data, /start codes): data in, struct out. */
#ifndef BRANDO_TG_UPDATE_H
#define BRANDO_TG_UPDATE_H

#include <cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"

#define TG_TEXT_MAX 4096        /* a message's text, in UTF-16 code units as Telegram counts */
#define TG_CALLBACK_MAX 64      /* callback_data, bytes */

/* ---- updates: what Telegram sends to the bot -------------------------------------------- */

enum tg_update_kind {
	TG_UPDATE_MESSAGE,  /* a message in a chat with the bot (text, /start <code>, an amount reply) */
	TG_UPDATE_CALLBACK, /* a button press */
	TG_UPDATE_OTHER,    /* any other type (edited_message, my_chat_member, ...): named in other */
};

struct tg_message {
	int64_t message_id, chat_id;
	int64_t from_id;        /* 0 when the message has no sender (channel posts) */
	const char *chat_type;  /* "private", "group", ...; NULL when absent */
	const char *text;       /* NULL when the message has no text (a photo, a sticker) */
	int64_t reply_to_id;    /* the message_id it replies to (a force_reply prompt), 0 when none */
};

struct tg_callback_query {
	const char *id;         /* for answerCallbackQuery */
	int64_t from_id;        /* who pressed: the only thing to trust, never data alone */
	bool has_message;       /* false for buttons under inline-mode messages */
	int64_t chat_id, message_id;
	const char *data;       /* NULL when the button carried none */
};

struct tg_update {
	int64_t update_id;
	enum tg_update_kind kind;
	const char *other;      /* TG_UPDATE_OTHER: the update's type member, e.g. "edited_message" */
	struct tg_message message;
	struct tg_callback_query callback;
};

enum tg_parse_rc {
	TG_PARSED,
	TG_UNREADABLE, /* not a JSON object we read: not JSON, not UTF-8, a NUL (\u0000), a member twice */
	TG_MALFORMED,  /* JSON, but a field we need is missing, of the wrong type or out of range */
};

/* Parse one update (the webhook's body): data[0..len), need not be NUL-terminated. Pure: no
 * I/O, no globals; every string in *out is arena-owned. On TG_MALFORMED out->update_id is set
 * when the update had a readable one (0 otherwise), so a caller can still acknowledge it. *why
 * (static or arena text) says what was wrong. Numbers are read from their text, never through
 * a double: ids keep all 64 bits or are refused. */
enum tg_parse_rc tg_update_parse(struct arena *a, const char *data, size_t len, struct tg_update *out,
				 const char **why);

struct tg_updates {
	struct tg_update *items; /* the updates read, in order, arena-owned */
	size_t n;
	size_t skipped;          /* updates that did not parse (logged by the caller, not retried) */
	int64_t next_offset;     /* the offset for the next getUpdates: last update_id + 1, or the
				    offset given when nothing came */
};

/* The answer of getUpdates (its HTTP body) into *updates; false when it is not one. Pure. */
bool tg_updates_parse(struct arena *a, const char *data, size_t len, int64_t offset, struct tg_updates *updates,
		      const char **why);

/* The same from the answer's already read "result" member (a tg_json_read tree). */
bool tg_updates_read(struct arena *a, const cJSON *list, int64_t offset, struct tg_updates *updates);

/* ---- button data and commands ----------------------------------------------------------- */

enum tg_action {
	TG_ACT_ACCEPT,   /* acc: assigned → accepted */
	TG_ACT_DECLINE,  /* dec: assigned → new, the master gives the ticket back */
	TG_ACT_WAY,      /* way: the customer is told the master is on the way */
	TG_ACT_START,    /* start: accepted → in_progress */
	TG_ACT_DONE,     /* done: asks for the amount (nothing moves yet) */
	TG_ACT_ESTIMATE, /* est: completed, final amount = the ticket's price estimate */
	TG_ACT_AMOUNT,   /* amt: another amount: a force_reply prompt; the reply completes it */
	TG_ACT_BACK,     /* back: leave the amount question, the Done button again */
	TG_ACT_COUNT,
};

struct tg_callback {
	int64_t ticket_id; /* > 0 */
	enum tg_action action;
};

/* "t:<ticketId>:<action>" (1..TG_CALLBACK_MAX bytes, ticketId decimal without leading zeros)
 * into *out; false for anything else. Pure; data need not be NUL-terminated. */
bool tg_callback_parse(const char *data, size_t len, struct tg_callback *out);
/* The callback_data of a button (arena-owned). */
char *tg_callback_data(struct arena *a, int64_t ticket_id, enum tg_action action);
/* "acc", "dec", ...; "" for a value out of range. */
const char *tg_action_name(enum tg_action action);

/* The code of "/start <code>" (or "/start@bot <code>"): arena-owned, NULL when text is not a
 * /start command with one argument of 1-64 characters of A-Za-z0-9_- (what deep links carry). */
char *tg_start_code(struct arena *a, const char *text);

/* Length of UTF-8 text in UTF-16 code units, the unit of Telegram's limits. */
size_t tg_text_length(const char *s);
/* The same for HTML as Telegram reads it (parse_mode HTML): tags count nothing, an entity
 * (&amp;, &#128295;) one character. This is what TG_TEXT_MAX limits. */
size_t tg_html_length(const char *html);

/* A JSON object from data[0..len) (need not be NUL-terminated) whose numbers keep their text:
 * tg_json_int64 reads them exactly. NULL when it is not readable (*why says why). The tree is
 * owned by the arena. */
cJSON *tg_json_read(struct arena *a, const char *data, size_t len, const char **why);
/* An integer member of a tg_json_read tree, exact to 64 bits; false when it is missing, not a
 * number, not an integer, or out of range. */
bool tg_json_int64(const cJSON *obj, const char *name, int64_t *out);

#endif
