/* calls_notify: what h_calls asks of a Zadarma PBX notification before it is folded into its
 * call: well-formed fields, the raw record, the customer's number, the refusal of a bad signature. */
#ifndef BRANDO_CALLS_NOTIFY_H
#define BRANDO_CALLS_NOTIFY_H

#include "req.h"

/* 0 when every field holds what it may; else the 422 is set and its status returned. */
int calls_notify_check(struct req *r, const struct kvlist *form);
/* The form as a JSON object (first value of a repeated key wins), in the arena; NULL on OOM. */
const char *calls_notify_record(struct req *r, const struct kvlist *form);
/* The customer's side of the call, normalized (in the arena); NULL when it is anonymous or an
 * internal extension. */
const char *calls_notify_customer(struct req *r, const struct kvlist *form, const char *event);
/* Log the refused notification and answer 401. */
int calls_notify_refuse(struct req *r, const char *event);

#endif
