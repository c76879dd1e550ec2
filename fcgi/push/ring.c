/* ring: one shared copy of each frame, so a slow client costs a cursor, not a queue. */
#include "ring.h"

#include <libwebsockets.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(PUSH_PRE >= LWS_PRE, "PUSH_PRE must leave lws its header room");

static struct push_msg **slots;
static size_t cap;
static uint64_t head;       /* sequence of the next frame */
static uint64_t tail;       /* sequence of the oldest frame present */
static int64_t base = INT64_MAX; /* until the feed reads the head: nothing is covered */
static int64_t last;             /* the ring holds every event with id in (base, last] */

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

bool ring_init(size_t n)
{
	slots = calloc(n, sizeof(*slots));
	cap = n;
	return slots != NULL;
}

void ring_free(void)
{
	ring_reset(last);
	free(slots);
	slots = NULL;
}

void ring_push(struct push_msg *m)
{
	if (head - tail == cap) {
		struct push_msg *old = slots[tail % cap];

		base = old->id;
		free(old);
		slots[tail % cap] = NULL;
		tail++;
	}
	slots[head % cap] = m;
	head++;
	last = m->id;
}

void ring_reset(int64_t b)
{
	for (; tail < head; tail++) {
		free(slots[tail % cap]);
		slots[tail % cap] = NULL;
	}
	base = last = b;
}

uint64_t ring_head(void)
{
	return head;
}

uint64_t ring_tail(void)
{
	return tail;
}

int64_t ring_base(void)
{
	return base;
}

int64_t ring_last(void)
{
	return last;
}

const struct push_msg *ring_at(uint64_t seq)
{
	return seq >= tail && seq < head ? slots[seq % cap] : NULL;
}
