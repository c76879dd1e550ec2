/* ring: one shared copy of each frame, so a slow client costs a cursor, not a queue. */
#include "ring.h"

#include <libwebsockets.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(PUSH_PRE >= LWS_PRE, "PUSH_PRE must leave lws its header room");

struct push_msg *msg_new(int64_t id, unsigned roles, const char *text, size_t len)
{
	struct push_msg *m = malloc(sizeof(*m) + PUSH_PRE + len + 1);

	if (!m)
		return NULL;
	m->id = id;
	m->roles = roles;
	m->len = len;
	memcpy(m->data + PUSH_PRE, text, len);
	m->data[PUSH_PRE + len] = '\0';
	return m;
}

bool ring_init(struct ring *r, size_t cap)
{
	memset(r, 0, sizeof(*r));
	r->base = INT64_MAX; /* until the feed reads the head: nothing is covered */
	r->slots = calloc(cap, sizeof(*r->slots));
	r->cap = cap;
	return r->slots != NULL;
}

void ring_free(struct ring *r)
{
	ring_reset(r, r->last);
	free(r->slots);
	r->slots = NULL;
}

void ring_push(struct ring *r, struct push_msg *m)
{
	if (r->head - r->tail == r->cap) {
		struct push_msg *old = r->slots[r->tail % r->cap];

		r->base = old->id;
		free(old);
		r->slots[r->tail % r->cap] = NULL;
		r->tail++;
	}
	r->slots[r->head % r->cap] = m;
	r->head++;
	r->last = m->id;
}

void ring_reset(struct ring *r, int64_t base)
{
	for (; r->tail < r->head; r->tail++) {
		free(r->slots[r->tail % r->cap]);
		r->slots[r->tail % r->cap] = NULL;
	}
	r->base = r->last = base;
}

uint64_t ring_head(const struct ring *r)
{
	return r->head;
}

uint64_t ring_tail(const struct ring *r)
{
	return r->tail;
}

int64_t ring_base(const struct ring *r)
{
	return r->base;
}

int64_t ring_last(const struct ring *r)
{
	return r->last;
}

const struct push_msg *ring_at(const struct ring *r, uint64_t seq)
{
	return seq >= r->tail && seq < r->head ? r->slots[seq % r->cap] : NULL;
}
