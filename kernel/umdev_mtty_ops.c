// SPDX-License-Identifier: GPL-2.0-only
/*
 * umdev_mtty VFIO device ops: what the VFIO core calls for an open device
 * fd.  Region accesses go to the model under state->lock; interrupts and
 * migration live in their own files.
 */
#include <linux/kernel.h>
#include <linux/mdev.h>
#include <linux/mutex.h>
#include <linux/uaccess.h>
#include <linux/version.h>
#include <linux/vfio.h>

#include "toolkit/vfio_info.h"
#include "umdev_mtty.h"

/* Region index in the top bits of the file offset, as vfio-pci does. */
#define UMDEV_MTTY_OFFSET_SHIFT 40
#define UMDEV_MTTY_OFFSET_MASK ((1ULL << UMDEV_MTTY_OFFSET_SHIFT) - 1)
#define UMDEV_MTTY_INDEX_TO_OFFSET(i) ((u64)(i) << UMDEV_MTTY_OFFSET_SHIFT)

static int umdev_mtty_open_device(struct vfio_device *vdev)
{
	struct umdev_mtty_state *state = umdev_mtty_vdev_to_state(vdev);

	mutex_lock(&state->lock);
	state->mig_state = VFIO_DEVICE_STATE_RUNNING;
	mutex_unlock(&state->lock);
	return 0;
}

/* Last fd closed: drop every trigger and timer the user left behind. */
static void umdev_mtty_close_device(struct vfio_device *vdev)
{
	struct umdev_mtty_state *state = umdev_mtty_vdev_to_state(vdev);

	mutex_lock(&state->lock);
	umdev_mtty_irq_close(state);
	umdev_mtty_mig_reset(state);
	mutex_unlock(&state->lock);
	umdev_mtty_cancel_timers(state);
}

static int umdev_mtty_decode_pos(struct umdev_mtty_state *state, loff_t pos,
				 size_t count, unsigned int *index, u64 *offset)
{
	u64 size;

	*index = (u64)pos >> UMDEV_MTTY_OFFSET_SHIFT;
	*offset = (u64)pos & UMDEV_MTTY_OFFSET_MASK;
	if (*index >= VFIO_PCI_NUM_REGIONS)
		return -EINVAL;
	size = mtty_model_region_size(&state->model, *index);
	if (!count || *offset >= size || count > size - *offset)
		return -EINVAL;
	return 0;
}

static ssize_t umdev_mtty_read(struct vfio_device *vdev, char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	struct umdev_mtty_state *state = umdev_mtty_vdev_to_state(vdev);
	u8 buf[PCI_CONFIG_SIZE];
	unsigned int index;
	u64 offset;
	int ret;

	ret = umdev_mtty_decode_pos(state, *ppos, count, &index, &offset);
	if (ret)
		return ret;
	/* decode_pos bounded count by the region size (<= 256). */
	mutex_lock(&state->lock);
	ret = mtty_model_read(&state->model, index, offset, buf, count);
	mutex_unlock(&state->lock);
	if (ret < 0)
		return ret;
	if (copy_to_user(ubuf, buf, count))
		return -EFAULT;
	*ppos += count;
	return count;
}

static ssize_t umdev_mtty_write(struct vfio_device *vdev,
				const char __user *ubuf, size_t count,
				loff_t *ppos)
{
	struct umdev_mtty_state *state = umdev_mtty_vdev_to_state(vdev);
	u8 buf[PCI_CONFIG_SIZE];
	unsigned int index;
	u64 offset;
	int ret;

	ret = umdev_mtty_decode_pos(state, *ppos, count, &index, &offset);
	if (ret)
		return ret;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	mutex_lock(&state->lock);
	ret = mtty_model_write(&state->model, index, offset, buf, count);
	mutex_unlock(&state->lock);
	if (ret < 0)
		return ret;
	*ppos += count;
	return count;
}

static int umdev_mtty_region_info(struct umdev_mtty_state *state,
				  struct vfio_region_info *info)
{
	if (info->index >= VFIO_PCI_NUM_REGIONS)
		return -EINVAL;
	vfio_info_region(info,
			 mtty_model_region_size(&state->model, info->index),
			 UMDEV_MTTY_INDEX_TO_OFFSET(info->index));
	return 0;
}

