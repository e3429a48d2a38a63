// SPDX-License-Identifier: GPL-2.0-only
/*
 * umdev_mtty interrupts and timers: VFIO_DEVICE_SET_IRQS and GET_IRQ_INFO,
 * the eventfd triggers, and the callbacks the model calls with state->lock
 * held (raise_irq straight to eventfd_signal, set_timer to a delayed work
 * per port, now_ns the monotonic clock).
 */
#include <linux/eventfd.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/version.h>
#include <linux/vfio.h>
#include <linux/workqueue.h>

#include "umdev_mtty.h"

/**
 * umdev_mtty_signal() - signal an eventfd once
 * @ctx: the eventfd context, not NULL
 *
 * Hides the eventfd_signal() signature change of Linux 6.8.
 */
void umdev_mtty_signal(struct eventfd_ctx *ctx)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
	eventfd_signal(ctx);
#else
	eventfd_signal(ctx, 1);
#endif
}

/* Model callback: deliver one interrupt, straight from the device state. */
static void umdev_mtty_raise_irq(void *opaque, enum mtty_irq_mode mode)
{
	struct umdev_mtty_state *state = opaque;
	struct eventfd_ctx *ctx = NULL;

	if (mode == MTTY_IRQ_INTX)
		ctx = state->intx_trigger;
	else if (mode == MTTY_IRQ_MSI)
		ctx = state->msi_trigger;
	/* No trigger installed: the interrupt goes nowhere, as on a bus
	 * with the line not wired; never an error. */
	if (ctx)
		umdev_mtty_signal(ctx);
}

/* Model callback: arm (or cancel with 0) the character-timeout timer. */
static void umdev_mtty_set_timer(void *opaque, unsigned int port, u64 delay)
{
	struct umdev_mtty_state *state = opaque;
	struct umdev_mtty_port_timer *t;

	if (port >= MTTY_MAX_PORTS)
		return;
	t = &state->timer[port];
	if (!delay) {
		t->deadline = 0;
		/* Not _sync: the work may be waiting for state->lock. It
		 * re-checks the deadline, so a late run does nothing. */
		cancel_delayed_work(&t->work);
		return;
	}
	t->deadline = ktime_add_ns(ktime_get(), delay);
	mod_delayed_work(system_wq, &t->work, nsecs_to_jiffies(delay) + 1);
}

static void umdev_mtty_timer_work(struct work_struct *work)
{
	struct umdev_mtty_port_timer *t = container_of(
		to_delayed_work(work), struct umdev_mtty_port_timer, work);
	struct umdev_mtty_state *state = t->state;
	ktime_t now;

	mutex_lock(&state->lock);
	now = ktime_get();
	if (t->deadline && ktime_before(now, t->deadline)) {
		/* Jiffies ran ahead of the clock: wait for the rest. */
		mod_delayed_work(system_wq, &t->work,
				 nsecs_to_jiffies(ktime_to_ns(
					 ktime_sub(t->deadline, now))) +
					 1);
	} else if (t->deadline) {
		t->deadline = 0;
		mtty_model_timer_expired(&state->model, t->port);
	}
	mutex_unlock(&state->lock);
}

/* Model callback: the clock set_timer counts in. */
static u64 umdev_mtty_now_ns(void *opaque)
{
	return ktime_get_ns();
}

/* What the model calls; its opaque pointer is the umdev_mtty_state. */
const struct mtty_model_host_ops umdev_mtty_host_ops = {
	.raise_irq = umdev_mtty_raise_irq,
	.set_timer = umdev_mtty_set_timer,
	.now_ns = umdev_mtty_now_ns,
};

/**
 * umdev_mtty_timers_init() - set up the per-port timers, none armed
 * @state: the device, before the model is initialised
 */
void umdev_mtty_timers_init(struct umdev_mtty_state *state)
{
	unsigned int i;

	for (i = 0; i < MTTY_MAX_PORTS; i++) {
		state->timer[i].state = state;
		state->timer[i].port = i;
		INIT_DELAYED_WORK(&state->timer[i].work, umdev_mtty_timer_work);
	}
}

/**
 * umdev_mtty_cancel_timers() - disarm every timer and wait for its work
 * @state: the device; state->lock must NOT be held (the work takes it)
 */
