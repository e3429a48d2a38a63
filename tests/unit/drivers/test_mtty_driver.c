// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for the mtty vendor driver (src/drivers/mtty): registration
 * and port accounting through the real core, and every device op as a
 * transport would call it, with real eventfds.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <umdev/mdev_host.h>

#include "model/mtty/uart16550.h"
#include "mtty_driver.h"

#define UUID_1 "a1d5c0de-0000-4000-8000-000000000001"
#define UUID_2 "a1d5c0de-0000-4000-8000-000000000002"

#define BAR0 VFIO_PCI_BAR0_REGION_INDEX
#define BAR1 VFIO_PCI_BAR1_REGION_INDEX
#define CONFIG VFIO_PCI_CONFIG_REGION_INDEX
#define INTX VFIO_PCI_INTX_IRQ_INDEX
#define MSI VFIO_PCI_MSI_IRQ_INDEX
#define REQ VFIO_PCI_REQ_IRQ_INDEX

struct fixture {
	struct mdev_core *core;
	struct mdev_device *dev; /* an open mtty-2 device */
	const struct umdev_device_ops *ops;
};

static int setup(void **state)
{
	struct fixture *f = test_calloc(1, sizeof(*f));

	f->core = mdev_core_new(NULL, NULL);
	assert_non_null(f->core);
	assert_int_equal(mtty_driver_register(f->core), 0);
	assert_int_equal(mdev_core_create(f->core, UUID_1, "mtty", "mtty-2",
					  &f->dev),
			 0);
	f->ops = mdev_device_ops(f->dev);
	assert_int_equal(mdev_device_open(f->dev), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	mdev_core_free(f->core);
	test_free(f);
	return 0;
}

static int new_eventfd(void)
{
	int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);

	assert_true(fd >= 0);
	return fd;
}

/* The eventfd's counter (0 if not signalled); reading resets it. */
static uint64_t ev_take(int fd)
{
	uint64_t n = 0;

	if (read(fd, &n, sizeof(n)) != sizeof(n))
		return 0;
	return n;
}

static bool fd_is_open(int fd)
{
	return fcntl(fd, F_GETFD) >= 0;
}

/* SET_IRQS with one int32 eventfd (or -1). */
static int set_eventfd(struct fixture *f, uint32_t index, int32_t fd)
{
	struct vfio_irq_set set = {
		.argsz = sizeof(set) + sizeof(fd),
		.flags = VFIO_IRQ_SET_DATA_EVENTFD |
			 VFIO_IRQ_SET_ACTION_TRIGGER,
		.index = index,
		.start = 0,
		.count = 1,
	};

	return f->ops->set_irqs(f->dev, &set, &fd);
}

static int set_none(struct fixture *f, uint32_t index, uint32_t action,
		    uint32_t count)
{
	struct vfio_irq_set set = {
		.argsz = sizeof(set),
		.flags = VFIO_IRQ_SET_DATA_NONE | action,
		.index = index,
		.count = count,
	};

	return f->ops->set_irqs(f->dev, &set, NULL);
}

static int set_bool(struct fixture *f, uint32_t index, uint32_t action,
		    uint8_t value)
{
	struct vfio_irq_set set = {
		.argsz = sizeof(set) + 1,
		.flags = VFIO_IRQ_SET_DATA_BOOL | action,
		.index = index,
		.count = 1,
	};

	return f->ops->set_irqs(f->dev, &set, &value);
}

static uint8_t reg_read(struct fixture *f, uint32_t bar, unsigned int reg)
{
	uint8_t v = 0xee;

	assert_int_equal(f->ops->read(f->dev, bar, reg, &v, 1), 1);
	return v;
}

static void reg_write(struct fixture *f, uint32_t bar, unsigned int reg,
		      uint8_t v)
{
	assert_int_equal(f->ops->write(f->dev, bar, reg, &v, 1), 1);
}

