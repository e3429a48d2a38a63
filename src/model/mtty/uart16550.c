// SPDX-License-Identifier: GPL-2.0-only
/*
 * uart16550 - a 16550A UART, looping back or talking to a line.
 *
 * Loopback: the RX FIFO doubles as the TX FIFO (a byte written to THR is
 * the next byte RBR returns), as in the kernel's mtty sample.  With a line,
 * THR writes go to a separate TX FIFO that the line drains (at once, as
 * fast as it takes bytes) and the line's bytes fill the RX FIFO.  Interrupt causes are
 * never "raised" here: uart16550_iir() derives the one pending cause from
 * state, and the owner compares it between accesses.
 */
#include "uart16550.h"

/* Writable IER bits on a 16550A; the upper nibble reads 0. */
#define UART_IER_MASK 0x0f
/* FCR bits that are remembered (the clear bits are self-clearing). */
#define UART_FCR_STORED \
	(UART_FCR_ENABLE_FIFO | UART_FCR_DMA_SELECT | UART_FCR_TRIGGER_MASK)
/* The modem lines the device presents: DSR and DCD are always asserted. */
#define UART_MSR_STATIC (UART_MSR_DSR | UART_MSR_DCD)
/* The modem lines a line's carrier drives. */
#define UART_MSR_CARRIER (UART_MSR_CTS | UART_MSR_DSR | UART_MSR_DCD)

static bool uart_dlab(const struct uart16550 *uart)
{
	return uart->lcr & UART_LCR_DLAB;
}

static bool uart_fifo_enabled(const struct uart16550 *uart)
{
	return uart->fcr & UART_FCR_ENABLE_FIFO;
}

unsigned int uart16550_fifo_depth(const struct uart16550 *uart)
{
	return uart_fifo_enabled(uart) ? UART16550_FIFO_SIZE : 1;
}

unsigned int uart16550_trigger_level(const struct uart16550 *uart)
{
	if (!uart_fifo_enabled(uart))
		return 1;
	switch (uart->fcr & UART_FCR_TRIGGER_MASK) {
	case UART_FCR_TRIGGER_4:
		return 4;
	case UART_FCR_TRIGGER_8:
		return 8;
	case UART_FCR_TRIGGER_14:
		return 14;
	default:
		return 1;
	}
}

/* Is the transmitter empty (THRE, TEMT)?  Loopback shares the RX FIFO. */
static bool uart_tx_empty(const struct uart16550 *uart)
{
	return uart->line ? !uart->tx_count : !uart->fifo_count;
}

/*
 * CTS follows the kernel sample: asserted, except that with auto flow
 * control (MCR AFE) it drops while the FIFO is full.  A change sets DCTS,
 * which the guest sees until it next reads MSR.  With a line, CTS is the
 * carrier's (uart16550_set_carrier()).
 */
static void uart_update_cts(struct uart16550 *uart)
{
	bool cts = !(uart->mcr & UART_MCR_AFE) ||
		   uart->fifo_count < uart16550_fifo_depth(uart);

	if (uart->line || cts == !!(uart->msr & UART_MSR_CTS))
		return;
	uart->msr ^= UART_MSR_CTS;
	uart->msr |= UART_MSR_DCTS;
}

/* The line was cut short and the RX FIFO has room again: say so. */
static void uart_rx_room_made(struct uart16550 *uart)
{
	if (!uart->line || !uart->rx_stalled)
		return;
	uart->rx_stalled = false;
	if (uart->line->rx_room)
		uart->line->rx_room(uart->line->opaque);
}

static void uart_rx_clear(struct uart16550 *uart)
{
	if (uart->fifo_count && !uart->line)
		uart->thre_pending = true; /* the transmitter just emptied */
	uart->fifo_count = 0;
	uart->fifo_head = 0;
	uart->timeout_pending = false;
	uart->fifo_activity = true;
	uart_rx_room_made(uart);
}

static void uart_tx_clear(struct uart16550 *uart)
{
	if (uart->tx_count)
		uart->thre_pending = true;
	uart->tx_count = 0;
	uart->tx_head = 0;
}

/* The modem lines as the line's carrier (or loopback) make them. */
static uint8_t uart_static_msr(const struct uart16550 *uart)
{
	if (!uart->line)
		return UART_MSR_STATIC | UART_MSR_CTS;
	return uart->carrier ? UART_MSR_CARRIER : 0;
}

void uart16550_reset(struct uart16550 *uart)
{
	memset(uart, 0, sizeof(*uart));
	uart->fcr = UART_FCR_ENABLE_FIFO;
	uart->msr = uart_static_msr(uart);
}

