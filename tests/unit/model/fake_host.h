/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fake_host - the host side of the mtty model for unit tests: records every
 * raise_irq() and set_timer() call instead of delivering anything, and
 * keeps a clock that moves only when the test (or a timer firing) moves it.
 */
#ifndef UMDEV_TESTS_FAKE_HOST_H
#define UMDEV_TESTS_FAKE_HOST_H

#include "mtty_model.h"

struct fake_host {
	unsigned int irqs[3]; /* raise_irq calls per enum mtty_irq_mode */
	unsigned int timer_calls[MTTY_MAX_PORTS];
	uint64_t timer_delay[MTTY_MAX_PORTS]; /* last request; 0 = cancel */
	uint64_t now; /* the clock (ns): moves only when a test moves it */
	uint64_t timer_due[MTTY_MAX_PORTS]; /* when the armed timer fires */
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
	h->timer_due[port] = delay_ns ? h->now + delay_ns : 0;
}

static inline uint64_t fake_now_ns(void *opaque)
{
	struct fake_host *h = opaque;

	return h->now;
}

static const struct mtty_model_host_ops fake_ops = {
	.raise_irq = fake_raise_irq,
	.set_timer = fake_set_timer,
	.now_ns = fake_now_ns,
};

/*
 * The host timer of @port fires: the clock moves on to its due time (a real
 * host's timer never fires early), then the model hears of it.
 */
static inline void fake_timer_fire(struct mtty_model *m, struct fake_host *h,
				   unsigned int port)
{
	if (port < MTTY_MAX_PORTS) {
		if (h->now < h->timer_due[port])
			h->now = h->timer_due[port];
		h->timer_due[port] = 0; /* one-shot: fired */
	}
	mtty_model_timer_expired(m, port);
}

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
