/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Private to src/core: the layout behind the opaque handles of
 * <umdev/mdev.h>.  Drivers and management code never include this.
 */
#ifndef UMDEV_CORE_INTERNAL_H
#define UMDEV_CORE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <umdev/mdev_host.h>

#include "uuid_index.h"

/* Longest type id we accept: "<driver>-<name>" plus NUL. */
#define MDEV_TYPE_ID_MAX 128

struct mdev_type {
	struct mdev_parent *parent;
	char *id; /* "<driver>-<name>" */
	char *name; /* suffix of the id */
	char *pretty_name;
	char *description; /* or NULL */
	char *device_api;
	unsigned int max_instances;
	const void *driver_data;
	unsigned int nr_devices; /* devices of this type that exist */
};

struct mdev_parent {
	struct mdev_core *core;
	char *name;
	/* The driver's own struct: only mdev_parent_driver() returns it. */
	const struct mdev_driver *registered_drv;
	/*
	 * The core's full-size copies (driver_abi.h): all the core reads.
	 * drv.device_ops points at ops.
	 */
	struct mdev_driver drv;
	struct umdev_device_ops ops;
	void *parent_data;
	struct mdev_type *types;
	unsigned int nr_types;
	struct mdev_parent *prev, *next; /* core->parents */
};

struct mdev_device {
	uuid_t uuid;
	char uuid_str[MDEV_UUID_STRLEN + 1];
	struct mdev_core *core;
	struct mdev_parent *parent;
	struct mdev_type *type;
	void *drvdata; /* set by the driver */
	void *host_data; /* set by the host (mdev_set_host_data()) */
	bool open;
	unsigned int request_count; /* times the client was asked to leave */
	struct mdev_timer *timers; /* this device's timers */
	struct mdev_device *prev, *next; /* core->devices, creation order */
};

struct mdev_timer {
	struct mdev_core *core;
	struct mdev_device *mdev;
	void (*fn)(void *arg);
	void *arg;
	int fd; /* timerfd, CLOCK_MONOTONIC */
	bool watched; /* registered with the host's loop */
	struct mdev_timer *prev, *next; /* mdev->timers */
};

struct mdev_core {
	const struct mdev_host_ops *host;
	void *host_data;
	struct mdev_parent *parents_head, *parents_tail;
	struct mdev_device *devices_head, *devices_tail;
	size_t nr_devices;
	struct uuid_index index; /* uuid -> struct mdev_device * */
	struct mdev_driver_option *options; /* driver_option.c */
};

/* device.c: tear one device down (no client check). */
void mdev_device_destroy(struct mdev_device *mdev);

/* driver_option.c: free the drivers' options (core teardown). */
void mdev_driver_options_free(struct mdev_core *core);

/* timer.c: free the timers a driver left behind on a removed device. */
void mdev_timer_free_for_device(struct mdev_device *mdev);

#endif
