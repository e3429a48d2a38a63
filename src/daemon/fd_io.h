/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fd_io - blocking socket writes, shared by umdevctl and the e2e harness.
 */
#ifndef UMDEV_DAEMON_FD_IO_H
#define UMDEV_DAEMON_FD_IO_H

#include <stddef.h>

/**
 * fd_io_send_all() - send all @len bytes of @buf on stream socket @fd,
 * retrying short writes and EINTR; never raises SIGPIPE.
 * Return: 0, or the -errno of send() (e.g. -EPIPE when the peer is gone).
 */
int fd_io_send_all(int fd, const void *buf, size_t len);

#endif
