/* session: who is calling (cookie → session row → user) and whether the call is same-origin. */
#ifndef BRANDO_SESSION_H
#define BRANDO_SESSION_H

#include "req.h"

#define SESSION_COOKIE "brando_sid"

/* Fill r->user from the brando_sid cookie, refreshing the sliding expiry at most once a
 * minute. DB_OK with r->signed_in false when there is no valid session. */
enum db_rc session_load(struct req *r);
/* Create a session for user_id; sets the cookie on the answer. */
enum db_rc session_create(struct req *r, const char *user_id);
/* Add the Set-Cookie header that clears the cookie. */
void session_clear_cookie(struct req *r);
/* True when no Origin was sent or it is the site's own. */
bool session_origin_ok(const struct req *r);

#endif
