// SPDX-License-Identifier: GPL-2.0-only
/*
 * host_services - what the core passes between a driver and its host
 * besides timers (added in ABI 1.1): fd watches on the host's event loop,
 * the host's runtime directory, and device attributes (the driver's
 * set_attr / attr_status callbacks, absent for a driver of an older minor).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"

int mdev_fd_watch(struct mdev_device *mdev, int fd, void (*fn)(void *arg),
		  void *arg)
{
	struct mdev_core *core;

	if (!mdev || !fn || fd < 0)
		return -EINVAL;
	core = mdev->core;
	if (!core->host || !core->host->watch_fd || !core->host->unwatch_fd)
		return -EOPNOTSUPP;
	return core->host->watch_fd(core->host_data, fd, fn, arg);
}

void mdev_fd_unwatch(struct mdev_device *mdev, int fd)
{
	struct mdev_core *core;

	if (!mdev || fd < 0)
		return;
	core = mdev->core;
	if (core->host && core->host->unwatch_fd)
		core->host->unwatch_fd(core->host_data, fd);
}

const char *mdev_runtime_dir(const struct mdev_device *mdev)
{
	return mdev ? mdev->core->runtime_dir : NULL;
}

int mdev_core_set_runtime_dir(struct mdev_core *core, const char *dir)
{
	char *copy = NULL;

	if (!core || (dir && !*dir))
		return -EINVAL;
	if (dir) {
		copy = strdup(dir);
		if (!copy)
			return -ENOMEM;
	}
	free(core->runtime_dir);
	core->runtime_dir = copy;
	return 0;
}

int mdev_device_set_attr(struct mdev_device *mdev, const char *name,
			 const char *value)
{
	if (!mdev || !name || !*name || !value)
		return -EINVAL;
	if (!mdev->parent->drv.set_attr)
		return -ENOENT;
	return mdev->parent->drv.set_attr(mdev, name, value);
}

int mdev_device_attr_status(struct mdev_device *mdev, unsigned int index,
			    const char **name, char *buf, size_t len)
{
	if (!mdev || !name || !buf || !len)
		return -EINVAL;
	if (!mdev->parent->drv.attr_status)
		return -ENOENT;
	*name = NULL;
	return mdev->parent->drv.attr_status(mdev, index, name, buf, len);
}
