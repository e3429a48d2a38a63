// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for libumdev's driver toolkit (<umdev/toolkit.h>) with real
 * fds: eventfd-only triggers that never block, fd ownership, ops structs
 * that grow, config space and info helpers.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <unistd.h>
#include <cmocka.h>

#include <linux/pci_regs.h>
#include <umdev/toolkit.h>

#include "toolkit/eventfd_trigger.h"

static const struct vfio_irq_info irq_table[VFIO_PCI_NUM_IRQS] = {
	[VFIO_PCI_INTX_IRQ_INDEX] = { .flags = VFIO_IRQ_INFO_EVENTFD |
					       VFIO_IRQ_INFO_MASKABLE,
				      .count = 1 },
	[VFIO_PCI_MSI_IRQ_INDEX] = { .flags = VFIO_IRQ_INFO_EVENTFD,
				     .count = 1 },
};

static bool fd_is_open(int fd)
{
	return fcntl(fd, F_GETFD) >= 0;
}

static int set_fd(struct umdev_irqs *irqs, uint32_t index, int32_t fd)
{
	struct vfio_irq_set s = {
		.argsz = sizeof(s) + sizeof(fd),
		.flags = VFIO_IRQ_SET_DATA_EVENTFD |
			 VFIO_IRQ_SET_ACTION_TRIGGER,
		.index = index,
		.count = 1,
	};

	return umdev_irqs_set(irqs, &s, &fd);
}

static uint64_t take_count(int efd)
{
	uint64_t n = 0;

	if (read(efd, &n, sizeof(n)) != sizeof(n))
		return 0;
	return n;
}

static void test_is_eventfd(void **state)
{
	int p[2], efd = eventfd(0, 0);
	int tfd = timerfd_create(CLOCK_MONOTONIC, 0);

	assert_int_equal(pipe(p), 0);
	assert_true(eventfd_trigger_is_eventfd(efd));
	assert_false(eventfd_trigger_is_eventfd(p[0]));
	assert_false(eventfd_trigger_is_eventfd(p[1]));
	assert_false(eventfd_trigger_is_eventfd(tfd));
	assert_false(eventfd_trigger_is_eventfd(-1));
	close(efd);
	assert_false(eventfd_trigger_is_eventfd(efd));
	close(tfd);
	close(p[0]);
	close(p[1]);
}

/* A blocking eventfd at its maximum: signalling saturates, returns 0. */
static void test_signal_never_blocks(void **state)
{
	uint64_t max = 0xfffffffffffffffeULL, n;
	int efd = eventfd(0, 0);

	assert_int_equal(eventfd_trigger_signal_fd(efd), 1);
	assert_int_equal(eventfd_trigger_signal_fd(efd), 1);
	assert_int_equal(take_count(efd), 2);
	assert_int_equal(write(efd, &max, sizeof(max)), sizeof(max));
	assert_int_equal(eventfd_trigger_signal_fd(efd), 0);
	assert_int_equal(read(efd, &n, sizeof(n)), sizeof(n));
	assert_true(n == max);
	assert_int_equal(eventfd_trigger_signal_fd(-1), -EBADF);
	close(efd);
}

static void test_triggers_are_eventfds(void **state)
{
	struct umdev_irqs *irqs =
		umdev_irqs_new(irq_table, VFIO_PCI_NUM_IRQS, NULL, NULL);
	int p[2], efd = eventfd(0, EFD_NONBLOCK), closed = eventfd(0, 0);

	assert_non_null(irqs);
	assert_int_equal(pipe(p), 0);
	assert_int_equal(set_fd(irqs, VFIO_PCI_INTX_IRQ_INDEX, p[1]), -EINVAL);
	close(closed);
	assert_int_equal(set_fd(irqs, VFIO_PCI_INTX_IRQ_INDEX, closed), -EBADF);
	assert_true(fd_is_open(p[1]));
	assert_int_equal(set_fd(irqs, VFIO_PCI_MSI_IRQ_INDEX, efd), 0);
	umdev_irq_trigger(irqs, VFIO_PCI_MSI_IRQ_INDEX);
	umdev_irq_trigger(irqs, VFIO_PCI_INTX_IRQ_INDEX); /* none: nothing */
	assert_int_equal(take_count(efd), 1);
	/* The installed fd is the toolkit's: closed on free. */
	umdev_irqs_free(irqs);
	assert_false(fd_is_open(efd));
	close(p[0]);
	close(p[1]);
}

