// SPDX-License-Identifier: GPL-2.0-only
/*
 * doorbell - a small out-of-tree umdev vendor driver: a virtual PCI device
 * with one MMIO BAR of registers (doorbell.h) and an MSI "doorbell"
 * interrupt.  It uses only the installed headers and libumdev's driver
 * ABI; umdevd loads it from its driver directory.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/pci_regs.h>

#include <umdev/driver.h>
#include <umdev/mdev.h>
#include <umdev/vfio_device.h>

#include "doorbell.h"

#define DOORBELL_CONFIG_SIZE 256
#define DOORBELL_MAX_DEVICES 4

struct doorbell_state {
	uint8_t config[DOORBELL_CONFIG_SIZE];
	uint32_t bar0_addr; /* what the guest wrote to BAR0 */
	uint32_t scratch, status, last, count;
	int msi_fd; /* -1 when no trigger */
	int req_fd;
};

static void doorbell_signal(int fd)
{
	uint64_t one = 1;

	if (fd >= 0 && write(fd, &one, sizeof(one)) < 0) {
		/* EAGAIN: counter saturated, the client is woken anyway. */
	}
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v & 0xff;
	p[1] = v >> 8;
}

static void doorbell_reset_state(struct doorbell_state *s)
{
	memset(s->config, 0, sizeof(s->config));
	put16(s->config + 0x00, DOORBELL_VENDOR_ID);
	put16(s->config + 0x02, DOORBELL_DEVICE_ID);
	s->config[0x0b] = 0x05; /* class: memory controller, "other" */
	s->config[0x0a] = 0x80;
	s->bar0_addr = 0;
	s->scratch = 0;
	s->status = 0;
	s->last = 0;
	s->count = 0;
}

static int doorbell_probe(struct mdev_device *mdev)
{
	struct doorbell_state *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	s->msi_fd = -1;
	s->req_fd = -1;
	doorbell_reset_state(s);
	mdev_set_drvdata(mdev, s);
	return 0;
}

static void doorbell_close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static void doorbell_remove(struct mdev_device *mdev)
{
	struct doorbell_state *s = mdev_get_drvdata(mdev);

	doorbell_close_fd(&s->msi_fd);
	doorbell_close_fd(&s->req_fd);
	mdev_set_drvdata(mdev, NULL);
	free(s);
}

static int doorbell_open(struct mdev_device *mdev)
{
	return 0;
}

static void doorbell_close(struct mdev_device *mdev)
{
	struct doorbell_state *s = mdev_get_drvdata(mdev);

	doorbell_close_fd(&s->msi_fd);
	doorbell_close_fd(&s->req_fd);
}

static int doorbell_get_info(struct mdev_device *mdev,
			     struct vfio_device_info *info)
{
	info->flags = VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET;
	info->num_regions = VFIO_PCI_NUM_REGIONS;
	info->num_irqs = VFIO_PCI_NUM_IRQS;
	return 0;
}

static uint64_t doorbell_region_size(uint32_t index)
{
	if (index == VFIO_PCI_CONFIG_REGION_INDEX)
		return DOORBELL_CONFIG_SIZE;
	if (index == VFIO_PCI_BAR0_REGION_INDEX)
		return DOORBELL_BAR0_SIZE;
	return 0;
}

static int doorbell_get_region_info(struct mdev_device *mdev,
				    struct vfio_region_info *info)
{
	if (info->index >= VFIO_PCI_NUM_REGIONS)
		return -EINVAL;
	info->offset = 0;
	info->size = doorbell_region_size(info->index);
	info->flags = info->size ? VFIO_REGION_INFO_FLAG_READ |
					   VFIO_REGION_INFO_FLAG_WRITE :
				   0;
	return 0;
}

static int doorbell_get_irq_info(struct mdev_device *mdev,
				 struct vfio_irq_info *info)
{
	if (info->index >= VFIO_PCI_NUM_IRQS)
		return -EINVAL;
	info->flags = 0;
	info->count = 0;
	if (info->index == VFIO_PCI_MSI_IRQ_INDEX) {
		info->flags = VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE;
		info->count = 1;
	} else if (info->index == VFIO_PCI_REQ_IRQ_INDEX) {
		info->flags = VFIO_IRQ_INFO_EVENTFD;
		info->count = 1;
	}
	return 0;
}

/* Only ACTION_TRIGGER on MSI and REQ; the transport validated @set. */
static int doorbell_set_irqs(struct mdev_device *mdev,
			     const struct vfio_irq_set *set, const void *data)
{
	struct doorbell_state *s = mdev_get_drvdata(mdev);
	uint32_t type = set->flags & VFIO_IRQ_SET_DATA_TYPE_MASK;
	int *slot;
	int32_t fd;

	if (set->index == VFIO_PCI_MSI_IRQ_INDEX)
		slot = &s->msi_fd;
	else if (set->index == VFIO_PCI_REQ_IRQ_INDEX)
		slot = &s->req_fd;
	else
		return -EINVAL;
	if (!(set->flags & VFIO_IRQ_SET_ACTION_TRIGGER))
		return -EINVAL;
	if (set->count == 0) {
		if (type != VFIO_IRQ_SET_DATA_NONE)
			return -EINVAL;
		doorbell_close_fd(slot);
		return 0;
	}
	switch (type) {
	case VFIO_IRQ_SET_DATA_NONE:
		doorbell_signal(*slot);
		return 0;
	case VFIO_IRQ_SET_DATA_BOOL:
		if (((const uint8_t *)data)[0])
			doorbell_signal(*slot);
		return 0;
	case VFIO_IRQ_SET_DATA_EVENTFD:
		memcpy(&fd, data, sizeof(fd));
		if (fd < -1)
			return -EINVAL;
		if (*slot >= 0 && *slot != fd)
			close(*slot);
		*slot = fd;
		return 0;
	default:
		return -EINVAL;
	}
}

