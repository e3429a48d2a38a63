// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for uart16550: registers, FIFO, IIR priority, timeout. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "uart16550.h"

#define IIR_FIFO UART_IIR_FIFO_ENABLED

static struct uart16550 fresh(void)
{
	struct uart16550 u;

	memset(&u, 0xa5, sizeof(u)); /* reset must overwrite everything */
	uart16550_reset(&u);
	return u;
}

static void put_bytes(struct uart16550 *u, unsigned int n, uint8_t first)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		uart16550_write(u, UART_TX, (uint8_t)(first + i));
}

static uint8_t iir(struct uart16550 *u)
{
	return uart16550_read(u, UART_IIR);
}

static void test_power_on_state(void **state)
{
	struct uart16550 u = fresh();

	assert_int_equal(uart16550_read(&u, UART_IER), 0);
	assert_int_equal(iir(&u), IIR_FIFO | UART_IIR_NO_INT); /* 0xc1 */
	assert_int_equal(uart16550_read(&u, UART_LCR), 0);
	assert_int_equal(uart16550_read(&u, UART_MCR), 0);
	assert_int_equal(uart16550_read(&u, UART_LSR), 0x60);
	assert_int_equal(uart16550_read(&u, UART_MSR), 0xb0);
	assert_int_equal(uart16550_read(&u, UART_SCR), 0);
	assert_int_equal(uart16550_read(&u, UART_RX), 0); /* empty */
	assert_int_equal(u.divisor, 0);
	assert_int_equal(u.fifo_count, 0);
	assert_false(u.thre_pending);
	assert_false(u.timeout_pending);
	assert_false(u.timer_running);
	assert_int_equal(uart16550_trigger_level(&u), 1);
	assert_int_equal(uart16550_fifo_depth(&u), 16);
	assert_int_equal(uart16550_timer_wanted(&u), 0);
	assert_false(uart16550_irq_pending(&u));
}

static void test_loopback_order(void **state)
{
	struct uart16550 u = fresh();
	unsigned int i;

	put_bytes(&u, 5, 'a');
	assert_int_equal(uart16550_read(&u, UART_LSR), UART_LSR_DR);
	for (i = 0; i < 5; i++)
		assert_int_equal(uart16550_read(&u, UART_RX), 'a' + i);
	assert_int_equal(uart16550_read(&u, UART_LSR), 0x60);
	assert_int_equal(uart16550_read(&u, UART_RX), 0);
}

static void test_fifo_edges(void **state)
{
	static const unsigned int sizes[] = { 0, 1, 15, 16, 17 };
	unsigned int s, i;

	for (s = 0; s < 5; s++) {
		struct uart16550 u = fresh();
		unsigned int n = sizes[s], kept = n > 16 ? 16 : n;
		uint8_t lsr;

		put_bytes(&u, n, 0x30);
		assert_int_equal(u.fifo_count, kept);
		lsr = uart16550_read(&u, UART_LSR);
		assert_int_equal(!!(lsr & UART_LSR_DR), n > 0);
		assert_int_equal(!!(lsr & UART_LSR_THRE), n == 0);
		assert_int_equal(!!(lsr & UART_LSR_TEMT), n == 0);
		assert_int_equal(!!(lsr & UART_LSR_OE), n > 16);
		for (i = 0; i < kept; i++)
			assert_int_equal(uart16550_read(&u, UART_RX), 0x30 + i);
		/* The 17th byte was dropped, not stored over the first. */
		assert_int_equal(u.fifo_count, 0);
		assert_int_equal(uart16550_read(&u, UART_LSR), 0x60);
	}
}

static void test_fifo_wraps(void **state)
{
	struct uart16550 u = fresh();
	unsigned int i;

	put_bytes(&u, 10, 0);
	for (i = 0; i < 8; i++)
		assert_int_equal(uart16550_read(&u, UART_RX), i);
	put_bytes(&u, 14, 10); /* 2 + 14 = 16, wraps the ring */
	assert_int_equal(u.fifo_count, 16);
	assert_int_equal(uart16550_read(&u, UART_LSR) & UART_LSR_OE, 0);
	for (i = 8; i < 24; i++)
		assert_int_equal(uart16550_read(&u, UART_RX), i);
}