static void test_registration(void **state)
{
	struct fixture *f = *state;
	struct mdev_parent *p = mdev_core_find_parent(f->core, "mtty");
	struct mdev_type *t1, *t2;

	assert_non_null(p);
	t1 = mdev_parent_next_type(p, NULL);
	t2 = mdev_parent_next_type(p, t1);
	assert_null(mdev_parent_next_type(p, t2));
	assert_string_equal(mdev_type_id(t1), "mtty-1");
	assert_string_equal(mdev_type_name(t1), "Single port serial");
	assert_string_equal(mdev_type_device_api(t1), "vfio-pci");
	assert_string_equal(mdev_type_id(t2), "mtty-2");
	assert_string_equal(mdev_type_name(t2), "Dual port serial");
	assert_string_equal(mdev_type_device_api(t2), "vfio-pci");
	assert_int_equal(mtty_driver_register(f->core), -EEXIST);
}

/* Available instances of each type on a fresh parent. */
static void check_available(struct mdev_core *core, unsigned int one,
			    unsigned int two)
{
	struct mdev_parent *p = mdev_core_find_parent(core, "mtty");

	assert_int_equal(
		mdev_type_available(mdev_parent_find_type(p, "mtty-1")), one);
	assert_int_equal(
		mdev_type_available(mdev_parent_find_type(p, "mtty-2")), two);
}

static void uuid_n(char *buf, unsigned int n)
{
	snprintf(buf, MDEV_UUID_STRLEN + 1, "00000000-0000-4000-8000-%012x", n);
}

static void test_capacity(void **unused)
{
	struct mdev_core *core = mdev_core_new(NULL, NULL);
	char uuid[MDEV_UUID_STRLEN + 1];
	unsigned int i;

	assert_int_equal(mtty_driver_register(core), 0);
	check_available(core, 24, 12);

	/* 24 single-port devices. */
	for (i = 0; i < 24; i++) {
		uuid_n(uuid, i);
		assert_int_equal(mdev_core_create(core, uuid, "mtty", "mtty-1",
						  NULL),
				 0);
	}
	check_available(core, 0, 0);
	uuid_n(uuid, 100);
	assert_int_equal(mdev_core_create(core, uuid, "mtty", "mtty-1", NULL),
			 -EUSERS);
	assert_int_equal(mdev_core_create(core, uuid, "mtty", "mtty-2", NULL),
			 -EUSERS);
	uuid_n(uuid, 3);
	assert_int_equal(mdev_core_remove(core, uuid), 0);
	check_available(core, 1, 0);
	uuid_n(uuid, 4);
	assert_int_equal(mdev_core_remove(core, uuid), 0);
	check_available(core, 2, 1);
	for (i = 0; i < 24; i++) {
		uuid_n(uuid, i);
		mdev_core_remove(core, uuid);
	}
	check_available(core, 24, 12);

	/* 12 dual-port devices fill it too. */
	for (i = 0; i < 12; i++) {
		uuid_n(uuid, 200 + i);
		assert_int_equal(mdev_core_create(core, uuid, "mtty", "mtty-2",
						  NULL),
				 0);
	}
	check_available(core, 0, 0);
	for (i = 0; i < 12; i++) {
		uuid_n(uuid, 200 + i);
		assert_int_equal(mdev_core_remove(core, uuid), 0);
	}

	/* Mixed: 10 mtty-2 (20 ports) + 3 mtty-1 leave one port. */
	for (i = 0; i < 10; i++) {
		uuid_n(uuid, 300 + i);
		assert_int_equal(mdev_core_create(core, uuid, "mtty", "mtty-2",
						  NULL),
				 0);
	}
	check_available(core, 4, 2);
	for (i = 0; i < 3; i++) {
		uuid_n(uuid, 400 + i);
		assert_int_equal(mdev_core_create(core, uuid, "mtty", "mtty-1",
						  NULL),
				 0);
	}
	check_available(core, 1, 0);
	uuid_n(uuid, 500);
	assert_int_equal(mdev_core_create(core, uuid, "mtty", "mtty-2", NULL),
			 -EUSERS);
	assert_int_equal(mdev_core_create(core, uuid, "mtty", "mtty-1", NULL),
			 0);
	check_available(core, 0, 0);
	uuid_n(uuid, 305);
	assert_int_equal(mdev_core_remove(core, uuid), 0);
	check_available(core, 2, 1);
	mdev_core_free(core);
}

/* Two parents on two cores account separately. */
static void test_capacity_per_core(void **state)
{
	struct fixture *f = *state;
	struct mdev_core *other = mdev_core_new(NULL, NULL);

	assert_int_equal(mtty_driver_register(other), 0);
	check_available(f->core, 22, 11);
	check_available(other, 24, 12);
	mdev_core_free(other);
}

