// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for vfio_irq_state, the freestanding SET_IRQS rules: a
 * recording host (triggers are small numbers, every take / give_back /
 * release / signal counted) and a recording device.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "toolkit/vfio_irq_state.h"

#define INTX VFIO_PCI_INTX_IRQ_INDEX
#define MSI VFIO_PCI_MSI_IRQ_INDEX
#define MSIX VFIO_PCI_MSIX_IRQ_INDEX
#define REQ VFIO_PCI_REQ_IRQ_INDEX
#define MAX_FD 16

struct recorder {
	/* host: per fd */
	unsigned int held[MAX_FD]; /* references taken and not dropped */
	unsigned int released[MAX_FD];
	unsigned int signals[MAX_FD];
	int take_error; /* returned by take() when set */
	/* device */
	unsigned int enabled[VFIO_PCI_NUM_IRQS], disabled[VFIO_PCI_NUM_IRQS];
	unsigned int masks, unmasks;
	int refuse; /* enable() returns this when set */
};

static int rec_take(void *host, int32_t fd, void **trigger)
{
	struct recorder *r = host;

	if (r->take_error)
		return r->take_error;
	if (fd >= MAX_FD)
		return -EBADF;
	r->held[fd]++;
	*trigger = (void *)(uintptr_t)(fd + 1);
	return 0;
}

static int rec_fd(void *trigger)
{
	return (int)(uintptr_t)trigger - 1;
}

static void rec_give_back(void *host, void *trigger)
{
	((struct recorder *)host)->held[rec_fd(trigger)]--;
}

static void rec_release(void *host, void *trigger)
{
	struct recorder *r = host;

	r->held[rec_fd(trigger)]--;
	r->released[rec_fd(trigger)]++;
}

static void rec_signal(void *host, void *trigger)
{
	((struct recorder *)host)->signals[rec_fd(trigger)]++;
}

static const struct vfio_irq_host_ops rec_host = {
	.take = rec_take,
	.give_back = rec_give_back,
	.release = rec_release,
	.signal = rec_signal,
};

static int rec_enable(void *dev, uint32_t index)
{
	struct recorder *r = dev;

	if (r->refuse)
		return r->refuse;
	r->enabled[index]++;
	return 0;
}

static void rec_disable(void *dev, uint32_t index)
{
	((struct recorder *)dev)->disabled[index]++;
}

static void rec_mask(void *dev, uint32_t index)
{
	((struct recorder *)dev)->masks++;
}

static void rec_unmask(void *dev, uint32_t index)
{
	((struct recorder *)dev)->unmasks++;
}

static const struct vfio_irq_device_ops rec_dev = {
	.enable = rec_enable,
	.disable = rec_disable,
	.mask = rec_mask,
	.unmask = rec_unmask,
};

/* vfio-pci's INTx, MSI and REQ; MSI-X and ERR absent. */
static const struct vfio_irq_info pci_irqs[VFIO_PCI_NUM_IRQS] = {
	[INTX] = { .flags = VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_MASKABLE |
			    VFIO_IRQ_INFO_AUTOMASKED,
		   .count = 1 },
	[MSI] = { .flags = VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE,
		  .count = 1 },
	[REQ] = { .flags = VFIO_IRQ_INFO_EVENTFD, .count = 1 },
};

struct fixture {
	struct vfio_irq_state irqs;
	struct recorder rec;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f || vfio_irq_state_init(&f->irqs, pci_irqs, VFIO_PCI_NUM_IRQS,
				      &rec_host, &f->rec, &rec_dev, &f->rec))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

static int set(struct fixture *f, uint32_t index, uint32_t flags,
	       uint32_t count, const void *data)
{
	struct vfio_irq_set s = {
		.argsz = sizeof(s),
		.flags = flags,
		.index = index,
		.count = count,
	};

	return vfio_irq_state_set(&f->irqs, &s, data);
}

static int set_fd(struct fixture *f, uint32_t index, int32_t fd)
{
	return set(f, index,
		   VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER, 1,
		   &fd);
}

static void test_init_rejects(void **state)
{
	struct vfio_irq_state irqs;
	struct vfio_irq_info two[1] = { { .count = 2 } };
	struct vfio_irq_host_ops no_signal = rec_host;

	no_signal.signal = NULL;
	assert_int_equal(vfio_irq_state_init(&irqs, pci_irqs, 9, &rec_host,
					     NULL, NULL, NULL),
			 -EINVAL);
	assert_int_equal(vfio_irq_state_init(&irqs, two, 1, &rec_host, NULL,
					     NULL, NULL),
			 -EINVAL);
	assert_int_equal(vfio_irq_state_init(&irqs, pci_irqs, 5, &no_signal,
					     NULL, NULL, NULL),
			 -EINVAL);
	assert_int_equal(vfio_irq_state_init(&irqs, pci_irqs, 5, NULL, NULL,
					     NULL, NULL),
			 -EINVAL);
	assert_int_equal(vfio_irq_state_init(&irqs, pci_irqs, 5, &rec_host,
					     NULL, NULL, NULL),
			 0);
}