static void test_overrun_and_lsr_read_clears(void **state)
{
	struct uart16550 u = fresh();

	uart16550_write(&u, UART_IER, UART_IER_RLSI);
	put_bytes(&u, 16, 0);
	assert_int_equal(iir(&u), IIR_FIFO | UART_IIR_NO_INT);
	put_bytes(&u, 1, 0xff);
	assert_int_equal(iir(&u), IIR_FIFO | UART_IIR_RLSI);
	/* The cause stays until LSR is read; IIR reads do not clear it. */
	assert_int_equal(iir(&u), IIR_FIFO | UART_IIR_RLSI);
	assert_int_equal(uart16550_read(&u, UART_LSR),
			 UART_LSR_DR | UART_LSR_OE);
	assert_int_equal(uart16550_read(&u, UART_LSR), UART_LSR_DR);
	assert_int_equal(iir(&u), IIR_FIFO | UART_IIR_NO_INT);
	/* A successful write does not clear OE by itself either. */
	uart16550_read(&u, UART_RX);
	put_bytes(&u, 2, 0);
	assert_int_equal(uart16550_read(&u, UART_LSR) & UART_LSR_OE,
			 UART_LSR_OE);
}

static void test_fifo_disabled_depth_one(void **state)
{
	struct uart16550 u = fresh();

	uart16550_write(&u, UART_FCR, 0);
	assert_int_equal(uart16550_fifo_depth(&u), 1);
	assert_int_equal(uart16550_trigger_level(&u), 1);
	/* No FIFO: IIR bits 7:6 read 0. */
	assert_int_equal(iir(&u), UART_IIR_NO_INT);
	put_bytes(&u, 2, 'x');
	assert_int_equal(uart16550_read(&u, UART_LSR),
			 UART_LSR_DR | UART_LSR_OE);
	assert_int_equal(uart16550_read(&u, UART_RX), 'x');
	assert_int_equal(uart16550_read(&u, UART_RX), 0);
	/* Trigger bits written with the FIFO off do not apply. */
	uart16550_write(&u, UART_FCR, UART_FCR_TRIGGER_14);
	assert_int_equal(uart16550_trigger_level(&u), 1);
	assert_int_equal(uart16550_timer_wanted(&u), 0);
}

static void test_fcr_clear_and_toggle(void **state)
{
	struct uart16550 u = fresh();

	put_bytes(&u, 5, 0);
	uart16550_write(&u, UART_FCR,
			UART_FCR_ENABLE_FIFO | UART_FCR_CLEAR_RCVR);
	assert_int_equal(u.fifo_count, 0);
	put_bytes(&u, 5, 0);
	uart16550_write(&u, UART_FCR,
			UART_FCR_ENABLE_FIFO | UART_FCR_CLEAR_XMIT);
	assert_int_equal(u.fifo_count, 0);
	/* The clear bits self-clear: they are not remembered. */
	assert_int_equal(u.fcr, UART_FCR_ENABLE_FIFO);
	/* Keeping the FIFO enabled keeps its contents. */
	put_bytes(&u, 5, 0);
	uart16550_write(&u, UART_FCR,
			UART_FCR_ENABLE_FIFO | UART_FCR_TRIGGER_8);
	assert_int_equal(u.fifo_count, 5);
	/* Toggling FCR bit 0 resets the FIFO, as on a 16550A. */
	uart16550_write(&u, UART_FCR, 0);
	assert_int_equal(u.fifo_count, 0);
	put_bytes(&u, 1, 0);
	uart16550_write(&u, UART_FCR, UART_FCR_ENABLE_FIFO);
	assert_int_equal(u.fifo_count, 0);
}

