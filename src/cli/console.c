// SPDX-License-Identifier: GPL-2.0-only
/*
 * console - `umdevctl console -u UUID [--port N]`: a terminal on one serial
 * port of an mtty device, driven the way a guest driver would drive it:
 * bytes from stdin go to THR, at most a FIFO's worth while THRE is set;
 * received bytes (looped back, or from the port's pty or socket peer)
 * raise INTx (an eventfd); on each interrupt IIR says why, RBR is drained
 * to stdout and INTx is unmasked.  End of input ends it, and Ctrl-] when
 * stdin is a terminal (piped input is all data).  The device's REQ
 * interrupt (umdevctl stop) ends it at once.
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
/* What THRE says the transmitter takes at once: one FIFO. */
#define CONSOLE_BURST UART16550_FIFO_SIZE
/* After end of input, how long to wait for the last bytes to come back. */
#define CONSOLE_DRAIN_MS 2000

/* --enter: what an end of line (CR or LF) from stdin is sent as. */
enum console_enter {
	CONSOLE_ENTER_ASIS = 0,
	CONSOLE_ENTER_CR,
	CONSOLE_ENTER_LF,
	CONSOLE_ENTER_CRLF,
};

struct console {
	struct umdev_client *client;
	uint32_t bar;
	int irq_fd;
	int req_fd; /* the device's REQ interrupt: it is being removed */
	unsigned long interrupts;
	bool raw;
	bool escape; /* Ctrl-] leaves: only when stdin is a terminal */
	bool out_crlf; /* --lf-to-crlf: received LF printed as CR LF */
	enum console_enter enter;
	bool requested;
	uint8_t pending[2 * CONSOLE_BURST]; /* read from stdin, not yet sent */
	size_t nr_pending;
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
	con->req_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (con->req_fd < 0)
		return -errno;
	fd = con->req_fd;
	ret = umdev_client_set_irqs(
		con->client,
		VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER,
		VFIO_PCI_REQ_IRQ_INDEX, 0, 1, &fd, 1, NULL, 0);
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
				if (con->out_crlf && val == '\n' &&
				    write(STDOUT_FILENO, "\r", 1) < 0)
					return -errno;
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

/* Queue byte @c for sending, as --enter translates an end of line. */
static void console_queue(struct console *con, uint8_t c)
{
	if (con->enter != CONSOLE_ENTER_ASIS && (c == '\r' || c == '\n')) {
		if (con->enter != CONSOLE_ENTER_LF)
			con->pending[con->nr_pending++] = '\r';
		if (con->enter != CONSOLE_ENTER_CR)
			con->pending[con->nr_pending++] = '\n';
		return;
	}
	con->pending[con->nr_pending++] = c;
}

/* Read what stdin has (up to a FIFO's worth); *@eof at its end or Ctrl-]. */
static int console_input(struct console *con, bool *eof)
{
	uint8_t buf[CONSOLE_BURST];
	ssize_t n, i;

	n = read(STDIN_FILENO, buf, sizeof(buf));
	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 0 : -errno;
	if (n == 0) {
		*eof = true;
		return 0;
	}
	for (i = 0; i < n; i++) {
		/* Leave as at end of input: what was sent still comes back. */
		if (con->escape && buf[i] == CONSOLE_ESCAPE) {
			*eof = true;
			return 0;
		}
		console_queue(con, buf[i]);
	}
	return 0;
}

/*
 * Hand the transmitter what is queued, a FIFO's worth while THRE is set
 * (a loopback port's receiver shares that FIFO, so nothing overflows).
 * *@idle: nothing queued and the transmitter (and a loopback receiver)
 * empty.
 */
static int console_transmit(struct console *con, bool *idle)
{
	size_t n, i;
	uint8_t lsr;
	int ret;

	ret = console_reg_read(con, UART_LSR, &lsr);
	if (ret)
		return ret;
	*idle = !con->nr_pending && (lsr & UART_LSR_TEMT) &&
		!(lsr & UART_LSR_DR);
	if (!con->nr_pending || !(lsr & UART_LSR_THRE))
		return 0;
	n = con->nr_pending < CONSOLE_BURST ? con->nr_pending : CONSOLE_BURST;
	for (i = 0; i < n; i++) {
		ret = console_reg_write(con, UART_TX, con->pending[i]);
		if (ret)
			return ret;
	}
	memmove(con->pending, con->pending + n, con->nr_pending - n);
	con->nr_pending -= n;
	return 0;
}

static int console_run(struct console *con)
{
	bool eof = false, idle = false;
	int ret;

	for (;;) {
		struct pollfd pfd[4] = {
			{ .fd = con->irq_fd, .events = POLLIN },
			{ .fd = umdev_client_fd(con->client),
			  .events = POLLIN },
			{ .fd = con->req_fd, .events = POLLIN },
			{ .fd = STDIN_FILENO, .events = POLLIN },
		};
		nfds_t nfds = 4;

		ret = console_transmit(con, &idle);
		if (ret)
			return ret;
		if (eof && idle)
			return 0;
		/* Hold input back while what was read is not sent. */
		if (eof || con->nr_pending > CONSOLE_BURST)
			nfds = 3;
		/* Waiting on THRE: the THR-empty interrupt (IER) wakes us. */
		ret = console_reg_write(con, UART_IER,
					UART_IER_RDI | (con->nr_pending || eof ?
								UART_IER_THRI :
								0));
		if (ret)
			return ret;
		ret = poll(pfd, nfds, eof ? CONSOLE_DRAIN_MS : -1);
		if (ret < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (ret == 0) {
			fprintf(stderr,
				"umdevctl: console: the last bytes did not come back\n");
			return -ETIMEDOUT;
		}
		if (pfd[2].revents & POLLIN) {
			con->requested = true;
			return 0;
		}
		if (pfd[1].revents)
			return -ECONNRESET; /* the server never speaks first */
		if (pfd[0].revents & POLLIN) {
			ret = console_interrupt(con);
			if (ret)
				return ret;
		}
		if (nfds == 4 && pfd[3].revents) {
			ret = console_input(con, &eof);
			if (ret)
				return ret;
		}
	}
}

/*
 * Is this an mtty port?  A clear error for another device (its PCI ids)
 * or a port the device does not have (an empty BAR).
 */
static int console_check_port(struct console *con, const char *uuid,
			      unsigned long port)
{
	struct vfio_region_info info = { .argsz = sizeof(info) };
	uint8_t id[4];
	int ret;

	ret = umdev_client_read(con->client, VFIO_PCI_CONFIG_REGION_INDEX, 0,
				id, sizeof(id));
	if (ret < 0) {
		cli_error("console: %s: reading its config space: %s", uuid,
			  strerror(-ret));
		return CLI_EXIT_FAILED;
	}
	if ((id[0] | id[1] << 8) != 0x4348 || (id[2] | id[3] << 8) != 0x3253) {
		cli_error(
			"console: %s is not an mtty device (PCI id %04x:%04x, an mtty is 4348:3253)",
			uuid, id[0] | id[1] << 8, id[2] | id[3] << 8);
		return CLI_EXIT_FAILED;
	}
	ret = umdev_client_get_region_info(con->client, con->bar, &info);
	if (ret || !info.size) {
		cli_error("console: %s has no port %lu (its BAR%lu is empty)",
			  uuid, port, port);
		return CLI_EXIT_FAILED;
	}
	return 0;
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
		{ "enter", required_argument, NULL, 'E' },
		{ "lf-to-crlf", no_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct console con = { .irq_fd = -1, .req_fd = -1 };
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
		case 'E':
			if (!strcmp(optarg, "cr")) {
				con.enter = CONSOLE_ENTER_CR;
			} else if (!strcmp(optarg, "lf")) {
				con.enter = CONSOLE_ENTER_LF;
			} else if (!strcmp(optarg, "crlf")) {
				con.enter = CONSOLE_ENTER_CRLF;
			} else {
				cli_error(
					"console: --enter must be cr, lf or crlf, not '%s'",
					optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		case 'L':
			con.out_crlf = true;
			break;
		default:
			fprintf(stderr,
				"Usage: umdevctl console -u|--uuid UUID [--port N] [--enter cr|lf|crlf] [--lf-to-crlf] [--runtime-dir DIR]\n");
			return ch == 'h' ? CLI_EXIT_OK : CLI_EXIT_USAGE;
		}
	}
	ret = cli_connect_device(ctx, "console", uuid, optind < argc, path,
				 &con.client);
	if (ret)
		return ret;
	con.bar = VFIO_PCI_BAR0_REGION_INDEX + (uint32_t)port;
	ret = console_check_port(&con, uuid, port);
	if (ret) {
		umdev_client_close(con.client);
		return ret;
	}
	ret = console_setup(&con);
	if (ret) {
		cli_error("console: setting up port %lu: %s", port,
			  strerror(-ret));
		goto out;
	}
	console_raw_mode(&con);
	con.escape = isatty(STDIN_FILENO);
	if (con.raw)
		fprintf(stderr,
			"Connected to port %lu of %s. Escape: Ctrl-]\r\n", port,
			uuid);
	ret = console_run(&con);
	if (con.raw)
		tcsetattr(STDIN_FILENO, TCSANOW, &con.saved);
	/* The shell's prompt starts on a line of its own. */
	if (isatty(STDOUT_FILENO) && write(STDOUT_FILENO, "\n", 1) < 0)
		ret = ret ? ret : -errno;
	if (con.requested)
		fprintf(stderr,
			"umdevctl: console: %s is being removed (umdevd asked for it back): left\n",
			uuid);
	if (ret)
		cli_error("console: %s", strerror(-ret));
out:
	if (con.req_fd >= 0)
		close(con.req_fd);
	if (con.irq_fd >= 0)
		close(con.irq_fd);
	umdev_client_close(con.client);
	return ret ? CLI_EXIT_FAILED : CLI_EXIT_OK;
}
