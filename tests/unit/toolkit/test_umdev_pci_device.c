// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for umdev_pci_device (<umdev/toolkit.h>): a device made from
 * a description, registered on a real core and driven through
 * umdev_pci_device_ops as a transport would, with real eventfds.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <cmocka.h>

#include <linux/pci_regs.h>
#include <umdev/mdev_host.h>
#include <umdev/toolkit.h>

#define UUID "5eed0000-0000-4000-8000-000000000001"

/* The driver side: BAR0 is 16 bytes of memory, BAR2 8 bytes of I/O. */
struct regs {
	uint8_t bar0[16];
	unsigned int accesses, resets;
};

static long regs_read(void *priv, uint32_t bar, uint64_t offset, void *buf,
		      uint32_t count)
{
	struct regs *r = priv;

	r->accesses++;
	if (bar != 0)
		return -EINVAL;
	memcpy(buf, r->bar0 + offset, count);
	return count;
}

static long regs_write(void *priv, uint32_t bar, uint64_t offset,
		       const void *buf, uint32_t count)
{
	struct regs *r = priv;

	r->accesses++;
	if (bar != 0)
		return -EINVAL;
	memcpy(r->bar0 + offset, buf, count);
	return count;
}

static int regs_reset(void *priv)
{
	struct regs *r = priv;

	memset(r->bar0, 0, sizeof(r->bar0));
	r->resets++;
	return 0;
}

static const struct vfio_irq_info irqs[VFIO_PCI_NUM_IRQS] = {
	[VFIO_PCI_MSI_IRQ_INDEX] = { .flags = VFIO_IRQ_INFO_EVENTFD,
				     .count = 1 },
	[VFIO_PCI_REQ_IRQ_INDEX] = { .flags = VFIO_IRQ_INFO_EVENTFD,
				     .count = 1 },
};

static const struct umdev_pci_device_desc desc = {
	.size = sizeof(struct umdev_pci_device_desc),
	.vendor_id = 0x1af4,
	.device_id = 0x10ff,
	.class_code = 0xff0000,
	.revision = 3,
	.command_writable = PCI_COMMAND_MEMORY | PCI_COMMAND_IO,
	.bar_size = { 16, 0, 8 },
	.bar_io = 1u << 2,
	.irqs = irqs,
	.bar_read = regs_read,
	.bar_write = regs_write,
	.reset = regs_reset,
};

static struct regs the_regs;

static int probe(struct mdev_device *mdev)
{
	return umdev_pci_device_init(mdev, &desc, &the_regs);
}

static void remove_dev(struct mdev_device *mdev)
{
	umdev_pci_device_fini(mdev);
}

static const struct mdev_driver driver = {
	.name = "pcidev",
	.device_ops = &umdev_pci_device_ops,
	.probe = probe,
	.remove = remove_dev,
};

static const struct mdev_type_desc types[] = {
	{ .name = "1",
	  .pretty_name = "test",
	  .device_api = "vfio-pci",
	  .max_instances = 1 },
};

struct fixture {
	struct mdev_core *core;
	struct mdev_device *dev;
	const struct umdev_device_ops *ops;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	memset(&the_regs, 0, sizeof(the_regs));
	f->core = mdev_core_new(NULL, NULL);
	if (!f->core ||
	    mdev_register_parent(f->core, "pcidev", &driver, types, 1, NULL,
				 NULL) ||
	    mdev_core_create(f->core, UUID, "pcidev", "pcidev-1", &f->dev) ||
	    mdev_device_open(f->dev))
		return -1;
	f->ops = mdev_device_ops(f->dev);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	mdev_core_free(f->core);
	free(f);
	return 0;
}

static uint32_t cfg32(struct fixture *f, unsigned int off)
{
	uint32_t v = 0;

	assert_int_equal(f->ops->read(f->dev, VFIO_PCI_CONFIG_REGION_INDEX, off,
				      &v, 4),
			 4);
	return v;
}

static void cfg_wr32(struct fixture *f, unsigned int off, uint32_t v)
{
	assert_int_equal(f->ops->write(f->dev, VFIO_PCI_CONFIG_REGION_INDEX,
				       off, &v, 4),
			 4);
}

static void test_info(void **state)
{
	struct fixture *f = *state;
	struct vfio_device_info dev = { .argsz = sizeof(dev) };
	struct vfio_region_info region = { .argsz = sizeof(region) };
	struct vfio_irq_info irq = { .argsz = sizeof(irq) };
	static const uint64_t sizes[VFIO_PCI_NUM_REGIONS] = { 16, 0, 8,	  0, 0,
							      0,  0, 256, 0 };
	uint32_t i;

	assert_int_equal(f->ops->get_info(f->dev, &dev), 0);
	assert_int_equal(dev.num_regions, VFIO_PCI_NUM_REGIONS);
	for (i = 0; i < VFIO_PCI_NUM_REGIONS; i++) {
		region.index = i;
		assert_int_equal(f->ops->get_region_info(f->dev, &region), 0);
		assert_int_equal(region.size, sizes[i]);
	}
	region.index = VFIO_PCI_NUM_REGIONS;
	assert_int_equal(f->ops->get_region_info(f->dev, &region), -EINVAL);
	irq.index = VFIO_PCI_MSI_IRQ_INDEX;
	assert_int_equal(f->ops->get_irq_info(f->dev, &irq), 0);
	assert_int_equal(irq.count, 1);
	irq.index = VFIO_PCI_INTX_IRQ_INDEX;
	assert_int_equal(f->ops->get_irq_info(f->dev, &irq), 0);
	assert_int_equal(irq.count, 0);
}

