/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * umdev/mdev_host.h - the mdev core as its host sees it: the program that
 * owns the core (umdevd, a test harness, a benchmark) creates and removes
 * devices, opens them for a transport and runs the event loop that fires
 * driver timers.  A vendor driver never calls these; it includes
 * <umdev/mdev.h> (which this header includes).
 *
 * Conventions as in <umdev/mdev.h>: 0 (or a count) or -errno.
 */
#ifndef UMDEV_MDEV_HOST_H
#define UMDEV_MDEV_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uuid/uuid.h>

#include <umdev/export.h>
#include <umdev/mdev.h>
#include <umdev/vfio_device.h>

#ifdef __cplusplus
extern "C" {
#endif

UMDEV_ABI_BEGIN

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

/** mdev_core_new() - an empty core.  NULL with errno = ENOMEM on failure. */
struct mdev_core *mdev_core_new(const struct mdev_host_ops *host,
				void *host_data);
/** mdev_core_free() - remove every device and parent, free the core. */
void mdev_core_free(struct mdev_core *core);

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
/** mdev_core_nr_devices() - how many devices exist. */
size_t mdev_core_nr_devices(const struct mdev_core *core);

/* Iteration: pass NULL for the first, NULL is returned after the last. */
struct mdev_parent *mdev_core_next_parent(struct mdev_core *core,
					  struct mdev_parent *prev);
struct mdev_device *mdev_core_next_device(struct mdev_core *core,
					  struct mdev_device *prev);

/**
 * mdev_device_ops() - the device's ops as the transport calls them: the
 * core's full-size copy of what the driver registered, every callback the
 * driver's ABI minor does not have being NULL.  Never NULL for a device.
 */
const struct umdev_device_ops *mdev_device_ops(const struct mdev_device *mdev);

/**
 * mdev_device_has_migration() - does the device's driver implement VFIO
 * migration (the migration_* callbacks of struct umdev_device_ops, added in
 * ABI 1.1)?  False for every driver built for 1.0, so a transport reports
 * no migration capability for it.  (Added in 1.1.)
 */
bool mdev_device_has_migration(const struct mdev_device *mdev);

/**
 * mdev_device_open() / mdev_device_close() - a transport's client arrived /
 * left.  open returns 0, -EBUSY if already open, or the driver's error.
 */
int mdev_device_open(struct mdev_device *mdev);
void mdev_device_close(struct mdev_device *mdev);

/** mdev_timer_fire_due() - run expired timers now (hosts without a loop). */
void mdev_timer_fire_due(struct mdev_core *core);

/* ---- added in ABI 1.1 ---- */

/**
 * mdev_uuid_valid() - is @s a device name: exactly 36 characters, 8-4-4-4-12
 * hex digits (either case) separated by '-'?  The one UUID check of umdev:
 * the core, the daemon and the CLI all call it, and a string it accepts is
 * also safe as a file name.
 * Return: true or false (false for NULL).
 */
bool mdev_uuid_valid(const char *s);

/**
 * mdev_set_host_data() - attach the host's own record of @mdev (umdevd's
 * struct daemon_device), so that the host finds it through the core's one
 * index (mdev_core_find_str()) and iteration (mdev_core_next_device()) and
 * keeps no registry of its own.  Apart from the driver's drvdata; the core
 * never reads it.  NULL (the initial value) detaches.
 */
void mdev_set_host_data(struct mdev_device *mdev, void *data);
/** mdev_get_host_data() - what mdev_set_host_data() stored, or NULL. */
void *mdev_get_host_data(const struct mdev_device *mdev);

/*
 * Driver options (umdevd --driver-opt DRIVER.KEY=VALUE; a driver reads them
 * in its init with umdev_driver_option(), <umdev/driver.h>).  Added in
 * UMDEV_1.1.
 */
/**
 * mdev_core_set_driver_option() - give driver @driver option @key = @value;
 * set it before the driver is entered.
 * Return: 0; -EINVAL for an empty or over-long @driver (63), @key (63) or
 * @value (255), or '.', '=' or blanks in @driver or @key; -EEXIST if
 * @driver.@key is already set; -ENOMEM.
 */
int mdev_core_set_driver_option(struct mdev_core *core, const char *driver,
				const char *key, const char *value);
/**
 * mdev_core_check_driver_options() - once the drivers are entered: did a
 * driver ask for every option set, and accept its value?
 * Return: 0; -EINVAL for the first option no driver asked for or whose
 * value its driver refused; @why (@len bytes) then names the option, its
 * value and the reason.
 */
int mdev_core_check_driver_options(struct mdev_core *core, char *why,
				   size_t len);

UMDEV_ABI_END

#ifdef __cplusplus
}
#endif

#endif