static void test_device_info(void **state)
{
	struct fixture *f = *state;
	struct vfio_device_info info = { .argsz = sizeof(info) };

	assert_int_equal(f->ops->get_info(f->dev, &info), 0);
	assert_int_equal(info.flags,
			 VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET);
	assert_int_equal(info.num_regions, 9);
	assert_int_equal(info.num_irqs, 5);
}

static void check_regions(struct fixture *f, struct mdev_device *dev,
			  uint64_t bar1_size)
{
	const uint32_t rw = VFIO_REGION_INFO_FLAG_READ |
			    VFIO_REGION_INFO_FLAG_WRITE;
	uint32_t i;

	for (i = 0; i < VFIO_PCI_NUM_REGIONS; i++) {
		struct vfio_region_info info = { .argsz = sizeof(info),
						 .index = i };
		uint64_t size = 0;

		if (i == CONFIG)
			size = 256;
		else if (i == BAR0)
			size = 8;
		else if (i == BAR1)
			size = bar1_size;
		assert_int_equal(f->ops->get_region_info(dev, &info), 0);
		assert_int_equal(info.index, i);
		assert_int_equal(info.size, size);
		assert_int_equal(info.flags, size ? rw : 0);
		assert_int_equal(info.offset, 0);
	}
}

static void test_region_info(void **state)
{
	struct fixture *f = *state;
	struct vfio_region_info info = { .argsz = sizeof(info),
					 .index = VFIO_PCI_NUM_REGIONS };
	struct mdev_device *one;

	check_regions(f, f->dev, 8);
	assert_int_equal(f->ops->get_region_info(f->dev, &info), -EINVAL);
	assert_int_equal(
		mdev_core_create(f->core, UUID_2, "mtty", "mtty-1", &one), 0);
	check_regions(f, one, 0);
}

static void test_irq_info(void **state)
{
	struct fixture *f = *state;
	static const struct {
		uint32_t flags, count;
	} want[VFIO_PCI_NUM_IRQS] = {
		[INTX] = { VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_MASKABLE |
				   VFIO_IRQ_INFO_AUTOMASKED,
			   1 },
		[MSI] = { VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE, 1 },
		[VFIO_PCI_MSIX_IRQ_INDEX] = { 0, 0 },
		[VFIO_PCI_ERR_IRQ_INDEX] = { 0, 0 },
		[REQ] = { VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE, 1 },
	};
	struct vfio_irq_info info;
	uint32_t i;

	for (i = 0; i < VFIO_PCI_NUM_IRQS; i++) {
		info = (struct vfio_irq_info){ .argsz = sizeof(info),
					       .index = i };
		assert_int_equal(f->ops->get_irq_info(f->dev, &info), 0);
		assert_int_equal(info.flags, want[i].flags);
		assert_int_equal(info.count, want[i].count);
	}
	info = (struct vfio_irq_info){ .argsz = sizeof(info),
				       .index = VFIO_PCI_NUM_IRQS };
	assert_int_equal(f->ops->get_irq_info(f->dev, &info), -EINVAL);
}

static void test_region_access(void **state)
{
	struct fixture *f = *state;
	struct mdev_device *one;
	uint8_t cfg[4], b = 0;

	/* PCI identity through the config region. */
	assert_int_equal(f->ops->read(f->dev, CONFIG, 0, cfg, 4), 4);
	assert_int_equal(cfg[0] | cfg[1] << 8, 0x4348);
	assert_int_equal(cfg[2] | cfg[3] << 8, 0x3253);
	assert_int_equal(f->ops->read(f->dev, CONFIG, 255, cfg, 1), 1);

	/* Bad index or range. */
	assert_int_equal(f->ops->read(f->dev, CONFIG, 256, cfg, 1), -EINVAL);
	assert_int_equal(f->ops->read(f->dev, CONFIG, 254, cfg, 4), -EINVAL);
	assert_int_equal(f->ops->read(f->dev, BAR0, 8, &b, 1), -EINVAL);
	assert_int_equal(f->ops->read(f->dev, 2, 0, &b, 1), -EINVAL);
	assert_int_equal(f->ops->read(f->dev, VFIO_PCI_NUM_REGIONS, 0, &b, 1),
			 -EINVAL);
	assert_int_equal(f->ops->write(f->dev, 0xffffffffu, 0, &b, 1), -EINVAL);
	assert_int_equal(
		mdev_core_create(f->core, UUID_2, "mtty", "mtty-1", &one), 0);
	assert_int_equal(f->ops->read(one, BAR1, 0, &b, 1), -EINVAL);
}

