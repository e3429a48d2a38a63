// SPDX-License-Identifier: GPL-2.0-only
/*
 * umdev-demo - the interim demo: an mtty device driven through the mdev
 * core and its device ops, exactly as a vfio-user client would drive it,
 * but in one process and without the daemon.
 *
 * It creates an mtty-2 (two 16550A serial ports), installs an INTx
 * eventfd, programs both UARTs (115200 8N1, FIFO with a 4-byte RX trigger,
 * RX-data and THR-empty interrupts), writes "hello" to each port's THR and
 * reads the looped-back bytes from RBR as interrupts arrive.  Each
 * interrupt's cause is decoded from IIR.  The last byte of each word stays
 * below the trigger level, so it arrives through the character-timeout
 * interrupt, which the port's timer (a timerfd this demo polls) delivers.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <umdev/mdev_host.h>

#include "model/mtty/uart16550.h"
#include "mtty_driver.h"

#define DEMO_UUID "83b8f4f2-509f-382f-3c1e-e6bfe0fa1001"
#define DEMO_MAX_WATCH 8
#define DEMO_WAIT_MS 5000

/* The smallest possible event loop: the fds the core asked us to watch. */
struct demo_watch {
	int fd;
	void (*ready)(void *arg);
	void *arg;
};

struct demo {
	struct mdev_core *core;
	struct mdev_device *dev;
	const struct umdev_device_ops *ops;
	int intx_fd;
	struct demo_watch watch[DEMO_MAX_WATCH];
	unsigned int nr_watch;
	unsigned int received[2]; /* bytes read back per port */
	char text[2][16];
};

static int demo_watch_fd(void *host, int fd, void (*ready)(void *), void *arg)
{
	struct demo *d = host;

	if (d->nr_watch == DEMO_MAX_WATCH)
		return -ENOSPC;
	d->watch[d->nr_watch++] = (struct demo_watch){ fd, ready, arg };
	return 0;
}

static void demo_unwatch_fd(void *host, int fd)
{
	struct demo *d = host;
	unsigned int i;

	for (i = 0; i < d->nr_watch; i++) {
		if (d->watch[i].fd == fd) {
			d->watch[i] = d->watch[--d->nr_watch];
			return;
		}
	}
}

static const struct mdev_host_ops demo_host_ops = {
	.watch_fd = demo_watch_fd,
	.unwatch_fd = demo_unwatch_fd,
};

static uint8_t uart_read(struct demo *d, unsigned int port, unsigned int reg)
{
	uint8_t v = 0;

	if (d->ops->read(d->dev, VFIO_PCI_BAR0_REGION_INDEX + port, reg, &v,
			 1) != 1)
		fprintf(stderr, "umdev-demo: read of port %u reg %u failed\n",
			port, reg);
	return v;
}

static void uart_write(struct demo *d, unsigned int port, unsigned int reg,
		       uint8_t v)
{
	if (d->ops->write(d->dev, VFIO_PCI_BAR0_REGION_INDEX + port, reg, &v,
			  1) != 1)
		fprintf(stderr, "umdev-demo: write of port %u reg %u failed\n",
			port, reg);
}

static int set_irqs(struct demo *d, uint32_t flags, uint32_t count,
		    const void *data)
{
	struct vfio_irq_set set = {
		.argsz = sizeof(set),
		.flags = flags,
		.index = VFIO_PCI_INTX_IRQ_INDEX,
		.count = count,
	};

	return d->ops->set_irqs(d->dev, &set, data);
}

static const char *iir_cause(uint8_t iir)
{
	switch (iir & UART_IIR_ID_MASK) {
	case UART_IIR_RLSI:
		return "line status (error or break)";
	case UART_IIR_RDI:
		return "RX data available (trigger level reached)";
	case UART_IIR_CTI:
		return "character timeout (data below trigger level)";
	case UART_IIR_THRI:
		return "THR empty (ready to send)";
	case UART_IIR_MSI:
		return "modem status change";
	default:
		return "unknown";
	}
}

static void print_byte(const char *what, unsigned int port, uint8_t b)
{
	printf("      port %u: %s '%c' (0x%02x)\n", port, what,
	       b >= 0x20 && b < 0x7f ? b : '.', b);
}

