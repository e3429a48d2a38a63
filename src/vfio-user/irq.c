// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-user server: interrupts.  GET_IRQ_INFO asks the driver (dispatch.c
 * checks the index and frames the reply); DEVICE_SET_IRQS is checked with
 * the kernel's rules (set_irqs.c) and its eventfds, received out of band,
 * are handed to the driver.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <umdev/vfio_device.h>

#include "vfio-user/server_internal.h"

/* GET_IRQ_INFO: the driver's answer as it is. */
int vu_irq_info(struct vu_server *s, void *buf)
{
	return s->ops->get_irq_info(s->mdev, buf);
}

int vu_set_irqs(struct vu_server *s, struct vu_msg *m)
{
	struct vfio_irq_set set, check;
	struct vfio_irq_info irq = { .argsz = sizeof(irq) };
	int32_t none[64], *deassign = NULL;
	const void *data = NULL;
	size_t data_size, i;
	uint32_t dtype;
	int ret;

	ret = vu_take_args(s, m, &set, sizeof(set));
	if (!ret)
		ret = vu_check_index(s, "index", set.index, s->num_irqs);
	if (ret)
		return ret;
	irq.index = set.index;
	ret = s->ops->get_irq_info(s->mdev, &irq);
	if (ret < 0)
		return ret;

	/*
	 * argsz as the kernel would see it: eventfds travel out of band
	 * (one int32 each), bool data inside the payload.
	 */
	check = set;
	dtype = set.flags & VFIO_IRQ_SET_DATA_TYPE_MASK;
	if (dtype == VFIO_IRQ_SET_DATA_EVENTFD)
		check.argsz = set.count <= (UINT32_MAX - sizeof(set)) / 4 ?
				      sizeof(set) + set.count * 4 :
				      UINT32_MAX;
	else
		check.argsz = m->payload_len;
	ret = umdev_vfio_irq_set_validate(&check, irq.count, s->num_irqs,
					  &data_size);
	if (ret < 0) {
		if ((uint64_t)set.start + set.count > irq.count)
			vu_why(s, "start %u + count %u > %u for index %u",
			       set.start, set.count, irq.count, set.index);
		else
			vu_why(s, "flags 0x%x start %u count %u for index %u",
			       set.flags, set.start, set.count, set.index);
		return ret;
	}

	if (dtype == VFIO_IRQ_SET_DATA_EVENTFD) {
		if (m->nr_fds == set.count) {
			data = m->fds;
		} else if (m->nr_fds == 0) {
			/* No fds: de-assign the range (spec). */
			deassign = set.count <= 64 ?
					   none :
					   malloc(set.count * sizeof(int32_t));
			if (!deassign)
				return -ENOMEM;
			for (i = 0; i < set.count; i++)
				deassign[i] = -1;
			data = deassign;
		} else {
			vu_why(s, "%zu fds for count %u", m->nr_fds, set.count);
			return -EINVAL;
		}
	} else {
		if (m->nr_fds) {
			vu_why(s, "%zu fds without DATA_EVENTFD", m->nr_fds);
			return -EINVAL;
		}
		if (dtype == VFIO_IRQ_SET_DATA_BOOL)
			data = m->payload + sizeof(set);
	}

	ret = s->ops->set_irqs(s->mdev, &set, data);
	if (deassign && deassign != none)
		free(deassign);
	if (ret < 0) {
		vu_why(s,
		       "driver refused flags 0x%x index %u start %u count %u",
		       set.flags, set.index, set.start, set.count);
		return ret;
	}
	if (data == m->fds)
		for (i = 0; i < m->nr_fds; i++)
			m->fds[i] = -1; /* the driver owns them now */
	return 0;
}