static void test_loopback(void **state)
{
	struct fixture *f = *state;
	const char *msg = "hi!";
	uint32_t bar;
	size_t i;

	for (bar = BAR0; bar <= BAR1; bar++) {
		reg_write(f, bar, UART_FCR, UART_FCR_ENABLE_FIFO);
		assert_false(reg_read(f, bar, UART_LSR) & UART_LSR_DR);
		for (i = 0; i < strlen(msg); i++)
			reg_write(f, bar, UART_TX, (uint8_t)msg[i]);
		for (i = 0; i < strlen(msg); i++) {
			assert_true(reg_read(f, bar, UART_LSR) & UART_LSR_DR);
			assert_int_equal(reg_read(f, bar, UART_RX), msg[i]);
		}
		assert_false(reg_read(f, bar, UART_LSR) & UART_LSR_DR);
	}
	/* The two ports are separate UARTs. */
	reg_write(f, BAR0, UART_SCR, 0x11);
	reg_write(f, BAR1, UART_SCR, 0x22);
	assert_int_equal(reg_read(f, BAR0, UART_SCR), 0x11);
	assert_int_equal(reg_read(f, BAR1, UART_SCR), 0x22);
}

/* INTx fires once then stays masked; UNMASK re-fires a pending cause. */
static void test_intx_automask(void **state)
{
	struct fixture *f = *state;
	int fd = new_eventfd();

	assert_int_equal(set_eventfd(f, INTX, fd), 0);
	reg_write(f, BAR0, UART_IER, UART_IER_RDI);
	assert_int_equal(ev_take(fd), 0);

	reg_write(f, BAR0, UART_TX, 'x');
	assert_int_equal(ev_take(fd), 1);
	assert_int_equal(reg_read(f, BAR0, UART_IIR) & UART_IIR_ID_MASK,
			 UART_IIR_RDI);

	/* Masked now: a new cause does not fire. */
	assert_int_equal(reg_read(f, BAR0, UART_RX), 'x');
	reg_write(f, BAR0, UART_TX, 'y');
	assert_int_equal(ev_take(fd), 0);

	/* Unmask with the cause still pending: fires again (and masks). */
	assert_int_equal(set_none(f, INTX, VFIO_IRQ_SET_ACTION_UNMASK, 1), 0);
	assert_int_equal(ev_take(fd), 1);
	assert_int_equal(reg_read(f, BAR0, UART_RX), 'y');
	reg_write(f, BAR0, UART_TX, 'z');
	assert_int_equal(ev_take(fd), 0);

	/* Drain, then unmask: nothing pending, nothing fires. */
	assert_int_equal(reg_read(f, BAR0, UART_RX), 'z');
	assert_int_equal(set_bool(f, INTX, VFIO_IRQ_SET_ACTION_UNMASK, 1), 0);
	assert_int_equal(ev_take(fd), 0);

	/* An explicit MASK holds the interrupt back until UNMASK. */
	assert_int_equal(set_none(f, INTX, VFIO_IRQ_SET_ACTION_MASK, 1), 0);
	reg_write(f, BAR1, UART_IER, UART_IER_RDI);
	reg_write(f, BAR1, UART_TX, 'q');
	assert_int_equal(ev_take(fd), 0);
	/* BOOL false is a no-op. */
	assert_int_equal(set_bool(f, INTX, VFIO_IRQ_SET_ACTION_UNMASK, 0), 0);
	assert_int_equal(ev_take(fd), 0);
	assert_int_equal(set_bool(f, INTX, VFIO_IRQ_SET_ACTION_UNMASK, 1), 0);
	assert_int_equal(ev_take(fd), 1);
	assert_int_equal(reg_read(f, BAR1, UART_RX), 'q');
}

