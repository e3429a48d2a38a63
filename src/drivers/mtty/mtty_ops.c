// SPDX-License-Identifier: GPL-2.0-only
/*
 * mtty driver: the struct umdev_device_ops a transport calls for each
 * device.  Region access and reset go to the device model; interrupts to
 * the toolkit's state in state->irqs (mtty_irq.c); migration to
 * mtty_migration.c.
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
	struct mdev_state *state = mdev_get_drvdata(mdev);

	umdev_irqs_release_all(state->irqs);
}

static int mtty_get_info(struct mdev_device *mdev,
			 struct vfio_device_info *info)
{
	umdev_pci_device_info(info);
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
	umdev_region_info_set(
		info, mtty_model_region_size(&state->model, info->index), 0);
	return 0;
}

static int mtty_get_irq_info(struct mdev_device *mdev,
			     struct vfio_irq_info *info)
{
	struct mdev_state *state = mdev_get_drvdata(mdev);

	return umdev_irqs_get_info(state->irqs, info);
}

static int mtty_set_irqs(struct mdev_device *mdev,
			 const struct vfio_irq_set *set, const void *data)
{
	struct mdev_state *state = mdev_get_drvdata(mdev);

	return umdev_irqs_set(state->irqs, set, data);
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

	umdev_irq_trigger(state->irqs, VFIO_PCI_REQ_IRQ_INDEX);
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