static int enables;
static void count_unmask(void *dev, uint32_t index)
{
	(*(int *)dev)++;
}

static int count_enable(void *dev, uint32_t index)
{
	enables++;
	return 0;
}

/* An ops struct from an older driver: members past its size are absent. */
static void test_ops_size(void **state)
{
	struct umdev_irq_ops ops = {
		.size = offsetof(struct umdev_irq_ops, disable),
		.enable = count_enable,
		.unmask = count_unmask, /* past .size: must not be called */
	};
	struct vfio_irq_set unmask = {
		.argsz = sizeof(unmask),
		.flags = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_UNMASK,
		.index = VFIO_PCI_INTX_IRQ_INDEX,
		.count = 1,
	};
	int unmasks = 0, efd = eventfd(0, 0);
	struct umdev_irqs *irqs;

	irqs = umdev_irqs_new(irq_table, VFIO_PCI_NUM_IRQS, &ops, &unmasks);
	assert_non_null(irqs);
	assert_int_equal(set_fd(irqs, VFIO_PCI_INTX_IRQ_INDEX, efd), 0);
	assert_int_equal(enables, 1);
	assert_int_equal(umdev_irqs_set(irqs, &unmask, NULL), -EINVAL);
	assert_int_equal(unmasks, 0);
	umdev_irqs_free(irqs);

	ops.size = sizeof(ops);
	irqs = umdev_irqs_new(irq_table, VFIO_PCI_NUM_IRQS, &ops, &unmasks);
	assert_int_equal(umdev_irqs_set(irqs, &unmask, NULL), 0);
	assert_int_equal(unmasks, 1);
	umdev_irqs_free(irqs);

	ops.size = 1;
	errno = 0;
	assert_null(umdev_irqs_new(irq_table, VFIO_PCI_NUM_IRQS, &ops, NULL));
	assert_int_equal(errno, EINVAL);
	assert_null(umdev_irqs_new(irq_table, 9, NULL, NULL));
	assert_int_equal(errno, EINVAL);
}

static uint32_t cfg_rd32(struct umdev_pci_config *cfg, unsigned int off)
{
	uint32_t v = 0;

	assert_int_equal(umdev_pci_config_read(cfg, off, &v, 4), 4);
	return v;
}

static void cfg_wr32(struct umdev_pci_config *cfg, unsigned int off, uint32_t v)
{
	assert_int_equal(umdev_pci_config_write(cfg, off, &v, 4), 4);
}

