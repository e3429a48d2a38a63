// SPDX-License-Identifier: GPL-2.0-only
/*
 * umdev_mtty - the umdev mtty device model on the Linux kernel's own mdev
 * core and VFIO.
 *
 * Registers a parent named "mtty" with the types mtty-1 and mtty-2, as the
 * kernel's samples/vfio-mdev/mtty.c does, but the device itself is umdev's
 * freestanding model (src/model/mtty/), compiled into this module from the
 * same .c files the userspace daemon uses.  The module is only the glue;
 * this file is its lifecycle: module init/exit, the parent device, the
 * mdev driver and its types, and the port capacity they share.  See
 * umdev_mtty.h for the other files and the locking.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/mdev.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sysfs.h>
#include <linux/version.h>
#include <linux/vfio.h>

#include "umdev_mtty.h"

#define UMDEV_MTTY_NAME "mtty"
#define UMDEV_MTTY_TOTAL_PORTS 24

/* Ports left for new devices, shared by both types (like the sample). */
static atomic_t umdev_mtty_avail_ports = ATOMIC_INIT(UMDEV_MTTY_TOTAL_PORTS);

struct umdev_mtty_type {
	struct mdev_type type;
	unsigned int nr_ports;
};

static struct umdev_mtty_type umdev_mtty_types[] = {
	{ .type.sysfs_name = "1",
	  .type.pretty_name = "Single port serial",
	  .nr_ports = 1 },
	{ .type.sysfs_name = "2",
	  .type.pretty_name = "Dual port serial",
	  .nr_ports = 2 },
};

static struct mdev_type *umdev_mtty_type_list[] = {
	&umdev_mtty_types[0].type,
	&umdev_mtty_types[1].type,
};

/*
 * The parent device lives in a class named "mtty": the mdev core names the
 * type directories "<class>-<type>", which gives mtty-1 and mtty-2.
 */
static struct class umdev_mtty_class = {
	.name = UMDEV_MTTY_NAME,
};
static struct device *umdev_mtty_parent_dev;
static struct mdev_parent umdev_mtty_parent;

/**
 * umdev_mtty_init_dev() - vfio_device_ops.init: claim ports, set up state
 * @vdev: the device just allocated by vfio_alloc_device() in probe
 *
 * Return: 0, -ENOSPC if the type's ports are no longer available, or the
 * model's error (the ports are given back).
 */
int umdev_mtty_init_dev(struct vfio_device *vdev)
{
	struct umdev_mtty_state *state = umdev_mtty_vdev_to_state(vdev);
	struct mdev_device *mdev = to_mdev_device(vdev->dev);
	struct umdev_mtty_type *type =
		container_of(mdev->type, struct umdev_mtty_type, type);
	int avail = atomic_read(&umdev_mtty_avail_ports);
	int ret;

	do {
		if (avail < (int)type->nr_ports)
			return -ENOSPC;
	} while (!atomic_try_cmpxchg(&umdev_mtty_avail_ports, &avail,
				     avail - type->nr_ports));

	state->mdev = mdev;
	state->nr_ports = type->nr_ports;
	mutex_init(&state->lock);
	umdev_mtty_timers_init(state);
	ret = mtty_model_init(&state->model, type->nr_ports,
			      &umdev_mtty_host_ops, state);
	if (!ret)
		ret = umdev_mtty_irqs_init(state);
	if (ret) {
		mutex_destroy(&state->lock);
		atomic_add(type->nr_ports, &umdev_mtty_avail_ports);
		return ret;
	}
	umdev_mtty_mig_init(state);
	return 0;
}

/**
 * umdev_mtty_release_dev() - vfio_device_ops.release: give the ports back
 * @vdev: the device, its last reference gone
 */
void umdev_mtty_release_dev(struct vfio_device *vdev)
{
	struct umdev_mtty_state *state = umdev_mtty_vdev_to_state(vdev);

	atomic_add(state->nr_ports, &umdev_mtty_avail_ports);
	mutex_destroy(&state->lock);
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
	vfio_free_device(vdev);
#endif
}

