// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for a UART on a line (struct uart16550_line): transmit to a
 * sink that may stall, receive within the FIFO's room, rx_room, carrier,
 * modem control, and the way back to loopback.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "uart16550.h"

/* A recording line: takes up to @take bytes per call. */
struct fake_line {
	struct uart16550_line line;
	uint8_t sent[256];
	size_t nr_sent;
	size_t take;
	unsigned int rx_room_calls;
	uint8_t mcr;
};

static size_t fake_transmit(void *opaque, const uint8_t *buf, size_t len)
{
	struct fake_line *f = opaque;
	size_t n = len < f->take ? len : f->take;

	memcpy(f->sent + f->nr_sent, buf, n);
	f->nr_sent += n;
	f->take -= n;
	return n;
}

static void fake_rx_room(void *opaque)
{
	((struct fake_line *)opaque)->rx_room_calls++;
}

static void fake_modem_control(void *opaque, uint8_t mcr)
{
	((struct fake_line *)opaque)->mcr = mcr;
}

static struct uart16550 u;
static struct fake_line f;

static int setup(void **state)
{
	memset(&f, 0, sizeof(f));
	f.line = (struct uart16550_line){ .transmit = fake_transmit,
					  .rx_room = fake_rx_room,
					  .modem_control = fake_modem_control,
					  .opaque = &f };
	f.take = SIZE_MAX;
	uart16550_reset(&u);
	uart16550_set_line(&u, &f.line);
	return 0;
}

static uint8_t id(void)
{
	return uart16550_iir(&u) & UART_IIR_ID_MASK;
}

static void test_transmit_goes_to_the_line(void **state)
{
	uart16550_write(&u, UART_IER, UART_IER_THRI);
	uart16550_write(&u, UART_TX, 'a');
	uart16550_write(&u, UART_TX, 'b');
	assert_int_equal(f.nr_sent, 2);
	assert_memory_equal(f.sent, "ab", 2);
	/* Nothing loops back; the transmitter is empty again. */
	assert_int_equal(uart16550_read(&u, UART_LSR),
			 UART_LSR_THRE | UART_LSR_TEMT);
	assert_int_equal(id(), UART_IIR_THRI);
}

static void test_stalled_line_keeps_thre_clear(void **state)
{
	unsigned int i;

	f.take = 1;
	uart16550_write(&u, UART_IER, UART_IER_THRI);
	/* One byte goes, then the FIFO fills with 16. */
	for (i = 0; i < UART16550_FIFO_SIZE + 1; i++)
		uart16550_write(&u, UART_TX, (uint8_t)('0' + i));
	assert_int_equal(f.nr_sent, 1);
	assert_int_equal(uart16550_read(&u, UART_LSR) &
				 (UART_LSR_THRE | UART_LSR_TEMT),
			 0);
	assert_int_equal(id(), UART_IIR_NO_INT);
	/* Full: one more byte is lost, as on hardware, and counted. */
	uart16550_write(&u, UART_TX, 'x');
	assert_int_equal(u.tx_dropped, 1);
	/* The line takes bytes again: the rest goes, in order. */
	f.take = SIZE_MAX;
	uart16550_tx_resume(&u);
	assert_int_equal(f.nr_sent, UART16550_FIFO_SIZE + 1);
	for (i = 0; i < UART16550_FIFO_SIZE + 1; i++)
		assert_int_equal(f.sent[i], '0' + i);
	assert_int_equal(id(), UART_IIR_THRI);
}

static void test_receive_within_room(void **state)
{
	uint8_t buf[20];
	unsigned int i;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)i;
	uart16550_write(&u, UART_IER, UART_IER_RDI);
	assert_int_equal(uart16550_rx_room(&u), UART16550_FIFO_SIZE);
	assert_int_equal(uart16550_receive(&u, buf, sizeof(buf)),
			 UART16550_FIFO_SIZE);
	assert_int_equal(uart16550_rx_room(&u), 0);
	assert_int_equal(uart16550_receive(&u, buf, 1), 0);
	assert_int_equal(id(), UART_IIR_RDI);
	assert_int_equal(f.rx_room_calls, 0);
	/* Reading from the full FIFO tells the line once. */
	assert_int_equal(uart16550_read(&u, UART_RX), 0);
	assert_int_equal(f.rx_room_calls, 1);
	assert_int_equal(uart16550_read(&u, UART_RX), 1);
	assert_int_equal(f.rx_room_calls, 1);
	assert_int_equal(uart16550_rx_room(&u), 2);
	/* Received bytes never count as transmitted, nor the reverse. */
	assert_true(uart16550_read(&u, UART_LSR) & UART_LSR_THRE);
	assert_int_equal(f.nr_sent, 0);
}

