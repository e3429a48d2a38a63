// SPDX-License-Identifier: GPL-2.0-only
/*
 * removal - remove a device whose client may still be attached, without
 * blocking the event loop.
 *
 * As in the kernel, removal of an open device first asks the client to let
 * go (mdev_core_remove() makes the driver signal the client's REQ eventfd
 * and returns -EBUSY).  A pending-removal record then waits until the
 * client disconnects.  While it waits, the request is sent again every
 * DEVICE_REMOVAL_REQ_INTERVAL_MS (as the kernel's VFIO does) and each
 * re-send is logged with the time waited so far.  Forcing the client off
 * is the operator's explicit choice: a bound given with
 * --remove-timeout-ms, or a forced stop (device_sockets_force_stop()).
 * The disconnect callback only re-arms the timer to fire at once, so the
 * completion always runs from the loop, never from inside the server's
 * own code.
 */
#include "device_sockets.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "runtime_dir.h"

struct device_removal {
	struct daemon_device *dev;
	int timerfd;
	bool client_gone;
	bool force; /* finish now, disconnecting the client */
	uint64_t started_ns;
	uint64_t deadline_ns; /* 0: wait for the client, however long */
	unsigned int requests; /* REQ sent so far */
	device_removal_done done;
	void *arg;
};

static int device_removal_arm(struct device_removal *r, uint64_t ns)
{
	struct itimerspec its = { 0 };

	/* A zero it_value disarms a timerfd: "now" is the shortest delay. */
	if (ns == 0)
		ns = 1;
	its.it_value.tv_sec = ns / 1000000000u;
	its.it_value.tv_nsec = ns % 1000000000u;
	if (timerfd_settime(r->timerfd, 0, &its, NULL) < 0)
		return -errno;
	return 0;
}

static uint64_t device_removal_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Sleep until the next re-send of the request, or the deadline if sooner. */
static int device_removal_arm_next(struct device_removal *r, uint64_t now)
{
	uint64_t next =
		now + (uint64_t)DEVICE_REMOVAL_REQ_INTERVAL_MS * 1000000u;

	if (r->deadline_ns && r->deadline_ns < next)
		next = r->deadline_ns;
	return device_removal_arm(r, next > now ? next - now : 0);
}

static void device_removal_finish(struct device_removal *r, int result)
{
	struct daemon_device *dev = r->dev;
	struct event_loop *loop = device_sockets_loop(dev->owner);
	char uuid[MDEV_UUID_STRLEN + 1];
	bool forced = false;
	int ret;

	strcpy(uuid, dev->uuid);
	/* From here on a disconnect is ours, not news. */
	dev->removal = NULL;
	if (vu_server_has_client(dev->server)) {
		forced = true;
		log_device(LOG_LEVEL_WARN, uuid, "stop",
			   "client still attached: disconnecting it");
		vu_server_disconnect(dev->server);
	}
	ret = device_sockets_destroy(dev);
	if (!result)
		result = ret;
	event_loop_unwatch(loop, r->timerfd);
	close(r->timerfd);
	if (r->done)
		r->done(r->arg, uuid, result, forced);
	free(r);
}

static void device_removal_timer(void *arg, uint32_t revents)
{
	struct device_removal *r = arg;
	uint64_t expirations;

	uint64_t now;
	int ret;

	if (read(r->timerfd, &expirations, sizeof(expirations)) < 0 &&
	    errno == EAGAIN)
		return;
	now = device_removal_now_ns();
	if (r->client_gone || r->force) {
		device_removal_finish(r, 0);
		return;
	}
	if (r->deadline_ns && now >= r->deadline_ns) {
		log_device(LOG_LEVEL_WARN, r->dev->uuid, "stop",
			   "client did not release the device within %u ms",
			   device_sockets_remove_timeout_ms(r->dev->owner));
		device_removal_finish(r, 0);
		return;
	}
	/* Still attached: say so, then ask again, as the kernel does. */
	r->requests++;
	log_device(
		LOG_LEVEL_INFO, r->dev->uuid, "stop",
		"client still attached after %llu s: request sent again (%u)%s",
		(unsigned long long)((now - r->started_ns) / 1000000000u),
		r->requests,
		r->deadline_ns ? "" : "; umdevctl stop --force disconnects it");
	ret = mdev_core_remove(device_sockets_core(r->dev->owner),
			       r->dev->uuid);
	if (ret != -EBUSY)
		log_device(LOG_LEVEL_ERROR, r->dev->uuid, "stop",
			   "re-sending the request: %s", strerror(-ret));
	if (device_removal_arm_next(r, now))
		log_device(LOG_LEVEL_ERROR, r->dev->uuid, "stop",
			   "cannot re-arm the removal timer");
}

