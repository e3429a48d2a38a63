// SPDX-License-Identifier: GPL-2.0-only
/*
 * umdev_vfio_irq_set_validate() against the kernel's
 * vfio_set_irqs_validate_and_prepare() rules, as a table.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include <umdev/vfio_device.h>

#define NONE VFIO_IRQ_SET_DATA_NONE
#define BOOL VFIO_IRQ_SET_DATA_BOOL
#define EFD VFIO_IRQ_SET_DATA_EVENTFD
#define TRIG VFIO_IRQ_SET_ACTION_TRIGGER
#define MASK VFIO_IRQ_SET_ACTION_MASK
#define UNMASK VFIO_IRQ_SET_ACTION_UNMASK

struct vcase {
	const char *name;
	uint32_t argsz, flags, index, start, count;
	uint32_t num_irqs, max_irq_type;
	int want;
	size_t want_size;
};

static const struct vcase cases[] = {
	{ "none trigger", 20, NONE | TRIG, 0, 0, 1, 1, 5, 0, 0 },
	{ "eventfd one", 24, EFD | TRIG, 0, 0, 1, 1, 5, 0, 4 },
	{ "eventfd argsz short", 20, EFD | TRIG, 0, 0, 1, 1, 5, -EINVAL, 0 },
	{ "eventfd argsz one short", 27, EFD | TRIG, 0, 0, 2, 2, 5, -EINVAL,
	  0 },
	{ "eventfd two", 28, EFD | TRIG, 1, 0, 2, 2, 5, 0, 8 },
	{ "bool two", 22, BOOL | MASK, 0, 0, 2, 2, 5, 0, 2 },
	{ "bool short", 21, BOOL | MASK, 0, 0, 2, 2, 5, -EINVAL, 0 },
	{ "argsz below header", 19, NONE | TRIG, 0, 0, 1, 1, 5, -EINVAL, 0 },
	{ "index == max", 20, NONE | TRIG, 5, 0, 1, 1, 5, -EINVAL, 0 },
	{ "index last", 20, NONE | TRIG, 4, 0, 1, 1, 5, 0, 0 },
	{ "unknown flag", 20, NONE | TRIG | (1u << 6), 0, 0, 1, 1, 5, -EINVAL,
	  0 },
	{ "two data types", 24, NONE | BOOL | TRIG, 0, 0, 1, 1, 5, -EINVAL, 0 },
	{ "no data type", 20, TRIG, 0, 0, 1, 1, 5, -EINVAL, 0 },
	{ "start == num_irqs", 20, NONE | TRIG, 0, 1, 0, 1, 5, -EINVAL, 0 },
	{ "start+count > num", 20, NONE | TRIG, 0, 0, 2, 1, 5, -EINVAL, 0 },
	{ "count 0 disables", 20, NONE | TRIG, 0, 0, 0, 1, 5, 0, 0 },
	{ "count U32_MAX", 20, NONE | TRIG, 0, 0, UINT32_MAX, 1, 5, -EINVAL,
	  0 },
	{ "start+count wraps", 20, NONE | TRIG, 0, 1, UINT32_MAX - 1, 4, 5,
	  -EINVAL, 0 },
	{ "no irqs at index", 20, NONE | TRIG, 0, 0, 0, 0, 5, -EINVAL, 0 },
	/* Like the kernel, actions are left to the driver. */
	{ "two actions", 20, NONE | MASK | UNMASK, 0, 0, 1, 1, 5, 0, 0 },
	{ "no action", 20, NONE, 0, 0, 1, 1, 5, 0, 0 },
	{ "bool zero count", 20, BOOL | TRIG, 0, 0, 0, 1, 5, 0, 0 },
};

static void test_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct vcase *c = &cases[i];
		struct vfio_irq_set set = {
			.argsz = c->argsz,
			.flags = c->flags,
			.index = c->index,
			.start = c->start,
			.count = c->count,
		};
		size_t size = 12345;
		int ret;

		ret = umdev_vfio_irq_set_validate(&set, c->num_irqs,
						  c->max_irq_type, &size);
		if (ret != c->want)
			fail_msg("%s: got %d want %d", c->name, ret, c->want);
		if (ret == 0 && size != c->want_size)
			fail_msg("%s: data size %zu want %zu", c->name, size,
				 c->want_size);
	}
}

static void test_data_size_null(void **state)
{
	struct vfio_irq_set set = {
		.argsz = 24,
		.flags = EFD | TRIG,
		.count = 1,
	};

	(void)state;
	/* Data expected but nowhere to report its size: refused. */
	assert_int_equal(umdev_vfio_irq_set_validate(&set, 1, 5, NULL),
			 -EINVAL);
	set.flags = NONE | TRIG;
	set.argsz = 20;
	assert_int_equal(umdev_vfio_irq_set_validate(&set, 1, 5, NULL), 0);
}

static void test_size_cleared_on_range_error(void **state)
{
	struct vfio_irq_set set = {
		.argsz = 24,
		.flags = EFD | TRIG,
		.start = 3,
		.count = 1,
	};
	size_t size = 99;

	(void)state;
	assert_int_equal(umdev_vfio_irq_set_validate(&set, 1, 5, &size),
			 -EINVAL);
	assert_int_equal(size, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_data_size_null),
		cmocka_unit_test(test_size_cleared_on_range_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
