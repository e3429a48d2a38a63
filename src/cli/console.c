// SPDX-License-Identifier: GPL-2.0-only
/*
 * console - `umdevctl console -u UUID [--port N]`: a terminal on one serial
 * port of an mtty device, driven the way a guest driver would drive it:
 * bytes from stdin go to THR; the data loops back into the receiver, which
 * raises INTx (an eventfd); on each interrupt IIR says why, RBR is drained
 * to stdout and INTx is unmasked.  Ctrl-] or end of input ends it.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <termios.h>
#include <unistd.h>

#include <umdev/client.h>
#include "cli.h"
#include "model/mtty/uart16550.h"

#define CONSOLE_ESCAPE 0x1d /* Ctrl-] */
/* Bytes written and not yet read back: at most the receive FIFO. */
#define CONSOLE_MAX_IN_FLIGHT UART16550_FIFO_SIZE
/* After end of input, how long to wait for the last bytes to come back. */
#define CONSOLE_DRAIN_MS 2000

struct console {
	struct umdev_client *client;
	uint32_t bar;
	int irq_fd;
	unsigned int in_flight;
	unsigned long interrupts;
	bool raw;
	struct termios saved;
};

static int console_reg_read(struct console *con, unsigned int reg, uint8_t *val)
{
	return umdev_client_read8(con->client, con->bar, reg, val);
}

static int console_reg_write(struct console *con, unsigned int reg, uint8_t val)
{
	return umdev_client_write8(con->client, con->bar, reg, val);
}

static int console_setup(struct console *con)
{
	int32_t fd;
	int ret;

	con->irq_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (con->irq_fd < 0)
		return -errno;
	fd = con->irq_fd;
	ret = umdev_client_set_irqs(
		con->client,
		VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER,
		VFIO_PCI_INTX_IRQ_INDEX, 0, 1, &fd, 1, NULL, 0);
	if (ret)
		return ret;
	/* 115200 8N1, FIFO on and empty, trigger 1, RX interrupt enabled. */
	ret = console_reg_write(con, UART_LCR, UART_LCR_DLAB);
	if (!ret)
		ret = console_reg_write(con, UART_DLL, 1);
	if (!ret)
		ret = console_reg_write(con, UART_DLM, 0);
	if (!ret)
		ret = console_reg_write(con, UART_LCR, 0x03);
	if (!ret)
		ret = console_reg_write(
			con, UART_FCR,
			UART_FCR_ENABLE_FIFO | UART_FCR_CLEAR_RCVR |
				UART_FCR_CLEAR_XMIT | UART_FCR_TRIGGER_1);
	if (!ret)
		ret = console_reg_write(con, UART_MCR,
					UART_MCR_DTR | UART_MCR_RTS |
						UART_MCR_OUT2);
	if (!ret)
		ret = console_reg_write(con, UART_IER, UART_IER_RDI);
	return ret;
}

/* An interrupt arrived: serve every pending cause, then unmask INTx. */
static int console_interrupt(struct console *con)
{
	uint64_t count;
	uint8_t iir, lsr, val;
	int ret;

	if (read(con->irq_fd, &count, sizeof(count)) < 0)
		return errno == EAGAIN ? 0 : -errno;
	con->interrupts++;
	for (;;) {
		ret = console_reg_read(con, UART_IIR, &iir);
		if (ret)
			return ret;
		if (iir & UART_IIR_NO_INT)
			break;
		switch (iir & UART_IIR_ID_MASK) {
		case UART_IIR_RDI:
		case UART_IIR_CTI:
			for (;;) {
				ret = console_reg_read(con, UART_LSR, &lsr);
				if (ret || !(lsr & UART_LSR_DR))
					break;
				ret = console_reg_read(con, UART_RX, &val);
				if (ret)
					break;
				if (con->in_flight)
					con->in_flight--;
				if (write(STDOUT_FILENO, &val, 1) < 0)
					return -errno;
			}
			break;
		case UART_IIR_RLSI:
			ret = console_reg_read(con, UART_LSR, &lsr);
			break;
		case UART_IIR_MSI:
			ret = console_reg_read(con, UART_MSR, &val);
			break;
		default: /* THR empty: reading IIR cleared it */
			break;
		}
		if (ret)
			return ret;
	}
	return umdev_client_set_irqs(
		con->client,
		VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_UNMASK,
		VFIO_PCI_INTX_IRQ_INDEX, 0, 1, NULL, 0, NULL, 0);
}

