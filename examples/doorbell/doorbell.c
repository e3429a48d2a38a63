// SPDX-License-Identifier: GPL-2.0-only
/*
 * doorbell - a small out-of-tree umdev vendor driver: a virtual PCI device
 * with one MMIO BAR of registers (doorbell.h) and an MSI "doorbell"
 * interrupt.  It uses only the installed headers and libumdev's driver
 * ABI; umdevd loads it from its driver directory.  Interrupt triggers,
 * SET_IRQS and config space come from libumdev's toolkit
 * (<umdev/toolkit.h>): this file is the doorbell's own logic.
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

#define DOORBELL_CONFIG_SIZE 256
#define DOORBELL_MAX_DEVICES 4
#define DOORBELL_CLASS 0x058000 /* memory controller, "other" */

struct doorbell_state {
	struct umdev_pci_config *config;
	struct umdev_irqs *irqs; /* MSI (the doorbell) and REQ */
	uint32_t scratch, status, last, count;
};

static const struct vfio_irq_info doorbell_irqs[VFIO_PCI_NUM_IRQS] = {
	[VFIO_PCI_MSI_IRQ_INDEX] = {
		.flags = VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE,
		.count = 1,
	},
	[VFIO_PCI_REQ_IRQ_INDEX] = { .flags = VFIO_IRQ_INFO_EVENTFD, .count = 1 },
};

static struct umdev_pci_config *doorbell_config_new(void)
{
	struct umdev_pci_config *cfg = umdev_pci_config_new(
		DOORBELL_VENDOR_ID, DOORBELL_DEVICE_ID, DOORBELL_CLASS, 0);

	if (cfg &&
	    (umdev_pci_config_set_bar(cfg, 0, DOORBELL_BAR0_SIZE, false) ||
	     umdev_pci_config_set(cfg, PCI_COMMAND, 2, 0,
				  PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER |
					  PCI_COMMAND_INTX_DISABLE))) {
		umdev_pci_config_free(cfg);
		return NULL;
	}
	return cfg;
}

static void doorbell_free(struct doorbell_state *s)
{
	umdev_irqs_free(s->irqs);
	umdev_pci_config_free(s->config);
	free(s);
}

static int doorbell_probe(struct mdev_device *mdev)
{
	struct doorbell_state *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	s->config = doorbell_config_new();
	s->irqs = umdev_irqs_new(doorbell_irqs, VFIO_PCI_NUM_IRQS, NULL, NULL);
	if (!s->config || !s->irqs) {
		doorbell_free(s);
		return -ENOMEM;
	}
	mdev_set_drvdata(mdev, s);
	return 0;
}

static void doorbell_remove(struct mdev_device *mdev)
{
	doorbell_free(mdev_get_drvdata(mdev));
	mdev_set_drvdata(mdev, NULL);
}

static int doorbell_open(struct mdev_device *mdev)
{
	return 0;
}

static void doorbell_close(struct mdev_device *mdev)
{
	struct doorbell_state *s = mdev_get_drvdata(mdev);

	umdev_irqs_release_all(s->irqs);
}

static int doorbell_get_info(struct mdev_device *mdev,
			     struct vfio_device_info *info)
{
	umdev_pci_device_info(info);
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
	umdev_region_info_set(info, doorbell_region_size(info->index), 0);
	return 0;
}

static int doorbell_get_irq_info(struct mdev_device *mdev,
				 struct vfio_irq_info *info)
{
	struct doorbell_state *s = mdev_get_drvdata(mdev);

	return umdev_irqs_get_info(s->irqs, info);
}

static int doorbell_set_irqs(struct mdev_device *mdev,
			     const struct vfio_irq_set *set, const void *data)
{
	struct doorbell_state *s = mdev_get_drvdata(mdev);

	return umdev_irqs_set(s->irqs, set, data);
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
static bool doorbell_bar0_access_ok(uint64_t offset, uint32_t count)
{
	return count == 4 && offset % 4 == 0 && offset < DOORBELL_BAR0_SIZE;
}

static long doorbell_read(struct mdev_device *mdev, uint32_t index,
			  uint64_t offset, void *buf, uint32_t count)
{
	struct doorbell_state *s = mdev_get_drvdata(mdev);
	uint32_t val;

	if (index == VFIO_PCI_CONFIG_REGION_INDEX)
		return umdev_pci_config_read(s->config, offset, buf, count);
	if (index != VFIO_PCI_BAR0_REGION_INDEX ||
	    !doorbell_bar0_access_ok(offset, count))
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

	if (index == VFIO_PCI_CONFIG_REGION_INDEX)
		return umdev_pci_config_write(s->config, offset, buf, count);
	if (index != VFIO_PCI_BAR0_REGION_INDEX ||
	    !doorbell_bar0_access_ok(offset, count))
		return -EINVAL;
	memcpy(&val, buf, 4);
	doorbell_bar0_write(s, offset, val);
	return count;
}

static int doorbell_reset(struct mdev_device *mdev)
{
	struct doorbell_state *s = mdev_get_drvdata(mdev);

	umdev_pci_config_reset(s->config);
	s->scratch = 0;
	s->status = 0;
	s->last = 0;
	s->count = 0;
	return 0;
}

/* Removal is waiting for the client: ring its REQ eventfd, if any. */
static void doorbell_request(struct mdev_device *mdev, unsigned int count)
{
	struct doorbell_state *s = mdev_get_drvdata(mdev);

	umdev_irq_trigger(s->irqs, VFIO_PCI_REQ_IRQ_INDEX);
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