static void test_get_info(void **state)
{
	struct fixture *f = *state;
	struct vfio_irq_info info = { .argsz = sizeof(info) };
	uint32_t i;

	for (i = 0; i < VFIO_PCI_NUM_IRQS; i++) {
		info.index = i;
		assert_int_equal(vfio_irq_state_get_info(&f->irqs, &info), 0);
		assert_int_equal(info.count, pci_irqs[i].count);
		assert_int_equal(info.flags, pci_irqs[i].flags);
	}
	info.index = VFIO_PCI_NUM_IRQS;
	assert_int_equal(vfio_irq_state_get_info(&f->irqs, &info), -EINVAL);
}

static void test_install_signal_replace_remove(void **state)
{
	struct fixture *f = *state;
	struct recorder *r = &f->rec;

	assert_int_equal(set_fd(f, INTX, 3), 0);
	assert_int_equal(r->enabled[INTX], 1);
	assert_true(vfio_irq_state_has_trigger(&f->irqs, INTX));
	vfio_irq_state_signal(&f->irqs, INTX);
	assert_int_equal(r->signals[3], 1);
	/* The same trigger again: kept, the extra reference given back. */
	assert_int_equal(set_fd(f, INTX, 3), 0);
	assert_int_equal(r->held[3], 1);
	assert_int_equal(r->released[3], 0);
	/* Another one replaces it: enabled for the new, old released. */
	assert_int_equal(set_fd(f, INTX, 4), 0);
	assert_int_equal(r->enabled[INTX], 2);
	assert_int_equal(r->released[3], 1);
	assert_int_equal(r->held[3], 0);
	/* fd -1 removes it and disables the index. */
	assert_int_equal(set_fd(f, INTX, -1), 0);
	assert_int_equal(r->disabled[INTX], 1);
	assert_int_equal(r->held[4], 0);
	assert_false(vfio_irq_state_has_trigger(&f->irqs, INTX));
	/* No trigger: a signal goes nowhere. */
	vfio_irq_state_signal(&f->irqs, INTX);
	vfio_irq_state_signal(&f->irqs, 99);
	assert_int_equal(r->signals[4], 0);
	/* Removing what is not there disables nothing more. */
	assert_int_equal(set_fd(f, INTX, -1), 0);
	assert_int_equal(r->disabled[INTX], 1);
}

static void test_refusals_change_nothing(void **state)
{
	struct fixture *f = *state;
	struct recorder *r = &f->rec;

	assert_int_equal(set_fd(f, INTX, 3), 0);
	/* The device refuses: the old trigger stays, the new one is the
	 * caller's again. */
	r->refuse = -EINVAL;
	assert_int_equal(set_fd(f, INTX, 5), -EINVAL);
	assert_int_equal(r->held[5], 0);
	assert_int_equal(r->held[3], 1);
	r->refuse = 0;
	/* The host refuses (not an eventfd). */
	r->take_error = -EINVAL;
	assert_int_equal(set_fd(f, MSI, 6), -EINVAL);
	assert_false(vfio_irq_state_has_trigger(&f->irqs, MSI));
	r->take_error = 0;
	/* Only -1 of the negative fds means "remove". */
	assert_int_equal(set_fd(f, INTX, -2), -EINVAL);
	/* Absent indices, start 1, count 2, unknown actions. */
	assert_int_equal(set_fd(f, MSIX, 7), -EINVAL);
	assert_int_equal(set_fd(f, VFIO_PCI_ERR_IRQ_INDEX, 7), -EINVAL);
	assert_int_equal(set_fd(f, 7, 7), -EINVAL);
	assert_int_equal(set(f, INTX,
			     VFIO_IRQ_SET_DATA_NONE |
				     VFIO_IRQ_SET_ACTION_TRIGGER,
			     2, NULL),
			 -EINVAL);
	assert_int_equal(set(f, INTX, VFIO_IRQ_SET_DATA_NONE | (1u << 9), 1,
			     NULL),
			 -EINVAL);
	/* count 0 disables only with DATA_NONE. */
	assert_int_equal(set(f, INTX,
			     VFIO_IRQ_SET_DATA_BOOL |
				     VFIO_IRQ_SET_ACTION_TRIGGER,
			     0, NULL),
			 -EINVAL);
	/* A data type without its data. */
	assert_int_equal(set(f, INTX,
			     VFIO_IRQ_SET_DATA_EVENTFD |
				     VFIO_IRQ_SET_ACTION_TRIGGER,
			     1, NULL),
			 -EINVAL);
	assert_true(vfio_irq_state_has_trigger(&f->irqs, INTX));
	assert_int_equal(r->held[3], 1);
	assert_int_equal(r->disabled[INTX], 0);
}

