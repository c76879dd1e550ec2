/* rawfd: adopting and letting go of raw file descriptors on the lws loop. */
#include "rawfd.h"

#include <unistd.h>

struct lws *rawfd_adopt(struct lws_vhost *vh, int fd, const char *protocol, void *owner)
{
	lws_sock_file_fd_type u = {.filefd = fd};
	struct lws *w;

	if (fd < 0)
		return NULL;
	w = lws_adopt_descriptor_vhost(vh, LWS_ADOPT_RAW_FILE_DESC, u, protocol, NULL);
	if (!w) {
		close(fd);
		return NULL;
	}
	lws_set_opaque_user_data(w, owner);
	return w;
}

void rawfd_release(struct lws **w)
{
	struct lws *old = *w;

	*w = NULL;
	if (!old)
		return;
	lws_set_opaque_user_data(old, NULL);
	lws_set_timeout(old, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
}