void umdev_mtty_cancel_timers(struct umdev_mtty_state *state)
{
	unsigned int i;

	mutex_lock(&state->lock);
	for (i = 0; i < MTTY_MAX_PORTS; i++)
		state->timer[i].deadline = 0;
	mutex_unlock(&state->lock);
	for (i = 0; i < MTTY_MAX_PORTS; i++)
		cancel_delayed_work_sync(&state->timer[i].work);
}

static void umdev_mtty_put_trigger(struct eventfd_ctx **ctx)
{
	if (*ctx) {
		eventfd_ctx_put(*ctx);
		*ctx = NULL;
	}
}

/**
 * umdev_mtty_irq_close() - turn interrupts off and drop every trigger
 * @state: the device, state->lock held
 *
 * For the last close: nothing the user installed outlives its fds.
 */
void umdev_mtty_irq_close(struct umdev_mtty_state *state)
{
	mtty_model_set_irq_mode(&state->model, MTTY_IRQ_NONE);
	umdev_mtty_put_trigger(&state->intx_trigger);
	umdev_mtty_put_trigger(&state->msi_trigger);
	umdev_mtty_put_trigger(&state->req_trigger);
}

static int umdev_mtty_irq_count(unsigned int index)
{
	switch (index) {
	case VFIO_PCI_INTX_IRQ_INDEX:
	case VFIO_PCI_MSI_IRQ_INDEX:
	case VFIO_PCI_REQ_IRQ_INDEX:
		return 1;
	default:
		return 0;
	}
}

/**
 * umdev_mtty_irq_info() - fill in a VFIO_DEVICE_GET_IRQ_INFO reply
 * @info: the user's request; index is read, count and flags are set
 *
 * Return: 0, or -EINVAL if the index is not a vfio-pci IRQ index.
 */
int umdev_mtty_irq_info(struct vfio_irq_info *info)
{
	if (info->index >= VFIO_PCI_NUM_IRQS)
		return -EINVAL;
	info->count = umdev_mtty_irq_count(info->index);
	info->flags = 0;
	if (info->index == VFIO_PCI_INTX_IRQ_INDEX)
		info->flags = VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_MASKABLE |
			      VFIO_IRQ_INFO_AUTOMASKED;
	else if (info->count)
		info->flags = VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE;
	return 0;
}

/* Install (fd >= 0) or remove (fd == -1) the trigger in *@slot. */
static int umdev_mtty_set_trigger(struct eventfd_ctx **slot, int fd)
{
	struct eventfd_ctx *ctx;

	if (fd < 0) {
		umdev_mtty_put_trigger(slot);
		return 0;
	}
	ctx = eventfd_ctx_fdget(fd);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	umdev_mtty_put_trigger(slot);
	*slot = ctx;
	return 0;
}

/* DATA_NONE, or DATA_BOOL with a true byte: "do it" for count 1. */
static bool umdev_mtty_irq_data_true(u32 flags, const u8 *data)
{
	if (flags & VFIO_IRQ_SET_DATA_NONE)
		return true;
	return (flags & VFIO_IRQ_SET_DATA_BOOL) && data && data[0];
}

static int umdev_mtty_set_irq_trigger(struct umdev_mtty_state *state,
				      unsigned int index, u32 flags, u32 count,
				      const u8 *data)
{
	struct eventfd_ctx **slot = index == VFIO_PCI_INTX_IRQ_INDEX ?
					    &state->intx_trigger :
					    &state->msi_trigger;
	enum mtty_irq_mode mode =
		index == VFIO_PCI_INTX_IRQ_INDEX ? MTTY_IRQ_INTX : MTTY_IRQ_MSI;
	int fd = -1, ret;

	if (count && !(flags & VFIO_IRQ_SET_DATA_EVENTFD)) {
		/* Loopback test interrupt. */
		if (umdev_mtty_irq_data_true(flags, data) && *slot)
			umdev_mtty_signal(*slot);
		return 0;
	}
	if (count)
		memcpy(&fd, data, sizeof(fd));
	if (fd < 0) {
		/* count 0, or eventfd -1: disable the index. */
		if (state->model.irq_mode == mode)
			mtty_model_set_irq_mode(&state->model, MTTY_IRQ_NONE);
		umdev_mtty_put_trigger(slot);
		return 0;
	}
	/* Check the mode switch before taking the fd. */
	if (state->model.irq_mode != MTTY_IRQ_NONE &&
	    state->model.irq_mode != mode)
		return -EINVAL;
	ret = umdev_mtty_set_trigger(slot, fd);
	if (ret)
		return ret;
	return mtty_model_set_irq_mode(&state->model, mode);
}