void uart16550_reset_keep_line(struct uart16550 *uart)
{
	const struct uart16550_line *line = uart->line;
	bool carrier = uart->carrier;

	memset(uart, 0, sizeof(*uart));
	uart->line = line;
	uart->carrier = carrier;
	/*
	 * FIFO enabled, trigger level 1: what the kernel sample presents
	 * before the guest first writes FCR (16 deep, IIR bits 7:6 set).
	 */
	uart->fcr = UART_FCR_ENABLE_FIFO;
	uart->msr = uart_static_msr(uart);
	/* A line whose offer was cut short before the reset may send again. */
	uart->rx_stalled = line != NULL;
	uart_rx_room_made(uart);
}

static uint8_t uart_read_rbr(struct uart16550 *uart)
{
	uint8_t val;

	if (!uart->fifo_count)
		return 0;
	val = uart->fifo[uart->fifo_head];
	uart->fifo_head = (uart->fifo_head + 1) % UART16550_FIFO_SIZE;
	uart->fifo_count--;
	uart->timeout_pending = false;
	uart->fifo_activity = true;
	if (!uart->fifo_count && !uart->line)
		uart->thre_pending = true;
	uart_update_cts(uart);
	uart_rx_room_made(uart);
	return val;
}

/* Hand the line what it takes of the TX FIFO, oldest first. */
static void uart_tx_drain(struct uart16550 *uart)
{
	while (uart->tx_count) {
		size_t run = UART16550_FIFO_SIZE - uart->tx_head;
		size_t took;

		if (run > uart->tx_count)
			run = uart->tx_count;
		took = uart->line->transmit(uart->line->opaque,
					    &uart->tx_fifo[uart->tx_head], run);
		if (took > run)
			took = run;
		uart->tx_head = (uart->tx_head + took) % UART16550_FIFO_SIZE;
		uart->tx_count -= took;
		if (took < run)
			return; /* the line is full: THRE stays clear */
	}
	uart->tx_head = 0;
	uart->thre_pending = true;
}

static void uart_line_write_thr(struct uart16550 *uart, uint8_t val)
{
	uart->thre_pending = false;
	if (uart->tx_count >= uart16550_fifo_depth(uart)) {
		uart->tx_dropped++; /* as on hardware: THR overwritten */
		return;
	}
	uart->tx_fifo[(uart->tx_head + uart->tx_count) % UART16550_FIFO_SIZE] =
		val;
	uart->tx_count++;
	uart_tx_drain(uart);
}

static void uart_write_thr(struct uart16550 *uart, uint8_t val)
{
	unsigned int tail;

	if (uart->line) {
		uart_line_write_thr(uart, val);
		return;
	}
	/* Writing THR clears a THR-empty cause even when the byte is lost. */
	uart->thre_pending = false;
	if (uart->fifo_count >= uart16550_fifo_depth(uart)) {
		uart->lsr |= UART_LSR_OE;
		return;
	}
	tail = (uart->fifo_head + uart->fifo_count) % UART16550_FIFO_SIZE;
	uart->fifo[tail] = val;
	uart->fifo_count++;
	uart->timeout_pending = false;
	uart->fifo_activity = true;
	uart_update_cts(uart);
}

static void uart_write_fcr(struct uart16550 *uart, uint8_t val)
{
	bool was_enabled = uart_fifo_enabled(uart);

	bool toggled;

	uart->fcr = val & UART_FCR_STORED;
	/* Toggling FCR bit 0 resets both FIFOs on a 16550A. */
	toggled = was_enabled != uart_fifo_enabled(uart);
	if (!uart->line) {
		/* Loopback: one FIFO, cleared by either bit. */
		if (toggled ||
		    (val & (UART_FCR_CLEAR_RCVR | UART_FCR_CLEAR_XMIT)))
			uart_rx_clear(uart);
	} else {
		if (toggled || (val & UART_FCR_CLEAR_RCVR))
			uart_rx_clear(uart);
		if (toggled || (val & UART_FCR_CLEAR_XMIT))
			uart_tx_clear(uart);
	}
	uart_update_cts(uart);
}

static void uart_write_mcr(struct uart16550 *uart, uint8_t val)
{
	if (uart->line) {
		/* The line's far end sees the control lines, if it can. */
		uart->mcr = val;
		if (uart->line->modem_control)
			uart->line->modem_control(uart->line->opaque, val);
		return;
	}
	uart->mcr = val;
	/*
	 * The kernel sample signals a modem-status interrupt when MCR is
	 * written with DTR, RTS or OUT2 while IER.MSI is set (once per bit
	 * group).  Here the write marks the matching delta bits, so there is
	 * one modem-status cause, visible in MSR and cleared by reading it.
	 */
	if (uart->ier & UART_IER_MSI) {
		if (val & UART_MCR_DTR)
			uart->msr |= UART_MSR_DDSR;
		if (val & UART_MCR_RTS)
			uart->msr |= UART_MSR_DCTS;
		if (val & UART_MCR_OUT2)
			uart->msr |= UART_MSR_DDCD;
	}
	uart_update_cts(uart);
}

