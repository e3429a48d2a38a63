// SPDX-License-Identifier: GPL-2.0-only
/*
 * fd_io - see fd_io.h.
 */
#include <errno.h>
#include <sys/socket.h>

#include "fd_io.h"

int fd_io_send_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= n;
	}
	return 0;
}