static void check_trigger_level(uint8_t fcr_bits, unsigned int level)
{
	struct uart16550 u = fresh();
	unsigned int i;

	uart16550_write(&u, UART_FCR, UART_FCR_ENABLE_FIFO | fcr_bits);
	uart16550_write(&u, UART_IER, UART_IER_RDI);
	assert_int_equal(uart16550_trigger_level(&u), level);
	for (i = 1; i < level; i++) {
		put_bytes(&u, 1, 0);
		assert_int_equal(iir(&u), IIR_FIFO | UART_IIR_NO_INT);
	}
	put_bytes(&u, 1, 0);
	assert_int_equal(iir(&u), IIR_FIFO | UART_IIR_RDI);
	/* Still above: stays; one read below the level: gone. */
	put_bytes(&u, 1, 0);
	assert_int_equal(iir(&u), IIR_FIFO | UART_IIR_RDI);
	uart16550_read(&u, UART_RX);
	assert_int_equal(iir(&u), IIR_FIFO | UART_IIR_RDI);
	uart16550_read(&u, UART_RX);
	assert_int_equal(iir(&u), IIR_FIFO | UART_IIR_NO_INT);
	/* RDI disabled: no cause even at the level. */
	uart16550_write(&u, UART_IER, 0);
	put_bytes(&u, level, 0);
	assert_int_equal(iir(&u), IIR_FIFO | UART_IIR_NO_INT);
}

static void test_trigger_level_1(void **state)
{
	check_trigger_level(UART_FCR_TRIGGER_1, 1);
}

static void test_trigger_level_4(void **state)
{
	check_trigger_level(UART_FCR_TRIGGER_4, 4);
}

static void test_trigger_level_8(void **state)
{
	check_trigger_level(UART_FCR_TRIGGER_8, 8);
}

static void test_trigger_level_14(void **state)
{
	check_trigger_level(UART_FCR_TRIGGER_14, 14);
}

/* Expected 4-character timeout, computed the slow, obvious way. */
static uint64_t four_chars_ns(unsigned int half_bits, unsigned int divisor)
{
	return (uint64_t)half_bits * divisor * 4 * 1000000000ull / 230400;
}

static void test_timer_wanted_frames(void **state)
{
	static const struct {
		uint8_t lcr;
		unsigned int half_bits;
	} frames[] = {
		{ 0x00, 2 * (1 + 5) + 2 }, /* 5N1 */
		{ 0x04, 2 * (1 + 5) + 3 }, /* 5N1.5 */
		{ 0x01 | 0x08, 2 * (1 + 6 + 1) + 2 }, /* 6, parity, 1 */
		{ 0x02 | 0x04, 2 * (1 + 7) + 4 }, /* 7N2 */
		{ 0x03, 2 * (1 + 8) + 2 }, /* 8N1 */
		{ 0x03 | 0x08 | 0x04, 2 * (1 + 8 + 1) + 4 }, /* 8, parity, 2 */
	};
	static const uint16_t divisors[] = { 1, 3, 12, 96, 0x8000, 0xffff };
	unsigned int f, d;

	for (f = 0; f < sizeof(frames) / sizeof(frames[0]); f++) {
		for (d = 0; d < sizeof(divisors) / sizeof(divisors[0]); d++) {
			struct uart16550 u = fresh();

			uart16550_write(&u, UART_FCR, 0xc1); /* level 14 */
			uart16550_write(&u, UART_LCR, UART_LCR_DLAB);
			uart16550_write(&u, UART_DLL, divisors[d] & 0xff);
			uart16550_write(&u, UART_DLM, divisors[d] >> 8);
			uart16550_write(&u, UART_LCR, frames[f].lcr);
			put_bytes(&u, 1, 0);
			assert_int_equal(uart16550_timer_wanted(&u),
					 four_chars_ns(frames[f].half_bits,
						       divisors[d]));
			assert_int_equal(uart16550_char_time_ns(&u),
					 (uint64_t)frames[f].half_bits *
						 divisors[d] * 1000000000ull /
						 230400);
		}
	}
}

static void test_timer_known_values(void **state)
{
	struct uart16550 u = fresh();

	uart16550_write(&u, UART_FCR, 0xc1);
	uart16550_write(&u, UART_LCR, UART_LCR_DLAB);
	uart16550_write(&u, UART_DLL, 1);
	uart16550_write(&u, UART_LCR, 0x03);
	put_bytes(&u, 1, 0);
	/* 115200 8N1: 10 bits per char, 4 chars = 347.222 us. */
	assert_int_equal(uart16550_timer_wanted(&u), 347222);
	assert_int_equal(uart16550_char_time_ns(&u), 86805);
	/* Divisor 0 counts as 65536. */
	uart16550_write(&u, UART_LCR, UART_LCR_DLAB);
	uart16550_write(&u, UART_DLL, 0);
	uart16550_write(&u, UART_LCR, 0x03);
	assert_int_equal(uart16550_timer_wanted(&u), four_chars_ns(20, 65536));
}