static void test_config_space(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(cfg32(f, PCI_VENDOR_ID), 0x10ff1af4);
	assert_int_equal(cfg32(f, PCI_CLASS_REVISION), 0xff000003);
	cfg_wr32(f, PCI_BASE_ADDRESS_0, 0xffffffff);
	assert_int_equal(cfg32(f, PCI_BASE_ADDRESS_0), 0xfffffff0);
	cfg_wr32(f, PCI_BASE_ADDRESS_2, 0xffffffff);
	assert_int_equal(cfg32(f, PCI_BASE_ADDRESS_2), 0xfffffff9);
	assert_int_equal(cfg32(f, PCI_BASE_ADDRESS_1), 0);
	cfg_wr32(f, PCI_COMMAND, 0xffff);
	assert_int_equal(cfg32(f, PCI_COMMAND) & 0xffff,
			 PCI_COMMAND_MEMORY | PCI_COMMAND_IO);
	/* Reset: config back to power-on, the driver's reset called. */
	assert_int_equal(f->ops->reset(f->dev), 0);
	assert_int_equal(cfg32(f, PCI_BASE_ADDRESS_0), 0);
	assert_int_equal(cfg32(f, PCI_COMMAND), 0);
	assert_int_equal(the_regs.resets, 1);
}

static void test_bar_access(void **state)
{
	struct fixture *f = *state;
	uint8_t b[4] = { 1, 2, 3, 4 }, got[4] = { 0 };

	assert_int_equal(f->ops->write(f->dev, 0, 12, b, 4), 4);
	assert_int_equal(f->ops->read(f->dev, 0, 12, got, 4), 4);
	assert_memory_equal(got, b, 4);
	assert_int_equal(the_regs.accesses, 2);
	/* Outside the BAR, an absent BAR, an empty access: refused before
	 * the driver sees them. */
	assert_int_equal(f->ops->read(f->dev, 0, 13, got, 4), -EINVAL);
	assert_int_equal(f->ops->read(f->dev, 0, 16, got, 1), -EINVAL);
	assert_int_equal(f->ops->read(f->dev, 1, 0, got, 1), -EINVAL);
	assert_int_equal(f->ops->write(f->dev, 0, 0, b, 0), -EINVAL);
	assert_int_equal(f->ops->read(f->dev, 8, 0, got, 1), -EINVAL);
	assert_int_equal(the_regs.accesses, 2);
	/* The driver's own refusal comes through. */
	assert_int_equal(f->ops->read(f->dev, 2, 0, got, 1), -EINVAL);
	assert_int_equal(the_regs.accesses, 3);
}

static int set_fd(struct fixture *f, uint32_t index, int32_t fd)
{
	struct vfio_irq_set s = {
		.argsz = sizeof(s) + sizeof(fd),
		.flags = VFIO_IRQ_SET_DATA_EVENTFD |
			 VFIO_IRQ_SET_ACTION_TRIGGER,
		.index = index,
		.count = 1,
	};

	return f->ops->set_irqs(f->dev, &s, &fd);
}

static void test_irqs_close_request(void **state)
{
	struct fixture *f = *state;
	int msi = eventfd(0, EFD_NONBLOCK), req = eventfd(0, EFD_NONBLOCK);
	uint64_t n = 0;

	assert_int_equal(set_fd(f, VFIO_PCI_MSI_IRQ_INDEX, msi), 0);
	assert_int_equal(set_fd(f, VFIO_PCI_REQ_IRQ_INDEX, req), 0);
	assert_int_equal(set_fd(f, VFIO_PCI_INTX_IRQ_INDEX, msi), -EINVAL);
	umdev_irq_trigger(umdev_pci_device_irqs(f->dev),
			  VFIO_PCI_MSI_IRQ_INDEX);
	assert_int_equal(read(msi, &n, sizeof(n)), sizeof(n));
	assert_int_equal(n, 1);
	/* Removal while open: the REQ eventfd is rung. */
	assert_int_equal(mdev_core_remove(f->core, UUID), -EBUSY);
	assert_int_equal(read(req, &n, sizeof(n)), sizeof(n));
	/* Close: triggers released (closed). */
	mdev_device_close(f->dev);
	assert_true(fcntl(msi, F_GETFD) < 0);
	assert_true(fcntl(req, F_GETFD) < 0);
	assert_ptr_equal(umdev_pci_device_priv(f->dev), &the_regs);
}

static void test_init_refusals(void **state)
{
	struct fixture *f = *state;
	struct umdev_pci_device_desc d = desc;
	void *before = mdev_get_drvdata(f->dev);

	d.size = offsetof(struct umdev_pci_device_desc, reset);
	assert_int_equal(umdev_pci_device_init(f->dev, &d, NULL), -EINVAL);
	d = desc;
	d.bar_read = NULL;
	assert_int_equal(umdev_pci_device_init(f->dev, &d, NULL), -EINVAL);
	d = desc;
	d.irqs = NULL;
	assert_int_equal(umdev_pci_device_init(f->dev, &d, NULL), -EINVAL);
	d = desc;
	d.bar_size[3] = 100;
	assert_int_equal(umdev_pci_device_init(f->dev, &d, NULL), -EINVAL);
	assert_int_equal(umdev_pci_device_init(f->dev, NULL, NULL), -EINVAL);
	/* Nothing replaced the device's state. */
	assert_ptr_equal(mdev_get_drvdata(f->dev), before);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_info),	       T(test_config_space),
		T(test_bar_access),    T(test_irqs_close_request),
		T(test_init_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