static uint32_t doorbell_bar0_read(struct doorbell_state *s, uint64_t reg)
{
	switch (reg) {
	case DOORBELL_REG_ID:
		return DOORBELL_ID;
	case DOORBELL_REG_SCRATCH:
		return s->scratch;
	case DOORBELL_REG_STATUS:
		return s->status;
	case DOORBELL_REG_LAST:
		return s->last;
	case DOORBELL_REG_COUNT:
		return s->count;
	default:
		return 0; /* DOORBELL is write-only; the rest reads 0 */
	}
}

static void doorbell_bar0_write(struct doorbell_state *s, uint64_t reg,
				uint32_t val)
{
	switch (reg) {
	case DOORBELL_REG_SCRATCH:
		s->scratch = val;
		break;
	case DOORBELL_REG_DOORBELL:
		s->last = val;
		s->count++;
		s->status |= DOORBELL_STATUS_RUNG;
		doorbell_signal(s->msi_fd);
		break;
	case DOORBELL_REG_STATUS:
		s->status &= ~val;
		break;
	default:
		break; /* read-only or unused: ignored, as hardware would */
	}
}

/* Config space: BAR0 sizing and the command register are writable. */
static void doorbell_config_write(struct doorbell_state *s, uint64_t off,
				  const uint8_t *buf, uint32_t count)
{
	uint32_t val = 0;

	if (off == PCI_BASE_ADDRESS_0 && count == 4) {
		memcpy(&val, buf, 4);
		s->bar0_addr = val & ~(uint32_t)(DOORBELL_BAR0_SIZE - 1);
		memcpy(s->config + off, &s->bar0_addr, 4);
	} else if (off == PCI_COMMAND && count <= 2) {
		memcpy(s->config + off, buf, count);
	}
}

static bool doorbell_range_ok(uint32_t index, uint64_t offset, uint32_t count)
{
	uint64_t size = doorbell_region_size(index);

	return size && count && offset < size && count <= size - offset;
}

static long doorbell_read(struct mdev_device *mdev, uint32_t index,
			  uint64_t offset, void *buf, uint32_t count)
{
	struct doorbell_state *s = mdev_get_drvdata(mdev);
	uint32_t val;

	if (!doorbell_range_ok(index, offset, count))
		return -EINVAL;
	if (index == VFIO_PCI_CONFIG_REGION_INDEX) {
		memcpy(buf, s->config + offset, count);
		return count;
	}
	/* BAR0: aligned 32-bit accesses only, like the hardware it models. */
	if (count != 4 || offset % 4)
		return -EINVAL;
	val = doorbell_bar0_read(s, offset);
	memcpy(buf, &val, 4);
	return count;
}

static long doorbell_write(struct mdev_device *mdev, uint32_t index,
			   uint64_t offset, const void *buf, uint32_t count)
{
	struct doorbell_state *s = mdev_get_drvdata(mdev);
	uint32_t val;

	if (!doorbell_range_ok(index, offset, count))
		return -EINVAL;
	if (index == VFIO_PCI_CONFIG_REGION_INDEX) {
		doorbell_config_write(s, offset, buf, count);
		return count;
	}
	if (count != 4 || offset % 4)
		return -EINVAL;
	memcpy(&val, buf, 4);
	doorbell_bar0_write(s, offset, val);
	return count;
}

static int doorbell_reset(struct mdev_device *mdev)
{
	doorbell_reset_state(mdev_get_drvdata(mdev));
	return 0;
}

static void doorbell_request(struct mdev_device *mdev, unsigned int count)
{
	struct doorbell_state *s = mdev_get_drvdata(mdev);

	doorbell_signal(s->req_fd);
}

static const struct umdev_device_ops doorbell_ops = {
	.open = doorbell_open,
	.close = doorbell_close,
	.get_info = doorbell_get_info,
	.get_region_info = doorbell_get_region_info,
	.get_irq_info = doorbell_get_irq_info,
	.set_irqs = doorbell_set_irqs,
	.read = doorbell_read,
	.write = doorbell_write,
	.reset = doorbell_reset,
	.request = doorbell_request,
};

static const struct mdev_driver doorbell_driver = {
	.name = DOORBELL_PARENT,
	.device_ops = &doorbell_ops,
	.probe = doorbell_probe,
	.remove = doorbell_remove,
};

static const struct mdev_type_desc doorbell_types[] = {
	{
		.name = "1",
		.pretty_name = "Doorbell device",
		.description = "one MMIO BAR of registers, one MSI doorbell",
		.device_api = "vfio-pci",
		.max_instances = DOORBELL_MAX_DEVICES,
	},
};

static int doorbell_init(struct mdev_core *core, void **priv)
{
	return mdev_register_parent(core, DOORBELL_PARENT, &doorbell_driver,
				    doorbell_types, 1, NULL, NULL);
}

static void doorbell_exit(struct mdev_core *core, void *priv)
{
	struct mdev_parent *parent =
		mdev_core_find_parent(core, DOORBELL_PARENT);

	if (parent)
		mdev_unregister_parent(parent);
}

UMDEV_DRIVER_DEFINE(DOORBELL_PARENT, doorbell_init, doorbell_exit);
