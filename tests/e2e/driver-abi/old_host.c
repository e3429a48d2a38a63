// SPDX-License-Identifier: GPL-2.0-only
/*
 * old_host - a host of the current driver ABI that loads a driver built for
 * ABI 1.0 (tests/abi/old-driver/, against the frozen 1.0 headers) and looks
 * at it through the core: the entry says 1.0, the device works, and every
 * callback added after 1.0 counts as absent (mdev_device_has_migration()
 * false, the migration_* members of the core's ops NULL).  Prints one line
 * per check; exit 0 when every check passed.
 * Usage: old_host DRIVER.so
 */
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>

#include <umdev/driver.h>
#include <umdev/mdev_host.h>

#include "doorbell.h"

#define OLD_UUID "5d1f9a2c-7e34-4b6d-a8c9-0e1f2a3b4c5d"

static int failures;

static int check(int cond, const char *what)
{
	printf("%s: %s\n", cond ? "pass" : "FAIL", what);
	failures += !cond;
	return cond;
}

static void check_device(struct mdev_device *dev)
{
	const struct umdev_device_ops *ops = mdev_device_ops(dev);
	uint32_t id = 0;

	check(!mdev_device_has_migration(dev),
	      "mdev_device_has_migration() is false for the 1.0 driver");
	check(!ops->migration_get_flags && !ops->migration_get_state &&
		      !ops->migration_set_state && !ops->migration_read_data &&
		      !ops->migration_write_data &&
		      !ops->migration_precopy_info,
	      "every migration_* callback of the core's ops is NULL");
	if (!check(ops->open && ops->read && ops->set_irqs && ops->request,
		   "its 1.0 callbacks are there"))
		return;
	check(mdev_device_open(dev) == 0, "the device opens");
	check(ops->read(dev, VFIO_PCI_BAR0_REGION_INDEX, DOORBELL_REG_ID, &id,
			sizeof(id)) == sizeof(id) &&
		      id == DOORBELL_ID,
	      "BAR0 ID register reads DOORBELL_ID through the core's ops");
	mdev_device_close(dev);
}

int main(int argc, char **argv)
{
	const struct umdev_driver_entry *given;
	struct umdev_driver_entry entry;
	struct mdev_device *dev = NULL;
	struct mdev_core *core;
	void *handle, *priv = NULL;

	if (argc != 2) {
		fprintf(stderr, "usage: old_host DRIVER.so\n");
		return 2;
	}
	handle = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
	if (!check(handle != NULL, "dlopen the 1.0 driver")) {
		fprintf(stderr, "%s\n", dlerror());
		return 1;
	}
	given = dlsym(handle, UMDEV_DRIVER_ENTRY_SYMBOL);
	if (!check(given && umdev_driver_entry_copy(given, &entry) == 0,
		   "its entry point is accepted"))
		return 1;
	check(entry.abi_major == 1 && entry.abi_minor == 0,
	      "it was built for driver ABI 1.0");
	core = mdev_core_new(NULL, NULL);
	if (!check(core && entry.init(core, &priv) == 0, "its init registers"))
		return 1;
	if (check(mdev_core_create(core, OLD_UUID, DOORBELL_PARENT,
				   DOORBELL_TYPE, &dev) == 0,
		  "a " DOORBELL_TYPE " device is created"))
		check_device(dev);
	check(mdev_core_remove(core, OLD_UUID) == 0, "the device is removed");
	if (entry.exit)
		entry.exit(core, priv);
	mdev_core_free(core);
	dlclose(handle);
	return failures ? 1 : 0;
}
