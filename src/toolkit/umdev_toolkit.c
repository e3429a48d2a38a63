// SPDX-License-Identifier: GPL-2.0-only
/*
 * libumdev's driver toolkit (<umdev/toolkit.h>): the freestanding rules of
 * vfio_irq_state.c, vfio_info.c and pci_config_space.c, with eventfd
 * triggers, behind opaque handles so that layouts can change without
 * breaking drivers.
 */
#include <errno.h>
#include <stdlib.h>

#include <umdev/toolkit.h>

#include "eventfd_trigger.h"
#include "pci_config_space.h"
#include "umdev_toolkit_internal.h"
#include "vfio_info.h"

struct umdev_irqs {
	struct vfio_irq_state state;
	struct vfio_irq_device_ops dev_ops; /* the driver's, copied */
};

const struct vfio_irq_state *umdev_irqs_state(const struct umdev_irqs *irqs)
{
	return &irqs->state;
}

/* The driver's ops as far as its @size covers them; the rest absent. */
#define UMDEV_IRQ_OPS_HAS(ops, member)                           \
	((ops)->size >= offsetof(struct umdev_irq_ops, member) + \
				sizeof((ops)->member) &&         \
	 (ops)->member)

static int umdev_irqs_copy_ops(struct vfio_irq_device_ops *to,
			       const struct umdev_irq_ops *ops)
{
	if (!ops)
		return 0;
	if (ops->size < offsetof(struct umdev_irq_ops, enable))
		return -EINVAL;
	if (UMDEV_IRQ_OPS_HAS(ops, enable))
		to->enable = ops->enable;
	if (UMDEV_IRQ_OPS_HAS(ops, disable))
		to->disable = ops->disable;
	if (UMDEV_IRQ_OPS_HAS(ops, mask))
		to->mask = ops->mask;
	if (UMDEV_IRQ_OPS_HAS(ops, unmask))
		to->unmask = ops->unmask;
	return 0;
}

struct umdev_irqs *umdev_irqs_new(const struct vfio_irq_info *info,
				  unsigned int nr_indices,
				  const struct umdev_irq_ops *ops, void *dev)
{
	struct umdev_irqs *irqs;
	int ret;

	irqs = calloc(1, sizeof(*irqs));
	if (!irqs) {
		errno = ENOMEM;
		return NULL;
	}
	ret = umdev_irqs_copy_ops(&irqs->dev_ops, ops);
	if (!ret)
		ret = vfio_irq_state_init(&irqs->state, info, nr_indices,
					  &eventfd_trigger_ops, NULL,
					  &irqs->dev_ops, dev);
	if (ret) {
		free(irqs);
		errno = -ret;
		return NULL;
	}
	return irqs;
}

void umdev_irqs_free(struct umdev_irqs *irqs)
{
	if (!irqs)
		return;
	vfio_irq_state_release_all(&irqs->state);
	free(irqs);
}

int umdev_irqs_get_info(const struct umdev_irqs *irqs,
			struct vfio_irq_info *info)
{
	return vfio_irq_state_get_info(&irqs->state, info);
}

int umdev_irqs_set(struct umdev_irqs *irqs, const struct vfio_irq_set *set,
		   const void *data)
{
	return vfio_irq_state_set(&irqs->state, set, data);
}

void umdev_irq_trigger(struct umdev_irqs *irqs, uint32_t index)
{
	vfio_irq_state_signal(&irqs->state, index);
}

void umdev_irqs_release_all(struct umdev_irqs *irqs)
{
	vfio_irq_state_release_all(&irqs->state);
}

void umdev_pci_device_info(struct vfio_device_info *info)
{
	vfio_info_pci_device(info);
}

void umdev_region_info_set(struct vfio_region_info *info, uint64_t size,
			   uint64_t offset)
{
	vfio_info_region(info, size, offset);
}

struct umdev_pci_config {
	struct pci_config now;
	struct pci_config power_on;
};

struct umdev_pci_config *umdev_pci_config_new(uint16_t vendor, uint16_t device,
					      uint32_t class_code,
					      uint8_t revision)
{
	struct umdev_pci_config *cfg = malloc(sizeof(*cfg));

	if (!cfg) {
		errno = ENOMEM;
		return NULL;
	}
	pci_config_space_init(&cfg->power_on, vendor, device, class_code,
			      revision);
	cfg->now = cfg->power_on;
	return cfg;
}

void umdev_pci_config_free(struct umdev_pci_config *cfg)
{
	free(cfg);
}

/* Setting describes the power-on state; the current one follows it. */
int umdev_pci_config_set(struct umdev_pci_config *cfg, unsigned int offset,
			 unsigned int width, uint32_t value, uint32_t writable)
{
	int ret = pci_config_space_set(&cfg->power_on, offset, width, value,
				       writable);

	if (!ret)
		cfg->now = cfg->power_on;
	return ret;
}

int umdev_pci_config_set_bar(struct umdev_pci_config *cfg, unsigned int bar,
			     uint32_t size, bool io)
{
	int ret = pci_config_space_set_bar(&cfg->power_on, bar, size, io);

	if (!ret)
		cfg->now = cfg->power_on;
	return ret;
}

long umdev_pci_config_read(const struct umdev_pci_config *cfg, uint64_t offset,
			   void *buf, uint32_t count)
{
	if (offset >= PCI_CONFIG_SIZE)
		return -EINVAL;
	return pci_config_read(&cfg->now, (unsigned int)offset, buf, count);
}

long umdev_pci_config_write(struct umdev_pci_config *cfg, uint64_t offset,
			    const void *buf, uint32_t count)
{
	if (offset >= PCI_CONFIG_SIZE)
		return -EINVAL;
	return pci_config_write(&cfg->now, (unsigned int)offset, buf, count);
}

void umdev_pci_config_reset(struct umdev_pci_config *cfg)
{
	cfg->now = cfg->power_on;
}
