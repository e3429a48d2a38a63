// SPDX-License-Identifier: GPL-2.0-only
/*
 * eventfd_trigger - eventfds as interrupt triggers (see eventfd_trigger.h).
 *
 * A trigger handle is the fd + 1 (so fd 0 is not NULL).  The fd's file
 * description is the client's too, so its flags are not ours to change: a
 * client may read it blocking.  Signalling therefore asks poll() first
 * whether a write of 1 would block (an eventfd is writable while its
 * counter is below 0xfffffffffffffffe) and writes only then.  A hostile
 * client that pushes its own counter to the maximum in the instant between
 * the two system calls could still make the write wait; the description's
 * O_NONBLOCK, when the client set it (as QEMU and most VMMs do), closes
 * that window too.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "eventfd_trigger.h"

#define EVENTFD_LINK "anon_inode:[eventfd]"

bool eventfd_trigger_is_eventfd(int fd)
{
	char path[32], link[sizeof(EVENTFD_LINK) + 1];
	ssize_t n;

	if (fd < 0)
		return false;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, link, sizeof(link));
	return n == (ssize_t)strlen(EVENTFD_LINK) &&
	       !memcmp(link, EVENTFD_LINK, (size_t)n);
}

int eventfd_trigger_signal_fd(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };
	uint64_t one = 1;
	ssize_t ret;

	if (fd < 0)
		return -EBADF;
	do {
		ret = poll(&pfd, 1, 0);
	} while (ret < 0 && errno == EINTR);
	if (ret < 0)
		return -errno;
	if (pfd.revents & POLLNVAL)
		return -EBADF;
	if (!(pfd.revents & POLLOUT))
		return 0; /* saturated: the client is woken anyway */
	do {
		ret = write(fd, &one, sizeof(one));
	} while (ret < 0 && errno == EINTR);
	if (ret < 0)
		return errno == EAGAIN ? 0 : -errno;
	return 1;
}

int eventfd_trigger_fd(const void *trigger)
{
	return (int)((uintptr_t)trigger - 1);
}

static int eventfd_trigger_take(void *host, int32_t fd, void **trigger)
{
	if (fd < 0)
		return -EINVAL;
	if (!eventfd_trigger_is_eventfd(fd))
		return fcntl(fd, F_GETFD) < 0 ? -EBADF : -EINVAL;
	*trigger = (void *)((uintptr_t)fd + 1);
	return 0;
}

/* Not kept: the fd is still the caller's. */
static void eventfd_trigger_give_back(void *host, void *trigger)
{
}

static void eventfd_trigger_release(void *host, void *trigger)
{
	close(eventfd_trigger_fd(trigger));
}

static void eventfd_trigger_signal(void *host, void *trigger)
{
	eventfd_trigger_signal_fd(eventfd_trigger_fd(trigger));
}

const struct vfio_irq_host_ops eventfd_trigger_ops = {
	.take = eventfd_trigger_take,
	.give_back = eventfd_trigger_give_back,
	.release = eventfd_trigger_release,
	.signal = eventfd_trigger_signal,
};