static void test_mask_errors(void **state)
{
	struct fixture *f = *state;
	int32_t fd = new_eventfd();
	struct vfio_irq_set set = {
		.argsz = sizeof(set) + sizeof(fd),
		.flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_UNMASK,
		.index = INTX,
		.count = 1,
	};

	/* No unmask-by-eventfd; masking exists for INTx only. */
	assert_int_equal(f->ops->set_irqs(f->dev, &set, &fd), -EINVAL);
	assert_int_equal(set_none(f, MSI, VFIO_IRQ_SET_ACTION_MASK, 1),
			 -EINVAL);
	assert_int_equal(set_none(f, REQ, VFIO_IRQ_SET_ACTION_UNMASK, 1),
			 -EINVAL);
	assert_int_equal(set_none(f, INTX, VFIO_IRQ_SET_ACTION_MASK, 0),
			 -EINVAL);
	/* Trigger on indices with no vectors. */
	assert_int_equal(set_eventfd(f, VFIO_PCI_MSIX_IRQ_INDEX, fd), -EINVAL);
	assert_int_equal(set_eventfd(f, VFIO_PCI_ERR_IRQ_INDEX, fd), -EINVAL);
	/* Only -1 of the negative fds means "remove". */
	assert_int_equal(set_eventfd(f, INTX, -2), -EINVAL);
	/* On failure the caller still owns the fd. */
	assert_true(fd_is_open(fd));
	close(fd);
}

static void test_msi(void **state)
{
	struct fixture *f = *state;
	int intx = new_eventfd(), msi = new_eventfd();

	assert_int_equal(set_eventfd(f, INTX, intx), 0);
	/* MSI while INTx is enabled: refused, the fd stays the caller's. */
	assert_int_equal(set_eventfd(f, MSI, msi), -EINVAL);
	assert_true(fd_is_open(msi));

	/* Disable INTx (count 0, DATA_NONE): its fd is closed. */
	assert_int_equal(set_none(f, INTX, VFIO_IRQ_SET_ACTION_TRIGGER, 0), 0);
	assert_false(fd_is_open(intx));
	assert_int_equal(set_eventfd(f, MSI, msi), 0);

	/* MSI has no automask: every new cause is delivered. */
	reg_write(f, BAR0, UART_IER, UART_IER_RDI);
	reg_write(f, BAR0, UART_TX, 'a');
	assert_int_equal(ev_take(msi), 1);
	assert_int_equal(reg_read(f, BAR0, UART_RX), 'a');
	reg_write(f, BAR0, UART_TX, 'b');
	assert_int_equal(ev_take(msi), 1);

	/* Now INTx is the one refused. */
	intx = new_eventfd();
	assert_int_equal(set_eventfd(f, INTX, intx), -EINVAL);
	assert_true(fd_is_open(intx));
	close(intx);

	/* Removing MSI with fd -1 closes it; INTx can come back. */
	assert_int_equal(set_eventfd(f, MSI, -1), 0);
	assert_false(fd_is_open(msi));
	intx = new_eventfd();
	assert_int_equal(set_eventfd(f, INTX, intx), 0);
}

static void test_trigger_test_interrupt(void **state)
{
	struct fixture *f = *state;
	int fd = new_eventfd(), req = new_eventfd();
	uint32_t trig = VFIO_IRQ_SET_ACTION_TRIGGER;

	/* Nothing installed: nothing happens, nothing breaks. */
	assert_int_equal(set_none(f, INTX, trig, 1), 0);
	assert_int_equal(set_bool(f, MSI, trig, 1), 0);

	assert_int_equal(set_eventfd(f, INTX, fd), 0);
	assert_int_equal(set_none(f, INTX, trig, 1), 0);
	assert_int_equal(ev_take(fd), 1);
	assert_int_equal(set_bool(f, INTX, trig, 1), 0);
	assert_int_equal(ev_take(fd), 1);
	assert_int_equal(set_bool(f, INTX, trig, 0), 0);
	assert_int_equal(ev_take(fd), 0);

	assert_int_equal(set_eventfd(f, REQ, req), 0);
	assert_int_equal(set_none(f, REQ, trig, 1), 0);
	assert_int_equal(ev_take(req), 1);
	assert_int_equal(ev_take(fd), 0);
}

