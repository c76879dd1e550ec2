/* timer: a timerfd adopted as a raw file descriptor, armed for the earliest wake-up asked. */
#include "timer.h"

#include <errno.h>
#include <stdint.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "log.h"
#include "rawfd.h"

static bool arm(const struct ptimer *t, lws_usec_t in_us)
{
	struct itimerspec it = {0};

	it.it_value.tv_sec = (time_t)(in_us / LWS_US_PER_SEC);
	it.it_value.tv_nsec = (long)(in_us % LWS_US_PER_SEC) * 1000;
	return timerfd_settime(t->fd, 0, &it, NULL) == 0; /* all zero: disarm */
}

bool ptimer_init(struct ptimer *t, struct lws_vhost *vh, const char *protocol, void *owner)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);

	t->armed = 0;
	t->wsi = rawfd_adopt(vh, fd, protocol, owner);
	t->fd = t->wsi ? fd : -1;
	return t->wsi != NULL;
}

void ptimer_close(struct ptimer *t)
{
	rawfd_release(&t->wsi);
	t->fd = -1;
}

bool ptimer_at(struct ptimer *t, lws_usec_t when)
{
	lws_usec_t in = when - lws_now_usecs();

	if (!t->wsi)
		return false;
	if (t->armed && t->armed <= when)
		return true;
	if (!arm(t, in < 1 ? 1 : in)) { /* 0 would disarm */
		log_line("error", "timerfd_settime failed", NULL);
		return false;
	}
	t->armed = when;
	return true;
}

/* Disarmed on every wake-up: the caller asks again for what is still due. */
bool ptimer_fired(struct ptimer *t, struct lws *wsi)
{
	uint64_t n;

	if (!wsi || wsi != t->wsi)
		return false;
	if (read(t->fd, &n, sizeof(n)) < 0 && errno != EAGAIN) /* EAGAIN: not expired after all */
		log_line("error", "timerfd read failed", NULL);
	if (!arm(t, 0))
		log_line("error", "timerfd_settime failed", NULL);
	t->armed = 0;
	return true;
}