/*
 * VFIO_DEVICE_GET_{,REGION_,IRQ_}INFO share one shape: read the fixed head
 * of the user's struct, check its argsz covers that head, fill it in and
 * write the head back.  No capability chains, so nothing past it is used.
 */
static long umdev_mtty_ioctl_get_info(struct umdev_mtty_state *state,
				      unsigned int cmd, unsigned long arg)
{
	union {
		u32 argsz; /* the first member of all three */
		struct vfio_device_info dev;
		struct vfio_region_info region;
		struct vfio_irq_info irq;
	} info;
	unsigned long minsz;
	int ret = 0;

	if (cmd == VFIO_DEVICE_GET_INFO)
		minsz = offsetofend(struct vfio_device_info, num_irqs);
	else if (cmd == VFIO_DEVICE_GET_REGION_INFO)
		minsz = offsetofend(struct vfio_region_info, offset);
	else
		minsz = offsetofend(struct vfio_irq_info, count);
	if (copy_from_user(&info, (void __user *)arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;
	if (cmd == VFIO_DEVICE_GET_INFO)
		vfio_info_pci_device(&info.dev);
	else if (cmd == VFIO_DEVICE_GET_REGION_INFO)
		ret = umdev_mtty_region_info(state, &info.region);
	else
		ret = vfio_irq_state_get_info(&state->irqs, &info.irq);
	if (ret)
		return ret;
	return copy_to_user((void __user *)arg, &info, minsz) ? -EFAULT : 0;
}

static long umdev_mtty_ioctl(struct vfio_device *vdev, unsigned int cmd,
			     unsigned long arg)
{
	struct umdev_mtty_state *state = umdev_mtty_vdev_to_state(vdev);

	switch (cmd) {
	case VFIO_DEVICE_GET_INFO:
	case VFIO_DEVICE_GET_REGION_INFO:
	case VFIO_DEVICE_GET_IRQ_INFO:
		return umdev_mtty_ioctl_get_info(state, cmd, arg);
	case VFIO_DEVICE_SET_IRQS:
		return umdev_mtty_ioctl_set_irqs(state, arg);
	case VFIO_DEVICE_RESET:
		mutex_lock(&state->lock);
		mtty_model_reset(&state->model);
		/* Reset also ends any migration in progress (and ERROR). */
		umdev_mtty_mig_reset(state);
		mutex_unlock(&state->lock);
		return 0;
	}
	return -ENOTTY;
}

/* The core wants the device back (removal): ask the user to let go. */
static void umdev_mtty_request(struct vfio_device *vdev, unsigned int count)
{
	struct umdev_mtty_state *state = umdev_mtty_vdev_to_state(vdev);

	mutex_lock(&state->lock);
	if (vfio_irq_state_has_trigger(&state->irqs, VFIO_PCI_REQ_IRQ_INDEX)) {
		if (!(count % 10))
			dev_notice_ratelimited(
				mdev_dev(state->mdev),
				"relaying device request to user (#%u)\n",
				count);
		vfio_irq_state_signal(&state->irqs, VFIO_PCI_REQ_IRQ_INDEX);
	} else if (count == 0) {
		dev_notice(
			mdev_dev(state->mdev),
			"no device request channel registered, blocked until released by user\n");
	}
	mutex_unlock(&state->lock);
}

/* init/release are the capacity accounting in umdev_mtty_main.c. */
const struct vfio_device_ops umdev_mtty_dev_ops = {
	.name = "vfio-umdev-mtty",
	.init = umdev_mtty_init_dev,
	.release = umdev_mtty_release_dev,
	.open_device = umdev_mtty_open_device,
	.close_device = umdev_mtty_close_device,
	.read = umdev_mtty_read,
	.write = umdev_mtty_write,
	.ioctl = umdev_mtty_ioctl,
	.request = umdev_mtty_request,
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
	.bind_iommufd = vfio_iommufd_emulated_bind,
	.unbind_iommufd = vfio_iommufd_emulated_unbind,
	.attach_ioas = vfio_iommufd_emulated_attach_ioas,
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
	.detach_ioas = vfio_iommufd_emulated_detach_ioas,
#endif
};
