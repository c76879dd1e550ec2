/* timer: a timerfd adopted as a raw file descriptor, armed for the earliest wake-up asked. */
#include "timer.h"

#include <errno.h>
#include <stdint.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "log.h"

static struct lws *T_wsi;
static int T_fd = -1;
static lws_usec_t T_armed; /* 0: not armed */

static bool arm(lws_usec_t in_us)
{
	struct itimerspec it = {0};

	it.it_value.tv_sec = (time_t)(in_us / LWS_US_PER_SEC);
	it.it_value.tv_nsec = (long)(in_us % LWS_US_PER_SEC) * 1000;
	return timerfd_settime(T_fd, 0, &it, NULL) == 0; /* all zero: disarm */
}

bool ptimer_init(struct lws_vhost *vh, const char *protocol)
{
	lws_sock_file_fd_type u;

	u.filefd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (u.filefd < 0)
		return false;
	T_wsi = lws_adopt_descriptor_vhost(vh, LWS_ADOPT_RAW_FILE_DESC, u, protocol, NULL);
	if (!T_wsi) {
		close(u.filefd);
		return false;
	}
	T_fd = u.filefd;
	return true;
}

void ptimer_close(void)
{
	struct lws *w = T_wsi;

	T_wsi = NULL;
	T_fd = -1;
	if (w)
		lws_set_timeout(w, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
}

bool ptimer_at(lws_usec_t when)
{
	lws_usec_t in = when - lws_now_usecs();

	if (!T_wsi)
		return false;
	if (T_armed && T_armed <= when)
		return true;
	if (!arm(in < 1 ? 1 : in)) { /* 0 would disarm */
		log_line("error", "timerfd_settime failed", NULL);
		return false;
	}
	T_armed = when;
	return true;
}

/* Disarmed on every wake-up: the caller asks again for what is still due. */
bool ptimer_fired(struct lws *wsi)
{
	uint64_t n;

	if (!wsi || wsi != T_wsi)
		return false;
	if (read(T_fd, &n, sizeof(n)) < 0 && errno != EAGAIN) /* EAGAIN: not expired after all */
		log_line("error", "timerfd read failed", NULL);
	if (!arm(0))
		log_line("error", "timerfd_settime failed", NULL);
	T_armed = 0;
	return true;
}
