/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * umdev/vfio_device.h - what a vendor driver implements for each device so
 * that a transport (the vfio-user server) can serve it.  The userspace
 * counterpart of the kernel's struct vfio_device_ops, in structured form
 * (no raw ioctls).  Every VFIO struct and constant is <linux/vfio.h>'s.
 *
 * All callbacks return 0 (or a byte count) on success and -errno on
 * failure; the transport puts that errno on the wire.
 */
#ifndef UMDEV_VFIO_DEVICE_H
#define UMDEV_VFIO_DEVICE_H

#include <stdint.h>
#include <linux/vfio.h>

#include <umdev/export.h>

#ifdef __cplusplus
extern "C" {
#endif

UMDEV_ABI_BEGIN

struct mdev_device;

struct umdev_device_ops {
	/* A client connected.  -EBUSY if the driver cannot serve one now. */
	int (*open)(struct mdev_device *mdev);
	/* The client went away: drop every IRQ trigger; device state stays. */
	void (*close)(struct mdev_device *mdev);

	/* Fill flags, num_regions, num_irqs (argsz is the transport's). */
	int (*get_info)(struct mdev_device *mdev,
			struct vfio_device_info *info);
	/* info->index is set by the caller; -EINVAL if out of range. */
	int (*get_region_info)(struct mdev_device *mdev,
			       struct vfio_region_info *info);
	/* info->index is set by the caller; -EINVAL if out of range. */
	int (*get_irq_info)(struct mdev_device *mdev,
			    struct vfio_irq_info *info);
	/*
	 * Called only after umdev_vfio_irq_set_validate() accepted @set.
	 * @data: NULL for DATA_NONE; uint8_t[count] for DATA_BOOL;
	 * int32_t[count] for DATA_EVENTFD (-1 removes a trigger).  On
	 * success the driver owns every fd >= 0 in @data (and closes the
	 * ones it replaces); on failure the caller still owns them.
	 */
	int (*set_irqs)(struct mdev_device *mdev,
			const struct vfio_irq_set *set, const void *data);

	/* Region access.  Return @count, or -EINVAL for a bad index/range. */
	long (*read)(struct mdev_device *mdev, uint32_t index, uint64_t offset,
		     void *buf, uint32_t count);
	long (*write)(struct mdev_device *mdev, uint32_t index, uint64_t offset,
		      const void *buf, uint32_t count);

	/* VFIO_DEVICE_RESET. */
	int (*reset)(struct mdev_device *mdev);

	/*
	 * The device is being removed while a client holds it: ask that
	 * client to let go (signal its REQ eventfd if it set one).  @count
	 * is how many times it has been asked.  Optional.
	 */
	void (*request)(struct mdev_device *mdev, unsigned int count);
};

/**
 * umdev_vfio_irq_set_validate() - check a VFIO_DEVICE_SET_IRQS header as the
 * kernel's vfio_set_irqs_validate_and_prepare() does.
 * @set:       the header (argsz covers header + data)
 * @num_irqs:  the count GET_IRQ_INFO reports for set->index
 * @max_irq_type: number of IRQ indices the device has (VFIO_PCI_NUM_IRQS)
 * @data_size: out: bytes of data that must follow the header
 * Return: 0, or -EINVAL (bad flags, index, start/count, or argsz too small).
 */
int umdev_vfio_irq_set_validate(const struct vfio_irq_set *set,
				uint32_t num_irqs, uint32_t max_irq_type,
				size_t *data_size);

UMDEV_ABI_END

#ifdef __cplusplus
}
#endif

#endif