static int umdev_mtty_probe(struct mdev_device *mdev)
{
	struct umdev_mtty_state *state;
	int ret;

	state = vfio_alloc_device(umdev_mtty_state, vdev, &mdev->dev,
				  &umdev_mtty_dev_ops);
	if (IS_ERR(state))
		return PTR_ERR(state);
	ret = vfio_register_emulated_iommu_dev(&state->vdev);
	if (ret) {
		vfio_put_device(&state->vdev);
		return ret;
	}
	dev_set_drvdata(&mdev->dev, state);
	return 0;
}

static void umdev_mtty_remove(struct mdev_device *mdev)
{
	struct umdev_mtty_state *state = dev_get_drvdata(&mdev->dev);

	/* Blocks (calling .request) until every user fd is closed. */
	vfio_unregister_group_dev(&state->vdev);
	vfio_put_device(&state->vdev);
}

static unsigned int umdev_mtty_get_available(struct mdev_type *mtype)
{
	struct umdev_mtty_type *type =
		container_of(mtype, struct umdev_mtty_type, type);

	return atomic_read(&umdev_mtty_avail_ports) / type->nr_ports;
}

static ssize_t umdev_mtty_show_description(struct mdev_type *mtype, char *buf)
{
	struct umdev_mtty_type *type =
		container_of(mtype, struct umdev_mtty_type, type);

	return sysfs_emit(buf, "virtual 16550A serial, %u port%s\n",
			  type->nr_ports, type->nr_ports > 1 ? "s" : "");
}

static struct mdev_driver umdev_mtty_driver = {
	.device_api = VFIO_DEVICE_API_PCI_STRING,
	.driver = {
		.name = "umdev_mtty",
		.owner = THIS_MODULE,
		.mod_name = KBUILD_MODNAME,
	},
	.probe = umdev_mtty_probe,
	.remove = umdev_mtty_remove,
	.get_available = umdev_mtty_get_available,
	.show_description = umdev_mtty_show_description,
};

static int __init umdev_mtty_init(void)
{
	int ret;

	ret = mdev_register_driver(&umdev_mtty_driver);
	if (ret)
		return ret;
	ret = class_register(&umdev_mtty_class);
	if (ret)
		goto err_driver;
	/* A device named "mtty" gives /sys/class/mdev_bus/mtty. */
	umdev_mtty_parent_dev = device_create(&umdev_mtty_class, NULL, 0, NULL,
					      UMDEV_MTTY_NAME);
	if (IS_ERR(umdev_mtty_parent_dev)) {
		ret = PTR_ERR(umdev_mtty_parent_dev);
		goto err_class;
	}
	ret = mdev_register_parent(&umdev_mtty_parent, umdev_mtty_parent_dev,
				   &umdev_mtty_driver, umdev_mtty_type_list,
				   ARRAY_SIZE(umdev_mtty_type_list));
	if (ret)
		goto err_dev;
	pr_info("registered parent %s (%d ports)\n", UMDEV_MTTY_NAME,
		UMDEV_MTTY_TOTAL_PORTS);
	return 0;

err_dev:
	device_unregister(umdev_mtty_parent_dev);
err_class:
	class_unregister(&umdev_mtty_class);
err_driver:
	mdev_unregister_driver(&umdev_mtty_driver);
	return ret;
}

static void __exit umdev_mtty_exit(void)
{
	/* Removes every device first (each remove waits for its users). */
	mdev_unregister_parent(&umdev_mtty_parent);
	device_unregister(umdev_mtty_parent_dev);
	class_unregister(&umdev_mtty_class);
	mdev_unregister_driver(&umdev_mtty_driver);
	if (atomic_read(&umdev_mtty_avail_ports) != UMDEV_MTTY_TOTAL_PORTS)
		pr_warn("leak: %d ports still accounted at unload\n",
			UMDEV_MTTY_TOTAL_PORTS -
				atomic_read(&umdev_mtty_avail_ports));
	pr_info("unloaded\n");
}

module_init(umdev_mtty_init);
module_exit(umdev_mtty_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("umdev mtty: virtual 16550A serial mdev (umdev model)");
MODULE_AUTHOR("umdev project");
MODULE_VERSION("0.1.0");