static void test_replace_and_remove_fd(void **state)
{
	struct fixture *f = *state;
	int a = new_eventfd(), b = new_eventfd();

	assert_int_equal(set_eventfd(f, INTX, a), 0);
	assert_int_equal(set_eventfd(f, INTX, a), 0); /* same fd: kept */
	assert_true(fd_is_open(a));
	assert_int_equal(set_eventfd(f, INTX, b), 0);
	assert_false(fd_is_open(a));
	assert_int_equal(set_none(f, INTX, VFIO_IRQ_SET_ACTION_TRIGGER, 1), 0);
	assert_int_equal(ev_take(b), 1);
	assert_int_equal(set_eventfd(f, INTX, -1), 0);
	assert_false(fd_is_open(b));
}

static void test_request(void **state)
{
	struct fixture *f = *state;
	int req = new_eventfd();

	/* No REQ trigger yet: removal still refused while open. */
	assert_int_equal(mdev_core_remove(f->core, UUID_1), -EBUSY);
	assert_int_equal(set_eventfd(f, REQ, req), 0);
	assert_int_equal(mdev_core_remove(f->core, UUID_1), -EBUSY);
	assert_int_equal(ev_take(req), 1);
	assert_int_equal(mdev_core_remove(f->core, UUID_1), -EBUSY);
	assert_int_equal(ev_take(req), 1);
	mdev_device_close(f->dev);
	assert_false(fd_is_open(req));
	assert_int_equal(mdev_core_remove(f->core, UUID_1), 0);
	check_available(f->core, 24, 12);
}

static void test_close_drops_fds_keeps_state(void **state)
{
	struct fixture *f = *state;
	int intx = new_eventfd(), req = new_eventfd(), msi;

	assert_int_equal(set_eventfd(f, INTX, intx), 0);
	assert_int_equal(set_eventfd(f, REQ, req), 0);
	reg_write(f, BAR0, UART_SCR, 0x5a);
	reg_write(f, BAR0, UART_TX, 'k');

	mdev_device_close(f->dev);
	assert_false(fd_is_open(intx));
	assert_false(fd_is_open(req));

	/* A new client finds the device as the old one left it ... */
	assert_int_equal(mdev_device_open(f->dev), 0);
	assert_int_equal(reg_read(f, BAR0, UART_SCR), 0x5a);
	assert_true(reg_read(f, BAR0, UART_LSR) & UART_LSR_DR);
	assert_int_equal(reg_read(f, BAR0, UART_RX), 'k');
	/* ... and no interrupt mode: MSI may be chosen. */
	msi = new_eventfd();
	assert_int_equal(set_eventfd(f, MSI, msi), 0);
}

static void test_reset(void **state)
{
	struct fixture *f = *state;
	uint8_t line;

	reg_write(f, BAR0, UART_SCR, 0x5a);
	reg_write(f, BAR0, UART_IER, UART_IER_RDI);
	reg_write(f, BAR0, UART_FCR, UART_FCR_ENABLE_FIFO);
	reg_write(f, BAR0, UART_TX, 'r');
	reg_write(f, BAR1, UART_TX, 's');
	line = 11;
	assert_int_equal(f->ops->write(f->dev, CONFIG, 0x3c, &line, 1), 1);

	assert_int_equal(f->ops->reset(f->dev), 0);
	assert_int_equal(reg_read(f, BAR0, UART_SCR), 0);
	assert_int_equal(reg_read(f, BAR0, UART_IER), 0);
	assert_false(reg_read(f, BAR0, UART_LSR) & UART_LSR_DR);
	assert_false(reg_read(f, BAR1, UART_LSR) & UART_LSR_DR);
	assert_int_equal(reg_read(f, BAR0, UART_IIR) & UART_IIR_ID_MASK,
			 UART_IIR_NO_INT);
	/* Config space is the VMM's setup and survives. */
	line = 0;
	assert_int_equal(f->ops->read(f->dev, CONFIG, 0x3c, &line, 1), 1);
	assert_int_equal(line, 11);
}

/* Data left below the FIFO trigger level: the port's timer delivers the
 * character-timeout interrupt. */
