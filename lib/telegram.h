/* telegram: the Bot API client (send, edit, answer, webhook, long poll) and pure update parsers. */
#ifndef BRANDO_TELEGRAM_H
#define BRANDO_TELEGRAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "config.h"
#include "delivery.h"
#include "tg_update.h"

#define TG_ANSWER_MAX 200       /* answerCallbackQuery text, characters */
#define TG_TIMEOUT_MS 10000L    /* one call, in total (connecting: HTTPC_CONNECT_TIMEOUT_MS) */
#define TG_POLL_MAX 50          /* getUpdates timeout, seconds */

struct tg_client {
	const char *base_url; /* TELEGRAM_API_URL: https://api.telegram.org, or a fake in tests */
	const char *token;    /* goes into the path: /bot<token>/<method> */
	long timeout_ms;      /* per call; TG_TIMEOUT_MS from tg_client_init */
};

/* The client from the configuration; false when TELEGRAM_BOT_TOKEN is not set. */
bool tg_client_init(struct tg_client *c, const struct config *cfg);

/* ---- reply markup: what goes under a message ------------------------------------------ */

enum tg_markup_kind {
	TG_MARKUP_NONE,        /* no reply_markup: an edited message loses its buttons */
	TG_MARKUP_INLINE,      /* inline_keyboard of callback buttons */
	TG_MARKUP_FORCE_REPLY, /* the master's app opens a reply to this message */
};

#define TG_KB_ROWS 3
#define TG_KB_COLS 3

struct tg_button {
	const char *text; /* the label (plain text, not HTML) */
	const char *data; /* callback_data, 1..TG_CALLBACK_MAX bytes */
};

struct tg_markup {
	enum tg_markup_kind kind;
	int rows;                                    /* inline rows used */
	int cols[TG_KB_ROWS];                        /* buttons in each row */
	struct tg_button button[TG_KB_ROWS][TG_KB_COLS];
	const char *placeholder;                     /* force_reply: input_field_placeholder, or NULL */
};

/* Append a button to row (0-based, rows in order); false when the grid is full. */
bool tg_markup_add(struct tg_markup *m, int row, const char *text, const char *data);
/* reply_markup as JSON text (arena-owned), NULL for TG_MARKUP_NONE. */
char *tg_markup_json(struct arena *a, const struct tg_markup *m);

/* ---- calls: each returns out->cls; every string in *out is arena-owned or static ------- */

/* sendMessage, parse_mode HTML, link previews off. out->provider_id = message_id. A text over
 * TG_TEXT_MAX or an empty one is DL_PERMANENT without a request. m may be NULL. */
enum dl_class tg_send_message(struct arena *a, const struct tg_client *c, int64_t chat_id, const char *html,
			      const struct tg_markup *m, struct dl_result *out);
/* editMessageText; m NULL or TG_MARKUP_NONE removes the buttons. "message is not modified"
 * (the same edit twice) counts as DL_OK. */
enum dl_class tg_edit_text(struct arena *a, const struct tg_client *c, int64_t chat_id, int64_t message_id,
			   const char *html, const struct tg_markup *m, struct dl_result *out);
/* editMessageReplyMarkup: only the buttons (m NULL: none). */
enum dl_class tg_edit_markup(struct arena *a, const struct tg_client *c, int64_t chat_id, int64_t message_id,
			     const struct tg_markup *m, struct dl_result *out);
/* answerCallbackQuery: text (may be NULL) shown as a toast, or an alert box when alert. */
enum dl_class tg_answer_callback(struct arena *a, const struct tg_client *c, const char *callback_id,
				 const char *text, bool alert, struct dl_result *out);

struct tg_me {
	int64_t id;
	const char *username;   /* the bot's @name without '@': deep links are t.me/<username>?start=<code> */
	const char *first_name;
};
enum dl_class tg_get_me(struct arena *a, const struct tg_client *c, struct tg_me *me, struct dl_result *out);

struct tg_webhook_info {
	const char *url;           /* "" when no webhook is set (long polling possible) */
	long pending_update_count;
	int64_t last_error_date;   /* Unix time, 0 when none */
	const char *last_error;    /* NULL when none */
};
enum dl_class tg_get_webhook_info(struct arena *a, const struct tg_client *c, struct tg_webhook_info *info,
				  struct dl_result *out);
/* setWebhook with secret_token (1-256 of A-Za-z0-9_-) and allowed_updates (NULL-terminated,
 * NULL: Telegram's default). */
enum dl_class tg_set_webhook(struct arena *a, const struct tg_client *c, const char *url, const char *secret,
			     const char *const *allowed_updates, struct dl_result *out);
/* deleteWebhook: long polling (getUpdates) is refused while a webhook is set. */
enum dl_class tg_delete_webhook(struct arena *a, const struct tg_client *c, struct dl_result *out);

/* getUpdates (long polling): offset, timeout_s (0..TG_POLL_MAX; the HTTP wait is that plus
 * TG_TIMEOUT_MS), allowed_updates as for tg_set_webhook. */
enum dl_class tg_get_updates(struct arena *a, const struct tg_client *c, int64_t offset, int timeout_s,
			     const char *const *allowed_updates, struct tg_updates *updates, struct dl_result *out);
#endif
