/* notify_tg: the master's Telegram texts: the ticket card per stage, its buttons, notices and replies. */
#ifndef BRANDO_NOTIFY_TG_H
#define BRANDO_NOTIFY_TG_H

#include <stdbool.h>

#include "notify_text.h"
#include "telegram.h"

/* Where a ticket stands for the master whose chat shows it. */
enum nt_stage {
	NT_STAGE_ASSIGNED,    /* a new job: Accept / Decline */
	NT_STAGE_ACCEPTED,    /* On my way / Started */
	NT_STAGE_ON_THE_WAY,  /* accepted and "On my way" pressed: Started */
	NT_STAGE_IN_PROGRESS, /* Done */
	NT_STAGE_ASK_AMOUNT,  /* Done pressed: the estimate as one tap, Other amount, Back */
	NT_STAGE_COMPLETED,   /* final: no buttons */
	NT_STAGE_DECLINED,    /* the master gave it back: no buttons, no customer details */
	NT_STAGE_TAKEN_AWAY,  /* reassigned to another master: no buttons, no customer details */
	NT_STAGE_CANCELLED,   /* cancelled: no buttons, no customer details */
	NT_STAGE_COUNT,
};

/* The stage of a ticket still assigned to the master (status new/cancelled: declined/cancelled). */
enum nt_stage nt_stage_of(enum ticket_status status, bool on_the_way);

/* The card: a headline for the stage, then the time, the address with a maps link, the device,
 * the problem, the customer with a tap-to-call link and the estimate (final stages other than
 * completed keep only headline, time and device). HTML with every ticket value escaped, at
 * most TG_TEXT_MAX characters as Telegram counts them (tg_html_length): the problem is
 * shortened first; other fields only when a hostile ticket would not fit otherwise, and no
 * line is ever dropped. Arena-owned. */
char *nt_tg_card(struct arena *a, const struct nt_context *ctx, const struct nt_ticket *t, enum nt_stage stage);
/* The buttons under the card for the stage (TG_MARKUP_NONE for final stages). Labels and
 * callback_data are arena-owned. */
void nt_tg_buttons(struct arena *a, const struct nt_context *ctx, const struct nt_ticket *t, enum nt_stage stage,
		   struct tg_markup *out);

enum nt_notice {
	NT_NOTICE_TAKEN_AWAY,  /* the ticket was given to another master */
	NT_NOTICE_CANCELLED,
	NT_NOTICE_RESCHEDULED, /* a new time: says it, with the address */
	NT_NOTICE_COUNT,
};
/* A short message of its own about the ticket (the card itself is edited to the matching
 * stage too, so its buttons cannot be pressed any more). HTML, arena-owned. */
char *nt_tg_notice(struct arena *a, const struct nt_context *ctx, const struct nt_ticket *t, enum nt_notice kind);

/* The question sent after "Other amount" (or "Done" on a ticket without an estimate): HTML
 * asking for the amount, with a force_reply markup in *m. The master's reply to it carries
 * reply_to_message.message_id = that message's id; nt_amount_parse reads its text. */
char *nt_tg_amount_prompt(struct arena *a, const struct nt_context *ctx, const struct nt_ticket *t,
			  struct tg_markup *m);

/* Short fixed sentences: callback answers (toasts) and the bot's replies. */
enum nt_say {
	NT_SAY_ACCEPTED,
	NT_SAY_DECLINED,
	NT_SAY_ON_THE_WAY,
	NT_SAY_STARTED,
	NT_SAY_ASK_AMOUNT,
	NT_SAY_COMPLETED,
	NT_SAY_STALE,            /* the ticket moved meanwhile: nothing changed, the card is refreshed */
	NT_SAY_NOT_YOURS,        /* pressed by someone who is not the assigned master */
	NT_SAY_UNKNOWN_BUTTON,   /* callback_data that does not parse, or a ticket that does not exist */
	NT_SAY_AMOUNT_UNREADABLE,
	NT_SAY_LINKED,           /* /start <code> linked this chat */
	NT_SAY_LINK_INVALID,     /* /start with a code that is wrong, used or expired */
	NT_SAY_HELLO,            /* anything else from a chat the bot does not know */
	NT_SAY_COUNT,
};
/* Static text in the language, at most TG_ANSWER_MAX characters, free of & < > so it is also
 * valid HTML. */
const char *nt_say(enum nt_lang lang, enum nt_say what);

#endif
