// SPDX-License-Identifier: GPL-2.0-only
/*
 * libumdev's driver toolkit (<umdev/toolkit.h>): the freestanding rules of
 * vfio_irq_state.c and vfio_info.c with eventfd triggers, behind an opaque
 * handle so that the layout can change without breaking drivers.
 */
#include <errno.h>
#include <stdlib.h>

#include <umdev/toolkit.h>

#include "eventfd_trigger.h"
#include "vfio_info.h"
#include "vfio_irq_state.h"

struct umdev_irqs {
	struct vfio_irq_state state;
	struct vfio_irq_device_ops dev_ops; /* the driver's, copied */
};

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
