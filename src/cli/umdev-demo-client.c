// SPDX-License-Identifier: GPL-2.0-only
/*
 * umdev-demo-client - what `make demo` runs against a live mtty-2 device:
 * a vfio-user client that sets up INTx and MSI eventfds over the device's
 * socket, sends bytes through both serial ports and prints, for each byte,
 * the interrupt that carried it back and the cause IIR gave.
 *
 * Usage: umdev-demo-client SOCKET
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <umdev/client.h>
#include "model/mtty/uart16550.h"

/* Generous: an interrupt normally arrives in microseconds. */
#define DEMO_IRQ_WAIT_MS 3000

struct demo {
	struct umdev_client *c;
	const char *irq_name; /* "INTx" or "MSI" */
	int irq_fd;
	bool intx;
	unsigned long nr_irqs;
};

static void demo_die(const char *what, int err)
{
	fprintf(stderr, "umdev-demo-client: %s: %s\n", what, strerror(-err));
	exit(1);
}

static const char *demo_iir_cause(uint8_t iir)
{
	if (iir & UART_IIR_NO_INT)
		return "no interrupt pending";
	switch (iir & UART_IIR_ID_MASK) {
	case UART_IIR_RLSI:
		return "receiver line status";
	case UART_IIR_RDI:
		return "received data available (FIFO reached trigger level)";
	case UART_IIR_CTI:
		return "character timeout (data below trigger level, line idle)";
	case UART_IIR_THRI:
		return "transmitter holding register empty";
	case UART_IIR_MSI:
		return "modem status change";
	default:
		return "unknown";
	}
}

static uint8_t demo_rd(struct demo *d, uint32_t bar, unsigned int reg)
{
	uint8_t val;
	int ret = umdev_client_read8(d->c, bar, reg, &val);

	if (ret)
		demo_die("REGION_READ", ret);
	return val;
}

static void demo_wr(struct demo *d, uint32_t bar, unsigned int reg, uint8_t val)
{
	int ret = umdev_client_write8(d->c, bar, reg, val);

	if (ret)
		demo_die("REGION_WRITE", ret);
}

static void demo_set_trigger(struct demo *d, uint32_t index, int fd)
{
	int32_t fds[1] = { fd };
	int ret;

	if (fd >= 0)
		ret = umdev_client_set_irqs(d->c,
					    VFIO_IRQ_SET_DATA_EVENTFD |
						    VFIO_IRQ_SET_ACTION_TRIGGER,
					    index, 0, 1, fds, 1, NULL, 0);
	else /* count 0 + DATA_NONE: disable the index */
		ret = umdev_client_set_irqs(d->c,
					    VFIO_IRQ_SET_DATA_NONE |
						    VFIO_IRQ_SET_ACTION_TRIGGER,
					    index, 0, 0, NULL, 0, NULL, 0);
	if (ret)
		demo_die("SET_IRQS", ret);
}

/* Block until the eventfd fires; return its count. */
static uint64_t demo_wait_irq(struct demo *d)
{
	struct pollfd pfd = { .fd = d->irq_fd, .events = POLLIN };
	uint64_t count;
	int ret = poll(&pfd, 1, DEMO_IRQ_WAIT_MS);

	if (ret <= 0) {
		fprintf(stderr,
			"umdev-demo-client: no %s interrupt within %d ms\n",
			d->irq_name, DEMO_IRQ_WAIT_MS);
		exit(1);
	}
	if (read(d->irq_fd, &count, sizeof(count)) != sizeof(count))
		demo_die("eventfd read", -errno);
	return count;
}

/*
 * Serve one interrupt as a guest driver would: read IIR for the cause,
 * drain the receiver, and (INTx only) unmask the line.
 */
static void demo_serve_irq(struct demo *d, uint32_t bar)
{
	uint8_t iir = demo_rd(d, bar, UART_IIR);
	int ret;

	d->nr_irqs++;
	printf("    %s #%lu  IIR=0x%02x  %s\n", d->irq_name, d->nr_irqs, iir,
	       demo_iir_cause(iir));
	if ((iir & UART_IIR_ID_MASK) == UART_IIR_RDI ||
	    (iir & UART_IIR_ID_MASK) == UART_IIR_CTI) {
		printf("      RBR ->");
		while (demo_rd(d, bar, UART_LSR) & UART_LSR_DR) {
			uint8_t ch = demo_rd(d, bar, UART_RX);

			printf(" '%c'(0x%02x)",
			       ch >= 0x20 && ch < 0x7f ? ch : '.', ch);
		}
		printf("\n");
	}
	if (d->intx) {
		ret = umdev_client_set_irqs(
			d->c,
			VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_UNMASK,
			VFIO_PCI_INTX_IRQ_INDEX, 0, 1, NULL, 0, NULL, 0);
		if (ret)
			demo_die("SET_IRQS unmask", ret);
	}
}

