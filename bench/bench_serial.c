// SPDX-License-Identifier: GPL-2.0-only
/*
 * umdev-bench-serial: guest -> host throughput of an mtty port on the pty
 * backend.  This process is the guest (a vfio-user client writing THR, a
 * FIFO's worth per THR-empty interrupt, MSI); a forked reader is the host
 * program on the pty.  The figure is bytes per second from the first THR
 * write until the reader has every byte, and the same as a multiple of a
 * 115,200-baud 8N1 line (11,520 bytes/s).  Reported, never pass/fail.
 *
 * Usage: umdev-bench-serial DEVICE_SOCKET PTY_PATH [BYTES]
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <umdev/client.h>

#include "bench.h"

#define LINE_115200_BYTES_PER_S (115200.0 / 10.0) /* 8N1: 10 bits a byte */
#define FIFO 16

static int reader(const char *pty, size_t len, int done)
{
	int fd = open(pty, O_RDONLY | O_NOCTTY);
	char buf[4096];
	size_t got = 0;
	ssize_t n;

	if (fd < 0)
		return 2;
	if (write(done, "r", 1) != 1) /* open: the carrier is up */
		return 2;
	while (got < len) {
		n = read(fd, buf, sizeof(buf));
		if (n <= 0)
			return 3;
		got += (size_t)n;
	}
	return write(done, "d", 1) == 1 ? 0 : 2;
}

static int wr(struct umdev_client *c, uint64_t reg, uint8_t v)
{
	return umdev_client_write8(c, VFIO_PCI_BAR0_REGION_INDEX, reg, v);
}

static int rd(struct umdev_client *c, uint64_t reg, uint8_t *v)
{
	return umdev_client_read8(c, VFIO_PCI_BAR0_REGION_INDEX, reg, v);
}

static int wait_fd(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 10000) == 1 ? 0 : -ETIMEDOUT;
}

int main(int argc, char **argv)
{
	size_t len = argc > 3 ? strtoul(argv[3], NULL, 0) : 1 << 20;
	struct umdev_client *c;
	int err = 0, efd, done[2], status;
	size_t off = 0, i;
	uint64_t t0, t1, cnt;
	uint8_t v = 0, b;
	char ch;
	pid_t pid;

	if (argc < 3) {
		fprintf(stderr, "usage: %s DEVICE_SOCKET PTY [BYTES]\n",
			argv[0]);
		return 2;
	}
	if (pipe(done))
		return 1;
	pid = fork();
	if (!pid)
		_exit(reader(argv[2], len, done[1]));
	c = umdev_client_connect(argv[1], &err);
	efd = eventfd(0, EFD_CLOEXEC);
	if (!c || efd < 0 || wait_fd(done[0]) || read(done[0], &ch, 1) != 1) {
		fprintf(stderr, "bench-serial: setup: %s\n", strerror(-err));
		return 1;
	}
	if (umdev_client_set_irqs(
		    c, VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER,
		    VFIO_PCI_MSI_IRQ_INDEX, 0, 1, &efd, 1, NULL, 0) ||
	    wr(c, 3, 0x83) || wr(c, 0, 1) || wr(c, 1, 0) || wr(c, 3, 0x03) ||
	    wr(c, 2, 0xc7))
		return 1;
	/* The carrier (DCD) is up once umdevd has seen the reader. */
	do {
		if (rd(c, 6, &v))
			return 1;
	} while (!(v & 0x80) && !usleep(1000));
	t0 = bench_now_ns();
	if (wr(c, 1, 0x02)) /* THR-empty interrupt */
		return 1;
	while (off < len) {
		if (wait_fd(efd) || read(efd, &cnt, sizeof(cnt)) < 0)
			return 1;
		while (off < len) {
			if (rd(c, 2, &v))
				return 1;
			if ((v & 0x0f) != 0x02)
				break;
			for (i = 0; i < FIFO && off < len; i++, off++) {
				b = (uint8_t)off;
				if (umdev_client_write_posted(
					    c, VFIO_PCI_BAR0_REGION_INDEX, 0,
					    &b, 1) < 0)
					return 1;
			}
		}
	}
	if (wait_fd(done[0]) || read(done[0], &ch, 1) != 1)
		return 1;
	t1 = bench_now_ns();
	wr(c, 1, 0);
	umdev_client_close(c);
	waitpid(pid, &status, 0);
	printf("INFO serial_pty_guest_to_host_bytes_per_s value=%.0f bytes=%zu x115200_baud=%.1f\n",
	       len / ((t1 - t0) / 1e9), len,
	       len / ((t1 - t0) / 1e9) / LINE_115200_BYTES_PER_S);
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : 1;
}
