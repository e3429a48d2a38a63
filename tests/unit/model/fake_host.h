/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fake_host - the host side of the mtty model for unit tests: records every
 * raise_irq() and set_timer() call instead of delivering anything.
 */
#ifndef UMDEV_TESTS_FAKE_HOST_H
#define UMDEV_TESTS_FAKE_HOST_H

#include "mtty_model.h"

struct fake_host {
	unsigned int irqs[3]; /* raise_irq calls per enum mtty_irq_mode */
	unsigned int timer_calls[MTTY_MAX_PORTS];
	uint64_t timer_delay[MTTY_MAX_PORTS]; /* last request; 0 = cancel */
};

static inline void fake_raise_irq(void *opaque, enum mtty_irq_mode mode)
{
	struct fake_host *h = opaque;

	h->irqs[mode]++;
}

static inline void fake_set_timer(void *opaque, unsigned int port,
				  uint64_t delay_ns)
{
	struct fake_host *h = opaque;

	h->timer_calls[port]++;
	h->timer_delay[port] = delay_ns;
}

static const struct mtty_model_host_ops fake_ops = {
	.raise_irq = fake_raise_irq,
	.set_timer = fake_set_timer,
};

static inline unsigned int fake_irq_total(const struct fake_host *h)
{
	return h->irqs[0] + h->irqs[1] + h->irqs[2];
}

/* Byte access helpers: BAR @bar's register @reg. */
static inline uint8_t bar_rd(struct mtty_model *m, unsigned int bar,
			     unsigned int reg)
{
	uint8_t v = 0xee;

	if (mtty_model_read(m, bar, reg, &v, 1) != 1)
		return 0xee;
	return v;
}

static inline void bar_wr(struct mtty_model *m, unsigned int bar,
			  unsigned int reg, uint8_t val)
{
	(void)mtty_model_write(m, bar, reg, &val, 1);
}

/* Program the divisor through DLAB, leaving LCR = @lcr (DLAB clear). */
static inline void bar_set_divisor(struct mtty_model *m, unsigned int bar,
				   uint16_t divisor, uint8_t lcr)
{
	bar_wr(m, bar, UART_LCR, UART_LCR_DLAB | lcr);
	bar_wr(m, bar, UART_DLL, divisor & 0xff);
	bar_wr(m, bar, UART_DLM, divisor >> 8);
	bar_wr(m, bar, UART_LCR, lcr);
}

#endif