static void test_character_timeout(void **state)
{
	struct fixture *f = *state;
	int fd = new_eventfd();
	struct timespec ms = { 0, 1000000 };
	int i;

	assert_int_equal(set_eventfd(f, INTX, fd), 0);
	/* 115200 baud, 8N1: the timeout is a fraction of a millisecond. */
	reg_write(f, BAR1, UART_LCR, UART_LCR_DLAB | 0x03);
	reg_write(f, BAR1, UART_DLL, 1);
	reg_write(f, BAR1, UART_DLM, 0);
	reg_write(f, BAR1, UART_LCR, 0x03);
	reg_write(f, BAR1, UART_FCR, UART_FCR_ENABLE_FIFO | UART_FCR_TRIGGER_4);
	reg_write(f, BAR1, UART_IER, UART_IER_RDI);
	reg_write(f, BAR1, UART_TX, '1');
	reg_write(f, BAR1, UART_TX, '2');
	assert_int_equal(ev_take(fd), 0);

	for (i = 0; i < 10000; i++) {
		nanosleep(&ms, NULL);
		mdev_timer_fire_due(f->core);
		if (ev_take(fd))
			break;
	}
	assert_true(i < 10000);
	assert_int_equal(reg_read(f, BAR1, UART_IIR),
			 UART_IIR_FIFO_ENABLED | UART_IIR_CTI);
	assert_int_equal(reg_read(f, BAR1, UART_RX), '1');
	assert_int_equal(reg_read(f, BAR1, UART_RX), '2');
	assert_int_equal(reg_read(f, BAR1, UART_IIR),
			 UART_IIR_FIFO_ENABLED | UART_IIR_NO_INT);
}

static void test_migration_helpers(void **state)
{
	struct fixture *f = *state;
	struct mdev_device *dst, *one;
	const char *why = NULL;
	uint8_t buf[1024], b;
	size_t size = mtty_driver_migration_size(f->dev);
	int n;

	assert_true(size > 0 && size <= sizeof(buf));
	reg_write(f, BAR1, UART_SCR, 0x77);
	reg_write(f, BAR1, UART_FCR, UART_FCR_ENABLE_FIFO);
	reg_write(f, BAR1, UART_TX, 'm');
	assert_int_equal(mtty_driver_save(f->dev, buf, size - 1), -ENOSPC);
	n = mtty_driver_save(f->dev, buf, sizeof(buf));
	assert_int_equal(n, (int)size);

	assert_int_equal(
		mdev_core_create(f->core, UUID_2, "mtty", "mtty-2", &dst), 0);
	assert_int_equal(mtty_driver_restore(dst, buf, (size_t)n, &why), 0);
	assert_int_equal(mdev_device_ops(dst)->read(dst, BAR1, UART_SCR, &b, 1),
			 1);
	assert_int_equal(b, 0x77);
	assert_int_equal(mdev_device_ops(dst)->read(dst, BAR1, UART_RX, &b, 1),
			 1);
	assert_int_equal(b, 'm');

	/* Refused streams leave the device alone and say why. */
	buf[0] ^= 0xff;
	assert_int_equal(mtty_driver_restore(dst, buf, (size_t)n, &why),
			 -EINVAL);
	assert_non_null(why);
	buf[0] ^= 0xff;
	assert_int_equal(mtty_driver_restore(dst, buf, (size_t)n - 1, NULL),
			 -EINVAL);
	assert_int_equal(mdev_core_remove(f->core, UUID_2), 0);
	/* A one-port device refuses a two-port stream. */
	assert_int_equal(
		mdev_core_create(f->core, UUID_2, "mtty", "mtty-1", &one), 0);
	assert_int_equal(mtty_driver_restore(one, buf, (size_t)n, NULL),
			 -EINVAL);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_registration),
		cmocka_unit_test(test_capacity),
		T(test_capacity_per_core),
		T(test_device_info),
		T(test_region_info),
		T(test_irq_info),
		T(test_region_access),
		T(test_loopback),
		T(test_intx_automask),
		T(test_mask_errors),
		T(test_msi),
		T(test_trigger_test_interrupt),
		T(test_replace_and_remove_fd),
		T(test_request),
		T(test_close_drops_fds_keeps_state),
		T(test_reset),
		T(test_character_timeout),
		T(test_migration_helpers),
	};

	return cmocka_run_group_tests_name("mtty_driver", tests, NULL, NULL);
}
