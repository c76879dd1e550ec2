/* idempotency: the same Idempotency-Key from the same user within 24 h replays the first answer. */
#ifndef BRANDO_IDEMPOTENCY_H
#define BRANDO_IDEMPOTENCY_H

#include "router.h"

/* Claim the key, run handler, keep its answer (or replay/refuse when the key is known). */
void idempotency_run(struct req *r, handler_fn handler);

#endif