static void test_timer_wanted_conditions(void **state)
{
	struct uart16550 u = fresh();

	uart16550_write(&u, UART_FCR,
			UART_FCR_ENABLE_FIFO | UART_FCR_TRIGGER_4);
	assert_int_equal(uart16550_timer_wanted(&u), 0); /* empty */
	put_bytes(&u, 3, 0);
	assert_true(uart16550_timer_wanted(&u) > 0); /* below level */
	put_bytes(&u, 1, 0);
	assert_int_equal(uart16550_timer_wanted(&u), 0); /* at level */
	uart16550_read(&u, UART_RX);
	assert_true(uart16550_timer_wanted(&u) > 0);
	uart16550_timer_expired(&u);
	/* Once the timeout is indicated no further timer is needed. */
	assert_true(u.timeout_pending);
	assert_int_equal(uart16550_timer_wanted(&u), 0);
}

static void test_character_timeout(void **state)
{
	struct uart16550 u = fresh();

	uart16550_write(&u, UART_FCR,
			UART_FCR_ENABLE_FIFO | UART_FCR_TRIGGER_8);
	uart16550_write(&u, UART_IER, UART_IER_RDI);
	put_bytes(&u, 3, 'a');
	assert_int_equal(iir(&u), IIR_FIFO | UART_IIR_NO_INT);
	uart16550_timer_expired(&u);
	assert_int_equal(iir(&u), IIR_FIFO | UART_IIR_CTI); /* 0xcc */
	assert_int_equal(iir(&u), IIR_FIFO | UART_IIR_CTI); /* not by IIR */
	/* Reading a byte clears the indication and restarts the wait. */
	assert_int_equal(uart16550_read(&u, UART_RX), 'a');
	assert_int_equal(iir(&u), IIR_FIFO | UART_IIR_NO_INT);
	assert_true(uart16550_timer_wanted(&u) > 0);
	uart16550_timer_expired(&u);
	assert_int_equal(iir(&u), IIR_FIFO | UART_IIR_CTI);
	/* A new byte clears it too. */
	put_bytes(&u, 1, 'z');
	assert_int_equal(iir(&u), IIR_FIFO | UART_IIR_NO_INT);
	/* Without IER.RDI the indication is held but not reported. */
	uart16550_timer_expired(&u);
	uart16550_write(&u, UART_IER, 0);
	assert_int_equal(iir(&u), IIR_FIFO | UART_IIR_NO_INT);
	uart16550_write(&u, UART_IER, UART_IER_RDI);
	assert_int_equal(iir(&u), IIR_FIFO | UART_IIR_CTI);
	/* FIFO clear drops it. */
	uart16550_write(&u, UART_FCR, 0x83);
	assert_false(u.timeout_pending);
	assert_int_equal(iir(&u), IIR_FIFO | UART_IIR_NO_INT);
}

static void test_timeout_not_when_empty_or_at_level(void **state)
{
	struct uart16550 u = fresh();

	uart16550_write(&u, UART_FCR,
			UART_FCR_ENABLE_FIFO | UART_FCR_TRIGGER_4);
	uart16550_write(&u, UART_IER, UART_IER_RDI);
	uart16550_timer_expired(&u);
	assert_false(u.timeout_pending);
	put_bytes(&u, 4, 0);
	uart16550_timer_expired(&u);
	assert_false(u.timeout_pending);
	assert_int_equal(iir(&u), IIR_FIFO | UART_IIR_RDI);
	/* FIFO disabled: never a timeout. */
	uart16550_write(&u, UART_FCR, 0);
	put_bytes(&u, 1, 0);
	uart16550_timer_expired(&u);
	assert_false(u.timeout_pending);
}