static uint8_t uart_lsr_value(const struct uart16550 *uart)
{
	uint8_t lsr = uart->lsr & UART_LSR_ERRORS;

	if (uart->fifo_count)
		lsr |= UART_LSR_DR;
	if (uart_tx_empty(uart))
		lsr |= UART_LSR_THRE | UART_LSR_TEMT;
	return lsr;
}

uint8_t uart16550_iir(const struct uart16550 *uart)
{
	uint8_t ier = uart->ier;
	uint8_t fifo_bits = uart_fifo_enabled(uart) ? UART_IIR_FIFO_ENABLED : 0;
	unsigned int count = uart->fifo_count;
	uint8_t id = UART_IIR_NO_INT;

	if ((ier & UART_IER_RLSI) && (uart->lsr & UART_LSR_ERRORS))
		id = UART_IIR_RLSI;
	else if ((ier & UART_IER_RDI) && count &&
		 count >= uart16550_trigger_level(uart))
		id = UART_IIR_RDI;
	else if ((ier & UART_IER_RDI) && uart->timeout_pending && count &&
		 count < uart16550_trigger_level(uart))
		id = UART_IIR_CTI;
	else if ((ier & UART_IER_THRI) && uart->thre_pending &&
		 uart_tx_empty(uart))
		id = UART_IIR_THRI;
	else if ((ier & UART_IER_MSI) && (uart->msr & UART_MSR_DELTAS))
		id = UART_IIR_MSI;
	return id | fifo_bits;
}

bool uart16550_irq_pending(const struct uart16550 *uart)
{
	return (uart16550_iir(uart) & UART_IIR_ID_MASK) != UART_IIR_NO_INT;
}

uint8_t uart16550_read(struct uart16550 *uart, unsigned int reg)
{
	uint8_t val;

	switch (reg) {
	case UART_RX:
		if (uart_dlab(uart))
			return uart->divisor & 0xff;
		return uart_read_rbr(uart);
	case UART_IER:
		if (uart_dlab(uart))
			return uart->divisor >> 8;
		return uart->ier;
	case UART_IIR:
		val = uart16550_iir(uart);
		/* Reading IIR acknowledges a THR-empty cause it reports. */
		if ((val & UART_IIR_ID_MASK) == UART_IIR_THRI)
			uart->thre_pending = false;
		return val;
	case UART_LCR:
		return uart->lcr;
	case UART_MCR:
		return uart->mcr;
	case UART_LSR:
		val = uart_lsr_value(uart);
		uart->lsr &= ~UART_LSR_ERRORS;
		return val;
	case UART_MSR:
		val = uart->msr;
		uart->msr &= ~UART_MSR_DELTAS;
		return val;
	case UART_SCR:
		return uart->scr;
	default:
		return 0xff;
	}
}

/* The side effects of uart16550_read() above, register by register. */
bool uart16550_read_changes_state(const struct uart16550 *uart,
				  unsigned int reg)
{
	switch (reg) {
	case UART_RX:
		return !uart_dlab(uart) && uart->fifo_count;
	case UART_IIR:
		/* Clears thre_pending if it reports it: never when unarmed. */
		return uart->thre_pending;
	case UART_LSR:
		return uart->lsr & UART_LSR_ERRORS;
	case UART_MSR:
		return uart->msr & UART_MSR_DELTAS;
	default:
		/* IER/DLM, LCR, MCR and SCR read plain storage. */
		return false;
	}
}

void uart16550_write(struct uart16550 *uart, unsigned int reg, uint8_t val)
{
	switch (reg) {
	case UART_TX:
		if (uart_dlab(uart))
			uart->divisor = (uart->divisor & 0xff00) | val;
		else
			uart_write_thr(uart, val);
		break;
	case UART_IER:
		if (uart_dlab(uart)) {
			uart->divisor = (uart->divisor & 0x00ff) | (val << 8);
			break;
		}
		uart->ier = val & UART_IER_MASK;
		/* THRI enabled with an empty transmitter: interrupt now. */
		if ((val & UART_IER_THRI) && uart_tx_empty(uart))
			uart->thre_pending = true;
		break;
	case UART_FCR:
		uart_write_fcr(uart, val);
		break;
	case UART_LCR:
		uart->lcr = val;
		break;
	case UART_MCR:
		uart_write_mcr(uart, val);
		break;
	case UART_SCR:
		uart->scr = val;
		break;
	default:
		/* LSR and MSR are read-only. */
		break;
	}
}

