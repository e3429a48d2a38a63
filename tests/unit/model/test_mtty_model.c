// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for mtty_model: region access, interrupt delivery (INTx with
 * automask, MSI, none), the character-timeout timer and reset.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "fake_host.h"

struct fixture {
	struct mtty_model m;
	struct fake_host host;
};

static int setup(void **state, unsigned int nr_ports)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	if (mtty_model_init(&f->m, nr_ports, &fake_ops, &f->host)) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int setup1(void **state)
{
	return setup(state, 1);
}

static int setup2(void **state)
{
	return setup(state, 2);
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

static void test_init_rejects(void **state)
{
	struct mtty_model m;
	struct fake_host h = { 0 };
	struct mtty_model_host_ops no_timer = { .raise_irq = fake_raise_irq };
	struct mtty_model_host_ops no_irq = { .set_timer = fake_set_timer };

	assert_int_equal(mtty_model_init(&m, 0, &fake_ops, &h), -EINVAL);
	assert_int_equal(mtty_model_init(&m, 3, &fake_ops, &h), -EINVAL);
	assert_int_equal(mtty_model_init(&m, 1, NULL, &h), -EINVAL);
	assert_int_equal(mtty_model_init(&m, 1, &no_timer, &h), -EINVAL);
	assert_int_equal(mtty_model_init(&m, 1, &no_irq, &h), -EINVAL);
	assert_int_equal(mtty_model_init(NULL, 1, &fake_ops, &h), -EINVAL);
	assert_int_equal(mtty_model_init(&m, 1, &fake_ops, NULL), 0);
	assert_int_equal(mtty_model_init(&m, 2, &fake_ops, &h), 0);
	assert_int_equal(m.irq_mode, MTTY_IRQ_NONE);
	assert_false(m.intx_masked);
}

static void test_region_sizes(void **state)
{
	struct mtty_model m;
	struct fake_host h = { 0 };
	unsigned int i;

	assert_int_equal(mtty_model_init(&m, 1, &fake_ops, &h), 0);
	assert_int_equal(mtty_model_region_size(&m, MTTY_REGION_CONFIG), 256);
	assert_int_equal(mtty_model_region_size(&m, MTTY_REGION_BAR0), 8);
	assert_int_equal(mtty_model_region_size(&m, MTTY_REGION_BAR1), 0);
	for (i = 2; i < 7; i++)
		assert_int_equal(mtty_model_region_size(&m, i), 0);
	assert_int_equal(mtty_model_region_size(&m, 8), 0);
	assert_int_equal(mtty_model_init(&m, 2, &fake_ops, &h), 0);
	assert_int_equal(mtty_model_region_size(&m, MTTY_REGION_BAR1), 8);
}

static void test_access_errors(void **state)
{
	struct fixture *f = *state;
	uint8_t b[8] = { 0 };
	unsigned int i;

	assert_int_equal(mtty_model_read(&f->m, 0, 0, b, 0), -EINVAL);
	assert_int_equal(mtty_model_write(&f->m, 0, 0, b, 0), -EINVAL);
	assert_int_equal(mtty_model_read(&f->m, 0, 8, b, 1), -EINVAL);
	assert_int_equal(mtty_model_write(&f->m, 0, 8, b, 1), -EINVAL);
	assert_int_equal(mtty_model_read(&f->m, 0, 7, b, 2), -EINVAL);
	assert_int_equal(mtty_model_write(&f->m, 0, 5, b, 4), -EINVAL);
	assert_int_equal(mtty_model_read(&f->m, 0, 1ull << 40, b, 1), -EINVAL);
	/* 1-port device: BAR1 is absent. */
	assert_int_equal(mtty_model_read(&f->m, 1, 0, b, 1), -EINVAL);
	assert_int_equal(mtty_model_write(&f->m, 1, 0, b, 1), -EINVAL);
	for (i = 2; i < 7; i++)
		assert_int_equal(mtty_model_read(&f->m, i, 0, b, 1), -EINVAL);
	assert_int_equal(mtty_model_read(&f->m, 8, 0, b, 1), -EINVAL);
	assert_int_equal(mtty_model_read(&f->m, 7, 256, b, 1), -EINVAL);
	assert_int_equal(mtty_model_read(&f->m, 7, 255, b, 2), -EINVAL);
	assert_int_equal(mtty_model_write(&f->m, 7, 253, b, 4), -EINVAL);
	assert_int_equal(mtty_model_read(&f->m, 7, 0, b, 0), -EINVAL);
	/* Nothing above touched the UART. */
	assert_int_equal(f->m.uart[0].fifo_count, 0);
	assert_int_equal(fake_irq_total(&f->host), 0);
	/* Whole-region accesses work. */
	assert_int_equal(mtty_model_read(&f->m, 0, 0, b, 8), 8);
	assert_int_equal(mtty_model_read(&f->m, 7, 255, b, 1), 1);
}

static void test_config_through_model(void **state)
{
	struct fixture *f = *state;
	uint8_t b[4];
	uint8_t ones[4] = { 0xff, 0xff, 0xff, 0xff };

	assert_int_equal(mtty_model_read(&f->m, 7, 0, b, 4), 4);
	assert_int_equal(b[0] | b[1] << 8, 0x4348);
	assert_int_equal(b[2] | b[3] << 8, 0x3253);
	assert_int_equal(mtty_model_write(&f->m, 7, 0x10, ones, 4), 4);
	assert_int_equal(mtty_model_read(&f->m, 7, 0x10, b, 4), 4);
	assert_int_equal(b[0], 0xf9);
	assert_int_equal(mtty_model_write(&f->m, 7, 0x14, ones, 4), 4);
	assert_int_equal(mtty_model_read(&f->m, 7, 0x14, b, 4), 4);
	assert_int_equal(b[0] | b[1] | b[2] | b[3], 0);
}

static void test_multibyte_bar_access(void **state)
{
	struct fixture *f = *state;
	/* LCR=0x03, MCR=0x01, LSR (ignored), MSR (ignored), SCR=0x42 */
	uint8_t w[5] = { 0x03, 0x01, 0xff, 0xff, 0x42 };
	uint8_t r[8];

	assert_int_equal(mtty_model_write(&f->m, 0, 3, w, 5), 5);
	assert_int_equal(bar_rd(&f->m, 0, UART_LCR), 0x03);
	assert_int_equal(bar_rd(&f->m, 0, UART_MCR), 0x01);
	assert_int_equal(bar_rd(&f->m, 0, UART_SCR), 0x42);
	/* THR, IER in one write: each byte its own register. */
	w[0] = 'k';
	w[1] = UART_IER_RDI;
	assert_int_equal(mtty_model_write(&f->m, 0, 0, w, 2), 2);
	assert_int_equal(mtty_model_read(&f->m, 0, 0, r, 8), 8);
	assert_int_equal(r[0], 'k');
	assert_int_equal(r[1], UART_IER_RDI);
	assert_int_equal(r[2], 0xc1); /* RBR read first: no data left */
	assert_int_equal(r[3], 0x03);
	assert_int_equal(r[4], 0x01);
	assert_int_equal(r[5], 0x60);
	assert_int_equal(r[6], 0xb0);
	assert_int_equal(r[7], 0x42);
}

static void test_ports_independent(void **state)
{
	struct fixture *f = *state;

	bar_wr(&f->m, 0, UART_TX, 'a');
	bar_wr(&f->m, 1, UART_TX, 'b');
	bar_wr(&f->m, 1, UART_TX, 'c');
	bar_wr(&f->m, 1, UART_SCR, 9);
	assert_int_equal(bar_rd(&f->m, 0, UART_SCR), 0);
	assert_int_equal(bar_rd(&f->m, 0, UART_RX), 'a');
	assert_int_equal(bar_rd(&f->m, 0, UART_LSR), 0x60);
	assert_int_equal(bar_rd(&f->m, 1, UART_RX), 'b');
	assert_int_equal(bar_rd(&f->m, 1, UART_RX), 'c');
}

static void test_irq_mode_switching(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(mtty_model_set_irq_mode(&f->m, MTTY_IRQ_INTX), 0);
	assert_int_equal(mtty_model_set_irq_mode(&f->m, MTTY_IRQ_INTX), 0);
	assert_int_equal(mtty_model_set_irq_mode(&f->m, MTTY_IRQ_MSI), -EINVAL);
	assert_int_equal(f->m.irq_mode, MTTY_IRQ_INTX);
	assert_int_equal(mtty_model_set_irq_mode(&f->m, MTTY_IRQ_NONE), 0);
	assert_int_equal(mtty_model_set_irq_mode(&f->m, MTTY_IRQ_MSI), 0);
	assert_int_equal(mtty_model_set_irq_mode(&f->m, MTTY_IRQ_INTX),
			 -EINVAL);
	assert_int_equal(f->m.irq_mode, MTTY_IRQ_MSI);
	assert_int_equal(mtty_model_set_irq_mode(&f->m, (enum mtty_irq_mode)7),
			 -EINVAL);
	assert_int_equal(mtty_model_set_irq_mode(&f->m, MTTY_IRQ_NONE), 0);
	assert_int_equal(mtty_model_set_irq_mode(&f->m, MTTY_IRQ_NONE), 0);
	assert_int_equal(fake_irq_total(&f->host), 0);
}

static void test_intx_automask(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(mtty_model_set_irq_mode(&f->m, MTTY_IRQ_INTX), 0);
	bar_wr(&f->m, 0, UART_IER, UART_IER_RDI);
	assert_int_equal(fake_irq_total(&f->host), 0);
	bar_wr(&f->m, 0, UART_TX, 'x');
	assert_int_equal(f->host.irqs[MTTY_IRQ_INTX], 1);
	assert_true(f->m.intx_masked);
	/* Same cause, more data: not a new event. */
	bar_wr(&f->m, 0, UART_TX, 'y');
	assert_int_equal(f->host.irqs[MTTY_IRQ_INTX], 1);
	/* New cause while masked: nothing. */
	bar_rd(&f->m, 0, UART_RX);
	bar_rd(&f->m, 0, UART_RX);
	bar_wr(&f->m, 0, UART_TX, 'z');
	assert_int_equal(f->host.irqs[MTTY_IRQ_INTX], 1);
	/* Unmask with a cause pending: fires again and masks. */
	mtty_model_intx_unmask(&f->m);
	assert_int_equal(f->host.irqs[MTTY_IRQ_INTX], 2);
	assert_true(f->m.intx_masked);
	/* Guest services it; unmask with nothing pending: no fire. */
	bar_rd(&f->m, 0, UART_RX);
	assert_int_equal(bar_rd(&f->m, 0, UART_IIR), 0xc1);
	mtty_model_intx_unmask(&f->m);
	assert_int_equal(f->host.irqs[MTTY_IRQ_INTX], 2);
	assert_false(f->m.intx_masked);
	/* Next cause fires. */
	bar_wr(&f->m, 0, UART_TX, 'w');
	assert_int_equal(f->host.irqs[MTTY_IRQ_INTX], 3);
	assert_int_equal(f->host.irqs[MTTY_IRQ_MSI], 0);
}

static void test_intx_explicit_mask(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(mtty_model_set_irq_mode(&f->m, MTTY_IRQ_INTX), 0);
	mtty_model_intx_mask(&f->m);
	bar_wr(&f->m, 0, UART_IER, UART_IER_THRI);
	assert_int_equal(fake_irq_total(&f->host), 0);
	mtty_model_intx_unmask(&f->m);
	assert_int_equal(f->host.irqs[MTTY_IRQ_INTX], 1);
	assert_true(f->m.intx_masked);
	/* Leaving INTx mode clears the mask (the kernel's disable does). */
	assert_int_equal(mtty_model_set_irq_mode(&f->m, MTTY_IRQ_NONE), 0);
	assert_false(f->m.intx_masked);
}

static void test_intx_second_port_pending_on_unmask(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(mtty_model_set_irq_mode(&f->m, MTTY_IRQ_INTX), 0);
	bar_wr(&f->m, 0, UART_IER, UART_IER_RDI);
	bar_wr(&f->m, 1, UART_IER, UART_IER_RDI);
	bar_wr(&f->m, 0, UART_TX, 1);
	bar_wr(&f->m, 1, UART_TX, 2);
	assert_int_equal(f->host.irqs[MTTY_IRQ_INTX], 1);
	/* Port 0 serviced, port 1 still has data: unmask fires. */
	bar_rd(&f->m, 0, UART_RX);
	mtty_model_intx_unmask(&f->m);
	assert_int_equal(f->host.irqs[MTTY_IRQ_INTX], 2);
	bar_rd(&f->m, 1, UART_RX);
	mtty_model_intx_unmask(&f->m);
	assert_int_equal(f->host.irqs[MTTY_IRQ_INTX], 2);
}

static void test_msi_each_event(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(mtty_model_set_irq_mode(&f->m, MTTY_IRQ_MSI), 0);
	/* THRI enabled with an empty FIFO fires at once. */
	bar_wr(&f->m, 0, UART_IER, UART_IER_RDI | UART_IER_THRI);
	assert_int_equal(f->host.irqs[MTTY_IRQ_MSI], 1);
	/* Data: RX cause replaces THRE. */
	bar_wr(&f->m, 0, UART_TX, 'a');
	assert_int_equal(f->host.irqs[MTTY_IRQ_MSI], 2);
	bar_wr(&f->m, 0, UART_TX, 'b');
	assert_int_equal(f->host.irqs[MTTY_IRQ_MSI], 2);
	bar_rd(&f->m, 0, UART_RX);
	assert_int_equal(f->host.irqs[MTTY_IRQ_MSI], 2);
	/* Draining empties the transmitter: THRE again. */
	bar_rd(&f->m, 0, UART_RX);
	assert_int_equal(f->host.irqs[MTTY_IRQ_MSI], 3);
	/* No masking in MSI mode: unmask is a no-op. */
	mtty_model_intx_unmask(&f->m);
	assert_int_equal(f->host.irqs[MTTY_IRQ_MSI], 3);
	/* Both ports: one message each. */
	bar_wr(&f->m, 1, UART_IER, UART_IER_THRI);
	assert_int_equal(f->host.irqs[MTTY_IRQ_MSI], 4);
	assert_int_equal(f->host.irqs[MTTY_IRQ_INTX], 0);
}

static void test_mcr_single_interrupt(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(mtty_model_set_irq_mode(&f->m, MTTY_IRQ_MSI), 0);
	bar_wr(&f->m, 0, UART_IER, UART_IER_MSI);
	assert_int_equal(fake_irq_total(&f->host), 0);
	bar_wr(&f->m, 0, UART_MCR, UART_MCR_DTR | UART_MCR_RTS | UART_MCR_OUT2);
	assert_int_equal(f->host.irqs[MTTY_IRQ_MSI], 1);
	assert_int_equal(bar_rd(&f->m, 0, UART_IIR), 0xc0);
	assert_int_equal(bar_rd(&f->m, 0, UART_MSR), 0xbb);
	assert_int_equal(bar_rd(&f->m, 0, UART_IIR), 0xc1);
	bar_wr(&f->m, 0, UART_MCR, UART_MCR_DTR);
	assert_int_equal(f->host.irqs[MTTY_IRQ_MSI], 2);
}

static void test_rls_interrupt(void **state)
{
	struct fixture *f = *state;
	unsigned int i;

	assert_int_equal(mtty_model_set_irq_mode(&f->m, MTTY_IRQ_MSI), 0);
	bar_wr(&f->m, 0, UART_IER, UART_IER_RLSI);
	for (i = 0; i < 16; i++)
		bar_wr(&f->m, 0, UART_TX, i);
	assert_int_equal(fake_irq_total(&f->host), 0);
	bar_wr(&f->m, 0, UART_TX, 0xff);
	assert_int_equal(f->host.irqs[MTTY_IRQ_MSI], 1);
	assert_int_equal(bar_rd(&f->m, 0, UART_IIR), 0xc6);
	assert_int_equal(bar_rd(&f->m, 0, UART_LSR), 0x03);
	assert_int_equal(bar_rd(&f->m, 0, UART_IIR), 0xc1);
}

static void test_no_irq_mode_is_harmless(void **state)
{
	struct fixture *f = *state;

	/* The kernel sample's NULL-eventfd case: IER before any IRQ setup. */
	bar_wr(&f->m, 0, UART_IER, 0x0f);
	bar_wr(&f->m, 0, UART_TX, 1);
	bar_wr(&f->m, 0, UART_MCR, 0x0b);
	assert_int_equal(fake_irq_total(&f->host), 0);
	assert_int_equal(bar_rd(&f->m, 0, UART_IIR), 0xc4);
	/* Enabling a mode later does not replay old causes... */
	assert_int_equal(mtty_model_set_irq_mode(&f->m, MTTY_IRQ_MSI), 0);
	assert_int_equal(fake_irq_total(&f->host), 0);
	/* ...but a new one is delivered. */
	bar_rd(&f->m, 0, UART_RX);
	assert_int_equal(f->host.irqs[MTTY_IRQ_MSI], 1); /* THRE */
}

/* Program port 0 for a timeout: 115200 8N1, FIFO trigger @fcr, RDI on. */
static void timeout_setup(struct fixture *f, uint8_t fcr)
{
	bar_set_divisor(&f->m, 0, 1, 0x03);
	bar_wr(&f->m, 0, UART_FCR, fcr);
	bar_wr(&f->m, 0, UART_IER, UART_IER_RDI);
}

static void test_timeout_timer_flow(void **state)
{
	struct fixture *f = *state;
	unsigned int calls;

	assert_int_equal(mtty_model_set_irq_mode(&f->m, MTTY_IRQ_MSI), 0);
	timeout_setup(f, 0xc1); /* trigger 14 */
	assert_int_equal(f->host.timer_calls[0], 0);
	bar_wr(&f->m, 0, UART_TX, 'a');
	assert_int_equal(f->host.timer_calls[0], 1);
	assert_int_equal(f->host.timer_delay[0], 347222);
	/* A new byte restarts the wait: a later deadline, same host timer. */
	f->host.now += 100000;
	bar_wr(&f->m, 0, UART_TX, 'b');
	assert_int_equal(f->host.timer_calls[0], 1);
	/* Accesses that do not touch the FIFO leave the timer alone. */
	bar_rd(&f->m, 0, UART_LSR);
	bar_wr(&f->m, 0, UART_SCR, 1);
	assert_int_equal(f->host.timer_calls[0], 1);
	/* An RBR read restarts it too: due 200000 + 347222. */
	f->host.now += 100000;
	assert_int_equal(bar_rd(&f->m, 0, UART_RX), 'a');
	assert_int_equal(f->host.timer_calls[0], 1);
	/* The host timer fires at 347222: early, so armed for the rest. */
	fake_timer_fire(&f->m, &f->host, 0);
	assert_int_equal(fake_irq_total(&f->host), 0);
	assert_int_equal(f->host.timer_calls[0], 2);
	assert_int_equal(f->host.timer_delay[0], 200000);
	/* Expiry at the deadline: character timeout, one interrupt, no
	 * re-arm. */
	fake_timer_fire(&f->m, &f->host, 0);
	assert_int_equal(f->host.now, 547222);
	assert_int_equal(f->host.irqs[MTTY_IRQ_MSI], 1);
	assert_int_equal(f->host.timer_calls[0], 2);
	assert_int_equal(bar_rd(&f->m, 0, UART_IIR), 0xcc);
	/* A stale second expiry does nothing. */
	mtty_model_timer_expired(&f->m, 0);
	mtty_model_timer_expired(&f->m, 5);
	assert_int_equal(f->host.irqs[MTTY_IRQ_MSI], 1);
	/* Reading the last byte: empty, no timer wanted, none running. */
	calls = f->host.timer_calls[0];
	assert_int_equal(bar_rd(&f->m, 0, UART_RX), 'b');
	assert_int_equal(bar_rd(&f->m, 0, UART_IIR), 0xc1);
	assert_int_equal(f->host.timer_calls[0], calls);
	assert_false(f->m.uart[0].timer_running);
}

/* Time passes on the fake host; port 0's timer fires when it is due. */
static void advance(struct fixture *f, uint64_t ns)
{
	f->host.now += ns;
	while (f->host.timer_due[0] && f->host.now >= f->host.timer_due[0]) {
		uint64_t now = f->host.now;

		fake_timer_fire(&f->m, &f->host, 0);
		f->host.now = now;
	}
}

/*
 * A burst of guest bytes below the trigger level, one access per character
 * time, at each of the levels 4, 8 and 14, with the host timer firing when
 * due: the timer is armed once when the wait starts and again only each
 * time it fires early (every 4 character times), not once per byte, and the
 * timeout still comes 4 character times after the last access.
 */
static void test_timeout_burst_arms_once(void **state)
{
	static const uint8_t fcrs[] = { 0x41, 0x81, 0xc1 }; /* 4, 8, 14 */
	static const unsigned int levels[] = { 4, 8, 14 };
	const uint64_t wait_ns = 347222, char_ns = wait_ns / 4;
	struct fixture *f = *state;
	unsigned int l, i, bytes, accesses;

	assert_int_equal(mtty_model_set_irq_mode(&f->m, MTTY_IRQ_MSI), 0);
	for (l = 0; l < 3; l++) {
		timeout_setup(f, fcrs[l] | UART_FCR_CLEAR_RCVR);
		f->host.timer_calls[0] = 0;
		f->host.irqs[MTTY_IRQ_MSI] = 0;
		bytes = levels[l] - 1; /* stays below the trigger level */
		for (i = 0; i < bytes; i++) {
			bar_wr(&f->m, 0, UART_TX, 'a' + i);
			advance(f, char_ns);
		}
		/* The guest reads all but one byte back. */
		for (i = 0; i + 1 < bytes; i++) {
			assert_int_equal(bar_rd(&f->m, 0, UART_RX), 'a' + i);
			advance(f, char_ns);
		}
		accesses = 2 * bytes - 1;
		/* One arm, plus one per early expiry (every 4 accesses), where
		 * re-arming per byte would have made it one per access. */
		assert_int_equal(f->host.timer_calls[0], 1 + accesses / 4);
		/* The timeout: 4 character times after the last access. */
		advance(f, wait_ns - char_ns - 1);
		assert_int_equal(f->host.irqs[MTTY_IRQ_MSI], 0);
		advance(f, 1);
		assert_int_equal(f->host.irqs[MTTY_IRQ_MSI], 1);
		assert_int_equal(f->host.timer_calls[0], 1 + accesses / 4);
		assert_int_equal(bar_rd(&f->m, 0, UART_IIR), 0xcc);
		assert_int_equal(bar_rd(&f->m, 0, UART_RX), 'a' + bytes - 1);
	}
}

static void test_timeout_timer_cancelled(void **state)
{
	struct fixture *f = *state;

	timeout_setup(f, 0x81); /* trigger 8 */
	bar_wr(&f->m, 0, UART_TX, 1);
	assert_int_equal(f->host.timer_delay[0], 347222);
	/* Reaching the trigger level: RX data cause, timer cancelled. */
	for (int i = 0; i < 7; i++)
		bar_wr(&f->m, 0, UART_TX, 1);
	assert_int_equal(f->host.timer_delay[0], 0);
	assert_false(f->m.uart[0].timer_running);
	assert_int_equal(bar_rd(&f->m, 0, UART_IIR), 0xc4);
	/* Below the level again: timer back. */
	bar_rd(&f->m, 0, UART_RX);
	assert_int_equal(f->host.timer_delay[0], 347222);
	/* A FIFO clear cancels it. */
	bar_wr(&f->m, 0, UART_FCR, 0x83);
	assert_int_equal(f->host.timer_delay[0], 0);
	/* Other port untouched throughout. */
	assert_int_equal(f->host.timer_calls[1], 0);
}

static void test_timeout_baud_dependent(void **state)
{
	struct fixture *f = *state;

	/* 9600 7E1 (divisor 12): 10 bits/char, 4 chars = 4.1666 ms. */
	bar_set_divisor(&f->m, 1, 12, 0x1a);
	bar_wr(&f->m, 1, UART_FCR, 0x41);
	bar_wr(&f->m, 1, UART_TX, 0);
	assert_int_equal(f->host.timer_delay[1], 4166666);
	assert_int_equal(f->host.timer_calls[0], 0);
}

static void test_intx_timeout(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(mtty_model_set_irq_mode(&f->m, MTTY_IRQ_INTX), 0);
	timeout_setup(f, 0x41); /* trigger 4 */
	bar_wr(&f->m, 0, UART_TX, 1);
	assert_int_equal(fake_irq_total(&f->host), 0);
	fake_timer_fire(&f->m, &f->host, 0);
	assert_int_equal(f->host.irqs[MTTY_IRQ_INTX], 1);
	assert_true(f->m.intx_masked);
}

static void test_reset(void **state)
{
	struct fixture *f = *state;
	struct mtty_model ref;
	struct fake_host ref_host = { 0 };
	uint8_t line = 0x0a, b;
	unsigned int p, r;

	assert_int_equal(mtty_model_set_irq_mode(&f->m, MTTY_IRQ_INTX), 0);
	assert_int_equal(mtty_model_write(&f->m, 7, 0x3c, &line, 1), 1);
	for (p = 0; p < 2; p++) {
		bar_set_divisor(&f->m, p, 3, 0x1f);
		bar_wr(&f->m, p, UART_FCR, 0xc1);
		bar_wr(&f->m, p, UART_IER, 0x0f);
		bar_wr(&f->m, p, UART_MCR, 0x2b);
		bar_wr(&f->m, p, UART_SCR, 0x99);
		bar_wr(&f->m, p, UART_TX, 'r');
	}
	assert_true(f->m.intx_masked);
	assert_true(f->m.uart[0].timer_running);
	mtty_model_reset(&f->m);
	/* Running timers cancelled. */
	assert_int_equal(f->host.timer_delay[0], 0);
	assert_int_equal(f->host.timer_delay[1], 0);
	assert_false(f->m.intx_masked);
	/* Config space and IRQ mode belong to the VMM: kept. */
	assert_int_equal(f->m.irq_mode, MTTY_IRQ_INTX);
	assert_int_equal(mtty_model_read(&f->m, 7, 0x3c, &b, 1), 1);
	assert_int_equal(b, 0x0a);
	/* Every UART register reads as on a fresh device. */
	assert_int_equal(mtty_model_init(&ref, 2, &fake_ops, &ref_host), 0);
	for (p = 0; p < 2; p++) {
		for (r = 0; r < 8; r++)
			assert_int_equal(bar_rd(&f->m, p, r),
					 bar_rd(&ref, p, r));
		bar_wr(&f->m, p, UART_LCR, UART_LCR_DLAB);
		bar_wr(&ref, p, UART_LCR, UART_LCR_DLAB);
		assert_int_equal(bar_rd(&f->m, p, UART_DLL), 0);
		assert_int_equal(bar_rd(&f->m, p, UART_DLM), 0);
		assert_int_equal(f->m.uart[p].fifo_count, 0);
		assert_int_equal(f->m.last_iir[p], UART_IIR_NO_INT);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_rejects),
		cmocka_unit_test(test_region_sizes),
		cmocka_unit_test_setup_teardown(test_access_errors, setup1,
						teardown),
		cmocka_unit_test_setup_teardown(test_config_through_model,
						setup1, teardown),
		cmocka_unit_test_setup_teardown(test_multibyte_bar_access,
						setup1, teardown),
		cmocka_unit_test_setup_teardown(test_ports_independent, setup2,
						teardown),
		cmocka_unit_test_setup_teardown(test_irq_mode_switching, setup1,
						teardown),
		cmocka_unit_test_setup_teardown(test_intx_automask, setup1,
						teardown),
		cmocka_unit_test_setup_teardown(test_intx_explicit_mask, setup1,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_intx_second_port_pending_on_unmask, setup2,
			teardown),
		cmocka_unit_test_setup_teardown(test_msi_each_event, setup2,
						teardown),
		cmocka_unit_test_setup_teardown(test_mcr_single_interrupt,
						setup1, teardown),
		cmocka_unit_test_setup_teardown(test_rls_interrupt, setup1,
						teardown),
		cmocka_unit_test_setup_teardown(test_no_irq_mode_is_harmless,
						setup1, teardown),
		cmocka_unit_test_setup_teardown(test_timeout_timer_flow, setup2,
						teardown),
		cmocka_unit_test_setup_teardown(test_timeout_burst_arms_once,
						setup2, teardown),
		cmocka_unit_test_setup_teardown(test_timeout_timer_cancelled,
						setup2, teardown),
		cmocka_unit_test_setup_teardown(test_timeout_baud_dependent,
						setup2, teardown),
		cmocka_unit_test_setup_teardown(test_intx_timeout, setup1,
						teardown),
		cmocka_unit_test_setup_teardown(test_reset, setup2, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