/* Send what stdin has; *@eof at its end or at Ctrl-]. */
static int console_input(struct console *con, bool *eof)
{
	uint8_t buf[CONSOLE_MAX_IN_FLIGHT];
	size_t room = CONSOLE_MAX_IN_FLIGHT - con->in_flight;
	ssize_t n, i;
	int ret;

	n = read(STDIN_FILENO, buf, room);
	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 0 : -errno;
	if (n == 0) {
		*eof = true;
		return 0;
	}
	for (i = 0; i < n; i++) {
		/* Leave as at end of input: what was sent still comes back. */
		if (buf[i] == CONSOLE_ESCAPE) {
			*eof = true;
			return 0;
		}
		ret = console_reg_write(con, UART_TX, buf[i]);
		if (ret)
			return ret;
		con->in_flight++;
	}
	return 0;
}

static int console_run(struct console *con)
{
	bool eof = false;
	int ret;

	for (;;) {
		struct pollfd pfd[3] = {
			{ .fd = con->irq_fd, .events = POLLIN },
			{ .fd = umdev_client_fd(con->client),
			  .events = POLLIN },
			{ .fd = STDIN_FILENO, .events = POLLIN },
		};
		nfds_t nfds = 3;

		if (eof && !con->in_flight)
			return 0;
		/* Hold input back while the receive FIFO could overflow. */
		if (eof || con->in_flight >= CONSOLE_MAX_IN_FLIGHT)
			nfds = 2;
		ret = poll(pfd, nfds, eof ? CONSOLE_DRAIN_MS : -1);
		if (ret < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (ret == 0) {
			fprintf(stderr,
				"umdevctl: console: %u byte(s) did not come back\n",
				con->in_flight);
			return -ETIMEDOUT;
		}
		if (pfd[1].revents)
			return -ECONNRESET; /* the server never speaks first */
		if (pfd[0].revents & POLLIN) {
			ret = console_interrupt(con);
			if (ret)
				return ret;
		}
		if (nfds == 3 && pfd[2].revents) {
			ret = console_input(con, &eof);
			if (ret)
				return ret;
		}
	}
}

static void console_raw_mode(struct console *con)
{
	struct termios raw;

	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &con->saved))
		return;
	raw = con->saved;
	cfmakeraw(&raw);
	if (!tcsetattr(STDIN_FILENO, TCSANOW, &raw))
		con->raw = true;
}

int cli_cmd_console(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "uuid", required_argument, NULL, 'u' },
		{ "port", required_argument, NULL, 'P' },
		{ "runtime-dir", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct console con = { .irq_fd = -1 };
	const char *uuid = NULL;
	char path[PATH_MAX], *end;
	unsigned long port = 0;
	int ch, ret;

	while ((ch = getopt_long(argc, argv, "u:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'u':
			uuid = optarg;
			break;
		case 'P':
			port = strtoul(optarg, &end, 10);
			if (*end || end == optarg || port > 1) {
				cli_error("console: --port must be 0 or 1");
				return CLI_EXIT_USAGE;
			}
			break;
		case 'r':
			ctx->runtime_override = optarg;
			break;
		default:
			fprintf(stderr,
				"Usage: umdevctl console -u|--uuid UUID [--port N] [--runtime-dir DIR]\n");
			return ch == 'h' ? CLI_EXIT_OK : CLI_EXIT_USAGE;
		}
	}
	ret = cli_connect_device(ctx, "console", uuid, optind < argc, path,
				 &con.client);
	if (ret)
		return ret;
	con.bar = VFIO_PCI_BAR0_REGION_INDEX + (uint32_t)port;
	ret = console_setup(&con);
	if (ret) {
		cli_error("console: setting up port %lu: %s", port,
			  strerror(-ret));
		goto out;
	}
	console_raw_mode(&con);
	if (con.raw)
		fprintf(stderr,
			"Connected to port %lu of %s. Escape: Ctrl-]\r\n", port,
			uuid);
	ret = console_run(&con);
	if (con.raw)
		tcsetattr(STDIN_FILENO, TCSANOW, &con.saved);
	if (ret)
		cli_error("console: %s", strerror(-ret));
out:
	if (con.irq_fd >= 0)
		close(con.irq_fd);
	umdev_client_close(con.client);
	return ret ? CLI_EXIT_FAILED : CLI_EXIT_OK;
}