static void test_thre_cause(void **state)
{
	struct uart16550 u = fresh();

	/* Enabling THRI with an empty transmitter: cause at once. */
	uart16550_write(&u, UART_IER, UART_IER_THRI);
	assert_int_equal(uart16550_read(&u, UART_IIR),
			 IIR_FIFO | UART_IIR_THRI);
	/* Reading IIR acknowledges it. */
	assert_int_equal(iir(&u), IIR_FIFO | UART_IIR_NO_INT);
	/* Writing IER again re-arms it. */
	uart16550_write(&u, UART_IER, UART_IER_THRI);
	assert_true(uart16550_irq_pending(&u));
	/* A THR write clears it. */
	put_bytes(&u, 2, 0);
	assert_int_equal(iir(&u), IIR_FIFO | UART_IIR_NO_INT);
	/* IER write with data queued: no THRE. */
	uart16550_write(&u, UART_IER, UART_IER_THRI);
	assert_int_equal(iir(&u), IIR_FIFO | UART_IIR_NO_INT);
	/* Draining the FIFO makes the transmitter empty: THRE. */
	uart16550_read(&u, UART_RX);
	assert_int_equal(iir(&u), IIR_FIFO | UART_IIR_NO_INT);
	uart16550_read(&u, UART_RX);
	assert_int_equal(iir(&u), IIR_FIFO | UART_IIR_THRI);
	assert_int_equal(iir(&u), IIR_FIFO | UART_IIR_NO_INT);
	/* Reading an already empty RBR does not re-arm it. */
	uart16550_read(&u, UART_RX);
	assert_int_equal(iir(&u), IIR_FIFO | UART_IIR_NO_INT);
	/* Held while THRI is off, reported once enabled. */
	uart16550_write(&u, UART_IER, 0);
	put_bytes(&u, 1, 0);
	uart16550_read(&u, UART_RX);
	assert_true(u.thre_pending);
	assert_false(uart16550_irq_pending(&u));
}

static void test_iir_priority_all_causes(void **state)
{
	struct uart16550 u = fresh();
	unsigned int i;

	uart16550_write(&u, UART_IER, 0x0f);
	assert_int_equal(iir(&u), IIR_FIFO | UART_IIR_THRI); /* and ack */
	/* Modem status (MCR write with IER.MSI), data, and overrun. */
	uart16550_write(&u, UART_MCR, UART_MCR_DTR);
	assert_int_equal(iir(&u), IIR_FIFO | UART_IIR_MSI); /* 0xc0 */
	put_bytes(&u, 17, 0);
	/* One cause, never an OR of several. */
	assert_int_equal(iir(&u), IIR_FIFO | UART_IIR_RLSI);
	uart16550_read(&u, UART_LSR);
	assert_int_equal(iir(&u), IIR_FIFO | UART_IIR_RDI);
	for (i = 0; i < 16; i++)
		uart16550_read(&u, UART_RX);
	/* THR empty outranks modem status. */
	assert_int_equal(iir(&u), IIR_FIFO | UART_IIR_THRI);
	assert_int_equal(iir(&u), IIR_FIFO | UART_IIR_MSI);
	assert_int_equal(uart16550_read(&u, UART_MSR), 0xb2);
	assert_int_equal(iir(&u), IIR_FIFO | UART_IIR_NO_INT);
}

static void test_iir_priority_timeout_over_thre(void **state)
{
	struct uart16550 u = fresh();

	uart16550_write(&u, UART_FCR,
			UART_FCR_ENABLE_FIFO | UART_FCR_TRIGGER_4);
	uart16550_write(&u, UART_IER, 0x0f);
	uart16550_write(&u, UART_MCR, UART_MCR_RTS);
	put_bytes(&u, 1, 0);
	uart16550_timer_expired(&u);
	assert_int_equal(iir(&u), IIR_FIFO | UART_IIR_CTI);
	uart16550_read(&u, UART_RX);
	assert_int_equal(iir(&u), IIR_FIFO | UART_IIR_THRI);
	assert_int_equal(iir(&u), IIR_FIFO | UART_IIR_MSI);
}

