// SPDX-License-Identifier: GPL-2.0-only
/*
 * A driver whose init registers a parent and then fails: it must be
 * refused and its half-registered parent removed.
 */
#include <errno.h>

#include <umdev/driver.h>

static int bad_init_probe(struct mdev_device *mdev)
{
	return -ENODEV;
}

static void bad_init_remove(struct mdev_device *mdev)
{
}

static const struct umdev_device_ops bad_init_ops;

static const struct mdev_driver bad_init_driver = {
	.name = "badinit",
	.device_ops = &bad_init_ops,
	.probe = bad_init_probe,
	.remove = bad_init_remove,
};

static const struct mdev_type_desc bad_init_types[] = {
	{ .name = "1",
	  .pretty_name = "x",
	  .device_api = "vfio-pci",
	  .max_instances = 1 },
};

static int bad_init_init(struct mdev_core *core, void **priv)
{
	int ret = mdev_register_parent(core, "badinit", &bad_init_driver,
				       bad_init_types, 1, NULL, NULL);

	return ret ? ret : -EIO;
}

UMDEV_DRIVER_DEFINE("badinit", bad_init_init, NULL);