static void test_carrier_drives_modem_lines(void **state)
{
	uint8_t carrier = UART_MSR_CTS | UART_MSR_DSR | UART_MSR_DCD;

	assert_int_equal(uart16550_read(&u, UART_MSR) & carrier, 0);
	uart16550_write(&u, UART_IER, UART_IER_MSI);
	uart16550_set_carrier(&u, true);
	assert_int_equal(id(), UART_IIR_MSI);
	assert_int_equal(uart16550_read(&u, UART_MSR), carrier | UART_MSR_DCTS |
							       UART_MSR_DDSR |
							       UART_MSR_DDCD);
	assert_int_equal(id(), UART_IIR_NO_INT);
	uart16550_set_carrier(&u, false);
	assert_int_equal(uart16550_read(&u, UART_MSR),
			 UART_MSR_DCTS | UART_MSR_DDSR | UART_MSR_DDCD);
	/* DTR/RTS go to the line, without the sample's fake deltas. */
	uart16550_write(&u, UART_MCR, UART_MCR_DTR | UART_MCR_RTS);
	assert_int_equal(f.mcr, UART_MCR_DTR | UART_MCR_RTS);
	assert_int_equal(id(), UART_IIR_NO_INT);
}

static void test_reset_keeps_the_line(void **state)
{
	uart16550_set_carrier(&u, true);
	uart16550_write(&u, UART_SCR, 0x55);
	uart16550_reset_keep_line(&u);
	assert_ptr_equal(u.line, &f.line);
	assert_int_equal(uart16550_read(&u, UART_SCR), 0);
	assert_true(uart16550_read(&u, UART_MSR) & UART_MSR_DCD);
	uart16550_write(&u, UART_TX, 'z');
	assert_int_equal(f.nr_sent, 1);
}

static void test_back_to_loopback(void **state)
{
	uart16550_set_line(&u, NULL);
	assert_int_equal(uart16550_rx_room(&u), 0);
	assert_int_equal(uart16550_receive(&u, (const uint8_t *)"q", 1), 0);
	assert_int_equal(uart16550_read(&u, UART_MSR) &
				 (UART_MSR_DSR | UART_MSR_DCD | UART_MSR_CTS),
			 UART_MSR_DSR | UART_MSR_DCD | UART_MSR_CTS);
	uart16550_write(&u, UART_TX, 'l');
	assert_int_equal(f.nr_sent, 0);
	assert_int_equal(uart16550_read(&u, UART_RX), 'l');
}

static void test_fcr_clears_each_fifo(void **state)
{
	f.take = 0;
	uart16550_write(&u, UART_TX, 't');
	assert_int_equal(uart16550_receive(&u, (const uint8_t *)"r", 1), 1);
	uart16550_write(&u, UART_FCR,
			UART_FCR_ENABLE_FIFO | UART_FCR_CLEAR_XMIT);
	assert_int_equal(uart16550_read(&u, UART_LSR),
			 UART_LSR_DR | UART_LSR_THRE | UART_LSR_TEMT);
	uart16550_write(&u, UART_FCR,
			UART_FCR_ENABLE_FIFO | UART_FCR_CLEAR_RCVR);
	assert_int_equal(uart16550_read(&u, UART_LSR) & UART_LSR_DR, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_transmit_goes_to_the_line, setup),
		cmocka_unit_test_setup(test_stalled_line_keeps_thre_clear,
				       setup),
		cmocka_unit_test_setup(test_receive_within_room, setup),
		cmocka_unit_test_setup(test_carrier_drives_modem_lines, setup),
		cmocka_unit_test_setup(test_reset_keeps_the_line, setup),
		cmocka_unit_test_setup(test_back_to_loopback, setup),
		cmocka_unit_test_setup(test_fcr_clears_each_fifo, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