static void test_iir_read_keeps_unreported_thre(void **state)
{
	struct uart16550 u = fresh();

	uart16550_write(&u, UART_FCR, 0); /* depth 1 */
	uart16550_write(&u, UART_IER, UART_IER_RLSI | UART_IER_THRI);
	put_bytes(&u, 2, 0); /* overrun */
	uart16550_read(&u, UART_RX); /* transmitter empty: THRE armed */
	assert_int_equal(iir(&u), UART_IIR_RLSI);
	assert_true(u.thre_pending); /* not reported, so not acknowledged */
	uart16550_read(&u, UART_LSR);
	assert_int_equal(iir(&u), UART_IIR_THRI);
	assert_int_equal(iir(&u), UART_IIR_NO_INT);
}

static void test_dlab(void **state)
{
	struct uart16550 u = fresh();

	uart16550_write(&u, UART_IER, 0x05);
	uart16550_write(&u, UART_LCR, UART_LCR_DLAB | 0x03);
	assert_int_equal(uart16550_read(&u, UART_LCR), 0x83);
	uart16550_write(&u, UART_DLL, 0x0c);
	uart16550_write(&u, UART_DLM, 0x12);
	assert_int_equal(u.divisor, 0x120c);
	assert_int_equal(uart16550_read(&u, UART_DLL), 0x0c);
	assert_int_equal(uart16550_read(&u, UART_DLM), 0x12);
	/* Nothing reached the FIFO or IER. */
	assert_int_equal(u.fifo_count, 0);
	assert_int_equal(uart16550_read(&u, UART_LSR), 0x60);
	/* Registers 2..7 are unaffected by DLAB. */
	uart16550_write(&u, UART_SCR, 0x5a);
	assert_int_equal(uart16550_read(&u, UART_SCR), 0x5a);
	assert_int_equal(iir(&u), IIR_FIFO | UART_IIR_NO_INT);
	/* Divisor bytes are assigned, not OR-ed. */
	uart16550_write(&u, UART_DLL, 0x03);
	assert_int_equal(u.divisor, 0x1203);
	uart16550_write(&u, UART_DLM, 0x00);
	assert_int_equal(u.divisor, 0x0003);
	uart16550_write(&u, UART_LCR, 0x03);
	assert_int_equal(uart16550_read(&u, UART_IER), 0x05);
	put_bytes(&u, 1, 'q');
	assert_int_equal(uart16550_read(&u, UART_RX), 'q');
	/* Setting DLAB again keeps the divisor. */
	uart16550_write(&u, UART_LCR, UART_LCR_DLAB);
	assert_int_equal(uart16550_read(&u, UART_DLL), 0x03);
	assert_int_equal(uart16550_read(&u, UART_DLM), 0x00);
}

static void test_plain_registers(void **state)
{
	struct uart16550 u = fresh();

	uart16550_write(&u, UART_IER, 0xff);
	assert_int_equal(uart16550_read(&u, UART_IER), 0x0f);
	uart16550_write(&u, UART_IER, 0);
	uart16550_write(&u, UART_LCR, 0x1b);
	assert_int_equal(uart16550_read(&u, UART_LCR), 0x1b);
	uart16550_write(&u, UART_MCR, 0x1f);
	assert_int_equal(uart16550_read(&u, UART_MCR), 0x1f);
	uart16550_write(&u, UART_SCR, 0xa5);
	assert_int_equal(uart16550_read(&u, UART_SCR), 0xa5);
	uart16550_write(&u, UART_SCR, 0x00);
	assert_int_equal(uart16550_read(&u, UART_SCR), 0x00);
	/* LSR and MSR ignore writes. */
	uart16550_write(&u, UART_LSR, 0xff);
	assert_int_equal(uart16550_read(&u, UART_LSR), 0x60);
	uart16550_write(&u, UART_MSR, 0xff);
	assert_int_equal(uart16550_read(&u, UART_MSR), 0xb0);
	/* Out-of-range register numbers are harmless. */
	uart16550_write(&u, 8, 0x12);
	assert_int_equal(uart16550_read(&u, 8), 0xff);
}