static int umdev_mtty_set_irqs(struct umdev_mtty_state *state,
			       struct vfio_irq_set *hdr, const u8 *data)
{
	u32 action = hdr->flags & VFIO_IRQ_SET_ACTION_TYPE_MASK;
	int fd;

	switch (hdr->index) {
	case VFIO_PCI_INTX_IRQ_INDEX:
		if (action == VFIO_IRQ_SET_ACTION_MASK) {
			if (hdr->count &&
			    umdev_mtty_irq_data_true(hdr->flags, data))
				mtty_model_intx_mask(&state->model);
			return hdr->flags & VFIO_IRQ_SET_DATA_EVENTFD ?
				       -EINVAL :
				       0;
		}
		if (action == VFIO_IRQ_SET_ACTION_UNMASK) {
			if (hdr->flags & VFIO_IRQ_SET_DATA_EVENTFD)
				return -EINVAL; /* no irqfd unmask here */
			if (hdr->count &&
			    umdev_mtty_irq_data_true(hdr->flags, data))
				mtty_model_intx_unmask(&state->model);
			return 0;
		}
		return umdev_mtty_set_irq_trigger(state, hdr->index, hdr->flags,
						  hdr->count, data);
	case VFIO_PCI_MSI_IRQ_INDEX:
		if (action != VFIO_IRQ_SET_ACTION_TRIGGER)
			return -EINVAL;
		return umdev_mtty_set_irq_trigger(state, hdr->index, hdr->flags,
						  hdr->count, data);
	case VFIO_PCI_REQ_IRQ_INDEX:
		if (action != VFIO_IRQ_SET_ACTION_TRIGGER)
			return -EINVAL;
		if (hdr->count == 0) {
			umdev_mtty_put_trigger(&state->req_trigger);
			return 0;
		}
		if (hdr->flags & VFIO_IRQ_SET_DATA_EVENTFD) {
			memcpy(&fd, data, sizeof(fd));
			return umdev_mtty_set_trigger(&state->req_trigger, fd);
		}
		if (umdev_mtty_irq_data_true(hdr->flags, data) &&
		    state->req_trigger)
			umdev_mtty_signal(state->req_trigger);
		return 0;
	default:
		return -EINVAL;
	}
}

/**
 * umdev_mtty_ioctl_set_irqs() - VFIO_DEVICE_SET_IRQS
 * @state: the device; takes state->lock
 * @arg: the user's struct vfio_irq_set, followed by its data
 *
 * Return: 0, -EFAULT on a bad user pointer, -ENOMEM, -EINVAL for a request
 * this device does not support, or the error of eventfd_ctx_fdget().
 */
long umdev_mtty_ioctl_set_irqs(struct umdev_mtty_state *state,
			       unsigned long arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_set, count);
	struct vfio_irq_set hdr;
	size_t data_size = 0;
	u8 *data = NULL;
	int ret;

	if (copy_from_user(&hdr, (void __user *)arg, minsz))
		return -EFAULT;
	ret = vfio_set_irqs_validate_and_prepare(
		&hdr,
		hdr.index < VFIO_PCI_NUM_IRQS ?
			umdev_mtty_irq_count(hdr.index) :
			0,
		VFIO_PCI_NUM_IRQS, &data_size);
	if (ret)
		return ret;
	if (data_size) {
		data = memdup_user((void __user *)(arg + minsz), data_size);
		if (IS_ERR(data))
			return PTR_ERR(data);
	}
	mutex_lock(&state->lock);
	ret = umdev_mtty_set_irqs(state, &hdr, data);
	mutex_unlock(&state->lock);
	kfree(data);
	return ret;
}