static void test_test_interrupts_and_disable(void **state)
{
	struct fixture *f = *state;
	struct recorder *r = &f->rec;
	uint32_t trig = VFIO_IRQ_SET_ACTION_TRIGGER;
	uint8_t yes = 1, no = 0;

	assert_int_equal(set_fd(f, REQ, 2), 0);
	assert_int_equal(set(f, REQ, VFIO_IRQ_SET_DATA_NONE | trig, 1, NULL),
			 0);
	assert_int_equal(set(f, REQ, VFIO_IRQ_SET_DATA_BOOL | trig, 1, &yes),
			 0);
	assert_int_equal(set(f, REQ, VFIO_IRQ_SET_DATA_BOOL | trig, 1, &no), 0);
	assert_int_equal(r->signals[2], 2);
	/* count 0 + DATA_NONE disables. */
	assert_int_equal(set(f, REQ, VFIO_IRQ_SET_DATA_NONE | trig, 0, NULL),
			 0);
	assert_int_equal(r->released[2], 1);
	assert_int_equal(r->disabled[REQ], 1);
}

static void test_mask_unmask(void **state)
{
	struct fixture *f = *state;
	struct recorder *r = &f->rec;
	uint32_t none = VFIO_IRQ_SET_DATA_NONE;
	uint8_t yes = 1, no = 0;
	int32_t fd = 3;

	assert_int_equal(set(f, INTX, none | VFIO_IRQ_SET_ACTION_MASK, 1, NULL),
			 0);
	assert_int_equal(set(f, INTX,
			     VFIO_IRQ_SET_DATA_BOOL |
				     VFIO_IRQ_SET_ACTION_UNMASK,
			     1, &no),
			 0);
	assert_int_equal(set(f, INTX,
			     VFIO_IRQ_SET_DATA_BOOL |
				     VFIO_IRQ_SET_ACTION_UNMASK,
			     1, &yes),
			 0);
	assert_int_equal(r->masks, 1);
	assert_int_equal(r->unmasks, 1);
	/* Not maskable, count 0, unmask by eventfd: refused. */
	assert_int_equal(set(f, MSI, none | VFIO_IRQ_SET_ACTION_MASK, 1, NULL),
			 -EINVAL);
	assert_int_equal(set(f, REQ, none | VFIO_IRQ_SET_ACTION_UNMASK, 1,
			     NULL),
			 -EINVAL);
	assert_int_equal(set(f, INTX, none | VFIO_IRQ_SET_ACTION_MASK, 0, NULL),
			 -EINVAL);
	assert_int_equal(set(f, INTX,
			     VFIO_IRQ_SET_DATA_EVENTFD |
				     VFIO_IRQ_SET_ACTION_UNMASK,
			     1, &fd),
			 -EINVAL);
	assert_int_equal(r->masks + r->unmasks, 2);
}

static void test_mask_needs_device_ops(void **state)
{
	struct vfio_irq_state irqs;
	struct recorder r = { 0 };
	struct vfio_irq_set s = {
		.argsz = sizeof(s),
		.flags = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_MASK,
		.index = INTX,
		.count = 1,
	};
	int32_t fd = 3;

	assert_int_equal(vfio_irq_state_init(&irqs, pci_irqs, 5, &rec_host, &r,
					     NULL, NULL),
			 0);
	assert_int_equal(vfio_irq_state_set(&irqs, &s, NULL), -EINVAL);
	/* No device ops: a trigger is all there is. */
	s.flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
	assert_int_equal(vfio_irq_state_set(&irqs, &s, &fd), 0);
	vfio_irq_state_release_all(&irqs);
	assert_int_equal(r.released[3], 1);
}

static void test_release_all(void **state)
{
	struct fixture *f = *state;
	struct recorder *r = &f->rec;

	assert_int_equal(set_fd(f, MSI, 1), 0);
	assert_int_equal(set_fd(f, REQ, 2), 0);
	vfio_irq_state_release_all(&f->irqs);
	assert_int_equal(r->released[1] + r->released[2], 2);
	assert_int_equal(r->disabled[MSI], 1);
	assert_int_equal(r->disabled[REQ], 1);
	assert_int_equal(r->disabled[INTX], 0);
	assert_false(vfio_irq_state_has_trigger(&f->irqs, MSI));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_rejects),
		T(test_get_info),
		T(test_install_signal_replace_remove),
		T(test_refusals_change_nothing),
		T(test_test_interrupts_and_disable),
		T(test_mask_unmask),
		cmocka_unit_test(test_mask_needs_device_ops),
		T(test_release_all),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
