/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * accept_guard - accept() for an event loop that must never spin.
 *
 * When the process is out of file descriptors (EMFILE, or ENFILE for the
 * whole system) accept() fails and leaves the connection queued, so a
 * level-triggered loop would be woken for it again at once, forever.  The
 * guard keeps one spare fd open: on such a failure it closes the spare,
 * accepts the connection, tells the peer why (optional one-line message)
 * and closes it, then takes the spare again.  The backlog empties and the
 * loop goes back to sleep; the peer sees a refusal, not a hang.  Every
 * listening socket of umdevd (device sockets, control socket, and any
 * later one) accepts through here.
 */
#ifndef UMDEV_VFIO_USER_ACCEPT_GUARD_H
#define UMDEV_VFIO_USER_ACCEPT_GUARD_H

#include <stddef.h>

/**
 * accept_guard_init() - open the spare fd (once per process; later calls
 * do nothing).  Call it before the process can run out of fds.
 * Return: 0 or -errno.
 */
int accept_guard_init(void);

/**
 * accept_guard_accept() - accept4(@listen_fd, SOCK_NONBLOCK|SOCK_CLOEXEC).
 * Out of fds, the pending connection is accepted with the spare fd, sent
 * @refusal (@len bytes, not NUL-terminated; may be NULL) without blocking,
 * and closed.
 * Return: the new fd; -EAGAIN when nothing is pending; -EMFILE/-ENFILE
 * when a connection had to be shed (callers log it); accept's -errno.
 */
int accept_guard_accept(int listen_fd, const char *refusal, size_t len);

/** accept_guard_shed_count() - connections shed so far (for logs, tests). */
unsigned long accept_guard_shed_count(void);

#endif
