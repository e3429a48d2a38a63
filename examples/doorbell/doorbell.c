// SPDX-License-Identifier: GPL-2.0-only
/*
 * doorbell - a small out-of-tree umdev vendor driver: a virtual PCI device
 * with one MMIO BAR of registers (doorbell.h) and an MSI "doorbell"
 * interrupt.  It uses only the installed headers and libumdev's driver
 * ABI; umdevd loads it from its driver directory.  Config space, info,
 * SET_IRQS, triggers and the release request are libumdev's toolkit
 * (<umdev/toolkit.h>, umdev_pci_device_ops): this file is the doorbell's
 * registers.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linux/pci_regs.h>

#include <umdev/driver.h>
#include <umdev/mdev.h>
#include <umdev/toolkit.h>

#include "doorbell.h"

#define DOORBELL_MAX_DEVICES 4

struct doorbell_state {
	struct umdev_irqs *irqs; /* the toolkit's: MSI rings the doorbell */
	uint32_t scratch, status, last, count;
};

static const struct vfio_irq_info doorbell_irqs[VFIO_PCI_NUM_IRQS] = {
	[VFIO_PCI_MSI_IRQ_INDEX] = {
		.flags = VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE,
		.count = 1,
	},
	[VFIO_PCI_REQ_IRQ_INDEX] = { .flags = VFIO_IRQ_INFO_EVENTFD, .count = 1 },
};

static uint32_t doorbell_reg_read(struct doorbell_state *s, uint64_t reg)
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

static void doorbell_reg_write(struct doorbell_state *s, uint64_t reg,
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
		umdev_irq_trigger(s->irqs, VFIO_PCI_MSI_IRQ_INDEX);
		break;
	case DOORBELL_REG_STATUS:
		s->status &= ~val;
		break;
	default:
		break; /* read-only or unused: ignored, as hardware would */
	}
}

/* BAR0: aligned 32-bit accesses only, like the hardware it models. */
static long doorbell_bar_read(void *priv, uint32_t bar, uint64_t offset,
			      void *buf, uint32_t count)
{
	uint32_t val;

	if (count != 4 || offset % 4)
		return -EINVAL;
	val = doorbell_reg_read(priv, offset);
	memcpy(buf, &val, 4);
	return count;
}

static long doorbell_bar_write(void *priv, uint32_t bar, uint64_t offset,
			       const void *buf, uint32_t count)
{
	uint32_t val;

	if (count != 4 || offset % 4)
		return -EINVAL;
	memcpy(&val, buf, 4);
	doorbell_reg_write(priv, offset, val);
	return count;
}

static int doorbell_reset(void *priv)
{
	struct doorbell_state *s = priv;

	s->scratch = 0;
	s->status = 0;
	s->last = 0;
	s->count = 0;
	return 0;
}

static const struct umdev_pci_device_desc doorbell_desc = {
	.size = sizeof(struct umdev_pci_device_desc),
	.vendor_id = DOORBELL_VENDOR_ID,
	.device_id = DOORBELL_DEVICE_ID,
	.class_code = 0x058000, /* memory controller, "other" */
	.command_writable = PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER |
			    PCI_COMMAND_INTX_DISABLE,
	.bar_size = { DOORBELL_BAR0_SIZE },
	.irqs = doorbell_irqs,
	.bar_read = doorbell_bar_read,
	.bar_write = doorbell_bar_write,
	.reset = doorbell_reset,
};

static int doorbell_probe(struct mdev_device *mdev)
{
	struct doorbell_state *s = calloc(1, sizeof(*s));
	int ret;

	if (!s)
		return -ENOMEM;
	ret = umdev_pci_device_init(mdev, &doorbell_desc, s);
	if (ret) {
		free(s);
		return ret;
	}
	s->irqs = umdev_pci_device_irqs(mdev);
	return 0;
}

static void doorbell_remove(struct mdev_device *mdev)
{
	struct doorbell_state *s = umdev_pci_device_priv(mdev);

	umdev_pci_device_fini(mdev);
	free(s);
}

static const struct mdev_driver doorbell_driver = {
	.name = DOORBELL_PARENT,
	.device_ops = &umdev_pci_device_ops,
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
