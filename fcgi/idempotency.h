/* idempotency: the same Idempotency-Key from the same user within 24 h replays the first answer. */
#ifndef BRANDO_IDEMPOTENCY_H
#define BRANDO_IDEMPOTENCY_H

#include "router.h"

/* In one transaction: claim the key (waiting for a concurrent request with the same key to
 * end), run handler, keep its answer; or replay / refuse when the key is already answered. */
void idempotency_run(struct req *r, handler_fn handler);

#endif
