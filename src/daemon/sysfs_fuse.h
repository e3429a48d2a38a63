/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sysfs_fuse - `umdevd --sysfs DIR`: a FUSE filesystem at DIR laid out as
 * the kernel's mdev sysfs, so that mdevctl and libvirt manage umdevd:
 *
 *   class/mdev_bus/<parent>            -> ../../devices/<parent>
 *   devices/<parent>/mdev_supported_types/<type>/
 *       name description device_api available_instances create devices/
 *   devices/<parent>/mdev_supported_types/<type>/devices/<uuid> -> ../../../<uuid>
 *   devices/<parent>/<uuid>/{mdev_type -> ../mdev_supported_types/<type>, remove}
 *   bus/mdev/devices/<uuid>            -> ../../../devices/<parent>/<uuid>
 *
 * Writes behave as the kernel's sysfs files: `create` makes the device
 * before write() returns, `remove` returns once the device is gone (a
 * client holding it is asked to let go first, as "stop" does).  The FUSE
 * fd is one more source in the daemon's event loop; nothing blocks it.
 */
#ifndef UMDEV_DAEMON_SYSFS_FUSE_H
#define UMDEV_DAEMON_SYSFS_FUSE_H

#include <umdev/mdev.h>
#include "device_sockets.h"
#include "event_loop.h"

struct mgmt_service;
struct sysfs_fuse;

struct sysfs_fuse_config {
	const char *mountpoint; /* an existing directory */
	struct event_loop *loop;
	struct mdev_core *core;
	struct device_sockets *devices;
	struct mgmt_service *mgmt;
};

/**
 * sysfs_fuse_new() - mount the tree at cfg->mountpoint (a stale mount
 * left by a killed umdevd is detached first) and watch its fd.
 * Return: the tree, or NULL with errno set (ENOTDIR, EPERM, ENODEV when
 * /dev/fuse is missing, ...).
 */
struct sysfs_fuse *sysfs_fuse_new(const struct sysfs_fuse_config *cfg);

/**
 * sysfs_fuse_free() - unmount and free.  Call after the devices are gone,
 * so that pending `remove` writes have had their answers.
 */
void sysfs_fuse_free(struct sysfs_fuse *fs);

#endif
