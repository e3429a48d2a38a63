/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * uart16550 - a 16550A UART whose transmitter loops back into its receiver.
 *
 * Freestanding: only <stdint.h> <stdbool.h> <stddef.h> <string.h>, no I/O,
 * no allocation, so the same file compiles into the daemon and the kernel.
 * The UART never raises an interrupt itself: after every access its owner
 * asks uart16550_iir() which cause (if any) is pending, so the priority
 * decision lives in exactly one place.  The character-timeout indication
 * needs a timer: the UART says through uart16550_timer_wanted() how long a
 * timer it wants, and its owner calls uart16550_timer_expired().
 */
#ifndef UMDEV_MODEL_UART16550_H
#define UMDEV_MODEL_UART16550_H

#include "model_base.h"

#define UART16550_FIFO_SIZE 16
#define UART16550_NR_REGS 8
/* Input clock of the PC serial card: divisor 1 = 115200 baud. */
#define UART16550_BASE_BAUD 115200

/* Register offsets within the 8-byte I/O BAR. */
#define UART_RX 0 /* DLAB=0 read: receive buffer */
#define UART_TX 0 /* DLAB=0 write: transmit holding */
#define UART_DLL 0 /* DLAB=1: divisor latch low */
#define UART_IER 1 /* DLAB=0: interrupt enable */
#define UART_DLM 1 /* DLAB=1: divisor latch high */
#define UART_IIR 2 /* read: interrupt identification */
#define UART_FCR 2 /* write: FIFO control */
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_MSR 6
#define UART_SCR 7

/* IER bits */
#define UART_IER_RDI 0x01 /* received data available (and timeout) */
#define UART_IER_THRI 0x02 /* transmitter holding register empty */
#define UART_IER_RLSI 0x04 /* receiver line status */
#define UART_IER_MSI 0x08 /* modem status */

/* IIR values (bits 3:0) and FIFO bits */
#define UART_IIR_NO_INT 0x01
#define UART_IIR_MSI 0x00
#define UART_IIR_THRI 0x02
#define UART_IIR_RDI 0x04
#define UART_IIR_RLSI 0x06
#define UART_IIR_CTI 0x0c /* character timeout */
#define UART_IIR_ID_MASK 0x0f
#define UART_IIR_FIFO_ENABLED 0xc0

/* FCR bits */
#define UART_FCR_ENABLE_FIFO 0x01
#define UART_FCR_CLEAR_RCVR 0x02
#define UART_FCR_CLEAR_XMIT 0x04
#define UART_FCR_DMA_SELECT 0x08
#define UART_FCR_TRIGGER_MASK 0xc0
#define UART_FCR_TRIGGER_1 0x00
#define UART_FCR_TRIGGER_4 0x40
#define UART_FCR_TRIGGER_8 0x80
#define UART_FCR_TRIGGER_14 0xc0

/* LCR bits */
#define UART_LCR_DLAB 0x80
#define UART_LCR_WLEN_MASK 0x03
#define UART_LCR_STOP 0x04
#define UART_LCR_PARITY 0x08

/* MCR bits */
#define UART_MCR_DTR 0x01
#define UART_MCR_RTS 0x02
#define UART_MCR_OUT1 0x04
#define UART_MCR_OUT2 0x08
#define UART_MCR_LOOP 0x10
#define UART_MCR_AFE 0x20

/* LSR bits */
#define UART_LSR_DR 0x01
#define UART_LSR_OE 0x02
#define UART_LSR_PE 0x04
#define UART_LSR_FE 0x08
#define UART_LSR_BI 0x10
#define UART_LSR_THRE 0x20
#define UART_LSR_TEMT 0x40
#define UART_LSR_FIFOE 0x80
#define UART_LSR_ERRORS (UART_LSR_OE | UART_LSR_PE | UART_LSR_FE | UART_LSR_BI)