static void demo_port_init(struct demo *d, uint32_t bar, uint8_t trigger)
{
	/* 115200 baud (divisor 1): the timeout below is 4 characters long. */
	demo_wr(d, bar, UART_LCR, UART_LCR_DLAB);
	demo_wr(d, bar, UART_DLL, 1);
	demo_wr(d, bar, UART_DLM, 0);
	demo_wr(d, bar, UART_LCR, 0x03); /* 8 data bits, no parity, 1 stop */
	demo_wr(d, bar, UART_FCR,
		UART_FCR_ENABLE_FIFO | UART_FCR_CLEAR_RCVR |
			UART_FCR_CLEAR_XMIT | trigger);
	demo_wr(d, bar, UART_MCR, UART_MCR_DTR | UART_MCR_RTS | UART_MCR_OUT2);
}

/* One byte at a time, trigger level 1: each byte brings one interrupt. */
static void demo_bytes(struct demo *d, uint32_t bar, const char *text)
{
	for (; *text; text++) {
		printf("  THR <- '%c'(0x%02x)\n", *text, (uint8_t)*text);
		demo_wr(d, bar, UART_TX, (uint8_t)*text);
		demo_wait_irq(d);
		demo_serve_irq(d, bar);
	}
}

static void demo_port(struct demo *d, unsigned int port, const char *text)
{
	uint32_t bar = VFIO_PCI_BAR0_REGION_INDEX + port;
	size_t i;

	printf("\n== port %u (BAR%u), interrupts by %s ==\n", port, port,
	       d->irq_name);
	demo_port_init(d, bar, UART_FCR_TRIGGER_1);

	printf("  IER <- THRI: transmitter empty, so it interrupts at once\n");
	demo_wr(d, bar, UART_IER, UART_IER_THRI);
	demo_wait_irq(d);
	demo_serve_irq(d, bar);

	printf("  IER <- RDI, FIFO trigger level 1: one interrupt per byte\n");
	demo_wr(d, bar, UART_IER, UART_IER_RDI);
	demo_bytes(d, bar, text);

	printf("  FIFO trigger level 4; THR <- \"1234\": the level is reached\n");
	demo_wr(d, bar, UART_IER, 0);
	demo_port_init(d, bar, UART_FCR_TRIGGER_4);
	for (i = 0; i < 4; i++)
		demo_wr(d, bar, UART_TX, (uint8_t)('1' + i));
	demo_wr(d, bar, UART_IER, UART_IER_RDI);
	demo_wait_irq(d);
	demo_serve_irq(d, bar);
	printf("  THR <- \"56\": below the level, so the UART waits 4 character\n"
	       "  times of line silence, then reports a timeout\n");
	demo_wr(d, bar, UART_TX, '5');
	demo_wr(d, bar, UART_TX, '6');
	demo_wait_irq(d);
	demo_serve_irq(d, bar);
	demo_wr(d, bar, UART_IER, 0);
}

int main(int argc, char **argv)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	struct demo d = { 0 };
	int err = 0, ret;

	if (argc != 2) {
		fprintf(stderr, "Usage: umdev-demo-client SOCKET\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	d.c = umdev_client_connect(argv[1], &err);
	if (!d.c)
		demo_die(argv[1], err);
	printf("connected to %s (vfio-user VERSION negotiated)\n", argv[1]);
	ret = umdev_client_get_info(d.c, &info);
	if (ret)
		demo_die("DEVICE_GET_INFO", ret);
	printf("device: %u regions, %u IRQ indices\n", info.num_regions,
	       info.num_irqs);

	/* Port 0 through INTx: level-triggered, automasked, unmasked by us. */
	d.irq_fd = eventfd(0, EFD_CLOEXEC);
	if (d.irq_fd < 0)
		demo_die("eventfd", -errno);
	d.intx = true;
	d.irq_name = "INTx";
	demo_set_trigger(&d, VFIO_PCI_INTX_IRQ_INDEX, d.irq_fd);
	printf("SET_IRQS: INTx -> eventfd (sent over the socket as SCM_RIGHTS)\n");
	demo_port(&d, 0, "Hi!");

	/* Port 1 through MSI: INTx must be disabled first. */
	demo_set_trigger(&d, VFIO_PCI_INTX_IRQ_INDEX, -1);
	printf("\nSET_IRQS: INTx disabled; MSI -> a new eventfd\n");
	close(d.irq_fd);
	d.irq_fd = eventfd(0, EFD_CLOEXEC);
	if (d.irq_fd < 0)
		demo_die("eventfd", -errno);
	d.intx = false;
	d.irq_name = "MSI";
	d.nr_irqs = 0;
	demo_set_trigger(&d, VFIO_PCI_MSI_IRQ_INDEX, d.irq_fd);
	demo_port(&d, 1, "OK");

	demo_set_trigger(&d, VFIO_PCI_MSI_IRQ_INDEX, -1);
	close(d.irq_fd);
	umdev_client_close(d.c);
	printf("\ndone: every byte came back, each carried by an interrupt\n");
	return 0;
}
