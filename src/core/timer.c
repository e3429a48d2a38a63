// SPDX-License-Identifier: GPL-2.0-only
/*
 * mdev core: one-shot timers for drivers, each a CLOCK_MONOTONIC timerfd.
 * With a host loop the fd is watched and the timer runs when it becomes
 * readable; without one, mdev_timer_fire_due() polls every timer.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "core_internal.h"

#define NSEC_PER_SEC 1000000000ULL

/* Consume the fd's expiry count; true if the timer expired. */
static bool mdev_timer_take_expiry(struct mdev_timer *timer)
{
	uint64_t expirations = 0;

	if (read(timer->fd, &expirations, sizeof(expirations)) !=
	    sizeof(expirations))
		return false; /* EAGAIN: not due (or re-armed meanwhile) */
	return expirations > 0;
}

static void mdev_timer_ready(void *arg)
{
	struct mdev_timer *timer = arg;

	if (mdev_timer_take_expiry(timer))
		timer->fn(timer->arg);
}

/**
 * mdev_timer_new() - a disarmed one-shot timer of @mdev's driver.
 * @mdev: the device the timer belongs to (freed with it at the latest)
 * @fn:   called with @arg when the timer expires
 * @arg:  for @fn
 *
 * Return: the timer, or NULL with errno set (EINVAL, ENOMEM, EMFILE, or
 * the host's watch_fd error).
 */
struct mdev_timer *mdev_timer_new(struct mdev_device *mdev,
				  void (*fn)(void *arg), void *arg)
{
	struct mdev_core *core;
	struct mdev_timer *timer;
	int ret;

	if (!mdev || !fn) {
		errno = EINVAL;
		return NULL;
	}
	core = mdev->core;
	timer = calloc(1, sizeof(*timer));
	if (!timer) {
		errno = ENOMEM;
		return NULL;
	}
	timer->core = core;
	timer->mdev = mdev;
	timer->fn = fn;
	timer->arg = arg;
	timer->fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (timer->fd < 0) {
		ret = errno;
		free(timer);
		errno = ret;
		return NULL;
	}
	if (core->host && core->host->watch_fd) {
		ret = core->host->watch_fd(core->host_data, timer->fd,
					   mdev_timer_ready, timer);
		if (ret) {
			close(timer->fd);
			free(timer);
			errno = ret < 0 ? -ret : EIO;
			return NULL;
		}
		timer->watched = true;
	}
	timer->next = mdev->timers;
	if (mdev->timers)
		mdev->timers->prev = timer;
	mdev->timers = timer;
	return timer;
}

/**
 * mdev_timer_arm() - fire once after @delay_ns, replacing any earlier
 * deadline (and any expiry not yet run); 0 disarms.
 * Return: 0, or -errno from timerfd_settime().
 */
int mdev_timer_arm(struct mdev_timer *timer, uint64_t delay_ns)
{
	struct itimerspec its = { 0 };

	if (!timer)
		return -EINVAL;
	its.it_value.tv_sec = (time_t)(delay_ns / NSEC_PER_SEC);
	its.it_value.tv_nsec = (long)(delay_ns % NSEC_PER_SEC);
	/* timerfd_settime() also resets the count of unread expiries. */
	if (timerfd_settime(timer->fd, 0, &its, NULL))
		return -errno;
	return 0;
}

/** mdev_timer_free() - disarm, stop watching and free @timer (NULL ok). */
void mdev_timer_free(struct mdev_timer *timer)
{
	struct mdev_core *core;

	if (!timer)
		return;
	core = timer->core;
	if (timer->watched && core->host->unwatch_fd)
		core->host->unwatch_fd(core->host_data, timer->fd);
	close(timer->fd);
	if (timer->prev)
		timer->prev->next = timer->next;
	else
		timer->mdev->timers = timer->next;
	if (timer->next)
		timer->next->prev = timer->prev;
	free(timer);
}

/**
 * mdev_timer_fire_due() - run every timer that has expired, for hosts
 * without an event loop (unit tests, the interim demo).
 */
void mdev_timer_fire_due(struct mdev_core *core)
{
	struct mdev_device *mdev;
	struct mdev_timer *timer;

	/*
	 * A callback may free or arm any timer, so after each one the walk
	 * starts again; a timer that fired has consumed its expiry and is not
	 * run twice unless it was re-armed and expired again.
	 */
restart:
	for (mdev = core->devices_head; mdev; mdev = mdev->next) {
		for (timer = mdev->timers; timer; timer = timer->next) {
			if (mdev_timer_take_expiry(timer)) {
				timer->fn(timer->arg);
				goto restart;
			}
		}
	}
}

/* The driver's remove() should have freed these; do not leak fds. */
void mdev_timer_free_for_device(struct mdev_device *mdev)
{
	while (mdev->timers)
		mdev_timer_free(mdev->timers);
}
