/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * service - umdevd's one management layer.  Every entry point (the control
 * socket, the sysfs-compatible FUSE tree, the definitions loader and
 * autostart) calls these functions; entry points only parse and present.
 *
 * Errors: every function returns 0 (or a count) or -errno and, when an
 * error message buffer is given, a message naming the thing at fault
 * ("parent 'x' has no type 'y' (types: ...)").
 */
#ifndef UMDEV_MANAGEMENT_SERVICE_H
#define UMDEV_MANAGEMENT_SERVICE_H

#include <stdbool.h>
#include <stddef.h>

#include <umdev/mdev.h>
#include <umdev/vfio_device.h>
#include "daemon/device_sockets.h"
#include "definition.h"

struct mgmt_service;

/* Room for any message the service writes. */
#define MGMT_ERR_MAX 512

struct mgmt_err {
	char msg[MGMT_ERR_MAX];
};

struct mgmt_service_config {
	struct mdev_core *core;
	struct device_sockets *devices;
	const char *config_dir; /* resolved (mgmt_store_resolve()) */
};

/** mgmt_service_new() - NULL with errno on failure. */
struct mgmt_service *mgmt_service_new(const struct mgmt_service_config *cfg);
void mgmt_service_free(struct mgmt_service *svc);

/** mgmt_service_config_dir() - where definitions are stored. */
const char *mgmt_service_config_dir(const struct mgmt_service *svc);

/**
 * mgmt_service_load() - read the definitions; each malformed file is
 * logged by name and skipped.  Return: the number loaded, or -errno when
 * the directory exists but cannot be read.
 */
int mgmt_service_load(struct mgmt_service *svc);

/**
 * mgmt_service_parents_changed() - call after parents may have registered
 * or gone: the "auto" definitions of each newly registered parent are
 * started (each failure logged once with its reason; the definition is
 * kept and not retried until the parent registers again).
 */
void mgmt_service_parents_changed(struct mgmt_service *svc);

/**
 * mgmt_service_start() - start a transient device as @spec says (uuid,
 * parent, type, attributes in order).
 * Return: 0 (*@out set if not NULL); -ENODEV unknown parent; -ENOENT
 * unknown type; -EEXIST UUID in use; -EUSERS no capacity; -EINVAL bad
 * name or an attribute the driver refuses; the socket's -errno.
 */
int mgmt_service_start(struct mgmt_service *svc, const struct mgmt_def *spec,
		       struct daemon_device **out, struct mgmt_err *err);

/**
 * mgmt_service_start_defined() - start the definition of @uuid (on
 * @parent if not NULL).  @type, if not NULL, must match the definition's.
 * Return: as mgmt_service_start(); -ENOENT no such definition; -EINVAL
 * defined under several parents and @parent NULL, or @type conflicts.
 */
int mgmt_service_start_defined(struct mgmt_service *svc, const char *uuid,
			       const char *parent, const char *type,
			       struct daemon_device **out,
			       struct mgmt_err *err);

/**
 * mgmt_service_start_parent() - start every "auto" definition of @parent
 * that is not running (mdevctl start-parent-mdevs).
 * Return: number of failures (each logged and put in @err, last wins);
 * -ENODEV if @parent is not registered.
 */
int mgmt_service_start_parent(struct mgmt_service *svc, const char *parent,
			      struct mgmt_err *err);

/**
 * mgmt_service_force_stop() - remove device @uuid now, disconnecting its
 * client (an operator's explicit choice; a pending stop completes).
 * Return: 0, or -ENODEV / -EINVAL (message in @err).
 */
int mgmt_service_force_stop(struct mgmt_service *svc, const char *uuid,
			    struct mgmt_err *err);

/**
 * mgmt_service_stop() - remove device @uuid, as device_sockets_stop().
 * Return: 0 removed; 1 pending (@done called later); -ENODEV, -EBUSY,
 * -EINVAL.
 */
int mgmt_service_stop(struct mgmt_service *svc, const char *uuid,
		      device_removal_done done, void *arg,
		      struct device_removal **removal, struct mgmt_err *err);