/* Like a guest's serial ISR: serve each port until IIR says "no interrupt". */
static void demo_serve_interrupt(struct demo *d)
{
	unsigned int port;
	uint8_t iir, b;

	for (port = 0; port < 2; port++) {
		for (;;) {
			iir = uart_read(d, port, UART_IIR);
			if ((iir & UART_IIR_ID_MASK) == UART_IIR_NO_INT)
				break;
			printf("  interrupt: port %u: %s [IIR 0x%02x]\n", port,
			       iir_cause(iir), iir);
			switch (iir & UART_IIR_ID_MASK) {
			case UART_IIR_RDI:
			case UART_IIR_CTI:
				while (uart_read(d, port, UART_LSR) &
				       UART_LSR_DR) {
					b = uart_read(d, port, UART_RX);
					print_byte("read from RBR", port, b);
					if (d->received[port] <
					    sizeof(d->text[port]) - 1)
						d->text[port][d->received[port]] =
							(char)b;
					d->received[port]++;
				}
				break;
			case UART_IIR_RLSI:
				uart_read(d, port, UART_LSR);
				break;
			case UART_IIR_MSI:
				uart_read(d, port, UART_MSR);
				break;
			default:
				break; /* reading IIR cleared THR empty */
			}
		}
	}
	/* INTx is automasked when it fires: unmask, like a VMM after EOI. */
	set_irqs(d, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_UNMASK, 1,
		 NULL);
}

static long elapsed_ms(const struct timespec *since)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - since->tv_sec) * 1000 +
	       (now.tv_nsec - since->tv_nsec) / 1000000;
}

/*
 * Wait up to @timeout_ms for the INTx eventfd, running the core's timers
 * when their timerfds become readable.  Returns true if an interrupt came
 * (and was served).
 */
static bool demo_wait_interrupt(struct demo *d, int timeout_ms)
{
	struct pollfd pfd[DEMO_MAX_WATCH + 1];
	struct demo_watch ready[DEMO_MAX_WATCH];
	struct timespec start;
	unsigned int i, n, nr_ready;
	uint64_t count;
	long left;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		left = timeout_ms - elapsed_ms(&start);
		if (left < 0)
			left = 0;
		pfd[0] = (struct pollfd){ .fd = d->intx_fd, .events = POLLIN };
		n = d->nr_watch;
		for (i = 0; i < n; i++)
			pfd[i + 1] = (struct pollfd){ .fd = d->watch[i].fd,
						      .events = POLLIN };
		if (poll(pfd, n + 1, (int)left) <= 0)
			return false;
		if (pfd[0].revents & POLLIN) {
			if (read(d->intx_fd, &count, sizeof(count)) ==
			    sizeof(count)) {
				demo_serve_interrupt(d);
				return true;
			}
		}
		/* Copy first: a timer callback may change the watch list. */
		for (i = 0, nr_ready = 0; i < n; i++)
			if (pfd[i + 1].revents & POLLIN)
				ready[nr_ready++] = d->watch[i];
		for (i = 0; i < nr_ready; i++)
			ready[i].ready(ready[i].arg);
	}
}

/* Serve interrupts that are already signalled, without waiting. */
static void demo_serve_pending(struct demo *d)
{
	while (demo_wait_interrupt(d, 0))
		;
}

static void demo_setup_port(struct demo *d, unsigned int port)
{
	printf("\nport %u: 115200 baud 8N1, FIFO on with a 4-byte RX trigger, "
	       "interrupts for RX data and THR empty\n",
	       port);
	uart_write(d, port, UART_LCR, UART_LCR_DLAB | 0x03);
	uart_write(d, port, UART_DLL, 1); /* divisor 1: 115200 baud */
	uart_write(d, port, UART_DLM, 0);
	uart_write(d, port, UART_LCR,
		   0x03); /* 8 data bits, no parity, 1 stop */
	uart_write(d, port, UART_FCR,
		   UART_FCR_ENABLE_FIFO | UART_FCR_CLEAR_RCVR |
			   UART_FCR_CLEAR_XMIT | UART_FCR_TRIGGER_4);
	uart_write(d, port, UART_IER, UART_IER_RDI | UART_IER_THRI);
	/* An empty transmitter with THRI enabled interrupts at once. */
	demo_serve_pending(d);
}

