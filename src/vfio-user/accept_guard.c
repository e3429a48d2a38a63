// SPDX-License-Identifier: GPL-2.0-only
/*
 * accept_guard - see accept_guard.h.  The daemon is one thread, so the
 * spare fd freed here is still free for the accept() that follows.
 */
#include "vfio-user/accept_guard.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

static int accept_guard_spare = -1;
static unsigned long accept_guard_shed;

int accept_guard_init(void)
{
	if (accept_guard_spare >= 0)
		return 0;
	accept_guard_spare = open("/dev/null", O_RDONLY | O_CLOEXEC);
	return accept_guard_spare < 0 ? -errno : 0;
}

int accept_guard_accept(int listen_fd, const char *refusal, size_t len)
{
	int fd, err;

	fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd >= 0)
		return fd;
	err = errno;
	if (err == EWOULDBLOCK)
		return -EAGAIN;
	if (err != EMFILE && err != ENFILE)
		return -err;
	if (accept_guard_spare >= 0) {
		close(accept_guard_spare);
		accept_guard_spare = -1;
	}
	fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd >= 0) {
		if (refusal && len)
			send(fd, refusal, len, MSG_DONTWAIT | MSG_NOSIGNAL);
		close(fd);
		accept_guard_shed++;
	} else if (errno == EWOULDBLOCK) {
		err = EAGAIN; /* nothing was pending after all */
	}
	accept_guard_init();
	return -err;
}

unsigned long accept_guard_shed_count(void)
{
	return accept_guard_shed;
}
