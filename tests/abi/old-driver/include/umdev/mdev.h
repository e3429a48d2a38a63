/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * umdev/mdev.h - the userspace mdev core and the vendor-driver API.
 *
 * Parents register with a driver and a set of types; devices are created by
 * UUID, found through a hash index and removed by UUID.  Every handle is
 * opaque: drivers and management code reach a device only through the
 * accessors below (mdev_uuid(), mdev_get_drvdata(), ...), so the core can
 * change without breaking drivers built against an older header.
 *
 * Conventions: functions return 0 (or a count) on success and -errno on
 * failure; the errnos a caller can see are listed with each function.
 */
#ifndef UMDEV_MDEV_H
#define UMDEV_MDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uuid/uuid.h>

#include <umdev/vfio_device.h>

#include <umdev/export.h>

#ifdef __cplusplus
extern "C" {
#endif

UMDEV_ABI_BEGIN

/* Version of this driver API.  A driver built for a newer major is refused. */
#define UMDEV_DRIVER_ABI_MAJOR 1
#define UMDEV_DRIVER_ABI_MINOR 0

/* Length of a UUID string, without the NUL. */
#define MDEV_UUID_STRLEN 36

struct mdev_core;
struct mdev_parent;
struct mdev_type;
struct mdev_device;
struct mdev_timer;

/* One type a parent offers.  Type id = "<driver name>-<name>". */
struct mdev_type_desc {
	const char *name; /* "1": suffix of the type id */
	const char *pretty_name; /* sysfs "name": "Single port serial" */
	const char *description; /* optional, may be NULL */
	const char *device_api; /* "vfio-pci" */
	/* Instances the core counts for this type when the driver has no
	 * get_available callback. */
	unsigned int max_instances;
	/* Type-private data for the driver (mdev_type_get_data()). */
	const void *driver_data;
};

/* A vendor driver. */
struct mdev_driver {
	const char *name; /* "mtty": parent name and type-id prefix */
	const struct umdev_device_ops *device_ops;
	/*
	 * Bind a new device: allocate per-device state, reserve capacity.
	 * Return 0 or -errno (-EUSERS when out of capacity).
	 */
	int (*probe)(struct mdev_device *mdev);
	/* Unbind: release what probe took.  The device has no client. */
	void (*remove)(struct mdev_device *mdev);
	/* Optional: instances of @type that could still be created. */
	unsigned int (*get_available)(struct mdev_type *type);
	/*
	 * Optional: the parent is going away (its devices are already
	 * removed); free what the driver keeps in its parent_data.
	 */
	void (*release_parent)(struct mdev_parent *parent);
};

/*
 * What the host (the daemon's event loop) provides to the core, so that
 * drivers can have timers.  May be NULL: timers then never fire on their
 * own (unit tests fire them with mdev_timer_fire_due()).
 */
struct mdev_host_ops {
	/* Call @ready(@arg) whenever @fd is readable.  0 or -errno. */
	int (*watch_fd)(void *host, int fd, void (*ready)(void *arg),
			void *arg);
	void (*unwatch_fd)(void *host, int fd);
};

/* ---- core (used by the daemon) ---- */

/** mdev_core_new() - an empty core.  NULL with errno = ENOMEM on failure. */
struct mdev_core *mdev_core_new(const struct mdev_host_ops *host,
				void *host_data);
/** mdev_core_free() - remove every device and parent, free the core. */
void mdev_core_free(struct mdev_core *core);

/**
 * mdev_register_parent() - register parent @name served by @drv with types.
 * Return: 0; -EEXIST if a parent of that name exists; -EINVAL for missing
 * names/ops or no types; -ENOMEM.
 */
int mdev_register_parent(struct mdev_core *core, const char *name,
			 const struct mdev_driver *drv,
			 const struct mdev_type_desc *types,
			 unsigned int nr_types, void *parent_data,
			 struct mdev_parent **out);
/** mdev_unregister_parent() - remove the parent's devices, then it. */
void mdev_unregister_parent(struct mdev_parent *parent);

/**
 * mdev_core_create() - create a device of @type_id on @parent_name.
 * @uuid_str: the device's UUID (any case; stored and printed lowercase).
 * Return: 0 (and *@out if not NULL); -EINVAL for a malformed UUID;
 * -EEXIST if the UUID is used anywhere; -ENODEV for an unknown parent;
 * -ENOENT for an unknown type; -EUSERS when no instance is available; or
 * the driver's probe error.
 */
int mdev_core_create(struct mdev_core *core, const char *uuid_str,
		     const char *parent_name, const char *type_id,
		     struct mdev_device **out);

/**
 * mdev_core_remove() - remove the device @uuid_str.
 * If a client has the device open, the driver is asked to release it
 * (device_ops->request) and -EBUSY is returned: the caller waits a bounded
 * time for the client to go, forces it off, then calls again.
 * Return: 0; -EINVAL malformed UUID; -ENODEV unknown; -EBUSY as above.
 */
int mdev_core_remove(struct mdev_core *core, const char *uuid_str);

/** mdev_core_find() - the device with @uuid, or NULL.  O(1). */
struct mdev_device *mdev_core_find(struct mdev_core *core, const uuid_t uuid);
/** mdev_core_find_str() - as mdev_core_find(); NULL if malformed/unknown. */
struct mdev_device *mdev_core_find_str(struct mdev_core *core,
				       const char *uuid_str);
/** mdev_core_find_parent() - parent by name, or NULL. */
struct mdev_parent *mdev_core_find_parent(struct mdev_core *core,
					  const char *name);
/** mdev_parent_find_type() - @parent's type with id @type_id, or NULL. */
struct mdev_type *mdev_parent_find_type(struct mdev_parent *parent,
					const char *type_id);
/** mdev_core_nr_devices() - how many devices exist. */
size_t mdev_core_nr_devices(const struct mdev_core *core);

/* Iteration: pass NULL for the first, NULL is returned after the last. */
struct mdev_parent *mdev_core_next_parent(struct mdev_core *core,
					  struct mdev_parent *prev);
struct mdev_type *mdev_parent_next_type(struct mdev_parent *parent,
					struct mdev_type *prev);
struct mdev_device *mdev_core_next_device(struct mdev_core *core,
					  struct mdev_device *prev);

/* ---- opaque handles: accessors (drivers and management) ---- */

/** mdev_uuid() - the device's UUID (16 bytes). */
const uint8_t *mdev_uuid(const struct mdev_device *mdev);
/** mdev_uuid_str() - the lowercase UUID string (36 chars + NUL). */
const char *mdev_uuid_str(const struct mdev_device *mdev);
void *mdev_get_drvdata(const struct mdev_device *mdev);
void mdev_set_drvdata(struct mdev_device *mdev, void *data);
struct mdev_parent *mdev_parent_of(const struct mdev_device *mdev);
struct mdev_type *mdev_type_of(const struct mdev_device *mdev);
/** mdev_is_open() - true while a client has the device. */
bool mdev_is_open(const struct mdev_device *mdev);
/** mdev_device_ops() - the ops of the device's driver. */
const struct umdev_device_ops *mdev_device_ops(const struct mdev_device *mdev);

/**
 * mdev_device_open() / mdev_device_close() - a transport's client arrived /
 * left.  open returns 0, -EBUSY if already open, or the driver's error.
 */
int mdev_device_open(struct mdev_device *mdev);
void mdev_device_close(struct mdev_device *mdev);

const char *mdev_parent_name(const struct mdev_parent *parent);
void *mdev_parent_get_data(const struct mdev_parent *parent);
const struct mdev_driver *mdev_parent_driver(const struct mdev_parent *parent);

/** mdev_type_id() - "<driver>-<name>", e.g. "mtty-2". */
const char *mdev_type_id(const struct mdev_type *type);
const char *mdev_type_name(const struct mdev_type *type); /* pretty name */
const char *mdev_type_description(const struct mdev_type *type); /* or NULL */
const char *mdev_type_device_api(const struct mdev_type *type);
const void *mdev_type_get_data(const struct mdev_type *type);
struct mdev_parent *mdev_type_parent(const struct mdev_type *type);
/** mdev_type_available() - instances that could still be created. */
unsigned int mdev_type_available(struct mdev_type *type);

/* ---- timers for drivers (one-shot, monotonic) ---- */

/**
 * mdev_timer_new() - a disarmed timer calling @fn(@arg) when it expires.
 * Return: the timer, or NULL with errno EINVAL (NULL @mdev or @fn), ENOMEM,
 * EMFILE/ENFILE (no fd for it), or the host's watch_fd error.
 */
struct mdev_timer *mdev_timer_new(struct mdev_device *mdev,
				  void (*fn)(void *arg), void *arg);
/**
 * mdev_timer_arm() - fire once after @delay_ns, replacing any earlier
 * deadline; 0 disarms.
 * Return: 0; -EINVAL for a NULL @timer; or the -errno of timerfd_settime().
 */
int mdev_timer_arm(struct mdev_timer *timer, uint64_t delay_ns);
void mdev_timer_free(struct mdev_timer *timer);
/** mdev_timer_fire_due() - run expired timers now (hosts without a loop). */
void mdev_timer_fire_due(struct mdev_core *core);

UMDEV_ABI_END

#ifdef __cplusplus
}
#endif

#endif
