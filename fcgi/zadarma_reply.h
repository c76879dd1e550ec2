/* zadarma_reply: what the handlers that call Zadarma's REST API (h_calls, h_zadarma) share:
 * the refusals they answer with, the user's SIP extension, and a recording link made ours. */
#ifndef BRANDO_ZADARMA_REPLY_H
#define BRANDO_ZADARMA_REPLY_H

#include <cJSON.h>

#include "req.h"

/* 503 integration_disabled: Zadarma is not configured. */
int zr_disabled(struct req *r);
/* 502 upstream_failed: Zadarma's refusal (with its own words) or silence. */
int zr_upstream_failed(struct req *r, const char *message);
/* The signed-in user's SIP extension into *sip (NULL when none is set; arena-owned). */
enum db_rc zr_user_sip(struct req *r, const char **sip);
/* 422 on sipExtension: the user has none. */
int zr_no_sip(struct req *r);
/* 200 {link, links, lifetimeTill} from Zadarma's {link, lifetime_till} or {links:[…]}. */
int zr_recording(struct req *r, const cJSON *answer);

#endif
