// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio_irq_state - SET_IRQS and GET_IRQ_INFO for any device: the rules
 * vfio-pci applies to INTx, MSI and REQ (drivers/vfio/pci/vfio_pci_intrs.c),
 * with the triggers behind the host's ops and the meaning of enable /
 * disable / mask / unmask behind the device's.
 */
#include "vfio_irq_state.h"

int vfio_irq_state_init(struct vfio_irq_state *irqs,
			const struct vfio_irq_info *info,
			unsigned int nr_indices,
			const struct vfio_irq_host_ops *host_ops, void *host,
			const struct vfio_irq_device_ops *dev_ops, void *dev)
{
	unsigned int i;

	if (!irqs || !info || nr_indices > VFIO_IRQ_STATE_MAX_INDICES ||
	    !host_ops || !host_ops->take || !host_ops->give_back ||
	    !host_ops->release || !host_ops->signal)
		return -EINVAL;
	for (i = 0; i < nr_indices; i++)
		if (info[i].count > 1)
			return -EINVAL;
	memset(irqs, 0, sizeof(*irqs));
	for (i = 0; i < nr_indices; i++) {
		irqs->info[i].argsz = sizeof(irqs->info[i]);
		irqs->info[i].index = i;
		irqs->info[i].count = info[i].count;
		irqs->info[i].flags = info[i].flags;
	}
	irqs->nr_indices = nr_indices;
	irqs->host_ops = host_ops;
	irqs->host = host;
	irqs->dev_ops = dev_ops;
	irqs->dev = dev;
	return 0;
}

/* The index exists and has its one vector. */
static bool vfio_irq_state_has_vector(const struct vfio_irq_state *irqs,
				      uint32_t index)
{
	return index < irqs->nr_indices && irqs->info[index].count;
}

int vfio_irq_state_get_info(const struct vfio_irq_state *irqs,
			    struct vfio_irq_info *info)
{
	if (info->index >= irqs->nr_indices)
		return -EINVAL;
	info->count = irqs->info[info->index].count;
	info->flags = irqs->info[info->index].flags;
	return 0;
}

/* Remove @index's trigger, if any, after telling the device. */
static void vfio_irq_state_disable(struct vfio_irq_state *irqs, uint32_t index)
{
	void *trigger = irqs->trigger[index];

	if (!trigger)
		return;
	if (irqs->dev_ops && irqs->dev_ops->disable)
		irqs->dev_ops->disable(irqs->dev, index);
	irqs->trigger[index] = NULL;
	irqs->host_ops->release(irqs->host, trigger);
}

/* Install @fd as @index's trigger; on any failure keep the old one. */
static int vfio_irq_state_install(struct vfio_irq_state *irqs, uint32_t index,
				  int32_t fd)
{
	void *old = irqs->trigger[index], *trigger;
	int ret;

	ret = irqs->host_ops->take(irqs->host, fd, &trigger);
	if (ret)
		return ret;
	if (trigger == old) {
		irqs->host_ops->give_back(irqs->host, trigger);
		return 0;
	}
	/* Installed before the device enables: enabling may deliver. */
	irqs->trigger[index] = trigger;
	if (irqs->dev_ops && irqs->dev_ops->enable) {
		ret = irqs->dev_ops->enable(irqs->dev, index);
		if (ret) {
			irqs->trigger[index] = old;
			irqs->host_ops->give_back(irqs->host, trigger);
			return ret;
		}
	}
	if (old)
		irqs->host_ops->release(irqs->host, old);
	return 0;
}

static int vfio_irq_state_set_trigger(struct vfio_irq_state *irqs,
				      const struct vfio_irq_set *set,
				      const void *data)
{
	uint32_t data_type = set->flags & VFIO_IRQ_SET_DATA_TYPE_MASK;
	int32_t fd;

	if (set->count == 0) {
		/* count 0 + DATA_NONE: disable the index. */
		if (data_type != VFIO_IRQ_SET_DATA_NONE)
			return -EINVAL;
		vfio_irq_state_disable(irqs, set->index);
		return 0;
	}
	switch (data_type) {
	case VFIO_IRQ_SET_DATA_BOOL:
		if (!((const uint8_t *)data)[0])
			return 0;
		fallthrough;
	case VFIO_IRQ_SET_DATA_NONE:
		/* A test interrupt, as vfio-pci does for loopback checks. */
		vfio_irq_state_signal(irqs, set->index);
		return 0;
	case VFIO_IRQ_SET_DATA_EVENTFD:
		memcpy(&fd, data, sizeof(fd));
		if (fd == -1) {
			vfio_irq_state_disable(irqs, set->index);
			return 0;
		}
		if (fd < 0)
			return -EINVAL;
		return vfio_irq_state_install(irqs, set->index, fd);
	default:
		return -EINVAL;
	}
}

static int vfio_irq_state_set_mask(struct vfio_irq_state *irqs,
				   const struct vfio_irq_set *set,
				   const void *data)
{
	const struct vfio_irq_device_ops *ops = irqs->dev_ops;
	uint32_t data_type = set->flags & VFIO_IRQ_SET_DATA_TYPE_MASK;
	bool mask = (set->flags & VFIO_IRQ_SET_ACTION_TYPE_MASK) ==
		    VFIO_IRQ_SET_ACTION_MASK;

	if (!(irqs->info[set->index].flags & VFIO_IRQ_INFO_MASKABLE) || !ops ||
	    !(mask ? ops->mask : ops->unmask) || set->count != 1)
		return -EINVAL;
	if (data_type == VFIO_IRQ_SET_DATA_BOOL) {
		if (!((const uint8_t *)data)[0])
			return 0;
	} else if (data_type != VFIO_IRQ_SET_DATA_NONE) {
		return -EINVAL; /* no unmask-by-eventfd (irqfd resampler) */
	}
	if (mask)
		ops->mask(irqs->dev, set->index);
	else
		ops->unmask(irqs->dev, set->index);
	return 0;
}

int vfio_irq_state_set(struct vfio_irq_state *irqs,
		       const struct vfio_irq_set *set, const void *data)
{
	uint32_t data_type = set->flags & VFIO_IRQ_SET_DATA_TYPE_MASK;

	/* The header was validated; stay safe if a caller did not. */
	if (!vfio_irq_state_has_vector(irqs, set->index) || set->start != 0 ||
	    set->count > 1 ||
	    (set->count && data_type != VFIO_IRQ_SET_DATA_NONE && !data))
		return -EINVAL;

	switch (set->flags & VFIO_IRQ_SET_ACTION_TYPE_MASK) {
	case VFIO_IRQ_SET_ACTION_MASK:
	case VFIO_IRQ_SET_ACTION_UNMASK:
		return vfio_irq_state_set_mask(irqs, set, data);
	case VFIO_IRQ_SET_ACTION_TRIGGER:
		return vfio_irq_state_set_trigger(irqs, set, data);
	default:
		return -EINVAL;
	}
}

void vfio_irq_state_signal(struct vfio_irq_state *irqs, uint32_t index)
{
	if (index < irqs->nr_indices && irqs->trigger[index])
		irqs->host_ops->signal(irqs->host, irqs->trigger[index]);
}

bool vfio_irq_state_has_trigger(const struct vfio_irq_state *irqs,
				uint32_t index)
{
	return index < irqs->nr_indices && irqs->trigger[index];
}

void vfio_irq_state_release_all(struct vfio_irq_state *irqs)
{
	uint32_t index;

	for (index = 0; index < irqs->nr_indices; index++)
		vfio_irq_state_disable(irqs, index);
}
