// SPDX-License-Identifier: GPL-2.0-only
/*
 * mtty driver: the struct umdev_device_ops a transport calls for each
 * device.  Region access and reset go to the device model; interrupts are
 * in mtty_irq.c, migration in mtty_migration.c.
 */
#include <errno.h>

#include "mtty_state.h"

static int mtty_open(struct mdev_device *mdev)
{
	return 0;
}

/* The client is gone: its eventfds go with it, the device state stays. */
static void mtty_close(struct mdev_device *mdev)
{
	mtty_irq_drop_all(mdev_get_drvdata(mdev));
}

static int mtty_get_info(struct mdev_device *mdev,
			 struct vfio_device_info *info)
{
	info->flags = VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET;
	info->num_regions = VFIO_PCI_NUM_REGIONS;
	info->num_irqs = VFIO_PCI_NUM_IRQS;
	return 0;
}

/*
 * Region offsets: in vfio-user a region is addressed by its index and the
 * offset field only places an mmap()able region in the file descriptor
 * the server sends.  mtty has nothing to map, so every offset is 0.
 */
static int mtty_get_region_info(struct mdev_device *mdev,
				struct vfio_region_info *info)
{
	struct mdev_state *state = mdev_get_drvdata(mdev);

	if (info->index >= VFIO_PCI_NUM_REGIONS)
		return -EINVAL;
	info->size = mtty_model_region_size(&state->model, info->index);
	info->flags = info->size ? VFIO_REGION_INFO_FLAG_READ |
					   VFIO_REGION_INFO_FLAG_WRITE :
				   0;
	info->offset = 0;
	info->cap_offset = 0;
	return 0;
}

static long mtty_read(struct mdev_device *mdev, uint32_t index, uint64_t offset,
		      void *buf, uint32_t count)
{
	struct mdev_state *state = mdev_get_drvdata(mdev);
	int ret = mtty_mig_check_access(state, index, false);

	if (ret)
		return ret; /* stopped for migration */
	/* The model refuses an index it has no region for (-EINVAL). */
	return mtty_model_read(&state->model, index, offset, buf, count);
}

static long mtty_write(struct mdev_device *mdev, uint32_t index,
		       uint64_t offset, const void *buf, uint32_t count)
{
	struct mdev_state *state = mdev_get_drvdata(mdev);
	int ret = mtty_mig_check_access(state, index, true);

	if (ret)
		return ret; /* stopped for migration */
	/* The model refuses an index it has no region for (-EINVAL). */
	return mtty_model_write(&state->model, index, offset, buf, count);
}

static int mtty_reset(struct mdev_device *mdev)
{
	struct mdev_state *state = mdev_get_drvdata(mdev);

	mtty_mig_reset(state);
	mtty_model_reset(&state->model);
	return 0;
}

/* Removal is waiting for the client: ring its REQ eventfd, if any. */
static void mtty_request(struct mdev_device *mdev, unsigned int count)
{
	struct mdev_state *state = mdev_get_drvdata(mdev);

	mtty_signal_eventfd(state->req_fd);
}

const struct umdev_device_ops mtty_device_ops = {
	.open = mtty_open,
	.close = mtty_close,
	.get_info = mtty_get_info,
	.get_region_info = mtty_get_region_info,
	.get_irq_info = mtty_get_irq_info,
	.set_irqs = mtty_set_irqs,
	.read = mtty_read,
	.write = mtty_write,
	.reset = mtty_reset,
	.request = mtty_request,
	.migration_get_flags = mtty_mig_get_flags,
	.migration_get_state = mtty_mig_get_state,
	.migration_set_state = mtty_mig_set_state,
	.migration_read_data = mtty_mig_read_data,
	.migration_write_data = mtty_mig_write_data,
	.migration_precopy_info = mtty_mig_precopy_info,
};
