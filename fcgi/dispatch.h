/* dispatch: route → session → role → CSRF → body → (idempotency) → handler. */
#ifndef BRANDO_DISPATCH_H
#define BRANDO_DISPATCH_H

#include "req.h"

/* Run the request through the rules and its handler; the answer is left in r. */
void dispatch(struct req *r);

#endif
