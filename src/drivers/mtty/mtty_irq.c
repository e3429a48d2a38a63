// SPDX-License-Identifier: GPL-2.0-only
/*
 * mtty driver: interrupts.  The model calls raise_irq() on the device's
 * own mdev_state, which writes straight to the installed eventfd: no
 * lookup of the device by UUID on the interrupt path.
 */
#include <errno.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include "mtty_state.h"

void mtty_signal_eventfd(int fd)
{
	uint64_t one = 1;
	ssize_t ret;

	if (fd < 0)
		return;
	/* EAGAIN means the counter is saturated: the client is woken anyway. */
	do {
		ret = write(fd, &one, sizeof(one));
	} while (ret < 0 && errno == EINTR);
}

static void mtty_raise_irq(void *opaque, enum mtty_irq_mode mode)
{
	struct mdev_state *state = opaque;

	if (mode == MTTY_IRQ_INTX)
		mtty_signal_eventfd(state->intx_fd);
	else if (mode == MTTY_IRQ_MSI)
		mtty_signal_eventfd(state->msi_fd);
}

static void mtty_set_timer(void *opaque, unsigned int port, uint64_t delay_ns)
{
	struct mdev_state *state = opaque;

	if (port < state->model.nr_ports)
		mtty_port_timer_arm(&state->timers[port], delay_ns);
}

/* The clock of mdev_timer_arm()'s timerfds. */
static uint64_t mtty_now_ns(void *opaque)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

const struct mtty_model_host_ops mtty_model_host = {
	.raise_irq = mtty_raise_irq,
	.set_timer = mtty_set_timer,
	.now_ns = mtty_now_ns,
};

/**
 * mtty_get_irq_info() - VFIO_DEVICE_GET_IRQ_INFO for @info->index.
 * Return: 0, or -EINVAL for an index >= VFIO_PCI_NUM_IRQS.
 */