static int demo_send(struct demo *d, unsigned int port, const char *text)
{
	size_t i, len = strlen(text);

	printf("\nport %u: sending \"%s\" (bytes written to THR loop back "
	       "into RBR)\n",
	       port, text);
	d->received[port] = 0;
	memset(d->text[port], 0, sizeof(d->text[port]));
	for (i = 0; i < len; i++) {
		print_byte("wrote to THR ", port, (uint8_t)text[i]);
		uart_write(d, port, UART_TX, (uint8_t)text[i]);
		demo_serve_pending(d);
	}
	while (d->received[port] < len) {
		printf("  (%zu byte(s) below the trigger level: waiting for "
		       "the character timeout, 4 character times)\n",
		       len - d->received[port]);
		if (!demo_wait_interrupt(d, DEMO_WAIT_MS)) {
			fprintf(stderr,
				"umdev-demo: no interrupt within %d ms\n",
				DEMO_WAIT_MS);
			return -1;
		}
	}
	demo_serve_pending(d);
	printf("port %u: looped back \"%s\"%s\n", port, d->text[port],
	       strcmp(d->text[port], text) ? "  MISMATCH" : "  (match)");
	return strcmp(d->text[port], text) ? -1 : 0;
}

static void demo_print_types(struct demo *d)
{
	struct mdev_parent *p = mdev_core_find_parent(d->core, "mtty");
	struct mdev_type *t = NULL;

	printf("parent \"%s\" offers:\n", mdev_parent_name(p));
	while ((t = mdev_parent_next_type(p, t)))
		printf("  %-7s %-20s device_api %s, %u available\n",
		       mdev_type_id(t), mdev_type_name(t),
		       mdev_type_device_api(t), mdev_type_available(t));
}

static int demo_run(struct demo *d)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	int32_t fd;
	int ret;

	ret = mtty_driver_register(d->core);
	if (ret) {
		fprintf(stderr, "umdev-demo: register mtty: %s\n",
			strerror(-ret));
		return -1;
	}
	demo_print_types(d);

	ret = mdev_core_create(d->core, DEMO_UUID, "mtty", "mtty-2", &d->dev);
	if (ret) {
		fprintf(stderr, "umdev-demo: create: %s\n", strerror(-ret));
		return -1;
	}
	printf("\ncreated mtty-2 device %s\n", mdev_uuid_str(d->dev));
	demo_print_types(d);

	d->ops = mdev_device_ops(d->dev);
	ret = mdev_device_open(d->dev);
	if (ret) {
		fprintf(stderr, "umdev-demo: open: %s\n", strerror(-ret));
		return -1;
	}
	d->ops->get_info(d->dev, &info);
	printf("opened as a client would: %u regions, %u IRQ indices "
	       "(BAR0 = port 0, BAR1 = port 1, 8 I/O bytes each)\n",
	       info.num_regions, info.num_irqs);

	d->intx_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (d->intx_fd < 0) {
		perror("umdev-demo: eventfd");
		return -1;
	}
	fd = d->intx_fd;
	ret = set_irqs(d,
		       VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER,
		       1, &fd);
	if (ret) {
		fprintf(stderr, "umdev-demo: SET_IRQS: %s\n", strerror(-ret));
		close(d->intx_fd);
		d->intx_fd = -1;
		return -1;
	}
	printf("INTx: eventfd installed (the driver now owns it)\n");

	demo_setup_port(d, 0);
	demo_setup_port(d, 1);
	if (demo_send(d, 0, "hello") || demo_send(d, 1, "hello"))
		return -1;
	return 0;
}

int main(void)
{
	struct demo d = { .intx_fd = -1 };
	int ret;

	printf("umdev-demo: an mtty serial device driven through the mdev "
	       "core, in one process (no daemon)\n\n");
	d.core = mdev_core_new(&demo_host_ops, &d);
	if (!d.core) {
		perror("umdev-demo: mdev_core_new");
		return 1;
	}
	ret = demo_run(&d);
	if (d.dev)
		mdev_device_close(d.dev); /* closes the INTx eventfd */
	mdev_core_free(d.core);
	printf("\n%s\n",
	       ret ? "demo FAILED" : "demo done: every byte came back");
	return ret ? 1 : 0;
}
