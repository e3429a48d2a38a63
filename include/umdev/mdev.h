/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * umdev/mdev.h - the userspace mdev core as a vendor driver sees it:
 * registering parents and their types, the accessors of the opaque handles,
 * and timers.  What only a host (umdevd, a test harness) calls - creating
 * and removing devices, opening them for a transport, firing timers - is in
 * <umdev/mdev_host.h>.
 *
 * Parents register with a driver and a set of types; devices are created by
 * UUID and removed by UUID.  Every handle is opaque: drivers reach a device
 * only through the accessors below (mdev_uuid(), mdev_get_drvdata(), ...),
 * so the core can change without breaking drivers built against an older
 * header.  The structs a driver hands the core (struct mdev_driver, struct
 * umdev_device_ops, the struct mdev_type_desc array) can grow at their end
 * in a minor release: mdev_register_parent() tells the core their sizes as
 * this header makes them (docs/driver-abi.md, "Growing the ABI").
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

/*
 * Version of this driver API.  A driver built for another major is refused;
 * 1.1 added the migration callbacks of struct umdev_device_ops,
 * mdev_register_parent_sized() and mdev_device_has_migration().
 */
#define UMDEV_DRIVER_ABI_MAJOR 1
#define UMDEV_DRIVER_ABI_MINOR 1

/* Length of a UUID string, without the NUL. */
#define MDEV_UUID_STRLEN 36

struct mdev_core;
struct mdev_parent;
struct mdev_type;
struct mdev_device;
struct mdev_timer;

/*
 * One type a parent offers.  Type id = "<driver name>-<name>".  Members
 * added in a later minor go at the end; the core steps through the array by
 * the driver's sizeof (struct umdev_abi_sizes.type_desc), not its own.
 */
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

/* A vendor driver.  Members added in a later minor go at the end. */
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
 * The sizes, as the driver's headers made them, of the structs it hands
 * the core.  The core reads a member only if it lies inside the driver's
 * size and treats every member past it as absent (NULL / 0).  Made by
 * UMDEV_ABI_SIZES; a driver never fills one in by hand.  (Itself extensible
 * the same way: @sizes is its own size.)
 */
struct umdev_abi_sizes {
	uint32_t sizes; /* sizeof(struct umdev_abi_sizes) */
	uint32_t driver; /* sizeof(struct mdev_driver) */
	uint32_t device_ops; /* sizeof(struct umdev_device_ops) */
	uint32_t type_desc; /* sizeof(struct mdev_type_desc): the stride */
};

/* The sizes of this header's structs, for mdev_register_parent_sized(). */
#define UMDEV_ABI_SIZES                                        \
	(&(const struct umdev_abi_sizes){                      \
		.sizes = sizeof(struct umdev_abi_sizes),       \
		.driver = sizeof(struct mdev_driver),          \
		.device_ops = sizeof(struct umdev_device_ops), \
		.type_desc = sizeof(struct mdev_type_desc),    \
	})

/* ---- registration ---- */

/**
 * mdev_register_parent_sized() - register parent @name served by @drv with
 * @nr_types types (added in 1.1; call it through mdev_register_parent()).
 * @core:        the core (the driver's init gets it)
 * @name:        parent name, unique in the core, no '/'
 * @drv:         the driver: name, device_ops, probe and remove are required
 * @types:       @nr_types descriptions, copied (may live on the stack)
 * @nr_types:    at least 1
 * @parent_data: the driver's, see mdev_parent_get_data()
 * @out:         the new parent, if not NULL
 * @sizes:       UMDEV_ABI_SIZES as the driver was compiled
 *
 * The core copies @drv and its device_ops at once: later changes to them
 * are not seen.  A migration callback set without the others it needs is
 * refused (see struct umdev_device_ops).
 * Return: 0; -EEXIST if a parent of that name exists; -EINVAL for missing
 * names/ops, no types, duplicate or malformed type names, incomplete
 * migration callbacks, or @sizes smaller than the 1.0 structs; -ENOMEM.
 */
int mdev_register_parent_sized(struct mdev_core *core, const char *name,
			       const struct mdev_driver *drv,
			       const struct mdev_type_desc *types,
			       unsigned int nr_types, void *parent_data,
			       struct mdev_parent **out,
			       const struct umdev_abi_sizes *sizes);

/*
 * mdev_register_parent() - the 1.0 entry point: as
 * mdev_register_parent_sized() for structs of their 1.0 layout (a driver
 * built against 1.0 headers calls this symbol).  A driver built against
 * this header reaches mdev_register_parent_sized() through the macro below,
 * with its own struct sizes.
 */
int mdev_register_parent(struct mdev_core *core, const char *name,
			 const struct mdev_driver *drv,
			 const struct mdev_type_desc *types,
			 unsigned int nr_types, void *parent_data,
			 struct mdev_parent **out);
#define mdev_register_parent(core, name, drv, types, nr_types, parent_data, \
			     out)                                           \
	mdev_register_parent_sized(core, name, drv, types, nr_types,        \
				   parent_data, out, UMDEV_ABI_SIZES)

/** mdev_unregister_parent() - remove the parent's devices, then it. */
void mdev_unregister_parent(struct mdev_parent *parent);

/** mdev_core_find_parent() - parent by name, or NULL. */
struct mdev_parent *mdev_core_find_parent(struct mdev_core *core,
					  const char *name);
/** mdev_parent_find_type() - @parent's type with id @type_id, or NULL. */
struct mdev_type *mdev_parent_find_type(struct mdev_parent *parent,
					const char *type_id);
/* A parent's types: pass NULL for the first; NULL after the last. */
struct mdev_type *mdev_parent_next_type(struct mdev_parent *parent,
					struct mdev_type *prev);

/* ---- opaque handles: accessors ---- */

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

const char *mdev_parent_name(const struct mdev_parent *parent);
void *mdev_parent_get_data(const struct mdev_parent *parent);
/**
 * mdev_parent_driver() - the struct mdev_driver the parent was registered
 * with: the driver's own object (compare it with yours), not the core's copy.
 */
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

UMDEV_ABI_END

#ifdef __cplusplus
}
#endif

#endif
