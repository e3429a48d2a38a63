// SPDX-License-Identifier: GPL-2.0-only
/*
 * mtty driver: interrupts and timers.  The model calls raise_irq() on the
 * device's own mdev_state, which signals the trigger in state->irqs
 * straight away: no lookup of the device by UUID on the interrupt path.
 * SET_IRQS and GET_IRQ_INFO are the toolkit's (<umdev/toolkit.h>) with
 * mtty's table and mode rules (model/mtty/mtty_vfio_irqs.c).
 */
#include <stdint.h>
#include <time.h>

#include "model/mtty/mtty_vfio_irqs.h"
#include "mtty_state.h"

static void mtty_raise_irq(void *opaque, enum mtty_irq_mode mode)
{
	struct mdev_state *state = opaque;

	if (mtty_mig_hold_irq(state, mode))
		return; /* stopped for migration: raised on restart */
	umdev_irq_trigger(state->irqs, mtty_vfio_irq_index(mode));
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

static const struct umdev_irq_ops mtty_irq_ops = {
	.size = sizeof(struct umdev_irq_ops),
	.enable = mtty_vfio_irq_enable,
	.disable = mtty_vfio_irq_disable,
	.mask = mtty_vfio_irq_mask,
	.unmask = mtty_vfio_irq_unmask,
};

struct umdev_irqs *mtty_irqs_new(struct mdev_state *state)
{
	return umdev_irqs_new(mtty_vfio_irq_info, VFIO_PCI_NUM_IRQS,
			      &mtty_irq_ops, &state->model);
}
