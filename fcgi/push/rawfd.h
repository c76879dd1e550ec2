/* rawfd: a file descriptor watched by the lws loop as a raw file (a database socket, a
 * timerfd, a signalfd): its protocol's callback gets RAW_RX_FILE when it is readable. */
#ifndef BRANDO_PUSH_RAWFD_H
#define BRANDO_PUSH_RAWFD_H

#include <libwebsockets.h>

/* Hand fd to lws under protocol; owner becomes the wsi's opaque user data (the callback's way
 * back to its module). lws closes fd with the wsi; on failure fd is closed now: NULL. */
struct lws *rawfd_adopt(struct lws_vhost *vh, int fd, const char *protocol, void *owner);
/* Let go of *w (NULL is fine): its callback sees no owner any more, lws closes it on its next
 * turn. *w becomes NULL. */
void rawfd_release(struct lws **w);

#endif