static void test_msr_deltas_from_mcr(void **state)
{
	struct uart16550 u = fresh();

	/* Without IER.MSI an MCR write changes nothing in MSR. */
	uart16550_write(&u, UART_MCR, 0x0b);
	assert_int_equal(uart16550_read(&u, UART_MSR), 0xb0);
	uart16550_write(&u, UART_IER, UART_IER_MSI);
	uart16550_write(&u, UART_MCR, UART_MCR_DTR);
	assert_int_equal(iir(&u), IIR_FIFO | UART_IIR_MSI);
	assert_int_equal(uart16550_read(&u, UART_MSR), 0xb0 | UART_MSR_DDSR);
	/* Delta bits clear on read. */
	assert_int_equal(uart16550_read(&u, UART_MSR), 0xb0);
	assert_int_equal(iir(&u), IIR_FIFO | UART_IIR_NO_INT);
	uart16550_write(&u, UART_MCR, UART_MCR_RTS);
	assert_int_equal(uart16550_read(&u, UART_MSR), 0xb0 | UART_MSR_DCTS);
	uart16550_write(&u, UART_MCR, UART_MCR_OUT2);
	assert_int_equal(uart16550_read(&u, UART_MSR), 0xb0 | UART_MSR_DDCD);
	/* All three in one write: one modem-status cause. */
	uart16550_write(&u, UART_MCR, 0x0b);
	assert_int_equal(iir(&u), IIR_FIFO | UART_IIR_MSI);
	assert_int_equal(uart16550_read(&u, UART_MSR), 0xbb);
	/* OUT1 / LOOP alone are no modem event. */
	uart16550_write(&u, UART_MCR, UART_MCR_OUT1 | UART_MCR_LOOP);
	assert_int_equal(uart16550_read(&u, UART_MSR), 0xb0);
}

static void test_msr_cts_auto_flow(void **state)
{
	struct uart16550 u = fresh();
	unsigned int i;

	uart16550_write(&u, UART_MCR, UART_MCR_AFE);
	assert_int_equal(uart16550_read(&u, UART_MSR), 0xb0);
	put_bytes(&u, 15, 0);
	assert_int_equal(uart16550_read(&u, UART_MSR), 0xb0);
	put_bytes(&u, 1, 0); /* full: CTS drops */
	assert_int_equal(uart16550_read(&u, UART_MSR), 0xa0 | UART_MSR_DCTS);
	assert_int_equal(uart16550_read(&u, UART_MSR), 0xa0);
	uart16550_read(&u, UART_RX); /* room again */
	assert_int_equal(uart16550_read(&u, UART_MSR), 0xb0 | UART_MSR_DCTS);
	/* Without AFE CTS is always asserted, full FIFO or not. */
	put_bytes(&u, 1, 0);
	uart16550_read(&u, UART_MSR);
	uart16550_write(&u, UART_MCR, 0);
	assert_int_equal(uart16550_read(&u, UART_MSR), 0xb0 | UART_MSR_DCTS);
	for (i = 0; i < 3; i++)
		assert_int_equal(uart16550_read(&u, UART_MSR), 0xb0);
	/* AFE with FIFO disabled: one byte fills it. */
	uart16550_write(&u, UART_FCR, 0);
	uart16550_write(&u, UART_MCR, UART_MCR_AFE);
	put_bytes(&u, 1, 0);
	assert_int_equal(uart16550_read(&u, UART_MSR) & UART_MSR_CTS, 0);
}

static void test_reset_restores_power_on(void **state)
{
	struct uart16550 u, ref;

	memset(&u, 0xa5, sizeof(u));
	uart16550_reset(&u);
	uart16550_reset(&ref);

	uart16550_write(&u, UART_LCR, UART_LCR_DLAB);
	uart16550_write(&u, UART_DLL, 7);
	uart16550_write(&u, UART_LCR, 0x1f);
	uart16550_write(&u, UART_IER, 0x0f);
	uart16550_write(&u, UART_FCR, 0xc9);
	uart16550_write(&u, UART_MCR, 0x3f);
	uart16550_write(&u, UART_SCR, 0x77);
	put_bytes(&u, 17, 1);
	uart16550_timer_expired(&u);
	u.timer_running = true;
	uart16550_reset(&u);
	assert_memory_equal(&u, &ref, sizeof(u));
	assert_int_equal(uart16550_read(&u, UART_LSR), 0x60);
	assert_int_equal(uart16550_read(&u, UART_MSR), 0xb0);
	assert_int_equal(iir(&u), 0xc1);
}