static void test_pci_config(void **state)
{
	struct umdev_pci_config *cfg =
		umdev_pci_config_new(0x1234, 0xdb01, 0x058000, 0x02);
	uint8_t b[4];

	assert_non_null(cfg);
	assert_int_equal(cfg_rd32(cfg, PCI_VENDOR_ID), 0xdb011234);
	assert_int_equal(cfg_rd32(cfg, PCI_CLASS_REVISION), 0x05800002);
	/* Identity is read-only. */
	cfg_wr32(cfg, PCI_VENDOR_ID, 0);
	assert_int_equal(cfg_rd32(cfg, PCI_VENDOR_ID), 0xdb011234);
	/* A 4 KiB memory BAR and an 8-byte I/O BAR size as hardware does. */
	assert_int_equal(umdev_pci_config_set_bar(cfg, 0, 4096, false), 0);
	assert_int_equal(umdev_pci_config_set_bar(cfg, 1, 8, true), 0);
	cfg_wr32(cfg, PCI_BASE_ADDRESS_0, 0xffffffff);
	assert_int_equal(cfg_rd32(cfg, PCI_BASE_ADDRESS_0), 0xfffff000);
	cfg_wr32(cfg, PCI_BASE_ADDRESS_0, 0xfebc1234);
	assert_int_equal(cfg_rd32(cfg, PCI_BASE_ADDRESS_0), 0xfebc1000);
	cfg_wr32(cfg, PCI_BASE_ADDRESS_1, 0xffffffff);
	assert_int_equal(cfg_rd32(cfg, PCI_BASE_ADDRESS_1), 0xfffffff9);
	/* Unused BARs read 0 and ignore writes. */
	cfg_wr32(cfg, PCI_BASE_ADDRESS_2, 0xffffffff);
	assert_int_equal(cfg_rd32(cfg, PCI_BASE_ADDRESS_2), 0);
	/* Only the writable command bits move. */
	assert_int_equal(umdev_pci_config_set(cfg, PCI_COMMAND, 2, 0,
					      PCI_COMMAND_MEMORY),
			 0);
	cfg_wr32(cfg, PCI_COMMAND, 0xffff);
	assert_int_equal(cfg_rd32(cfg, PCI_COMMAND), PCI_COMMAND_MEMORY);
	/* Reset: back to the power-on values. */
	umdev_pci_config_reset(cfg);
	assert_int_equal(cfg_rd32(cfg, PCI_BASE_ADDRESS_0), 0);
	assert_int_equal(cfg_rd32(cfg, PCI_BASE_ADDRESS_1), 1);
	assert_int_equal(cfg_rd32(cfg, PCI_COMMAND), 0);
	/* Refusals. */
	assert_int_equal(umdev_pci_config_set_bar(cfg, 6, 4096, false),
			 -EINVAL);
	assert_int_equal(umdev_pci_config_set_bar(cfg, 2, 3000, false),
			 -EINVAL);
	assert_int_equal(umdev_pci_config_set_bar(cfg, 2, 8, false), -EINVAL);
	assert_int_equal(umdev_pci_config_set_bar(cfg, 2, 2, true), -EINVAL);
	assert_int_equal(umdev_pci_config_set(cfg, 0x41, 2, 0, 0), -EINVAL);
	assert_int_equal(umdev_pci_config_set(cfg, 0x40, 3, 0, 0), -EINVAL);
	assert_int_equal(umdev_pci_config_set(cfg, 256, 1, 0, 0), -EINVAL);
	assert_int_equal(umdev_pci_config_read(cfg, 255, b, 1), 1);
	assert_int_equal(umdev_pci_config_read(cfg, 254, b, 4), -EINVAL);
	assert_int_equal(umdev_pci_config_read(cfg, 1ull << 32, b, 1), -EINVAL);
	assert_int_equal(umdev_pci_config_write(cfg, 0, b, 0), -EINVAL);
	umdev_pci_config_free(cfg);
	umdev_pci_config_free(NULL);
}

static void test_info(void **state)
{
	struct vfio_device_info dev = { .argsz = sizeof(dev) };
	struct vfio_region_info region = { .argsz = sizeof(region),
					   .index = 7 };

	umdev_pci_device_info(&dev);
	assert_int_equal(dev.flags,
			 VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET);
	assert_int_equal(dev.num_regions, VFIO_PCI_NUM_REGIONS);
	assert_int_equal(dev.num_irqs, VFIO_PCI_NUM_IRQS);
	umdev_region_info_set(&region, 256, 0x1000);
	assert_int_equal(region.index, 7);
	assert_int_equal(region.size, 256);
	assert_int_equal(region.offset, 0x1000);
	assert_int_equal(region.flags, VFIO_REGION_INFO_FLAG_READ |
					       VFIO_REGION_INFO_FLAG_WRITE);
	umdev_region_info_set(&region, 0, 0);
	assert_int_equal(region.flags, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_is_eventfd),
		cmocka_unit_test(test_signal_never_blocks),
		cmocka_unit_test(test_triggers_are_eventfds),
		cmocka_unit_test(test_ops_size),
		cmocka_unit_test(test_pci_config),
		cmocka_unit_test(test_info),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
