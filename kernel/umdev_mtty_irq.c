// SPDX-License-Identifier: GPL-2.0-only
/*
 * umdev_mtty interrupts and timers: VFIO_DEVICE_SET_IRQS on the driver
 * toolkit's vfio_irq_state (shared with umdevd) with eventfd contexts as
 * triggers, and the callbacks the model calls with state->lock held
 * (raise_irq straight to eventfd_signal, set_timer to a delayed work per
 * port, now_ns the monotonic clock).
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

	/* No trigger installed: the interrupt goes nowhere, as on a bus
	 * with the line not wired; never an error. */
	vfio_irq_state_signal(&state->irqs, mtty_vfio_irq_index(mode));
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

/* The toolkit's triggers are eventfd contexts, referenced while installed. */
static int umdev_mtty_trigger_take(void *host, s32 fd, void **trigger)
{
	struct eventfd_ctx *ctx = eventfd_ctx_fdget(fd);

	if (IS_ERR(ctx))
		return PTR_ERR(ctx); /* -EBADF, or -EINVAL: not an eventfd */
	*trigger = ctx;
	return 0;
}

static void umdev_mtty_trigger_put(void *host, void *trigger)
{
	eventfd_ctx_put(trigger);
}

static void umdev_mtty_trigger_signal(void *host, void *trigger)
{
	umdev_mtty_signal(trigger);
}

static const struct vfio_irq_host_ops umdev_mtty_trigger_ops = {
	.take = umdev_mtty_trigger_take,
	.give_back = umdev_mtty_trigger_put,
	.release = umdev_mtty_trigger_put,
	.signal = umdev_mtty_trigger_signal,
};

/* What SET_IRQS means for the model: mtty_vfio_irqs.c, shared with umdevd. */
static const struct vfio_irq_device_ops umdev_mtty_irq_dev_ops = {
	.enable = mtty_vfio_irq_enable,
	.disable = mtty_vfio_irq_disable,
	.mask = mtty_vfio_irq_mask,
	.unmask = mtty_vfio_irq_unmask,
};

/**
 * umdev_mtty_irqs_init() - no trigger installed
 * @state: the device, its model initialised
 *
 * Return: 0 (the table is a valid one).
 */
int umdev_mtty_irqs_init(struct umdev_mtty_state *state)
{
	return vfio_irq_state_init(&state->irqs, mtty_vfio_irq_info,
				   VFIO_PCI_NUM_IRQS, &umdev_mtty_trigger_ops,
				   state, &umdev_mtty_irq_dev_ops,
				   &state->model);
}

/**
 * umdev_mtty_irq_close() - turn interrupts off and drop every trigger
 * @state: the device, state->lock held
 *
 * For the last close: nothing the user installed outlives its fds.
 */
void umdev_mtty_irq_close(struct umdev_mtty_state *state)
{
	vfio_irq_state_release_all(&state->irqs);
}

/**
 * umdev_mtty_ioctl_set_irqs() - VFIO_DEVICE_SET_IRQS
 * @state: the device; takes state->lock
 * @arg: the user's struct vfio_irq_set, followed by its data
 *
 * The rules are the toolkit's (vfio_irq_state_set()), as in umdevd.
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
			mtty_vfio_irq_info[hdr.index].count :
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
	ret = vfio_irq_state_set(&state->irqs, &hdr, data);
	mutex_unlock(&state->lock);
	kfree(data);
	return ret;
}
