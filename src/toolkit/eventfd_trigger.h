/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * eventfd_trigger - the userspace trigger of vfio_irq_state: an eventfd a
 * client sent, owned by the daemon once installed.  The one place that
 * decides what a trigger may be and how it is signalled.
 */
#ifndef UMDEV_TOOLKIT_EVENTFD_TRIGGER_H
#define UMDEV_TOOLKIT_EVENTFD_TRIGGER_H

#include <stdbool.h>

#include "vfio_irq_state.h"

/* take/give_back/release/signal on eventfds; the host pointer is unused. */
extern const struct vfio_irq_host_ops eventfd_trigger_ops;

/** eventfd_trigger_fd() - the fd behind a handle of eventfd_trigger_ops. */
int eventfd_trigger_fd(const void *trigger);

/**
 * eventfd_trigger_is_eventfd() - true if @fd is an open eventfd (its
 * /proc/self/fd link is "anon_inode:[eventfd]").  A pipe, socket, file,
 * timerfd, ... is not.
 */
bool eventfd_trigger_is_eventfd(int fd);

/**
 * eventfd_trigger_signal_fd() - add 1 to eventfd @fd without ever
 * blocking, even on a blocking file description the client shares: when
 * the counter cannot take 1 more (at 0xfffffffffffffffe) it stays
 * saturated, as the kernel's eventfd_signal() does; the client is woken
 * anyway, its counter being non-zero.
 * Return: 1 if the counter was incremented, 0 if it was saturated, or
 * -errno of poll()/write().
 */
int eventfd_trigger_signal_fd(int fd);

#endif
