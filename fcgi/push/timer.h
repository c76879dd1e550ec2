/* timer: one precise one-shot wake-up on the lws loop, from a timerfd. lws's own timers
 * (lws_sul) turn the time left into a poll timeout in whole milliseconds, rounded down, and
 * spin through the last one: fine for seconds, a busy loop for a timer a few ms away. */
#ifndef BRANDO_PUSH_TIMER_H
#define BRANDO_PUSH_TIMER_H

#include <libwebsockets.h>
#include <stdbool.h>

struct ptimer {
	struct lws *wsi; /* NULL: no timer */
	int fd;
	lws_usec_t armed; /* 0: not armed */
};

/* Adopt a timerfd into vh under protocol (whose callback calls ptimer_fired); owner becomes
 * the wsi's opaque user data, for that callback to find. */
bool ptimer_init(struct ptimer *t, struct lws_vhost *vh, const char *protocol, void *owner);
void ptimer_close(struct ptimer *t);
/* Wake at `when` (lws_now_usecs() time), unless already due to wake earlier. False when no
 * wake-up can be promised (no timer): then do the work now. */
bool ptimer_at(struct ptimer *t, lws_usec_t when);
/* For the protocol callback: true if wsi is the timer's (which is then read and disarmed). */
bool ptimer_fired(struct ptimer *t, struct lws *wsi);

#endif
