/* twilio: SMS through Twilio's REST API, its status callbacks (signature, fields) and SMS segments. */
#ifndef BRANDO_TWILIO_H
#define BRANDO_TWILIO_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "config.h"
#include "delivery.h"
#include "http.h"

#define TW_BODY_MAX 1600        /* characters Twilio takes in one message's Body */
#define TW_TIMEOUT_MS 10000L    /* one call, in total */

/* Twilio error codes the outbox acts on (https://www.twilio.com/docs/api/errors). */
#define TW_ERR_OPTED_OUT 21610  /* the recipient replied STOP: never send to that number again */
#define TW_ERR_INVALID_TO 21211 /* not a valid phone number */
#define TW_ERR_NOT_MOBILE 21614 /* a landline: it cannot receive SMS */

struct tw_client {
	const char *base_url; /* TWILIO_API_URL: https://api.twilio.com, or a fake in tests */
	const char *sid, *token, *from;
	long timeout_ms;      /* TW_TIMEOUT_MS from tw_client_init */
};

/* The client from the configuration; false unless SID, token and sending number are set. */
bool tw_client_init(struct tw_client *c, const struct config *cfg);

/* POST /2010-04-01/Accounts/{sid}/Messages.json (HTTP Basic sid:token) with To, From, Body and,
 * when not NULL, StatusCallback. out->provider_id = the message's sid (SM...). A To that is not
 * E.164 or a Body that is empty or over TW_BODY_MAX characters is DL_PERMANENT without a
 * request. 429, 5xx, no answer, and 401/404 (our credentials or account sid) are
 * DL_TRANSIENT; any other refusal is DL_PERMANENT with out->code = Twilio's code;
 * recipient_gone for 21610, 21211, 21614. */
enum dl_class tw_send_sms(struct arena *a, const struct tw_client *c, const char *to, const char *body,
			  const char *status_callback, struct dl_result *out);

/* X-Twilio-Signature of a POST to url with form: base64 of the raw HMAC-SHA1(token, url + each
 * field sorted by name (then value): name + value). Arena-owned; NULL on a crypto failure. */
char *tw_signature(struct arena *a, const char *token, const char *url, const struct kvlist *form);
/* header (may be NULL) equals that signature, compared in constant time. */
bool tw_signature_valid(struct arena *a, const char *token, const char *url, const struct kvlist *form,
			const char *header);

/* What a status callback says happened to a message. */
enum tw_outcome {
	TW_IN_FLIGHT,  /* accepted, queued, sending, sent, ...: nothing final yet */
	TW_DELIVERED,  /* delivered (or read) */
	TW_FAILED,     /* failed or undelivered: error_code says why (21610: opted out) */
};

struct tw_callback {
	const char *message_sid; /* SM/MM + 32 hex digits */
	const char *status;      /* MessageStatus as sent */
	enum tw_outcome outcome;
	long error_code;         /* ErrorCode, 0 when none */
	const char *to;          /* To, NULL when absent */
};

/* A status callback's form body data[0..len) (need not be NUL-terminated) into *form (for
 * tw_signature_valid) and *out. Pure. false, with *why, when it is not a form, not UTF-8, or
 * MessageSid / MessageStatus / ErrorCode is missing or malformed. Strings are arena-owned. */
bool tw_callback_parse(struct arena *a, const char *data, size_t len, struct kvlist *form, struct tw_callback *out,
		       const char **why);

/* How an SMS body is sent: GSM-7 when every character is in the GSM 03.38 alphabet (the
 * extension table's ^{}\[~]|€ count twice), otherwise UCS-2 (every Cyrillic SMS): 160/153
 * septets or 70/67 UTF-16 units per segment, single/concatenated. */
struct tw_segments {
	bool ucs2;
	size_t units;  /* septets (GSM-7) or UTF-16 code units (UCS-2) */
	int segments;  /* 0 for an empty body */
};
void tw_count_segments(const char *utf8, struct tw_segments *out);

#endif
