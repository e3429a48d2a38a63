// SPDX-License-Identifier: GPL-2.0-only
/*
 * doorbell_client - drive a doorbell device (examples/doorbell) over
 * vfio-user with the installed libumdev client: check the registers of
 * BAR0 and that ringing the doorbell raises the MSI eventfd.  Prints one
 * line per check; exit 0 when every check passed.
 * Usage: doorbell_client SOCKET
 *        doorbell_client --hold SOCKET   stay attached until the device
 *            asks for release (REQ eventfd), then let go: prints
 *            "attached" and "release requested" (exit 0), or times out.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <umdev/client.h>

#include "doorbell.h"

static int failures;

static void check(int cond, const char *what)
{
	printf("%s: %s\n", cond ? "pass" : "FAIL", what);
	failures += !cond;
}

static uint32_t rd(struct umdev_client *c, uint32_t reg)
{
	uint32_t v = 0xdeadbeef;

	if (umdev_client_read(c, VFIO_PCI_BAR0_REGION_INDEX, reg, &v, 4) != 4)
		failures++;
	return v;
}

static int wr(struct umdev_client *c, uint32_t reg, uint32_t v)
{
	return umdev_client_write(c, VFIO_PCI_BAR0_REGION_INDEX, reg, &v, 4);
}

/* Eventfd count after waiting up to @ms for it (0 if it never fired). */
static uint64_t fired(int efd, int ms)
{
	struct pollfd p = { .fd = efd, .events = POLLIN };
	uint64_t n = 0;

	if (poll(&p, 1, ms) == 1 && read(efd, &n, sizeof(n)) != sizeof(n))
		n = 0;
	return n;
}

/* Attach, then wait (at most 30 s) for the REQ eventfd and detach. */
static int hold(const char *path)
{
	struct umdev_client *c;
	int efd, err = 0;

	c = umdev_client_connect(path, &err);
	efd = eventfd(0, EFD_CLOEXEC);
	if (!c || efd < 0 ||
	    umdev_client_set_irqs(
		    c, VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER,
		    VFIO_PCI_REQ_IRQ_INDEX, 0, 1, &efd, 1, NULL, 0)) {
		fprintf(stderr, "hold %s: cannot attach\n", path);
		return 1;
	}
	printf("attached\n");
	fflush(stdout);
	if (!fired(efd, 30000)) {
		printf("no release request\n");
		return 1;
	}
	printf("release requested\n");
	umdev_client_close(c);
	return 0;
}

int main(int argc, char **argv)
{
	struct vfio_region_info ri = { 0 };
	uint64_t mig_flags;
	struct vfio_irq_info ii = { 0 };
	struct umdev_client *c;
	uint16_t ids[2] = { 0 };
	int efd, err = 0;

	if (argc == 3 && !strcmp(argv[1], "--hold"))
		return hold(argv[2]);
	if (argc != 2) {
		fprintf(stderr, "usage: doorbell_client SOCKET\n");
		return 2;
	}
	c = umdev_client_connect(argv[1], &err);
	if (!c) {
		fprintf(stderr, "connect %s: %s\n", argv[1], strerror(-err));
		return 1;
	}
	check(umdev_client_get_region_info(c, VFIO_PCI_BAR0_REGION_INDEX,
					   &ri) == 0 &&
		      ri.size == DOORBELL_BAR0_SIZE,
	      "BAR0 is 4 KiB");
	check(umdev_client_read(c, VFIO_PCI_CONFIG_REGION_INDEX, 0, ids, 4) ==
			      4 &&
		      ids[0] == DOORBELL_VENDOR_ID &&
		      ids[1] == DOORBELL_DEVICE_ID,
	      "config space has the doorbell's vendor and device id");
	check(umdev_client_get_irq_info(c, VFIO_PCI_MSI_IRQ_INDEX, &ii) == 0 &&
		      ii.count == 1,
	      "one MSI vector");
	check(umdev_client_mig_get_flags(c, &mig_flags) == -ENOTTY,
	      "no migration callbacks: DEVICE_FEATURE MIGRATION is ENOTTY");
	check(rd(c, DOORBELL_REG_ID) == DOORBELL_ID, "ID register reads DBL1");
	check(wr(c, DOORBELL_REG_SCRATCH, 0x5a5aa5a5) == 4 &&
		      rd(c, DOORBELL_REG_SCRATCH) == 0x5a5aa5a5,
	      "SCRATCH keeps what was written");

	efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	check(efd >= 0 &&
		      umdev_client_set_irqs(c,
					    VFIO_IRQ_SET_DATA_EVENTFD |
						    VFIO_IRQ_SET_ACTION_TRIGGER,
					    VFIO_PCI_MSI_IRQ_INDEX, 0, 1, &efd,
					    1, NULL, 0) == 0,
	      "MSI eventfd installed");
	check(fired(efd, 0) == 0, "no interrupt before the doorbell rings");
	check(wr(c, DOORBELL_REG_DOORBELL, 42) == 4, "ring the doorbell");
	check(fired(efd, 5000) == 1, "the doorbell raised the MSI eventfd");
	check(rd(c, DOORBELL_REG_STATUS) == DOORBELL_STATUS_RUNG &&
		      rd(c, DOORBELL_REG_LAST) == 42 &&
		      rd(c, DOORBELL_REG_COUNT) == 1,
	      "STATUS, LAST and COUNT record the ring");
	check(wr(c, DOORBELL_REG_STATUS, DOORBELL_STATUS_RUNG) == 4 &&
		      rd(c, DOORBELL_REG_STATUS) == 0,
	      "STATUS clears on write-1");
	check(wr(c, DOORBELL_REG_DOORBELL, 7) == 4 && fired(efd, 5000) == 1 &&
		      rd(c, DOORBELL_REG_COUNT) == 2,
	      "a second ring raises it again");
	check(umdev_client_reset(c) == 0 && rd(c, DOORBELL_REG_COUNT) == 0 &&
		      rd(c, DOORBELL_REG_SCRATCH) == 0,
	      "reset clears the registers");
	umdev_client_close(c);
	close(efd);
	return failures ? 1 : 0;
}