/**
 * mgmt_service_define() - store @spec as a definition.  Without a type,
 * the running device @spec->uuid gives parent (checked against
 * @spec->parent if set) and type.
 * Return: 0; -EEXIST already defined on that parent; -ENODEV no type and
 * the device is not running; -EINVAL; the store's -errno.
 */
int mgmt_service_define(struct mgmt_service *svc, const struct mgmt_def *spec,
			struct mgmt_err *err);

/**
 * mgmt_service_undefine() - delete the definitions of @uuid (only the one
 * on @parent if not NULL).  Running devices are unaffected.
 * Return: number deleted (> 0); -ENOENT none; the store's -errno.
 */
int mgmt_service_undefine(struct mgmt_service *svc, const char *uuid,
			  const char *parent, struct mgmt_err *err);

/* What mgmt_service_modify() changes; NULL / -1 means "leave it". */
struct mgmt_modify {
	const char *type;
	int autostart; /* -1, 0 manual, 1 auto */
	const char *addattr; /* with value */
	const char *value;
	bool delattr;
	long index; /* -1: at the end */
	const struct mgmt_def *replace; /* --jsonfile: type, start, attrs */
};

/**
 * mgmt_service_modify() - change the definition of @uuid (on @parent if
 * not NULL).  Running devices are unaffected.
 * Return: 0; -ENOENT no definition or no attribute at the index; -EINVAL
 * ambiguous, bad name, nothing to change; the store's -errno.
 */
int mgmt_service_modify(struct mgmt_service *svc, const char *uuid,
			const char *parent, const struct mgmt_modify *m,
			struct mgmt_err *err);

/**
 * mgmt_service_set_attr() - write attribute @name = @value of the running
 * device @uuid (asks its driver).  Return: 0; -ENODEV no such device;
 * -EINVAL the driver refuses or has no such attribute.
 */
int mgmt_service_set_attr(struct mgmt_service *svc, const char *uuid,
			  const char *name, const char *value,
			  struct mgmt_err *err);

/* What `info` shows of a device: what a VMM would see, read by the daemon. */
#define MGMT_INFO_MAX_INDEX 16
#define MGMT_INFO_CONFIG_SIZE 256

struct mgmt_device_info {
	bool client; /* a client holds the device */
	int client_pid; /* its pid, 0 if unknown */
	char socket[108]; /* where it is served */
	struct vfio_device_info info;
	/* ret: 0, or the driver's -errno for that index. */
	struct {
		int ret;
		struct vfio_region_info info;
	} regions[MGMT_INFO_MAX_INDEX];
	struct {
		int ret;
		struct vfio_irq_info info;
	} irqs[MGMT_INFO_MAX_INDEX];
	unsigned int nr_regions, nr_irqs; /* capped at MGMT_INFO_MAX_INDEX */
	int config_ret; /* 0, or -errno reading the config space */
	uint8_t config[MGMT_INFO_CONFIG_SIZE];
};

/**
 * mgmt_service_device_info() - device info, regions, IRQ indices and PCI
 * config space of device @uuid, asked of its driver by the daemon: works
 * while a VM holds the device (no client slot is taken; config reads have
 * no side effect).  Return: 0; -ENODEV no such device; the driver's -errno
 * for the device info.
 */
int mgmt_service_device_info(struct mgmt_service *svc, const char *uuid,
			     struct mgmt_device_info *out,
			     struct mgmt_err *err);

/** mgmt_service_next_def() - iterate definitions by parent, UUID. */
const struct mgmt_def *mgmt_service_next_def(struct mgmt_service *svc,
					     const struct mgmt_def *prev);

/**
 * mgmt_service_device_attrs() - the attributes device @uuid was started
 * with, as a definition (uuid, parent, type, attrs), or NULL.
 */
const struct mgmt_def *mgmt_service_device_attrs(struct mgmt_service *svc,
						 const char *uuid);

/** mgmt_service_is_defined() - is @uuid defined on @parent? */
bool mgmt_service_is_defined(struct mgmt_service *svc, const char *uuid,
			     const char *parent);

#endif
