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

#include <stddef.h>
#include <stdint.h>
#include <linux/vfio.h>

#include <umdev/export.h>

#ifdef __cplusplus
extern "C" {
#endif

UMDEV_ABI_BEGIN

struct mdev_device;

/*
 * A driver hands this struct to the core inside its struct mdev_driver; the
 * core copies it (with the size the driver's header gave it) into a
 * full-size struct of its own, where every callback the driver's ABI minor
 * does not know is NULL.  Callbacks added in a minor release go at the end
 * and are optional (docs/driver-abi.md, "Growing the ABI").
 */
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

	/*
	 * Region access.  Return @count, or -EINVAL for a bad index/range;
	 * -EBUSY while migration stopped the device (STOP, STOP_COPY,
	 * RESUMING, ERROR), if the driver refuses access then.
	 */
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

	/*
	 * ---- Added in ABI 1.1: VFIO migration v2 (optional) ----
	 *
	 * The device side of <linux/vfio.h>'s migration state machine (enum
	 * vfio_device_mig_state), served by a transport as the vfio-user
	 * DEVICE_FEATURE / MIG_DATA_* commands.  Either all of get_flags,
	 * get_state, set_state, read_data and write_data are set, or none
	 * (mdev_register_parent() refuses a partial set with -EINVAL);
	 * precopy_info is needed when get_flags reports PRE_COPY.  A driver
	 * without them (every driver built for 1.0) has no migration:
	 * mdev_device_has_migration() is false and the transport says so.
	 * Every callback is called with the device open, never concurrently.
	 */
	/*
	 * The migration features: VFIO_MIGRATION_STOP_COPY, optionally with
	 * VFIO_MIGRATION_P2P and VFIO_MIGRATION_PRE_COPY.  Return 0.
	 */
	int (*migration_get_flags)(struct mdev_device *mdev, uint64_t *flags);
	/* The current state (a VFIO_DEVICE_STATE_* value).  Return 0. */
	int (*migration_get_state)(struct mdev_device *mdev, uint32_t *state);
	/*
	 * Take ONE arc of the state machine, from the current state straight
	 * to @new_state: the transport decomposes a combination request into
	 * single arcs (as the kernel's vfio_mig_get_next_state() does) and
	 * calls this once per arc.  Entering STOP_COPY or PRE_COPY(_P2P)
	 * starts a saving stream, entering RESUMING an empty loading stream;
	 * RESUMING -> STOP applies the stream loaded.
	 * Return: 0; -EINVAL if @new_state is not one arc away (the state is
	 * unchanged); -EINVAL also when RESUMING -> STOP finds the stream
	 * truncated, corrupt or of another device type; -ENOMEM, -EIO when
	 * the device failed.  After a failure other than "not one arc" the
	 * state is what get_state reports (VFIO_DEVICE_STATE_ERROR when the
	 * device cannot go on: only a reset leaves ERROR).
	 */
	int (*migration_set_state)(struct mdev_device *mdev,
				   uint32_t new_state);
	/*
	 * The next at most @len bytes of the saving stream, in STOP_COPY or
	 * PRE_COPY(_P2P).  Return: the byte count; 0 at the end of the
	 * stream (in PRE_COPY: nothing more to read until STOP_COPY);
	 * -EINVAL in any other state.
	 */
	long (*migration_read_data)(struct mdev_device *mdev, void *buf,
				    size_t len);
	/*
	 * Append @len bytes to the loading stream, in RESUMING.  Return: @len
	 * (or fewer: the caller sends the rest again); -EINVAL in any other
	 * state or when the bytes cannot be part of a valid stream (the
	 * device then stays in RESUMING until the next arc, which fails);
	 * -EFBIG past the largest stream the device accepts.
	 */
	long (*migration_write_data)(struct mdev_device *mdev, const void *buf,
				     size_t len);
	/*
	 * VFIO_MIG_GET_PRECOPY_INFO: bytes of the initial data and of the
	 * dirty data still to be read, in PRE_COPY(_P2P).  Return: 0;
	 * -EINVAL in any other state.
	 */
	int (*migration_precopy_info)(struct mdev_device *mdev,
				      uint64_t *initial_bytes,
				      uint64_t *dirty_bytes);
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