/* MSR bits */
#define UART_MSR_DCTS 0x01
#define UART_MSR_DDSR 0x02
#define UART_MSR_TERI 0x04
#define UART_MSR_DDCD 0x08
#define UART_MSR_CTS 0x10
#define UART_MSR_DSR 0x20
#define UART_MSR_RI 0x40
#define UART_MSR_DCD 0x80
#define UART_MSR_DELTAS 0x0f

/*
 * All state of one UART.  Plain data: the migration stream encodes every
 * field explicitly (see mtty_model.c), never this struct's memory layout.
 */
struct uart16550 {
	uint8_t ier;
	uint8_t fcr; /* last value written (bits 7:6 and bit 0 matter) */
	uint8_t lcr;
	uint8_t mcr;
	uint8_t lsr; /* sticky error bits only; DR/THRE/TEMT are derived */
	uint8_t msr;
	uint8_t scr;
	uint16_t divisor;
	uint8_t fifo[UART16550_FIFO_SIZE];
	uint8_t fifo_head; /* index of the oldest byte */
	uint8_t fifo_count;
	bool thre_pending; /* THR-empty cause armed; IIR read/THR write clear */
	bool timeout_pending; /* character-timeout indication active */
	bool timer_running; /* the owner's timer is armed for this UART */
	bool fifo_activity; /* RX FIFO touched since the owner last looked:
			     * the character timeout must start over */
	/* The owner's bookkeeping while timer_running (its host's clock): */
	uint64_t timer_deadline_ns; /* when the character timeout is due */
	uint64_t timer_fires_ns; /* when the armed host timer fires */
};

/** uart16550_reset() - put the UART in its power-on state. */
void uart16550_reset(struct uart16550 *uart);

/**
 * uart16550_read() - a guest read of register @reg (0..7).
 * Applies read side effects (RBR pops the FIFO, LSR clears error bits,
 * MSR clears delta bits, IIR clears a THR-empty cause).
 */
uint8_t uart16550_read(struct uart16550 *uart, unsigned int reg);

/** uart16550_write() - a guest write of @val to register @reg (0..7). */
void uart16550_write(struct uart16550 *uart, unsigned int reg, uint8_t val);

/**
 * uart16550_iir() - the interrupt identification, computed from state by
 * 16550A priority: line status > RX data / timeout > THR empty > modem status.
 * Pure: no side effect.  Bits 3:0 are UART_IIR_NO_INT when nothing is
 * pending (or enabled); bits 7:6 are set only when the FIFO is enabled.
 */
uint8_t uart16550_iir(const struct uart16550 *uart);

/** uart16550_irq_pending() - true when uart16550_iir() reports a cause. */
bool uart16550_irq_pending(const struct uart16550 *uart);

/**
 * uart16550_timer_wanted() - the character-timeout timer the UART needs now:
 * 0 when no timer should run, else the delay in nanoseconds (4 character
 * times at the programmed baud rate and frame format).
 */
uint64_t uart16550_timer_wanted(const struct uart16550 *uart);

/** uart16550_timer_expired() - the owner's timer fired. */
void uart16550_timer_expired(struct uart16550 *uart);

/** uart16550_trigger_level() - RX trigger level in bytes (1, 4, 8 or 14). */
unsigned int uart16550_trigger_level(const struct uart16550 *uart);

/**
 * uart16550_fifo_depth() - bytes the FIFO holds: 16 with FCR bit 0 set,
 * else 1 (the kernel sample's behaviour for a disabled FIFO).
 */
unsigned int uart16550_fifo_depth(const struct uart16550 *uart);

/**
 * uart16550_char_time_ns() - time one character frame takes on the wire at
 * the programmed divisor and LCR frame format (start + 5..8 data + parity +
 * 1, 1.5 or 2 stop bits).  Divisor 0 counts as 65536, as on hardware.
 */
uint64_t uart16550_char_time_ns(const struct uart16550 *uart);

#endif
