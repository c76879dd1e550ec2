/* ring: the bounded log of recent event frames that every live push client reads from. */
#ifndef BRANDO_PUSH_RING_H
#define BRANDO_PUSH_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "roles.h" /* role bits of a client and of an event's audience */

/* One frame, ready for lws_write: text at data + PUSH_PRE, with room before it for the
 * WebSocket header. Owned by whoever holds it (the ring, or a replaying client's batch). */
struct push_msg {
	int64_t id;     /* event id; 0 for control frames (resync) */
	unsigned roles; /* who may see it */
	size_t len;
	unsigned char data[];
};

#define PUSH_PRE 16 /* >= LWS_PRE; checked in ring.c */

/* A frame holding a copy of text (len bytes). NULL on out-of-memory. Free with free(). */
struct push_msg *msg_new(int64_t id, unsigned roles, const char *text, size_t len);

/* The ring keeps the newest `cap` frames; a frame has a sequence number that only grows.
 * Frames in [ring_tail(), ring_head()) are present. Ids in the ring are increasing and the
 * ring holds every event with id in (ring_base(), ring_last()]; ring_base() is INT64_MAX until
 * the feed has read where the table ends (ring_reset). One per daemon, owned by main; read the
 * fields through the functions below. */
struct ring {
	struct push_msg **slots;
	size_t cap;
	uint64_t head; /* sequence of the next frame */
	uint64_t tail; /* sequence of the oldest frame present */
	int64_t base, last;
};

bool ring_init(struct ring *r, size_t cap);
void ring_free(struct ring *r);
/* Take ownership of m (its id must be above ring_last()); evicts the oldest when full. */
void ring_push(struct ring *r, struct push_msg *m);
/* Drop every frame and restart after id base (a gap we cannot fill: clients resync). */
void ring_reset(struct ring *r, int64_t base);
uint64_t ring_head(const struct ring *r);
uint64_t ring_tail(const struct ring *r);
int64_t ring_base(const struct ring *r);
int64_t ring_last(const struct ring *r);
/* The frame with sequence seq, or NULL when it is not (or no longer) in the ring. Borrowed:
 * valid until the next ring_push or ring_reset. */
const struct push_msg *ring_at(const struct ring *r, uint64_t seq);

#endif