/*
 * For every register, in states reached by a fixed pseudo-random mix of
 * accesses: whenever uart16550_read_changes_state() says a read changes
 * nothing, the read leaves the UART byte for byte as it was; and reads
 * with a side effect are reported.
 */
static void check_read_changes_state(const struct uart16550 *u,
				     unsigned int *pure, unsigned int *effect)
{
	unsigned int reg;

	for (reg = 0; reg < 8; reg++) {
		struct uart16550 copy = *u;
		bool changes = uart16550_read_changes_state(&copy, reg);

		uart16550_read(&copy, reg);
		if (!changes) {
			assert_memory_equal(&copy, u, sizeof(copy));
			(*pure)++;
		} else if (memcmp(&copy, u, sizeof(copy))) {
			(*effect)++;
		}
	}
}

static void test_read_changes_state(void **state)
{
	struct uart16550 u = fresh();
	unsigned int step, pure = 0, effect = 0;
	uint32_t rnd = 12345;

	for (step = 0; step < 4000; step++) {
		unsigned int reg, val;

		check_read_changes_state(&u, &pure, &effect);
		rnd = rnd * 1103515245 + 12345;
		reg = (rnd >> 16) & 7;
		val = (rnd >> 8) & 0xff;
		if (rnd & 0x80000000) {
			/* Keep DLAB mostly clear, so the FIFO sees traffic. */
			if (reg == UART_LCR && (val & UART_LCR_DLAB) &&
			    (rnd & 0x40000000))
				val &= ~UART_LCR_DLAB;
			uart16550_write(&u, reg, val);
		} else if (reg == 7) {
			uart16550_timer_expired(&u);
		} else {
			uart16550_read(&u, reg);
		}
	}
	/* Both kinds occurred: the check above was not vacuous. */
	assert_true(pure > 1000);
	assert_true(effect > 100);

	/* The reads a benchmark or a polling driver makes are pure. */
	u = fresh();
	assert_false(uart16550_read_changes_state(&u, UART_SCR));
	assert_false(uart16550_read_changes_state(&u, UART_LSR));
	assert_false(uart16550_read_changes_state(&u, UART_MSR));
	assert_false(uart16550_read_changes_state(&u, UART_RX)); /* empty */
	put_bytes(&u, 1, 'a');
	assert_true(uart16550_read_changes_state(&u, UART_RX));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_power_on_state),
		cmocka_unit_test(test_loopback_order),
		cmocka_unit_test(test_fifo_edges),
		cmocka_unit_test(test_fifo_wraps),
		cmocka_unit_test(test_overrun_and_lsr_read_clears),
		cmocka_unit_test(test_fifo_disabled_depth_one),
		cmocka_unit_test(test_fcr_clear_and_toggle),
		cmocka_unit_test(test_trigger_level_1),
		cmocka_unit_test(test_trigger_level_4),
		cmocka_unit_test(test_trigger_level_8),
		cmocka_unit_test(test_trigger_level_14),
		cmocka_unit_test(test_timer_wanted_frames),
		cmocka_unit_test(test_timer_known_values),
		cmocka_unit_test(test_timer_wanted_conditions),
		cmocka_unit_test(test_character_timeout),
		cmocka_unit_test(test_timeout_not_when_empty_or_at_level),
		cmocka_unit_test(test_thre_cause),
		cmocka_unit_test(test_iir_priority_all_causes),
		cmocka_unit_test(test_iir_priority_timeout_over_thre),
		cmocka_unit_test(test_iir_read_keeps_unreported_thre),
		cmocka_unit_test(test_dlab),
		cmocka_unit_test(test_plain_registers),
		cmocka_unit_test(test_msr_deltas_from_mcr),
		cmocka_unit_test(test_msr_cts_auto_flow),
		cmocka_unit_test(test_reset_restores_power_on),
		cmocka_unit_test(test_read_changes_state),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