int mtty_get_irq_info(struct mdev_device *mdev, struct vfio_irq_info *info)
{
	switch (info->index) {
	case VFIO_PCI_INTX_IRQ_INDEX:
		info->flags = VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_MASKABLE |
			      VFIO_IRQ_INFO_AUTOMASKED;
		info->count = 1;
		break;
	case VFIO_PCI_MSI_IRQ_INDEX:
		info->flags = VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE;
		info->count = 1;
		break;
	case VFIO_PCI_MSIX_IRQ_INDEX:
	case VFIO_PCI_ERR_IRQ_INDEX:
		info->flags = 0;
		info->count = 0;
		break;
	case VFIO_PCI_REQ_IRQ_INDEX:
		/* As the kernel sample reports it (6.1). */
		info->flags = VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE;
		info->count = 1;
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

static int *mtty_trigger_slot(struct mdev_state *state, unsigned int index)
{
	switch (index) {
	case VFIO_PCI_INTX_IRQ_INDEX:
		return &state->intx_fd;
	case VFIO_PCI_MSI_IRQ_INDEX:
		return &state->msi_fd;
	case VFIO_PCI_REQ_IRQ_INDEX:
		return &state->req_fd;
	default:
		return NULL;
	}
}

static enum mtty_irq_mode mtty_index_mode(unsigned int index)
{
	if (index == VFIO_PCI_INTX_IRQ_INDEX)
		return MTTY_IRQ_INTX;
	if (index == VFIO_PCI_MSI_IRQ_INDEX)
		return MTTY_IRQ_MSI;
	return MTTY_IRQ_NONE; /* REQ is not a device interrupt */
}

/* Remove @index's trigger; leave its mode if it is the active one. */
static void mtty_trigger_disable(struct mdev_state *state, unsigned int index)
{
	int *slot = mtty_trigger_slot(state, index);
	enum mtty_irq_mode mode = mtty_index_mode(index);

	if (mode != MTTY_IRQ_NONE && state->model.irq_mode == mode)
		mtty_model_set_irq_mode(&state->model, MTTY_IRQ_NONE);
	if (*slot >= 0)
		close(*slot);
	*slot = -1;
}

/* Install @fd as @index's trigger, replacing (and closing) the old one. */
static int mtty_trigger_install(struct mdev_state *state, unsigned int index,
				int fd)
{
	int *slot = mtty_trigger_slot(state, index);
	enum mtty_irq_mode mode = mtty_index_mode(index);
	int old = *slot;
	int ret;

	/*
	 * Store the fd before entering the mode: entering it may deliver an
	 * interrupt that is already pending.
	 */
	*slot = fd;
	if (mode != MTTY_IRQ_NONE) {
		ret = mtty_model_set_irq_mode(&state->model, mode);
		if (ret) {
			*slot = old; /* e.g. MSI while INTx is enabled */
			return ret;
		}
	}
	if (old >= 0 && old != fd)
		close(old);
	return 0;
}

static int mtty_set_trigger(struct mdev_state *state,
			    const struct vfio_irq_set *set, const void *data)
{
	uint32_t data_type = set->flags & VFIO_IRQ_SET_DATA_TYPE_MASK;
	int32_t fd;

	if (set->count == 0) {
		/* count 0 + DATA_NONE: disable the index. */
		if (data_type != VFIO_IRQ_SET_DATA_NONE)
			return -EINVAL;
		mtty_trigger_disable(state, set->index);
		return 0;
	}

	switch (data_type) {
	case VFIO_IRQ_SET_DATA_BOOL:
		if (!((const uint8_t *)data)[0])
			return 0;
		/* fall through */
	case VFIO_IRQ_SET_DATA_NONE:
		/* A test interrupt, as vfio-pci does for loopback checks. */
		mtty_signal_eventfd(*mtty_trigger_slot(state, set->index));
		return 0;
	case VFIO_IRQ_SET_DATA_EVENTFD:
		fd = ((const int32_t *)data)[0];
		if (fd == -1) {
			mtty_trigger_disable(state, set->index);
			return 0;
		}
		if (fd < 0)
			return -EINVAL;
		return mtty_trigger_install(state, set->index, fd);
	default:
		return -EINVAL;
	}
}

static int mtty_set_intx_mask(struct mdev_state *state,
			      const struct vfio_irq_set *set, const void *data)
{
	uint32_t data_type = set->flags & VFIO_IRQ_SET_DATA_TYPE_MASK;
	uint32_t action = set->flags & VFIO_IRQ_SET_ACTION_TYPE_MASK;

	if (set->index != VFIO_PCI_INTX_IRQ_INDEX || set->count != 1)
		return -EINVAL;
	if (data_type == VFIO_IRQ_SET_DATA_BOOL) {
		if (!((const uint8_t *)data)[0])
			return 0;
	} else if (data_type != VFIO_IRQ_SET_DATA_NONE) {
		return -EINVAL; /* no unmask-by-eventfd (irqfd resampler) */
	}
	if (action == VFIO_IRQ_SET_ACTION_MASK)
		mtty_model_intx_mask(&state->model);
	else
		mtty_model_intx_unmask(&state->model);
	return 0;
}

/**
 * mtty_set_irqs() - VFIO_DEVICE_SET_IRQS, after the transport validated
 * @set with umdev_vfio_irq_set_validate() (so count <= 1 here).
 *
 * ACTION_TRIGGER on INTx, MSI or REQ: DATA_EVENTFD installs (fd >= 0) or
 * removes (fd = -1) the trigger; DATA_NONE, or DATA_BOOL true, fires a test
 * interrupt; count 0 with DATA_NONE disables the index.  MASK/UNMASK on
 * INTx with DATA_NONE or DATA_BOOL.
 *
 * Return: 0; -EINVAL for MSI while INTx is enabled (or the reverse), an
 * unsupported index/action/data type, or a negative fd other than -1.
 */
int mtty_set_irqs(struct mdev_device *mdev, const struct vfio_irq_set *set,
		  const void *data)
{
	struct mdev_state *state = mdev_get_drvdata(mdev);
	uint32_t data_type = set->flags & VFIO_IRQ_SET_DATA_TYPE_MASK;

	/* The transport validated; stay safe if another caller did not. */
	if (set->start != 0 || set->count > 1 ||
	    (set->count && data_type != VFIO_IRQ_SET_DATA_NONE && !data))
		return -EINVAL;

	switch (set->flags & VFIO_IRQ_SET_ACTION_TYPE_MASK) {
	case VFIO_IRQ_SET_ACTION_MASK:
	case VFIO_IRQ_SET_ACTION_UNMASK:
		return mtty_set_intx_mask(state, set, data);
	case VFIO_IRQ_SET_ACTION_TRIGGER:
		if (!mtty_trigger_slot(state, set->index))
			return -EINVAL; /* MSI-X and ERR have no vectors */
		return mtty_set_trigger(state, set, data);
	default:
		return -EINVAL;
	}
}

void mtty_irq_drop_all(struct mdev_state *state)
{
	mtty_trigger_disable(state, VFIO_PCI_INTX_IRQ_INDEX);
	mtty_trigger_disable(state, VFIO_PCI_MSI_IRQ_INDEX);
	mtty_trigger_disable(state, VFIO_PCI_REQ_IRQ_INDEX);
}