void device_removal_client_gone(struct device_removal *r)
{
	r->client_gone = true;
	if (device_removal_arm(r, 0))
		log_device(LOG_LEVEL_ERROR, r->dev->uuid, "stop",
			   "cannot re-arm the removal timer");
}

void device_removal_abort(struct device_removal *r, int result)
{
	device_removal_finish(r, result);
}

void device_removal_forget(struct device_removal *r)
{
	r->done = NULL;
	r->arg = NULL;
}

int device_sockets_stop(struct device_sockets *devs, const char *uuid,
			device_removal_done done, void *arg,
			struct device_removal **out)
{
	unsigned int timeout_ms = device_sockets_remove_timeout_ms(devs);
	struct daemon_device *dev;
	struct device_removal *r;
	int ret;

	if (!mdev_uuid_valid(uuid))
		return -EINVAL;
	dev = device_sockets_find(devs, uuid);
	if (!dev)
		return -ENODEV;
	if (dev->removal)
		return -EBUSY;
	/* No client using the device: nothing to wait for. */
	if (!vu_server_has_client(dev->server) || !mdev_is_open(dev->mdev))
		return device_sockets_destroy(dev);

	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->dev = dev;
	r->done = done;
	r->arg = arg;
	r->timerfd =
		timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (r->timerfd < 0) {
		ret = -errno;
		goto err_free;
	}
	ret = event_loop_watch(device_sockets_loop(devs), r->timerfd, EPOLLIN,
			       device_removal_timer, r);
	if (ret)
		goto err_close;
	r->started_ns = device_removal_now_ns();
	if (timeout_ms != DEVICE_REMOVE_WAIT_FOREVER)
		r->deadline_ns =
			r->started_ns + (uint64_t)timeout_ms * 1000000u;
	ret = device_removal_arm_next(r, r->started_ns);
	if (ret)
		goto err_unwatch;

	/* Asks the driver to signal the client's REQ eventfd. */
	ret = mdev_core_remove(device_sockets_core(devs), dev->uuid);
	if (ret != -EBUSY) {
		/* An error (the core returns -EBUSY for an open device). */
		event_loop_unwatch(device_sockets_loop(devs), r->timerfd);
		close(r->timerfd);
		free(r);
		if (!ret)
			log_device(LOG_LEVEL_ERROR, dev->uuid, "stop",
				   "core removed a device that is open");
		return ret;
	}
	dev->removal = r;
	r->requests = 1;
	if (r->deadline_ns)
		log_device(
			LOG_LEVEL_INFO, dev->uuid, "stop",
			"client attached: asked it to release the device, waiting up to %u ms",
			timeout_ms);
	else
		log_device(
			LOG_LEVEL_INFO, dev->uuid, "stop",
			"client attached: asked it to release the device, waiting for it (asking again every %u s)",
			DEVICE_REMOVAL_REQ_INTERVAL_MS / 1000);
	if (out)
		*out = r;
	return 1;

err_unwatch:
	event_loop_unwatch(device_sockets_loop(devs), r->timerfd);
err_close:
	close(r->timerfd);
err_free:
	free(r);
	return ret;
}

int device_sockets_force_stop(struct device_sockets *devs, const char *uuid)
{
	struct daemon_device *dev;

	if (!mdev_uuid_valid(uuid))
		return -EINVAL;
	dev = device_sockets_find(devs, uuid);
	if (!dev)
		return -ENODEV;
	if (dev->removal) {
		/* From the loop, as every completion: the timer fires now. */
		dev->removal->force = true;
		return device_removal_arm(dev->removal, 0) ? -EIO : 1;
	}
	if (vu_server_has_client(dev->server)) {
		log_device(LOG_LEVEL_WARN, dev->uuid, "stop",
			   "forced: disconnecting the client");
		vu_server_disconnect(dev->server);
	}
	return device_sockets_destroy(dev);
}
