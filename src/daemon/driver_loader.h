/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * driver_loader - umdevd's vendor drivers: built-in ones and shared objects
 * dlopen()ed from the driver directory or on a control request, each
 * entered through its struct umdev_driver_entry (<umdev/driver.h>).
 *
 * A driver is refused, with a message naming its file, when it has no
 * entry point, was built for another ABI major, has a name that is already
 * registered, or its init fails; the others load regardless.  Unloading
 * first removes the driver's devices through the daemon's own removal (a
 * request to the client, then a bounded wait), then calls exit.
 */
#ifndef UMDEV_DAEMON_DRIVER_LOADER_H
#define UMDEV_DAEMON_DRIVER_LOADER_H

#include <stdbool.h>
#include <stddef.h>

#include <umdev/driver.h>
#include <umdev/mdev_host.h>

struct driver_loader;
struct loaded_driver;

/* Called when a device removal the loader asked for has completed. */
typedef void (*driver_loader_removed)(void *arg, const char *uuid, int result,
				      bool forced);

/* What the daemon provides. */
struct driver_loader_host {
	/*
	 * Remove device @uuid the way any removal is done (ask an attached
	 * client to let go, wait a bounded time, force it off).
	 * Return: 0 removed now; 1 pending, @done(@arg, ...) is called when
	 * it completes; -EBUSY a removal of @uuid is already under way (the
	 * loader checks again later); other -errno.
	 */
	int (*remove_device)(void *host, const char *uuid,
			     driver_loader_removed done, void *arg);
	/* One log line; @error for refusals and failures. */
	void (*log)(void *host, bool error, const char *msg);
};

struct driver_loader_config {
	struct mdev_core *core;
	const struct driver_loader_host *host;
	void *host_data;
	/* The event loop, to resume pending unloads; may be NULL (then an
	 * unload that must wait fails with -EBUSY). */
	const struct mdev_host_ops *loop;
	void *loop_data;
};

/* Called once when a pending unload has finished: @result 0 or -errno. */
typedef void (*driver_loader_unload_done)(void *arg, const char *name,
					  int result);

/** driver_loader_new() - no drivers yet; NULL with errno on failure. */
struct driver_loader *driver_loader_new(const struct driver_loader_config *cfg);

/**
 * driver_loader_free() - unload every driver now (their devices must
 * already be gone: call after the daemon removed its devices).
 */
void driver_loader_free(struct driver_loader *loader);

/**
 * driver_loader_add_builtin() - enter a driver linked into umdevd itself
 * (@entry), with the same checks as a loaded one.
 * Return: 0 or -errno; @err (if @errlen) says why.
 */
int driver_loader_add_builtin(struct driver_loader *loader,
			      const struct umdev_driver_entry *entry, char *err,
			      size_t errlen);

/**
 * driver_loader_load_file() - dlopen @path and enter its driver.
 * Return: 0; -ENOENT/-ENOEXEC cannot load or no entry point;
 * -EPROTONOSUPPORT other ABI major; -EINVAL malformed entry; -EEXIST name
 * already registered; init's -errno.  @err gets a message naming @path.
 */
int driver_loader_load_file(struct driver_loader *loader, const char *path,
			    char *err, size_t errlen);

/**
 * driver_loader_load_dir() - load every "*.so" in @dir, in name order,
 * logging each refusal and going on with the others.  A missing @dir
 * holds no drivers.
 * Return: the number of drivers loaded, or -errno if @dir is unreadable.
 */
int driver_loader_load_dir(struct driver_loader *loader, const char *dir);

/**
 * driver_loader_unload() - remove driver @name: its devices first, then
 * its exit, its parents, and dlclose.
 * Return: 0 unloaded now; 1 pending (devices with clients are being
 * released: @done is called when finished, if not NULL); -ENOENT unknown
 * driver; -EPERM built in; -EALREADY an unload is under way; -EBUSY a
 * device could not be removed.  @err says why on error.
 */
int driver_loader_unload(struct driver_loader *loader, const char *name,
			 driver_loader_unload_done done, void *arg, char *err,
			 size_t errlen);

/* Iteration over the drivers in load order: NULL starts and ends. */
struct loaded_driver *driver_loader_next(struct driver_loader *loader,
					 struct loaded_driver *prev);
const char *loaded_driver_name(const struct loaded_driver *drv);
/** loaded_driver_path() - the file, or NULL for a built-in driver. */
const char *loaded_driver_path(const struct loaded_driver *drv);
void loaded_driver_abi(const struct loaded_driver *drv, unsigned int *major,
		       unsigned int *minor);
unsigned int loaded_driver_nr_parents(const struct loaded_driver *drv);
const char *loaded_driver_parent(const struct loaded_driver *drv,
				 unsigned int i);
bool loaded_driver_unloading(const struct loaded_driver *drv);

#endif