/*
 * Half bit times per frame, so that 1.5 stop bits (5-bit words with
 * LCR.STOP) stay an integer.
 */
static unsigned int uart_frame_half_bits(const struct uart16550 *uart)
{
	unsigned int data = 5 + (uart->lcr & UART_LCR_WLEN_MASK);
	unsigned int bits = 1 + data + !!(uart->lcr & UART_LCR_PARITY);
	unsigned int stop_half = 2;

	if (uart->lcr & UART_LCR_STOP)
		stop_half = data == 5 ? 3 : 4;
	return 2 * bits + stop_half;
}

static uint32_t uart_divisor(const struct uart16550 *uart)
{
	return uart->divisor ? uart->divisor : 65536;
}

/*
 * Durations are computed without 64-bit division (no libgcc helpers in a
 * 32-bit kernel): with x = half bits * divisor, one character lasts
 * x * 1e9 / 230400 ns = 4340 x + 5 x / 18 ns, and four characters
 * x * 1e9 / 57600 ns = 17361 x + x / 9 ns.  x < 2^21, so 32-bit parts suffice.
 */
uint64_t uart16550_char_time_ns(const struct uart16550 *uart)
{
	uint32_t x = uart_frame_half_bits(uart) * uart_divisor(uart);

	return (uint64_t)x * 4340 + (5 * x) / 18;
}

uint64_t uart16550_timer_wanted(const struct uart16550 *uart)
{
	uint32_t x;

	if (!uart_fifo_enabled(uart) || uart->timeout_pending ||
	    !uart->fifo_count ||
	    uart->fifo_count >= uart16550_trigger_level(uart))
		return 0;
	x = uart_frame_half_bits(uart) * uart_divisor(uart);
	return (uint64_t)x * 17361 + x / 9;
}

void uart16550_timer_expired(struct uart16550 *uart)
{
	uart->timer_running = false;
	if (uart_fifo_enabled(uart) && uart->fifo_count &&
	    uart->fifo_count < uart16550_trigger_level(uart))
		uart->timeout_pending = true;
}

void uart16550_set_line(struct uart16550 *uart,
			const struct uart16550_line *line)
{
	uart->line = line;
	uart->carrier = false;
	uart->tx_count = 0;
	uart->tx_head = 0;
	uart->rx_stalled = false;
	uart->msr = (uart->msr & UART_MSR_DELTAS) | uart_static_msr(uart);
	if (uart_tx_empty(uart))
		uart->thre_pending = true;
}

unsigned int uart16550_rx_room(const struct uart16550 *uart)
{
	unsigned int depth = uart16550_fifo_depth(uart);

	if (!uart->line || uart->fifo_count >= depth)
		return 0;
	return depth - uart->fifo_count;
}

size_t uart16550_receive(struct uart16550 *uart, const uint8_t *buf, size_t len)
{
	size_t room = uart16550_rx_room(uart), i;

	if (!uart->line)
		return 0;
	if (len > room) {
		uart->rx_stalled = true;
		len = room;
	}
	for (i = 0; i < len; i++) {
		unsigned int tail = (uart->fifo_head + uart->fifo_count) %
				    UART16550_FIFO_SIZE;

		uart->fifo[tail] = buf[i];
		uart->fifo_count++;
	}
	if (len) {
		uart->timeout_pending = false;
		uart->fifo_activity = true;
	}
	/* Full: the line is told when the guest makes room. */
	if (uart->fifo_count >= uart16550_fifo_depth(uart))
		uart->rx_stalled = true;
	return len;
}

void uart16550_tx_resume(struct uart16550 *uart)
{
	if (uart->line && uart->tx_count)
		uart_tx_drain(uart);
}

void uart16550_set_carrier(struct uart16550 *uart, bool up)
{
	uint8_t old, now;

	if (!uart->line || uart->carrier == up)
		return;
	uart->carrier = up;
	old = uart->msr;
	now = uart_static_msr(uart);
	uart->msr = (old & UART_MSR_DELTAS) | now;
	if ((old ^ now) & UART_MSR_CTS)
		uart->msr |= UART_MSR_DCTS;
	if ((old ^ now) & UART_MSR_DSR)
		uart->msr |= UART_MSR_DDSR;
	if ((old ^ now) & UART_MSR_DCD)
		uart->msr |= UART_MSR_DDCD;
}
