// SPDX-License-Identifier: GPL-2.0-only
/*
 * VFIO_DEVICE_SET_IRQS header validation, with the kernel's rules
 * (vfio_set_irqs_validate_and_prepare() in drivers/vfio/vfio_main.c), so a
 * driver sees the same requests whether it runs in the kernel or here.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include <umdev/vfio_device.h>

int umdev_vfio_irq_set_validate(const struct vfio_irq_set *set,
				uint32_t num_irqs, uint32_t max_irq_type,
				size_t *data_size)
{
	const size_t minsz =
		offsetof(struct vfio_irq_set, count) + sizeof(set->count);
	size_t elem;

	if (set->argsz < minsz || set->index >= max_irq_type ||
	    set->count >= UINT32_MAX - set->start ||
	    (set->flags &
	     ~(VFIO_IRQ_SET_DATA_TYPE_MASK | VFIO_IRQ_SET_ACTION_TYPE_MASK)))
		return -EINVAL;

	if (data_size)
		*data_size = 0;

	if (set->start >= num_irqs || set->start + set->count > num_irqs)
		return -EINVAL;

	switch (set->flags & VFIO_IRQ_SET_DATA_TYPE_MASK) {
	case VFIO_IRQ_SET_DATA_NONE:
		elem = 0;
		break;
	case VFIO_IRQ_SET_DATA_BOOL:
		elem = sizeof(uint8_t);
		break;
	case VFIO_IRQ_SET_DATA_EVENTFD:
		elem = sizeof(int32_t);
		break;
	default: /* more than one data type */
		return -EINVAL;
	}

	if (elem) {
		if (set->argsz - minsz < (size_t)set->count * elem)
			return -EINVAL;
		if (!data_size)
			return -EINVAL;
		*data_size = (size_t)set->count * elem;
	}
	return 0;
}
