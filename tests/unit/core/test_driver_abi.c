// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of how the core reads what a driver hands it
 * (src/core/driver_abi.c, registry.c; docs/driver-abi.md, "Growing the
 * ABI"): a driver of an older minor gives shorter structs, followed in
 * memory by anything at all; the core reads exactly the driver's sizes,
 * steps through the type array by the driver's stride, treats every member
 * past the driver's size as absent, and never reads beyond.  Buffers are
 * filled with 0xff past the driver's size, so that a core reading one byte
 * too far would find a non-NULL "callback"; the ASan build also catches an
 * overread of the exactly-sized heap copies.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <umdev/driver.h>
#include <umdev/mdev_host.h>

#define UUID_A "0c6a4e1f-2b3d-4c5e-9f60-718293a4b5c6"
#define UUID_B "0c6a4e1f-2b3d-4c5e-9f60-718293a4b5c7"

/*
 * The 1.0 layouts, where each struct ended (tests/abi/old-driver/include/
 * has the 1.0 headers): ten callbacks, six members, six members.
 */
#define OPS_1_0 offsetof(struct umdev_device_ops, migration_get_flags)
#define DRIVER_1_0 sizeof(struct mdev_driver)
#define TYPE_DESC_1_0 sizeof(struct mdev_type_desc)
_Static_assert(OPS_1_0 == 10 * sizeof(void (*)(void)), "1.0 ops layout");
_Static_assert(DRIVER_1_0 == 6 * sizeof(void *), "1.0 driver layout");

static int opens;

static int abi_probe(struct mdev_device *mdev)
{
	return 0;
}

static void abi_remove(struct mdev_device *mdev)
{
}

static int abi_open(struct mdev_device *mdev)
{
	opens++;
	return 0;
}

static int mig_flags(struct mdev_device *mdev, uint64_t *flags)
{
	*flags = VFIO_MIGRATION_STOP_COPY;
	return 0;
}

static int mig_get(struct mdev_device *mdev, uint32_t *state)
{
	*state = VFIO_DEVICE_STATE_RUNNING;
	return 0;
}

static int mig_set(struct mdev_device *mdev, uint32_t state)
{
	return 0;
}

static long mig_read(struct mdev_device *mdev, void *buf, size_t len)
{
	return 0;
}

static long mig_write(struct mdev_device *mdev, const void *buf, size_t len)
{
	return (long)len;
}

static int mig_precopy(struct mdev_device *mdev, uint64_t *initial,
		       uint64_t *dirty)
{
	return -EINVAL;
}

static const struct mdev_type_desc one_type = {
	.name = "x",
	.pretty_name = "Type X",
	.device_api = "vfio-pci",
	.max_instances = 4,
};

/* @size bytes of a 1.0 ops struct (only open set), then 0xff to @total. */
static void *old_ops(size_t size, size_t total)
{
	struct umdev_device_ops ops = { .open = abi_open };
	unsigned char *buf = malloc(total);

	assert_non_null(buf);
	memset(buf, 0xff, total);
	memcpy(buf, &ops, size);
	return buf;
}

static void assert_no_migration(struct mdev_device *dev)
{
	const struct umdev_device_ops *ops = mdev_device_ops(dev);

	assert_false(mdev_device_has_migration(dev));
	assert_null(ops->migration_get_flags);
	assert_null(ops->migration_get_state);
	assert_null(ops->migration_set_state);
	assert_null(ops->migration_read_data);
	assert_null(ops->migration_write_data);
	assert_null(ops->migration_precopy_info);
}

static int setup(void **state)
{
	*state = mdev_core_new(NULL, NULL);
	assert_non_null(*state);
	opens = 0;
	return 0;
}

static int teardown(void **state)
{
	mdev_core_free(*state);
	return 0;
}

/* A 1.0-sized ops struct with 0xff after it: the new callbacks are absent. */
static void test_short_ops_garbage_after(void **state)
{
	struct mdev_core *core = *state;
	void *ops = old_ops(OPS_1_0, sizeof(struct umdev_device_ops) + 64);
	struct mdev_driver drv = {
		.name = "old",
		.device_ops = ops,
		.probe = abi_probe,
		.remove = abi_remove,
	};
	struct umdev_abi_sizes sizes = *UMDEV_ABI_SIZES;
	struct mdev_device *dev;

	sizes.device_ops = OPS_1_0;
	assert_int_equal(mdev_register_parent_sized(core, "old", &drv,
						    &one_type, 1, NULL, NULL,
						    &sizes),
			 0);
	assert_int_equal(mdev_core_create(core, UUID_A, "old", "old-x", &dev),
			 0);
	assert_no_migration(dev);
	/* What it has works, from the core's copy, not the driver's buffer. */
	assert_ptr_not_equal(mdev_device_ops(dev), ops);
	assert_ptr_equal(mdev_device_ops(dev)->open, abi_open);
	assert_null(mdev_device_ops(dev)->read);
	assert_int_equal(mdev_device_open(dev), 0);
	assert_int_equal(opens, 1);
	mdev_device_close(dev);
	/* The driver's own struct is still what mdev_parent_driver() gives. */
	assert_ptr_equal(mdev_parent_driver(mdev_parent_of(dev)), &drv);
	free(ops);
}

/*
 * A driver built against the 1.0 headers calls the 1.0 symbol
 * mdev_register_parent() (the parenthesised name skips the macro of the
 * current header): exactly-sized heap copies of the 1.0 structs.
 */
static void test_v1_0_symbol_reads_v1_0_sizes(void **state)
{
	struct mdev_core *core = *state;
	void *ops = old_ops(OPS_1_0, OPS_1_0);
	struct mdev_driver *drv = malloc(DRIVER_1_0);
	struct mdev_type_desc *types = malloc(2 * TYPE_DESC_1_0);
	struct mdev_device *dev;

	assert_non_null(drv);
	assert_non_null(types);
	*drv = (struct mdev_driver){ .name = "v10",
				     .device_ops = ops,
				     .probe = abi_probe,
				     .remove = abi_remove };
	types[0] = one_type;
	types[1] = one_type;
	types[1].name = "y";
	assert_int_equal((mdev_register_parent)(core, "v10", drv, types, 2,
						NULL, NULL),
			 0);
	assert_int_equal(mdev_core_create(core, UUID_A, "v10", "v10-y", &dev),
			 0);
	assert_no_migration(dev);
	assert_string_equal(mdev_type_name(mdev_type_of(dev)), "Type X");
	assert_int_equal(mdev_device_open(dev), 0);
	assert_int_equal(opens, 1);
	mdev_device_close(dev);
	free(types);
	free(drv);
	free(ops);
}

/* Types are stepped by the driver's stride, whatever follows each one. */
struct future_type_desc {
	struct mdev_type_desc desc;
	uint64_t added_later[3];
};

static void test_type_stride_is_the_drivers(void **state)
{
	static const int data_a = 1, data_b = 2;
	struct mdev_core *core = *state;
	struct future_type_desc types[2];
	struct umdev_device_ops ops = { .open = abi_open };
	struct mdev_driver drv = {
		.name = "wide",
		.device_ops = &ops,
		.probe = abi_probe,
		.remove = abi_remove,
	};
	struct umdev_abi_sizes sizes = *UMDEV_ABI_SIZES;
	struct mdev_parent *parent;
	struct mdev_type *a, *b;

	memset(types, 0xff, sizeof(types));
	types[0].desc = (struct mdev_type_desc){ .name = "a",
						 .pretty_name = "Wide A",
						 .device_api = "vfio-pci",
						 .max_instances = 3,
						 .driver_data = &data_a };
	types[1].desc = (struct mdev_type_desc){ .name = "b",
						 .pretty_name = "Wide B",
						 .description = "second",
						 .device_api = "vfio-ccw",
						 .max_instances = 5,
						 .driver_data = &data_b };
	sizes.type_desc = sizeof(types[0]);
	assert_int_equal(mdev_register_parent_sized(core, "wide", &drv,
						    &types[0].desc, 2, NULL,
						    &parent, &sizes),
			 0);
	a = mdev_parent_next_type(parent, NULL);
	b = mdev_parent_next_type(parent, a);
	assert_string_equal(mdev_type_id(a), "wide-a");
	assert_string_equal(mdev_type_name(a), "Wide A");
	assert_null(mdev_type_description(a));
	assert_ptr_equal(mdev_type_get_data(a), &data_a);
	assert_int_equal(mdev_type_available(a), 3);
	assert_string_equal(mdev_type_id(b), "wide-b");
	assert_string_equal(mdev_type_description(b), "second");
	assert_string_equal(mdev_type_device_api(b), "vfio-ccw");
	assert_ptr_equal(mdev_type_get_data(b), &data_b);
	assert_int_equal(mdev_type_available(b), 5);
	assert_null(mdev_parent_next_type(parent, b));
}

/* A driver of a newer minor: what this core does not know is ignored. */
static void test_newer_driver_struct(void **state)
{
	struct mdev_core *core = *state;
	struct umdev_device_ops ops = { .open = abi_open };
	unsigned char buf[sizeof(struct mdev_driver) + 32];
	struct mdev_driver drv = {
		.name = "new",
		.device_ops = &ops,
		.probe = abi_probe,
		.remove = abi_remove,
	};
	struct umdev_abi_sizes sizes = *UMDEV_ABI_SIZES;
	struct mdev_device *dev;

	memset(buf, 0xff, sizeof(buf));
	memcpy(buf, &drv, sizeof(drv));
	sizes.driver = sizeof(buf);
	assert_int_equal(mdev_register_parent_sized(
				 core, "new", (const struct mdev_driver *)buf,
				 &one_type, 1, NULL, NULL, &sizes),
			 0);
	assert_int_equal(mdev_core_create(core, UUID_B, "new", "new-x", &dev),
			 0);
	assert_int_equal(mdev_device_open(dev), 0);
	assert_int_equal(opens, 1);
	mdev_device_close(dev);
}

/* Sizes below 1.0's, or none: refused, nothing registered. */
static void test_bad_sizes(void **state)
{
	struct mdev_core *core = *state;
	struct umdev_device_ops ops = { .open = abi_open };
	struct mdev_driver drv = {
		.name = "bad",
		.device_ops = &ops,
		.probe = abi_probe,
		.remove = abi_remove,
	};
	struct umdev_abi_sizes sizes;
	uint32_t *fields[] = { &sizes.sizes, &sizes.driver, &sizes.device_ops,
			       &sizes.type_desc };
	unsigned int i;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		sizes = *UMDEV_ABI_SIZES;
		*fields[i] = (i == 2 ? OPS_1_0 : *fields[i]) - 1;
		assert_int_equal(mdev_register_parent_sized(core, "bad", &drv,
							    &one_type, 1, NULL,
							    NULL, &sizes),
				 -EINVAL);
	}
	assert_int_equal(mdev_register_parent_sized(core, "bad", &drv,
						    &one_type, 1, NULL, NULL,
						    NULL),
			 -EINVAL);
	assert_null(mdev_core_find_parent(core, "bad"));
	assert_int_equal(mdev_register_parent(core, "bad", &drv, &one_type, 1,
					      NULL, NULL),
			 0);
}

/* The migration callbacks come all together (precopy_info optional). */
static void test_migration_all_or_none(void **state)
{
	struct mdev_core *core = *state;
	struct umdev_device_ops full = {
		.migration_get_flags = mig_flags,
		.migration_get_state = mig_get,
		.migration_set_state = mig_set,
		.migration_read_data = mig_read,
		.migration_write_data = mig_write,
	};
	struct umdev_device_ops partial[] = {
		{ .migration_get_state = mig_get },
		{ .migration_precopy_info = mig_precopy },
		full,
	};
	struct mdev_driver drv = {
		.name = "mig",
		.device_ops = &full,
		.probe = abi_probe,
		.remove = abi_remove,
	};
	struct mdev_device *dev;
	unsigned int i;

	partial[2].migration_write_data = NULL;
	for (i = 0; i < 3; i++) {
		drv.device_ops = &partial[i];
		assert_int_equal(mdev_register_parent(core, "mig", &drv,
						      &one_type, 1, NULL, NULL),
				 -EINVAL);
	}
	assert_null(mdev_core_find_parent(core, "mig"));

	full.migration_precopy_info = mig_precopy;
	drv.device_ops = &full;
	assert_int_equal(mdev_register_parent(core, "mig", &drv, &one_type, 1,
					      NULL, NULL),
			 0);
	/* Copied at registration: later changes to the driver's are unseen. */
	full.migration_read_data = NULL;
	assert_int_equal(mdev_core_create(core, UUID_A, "mig", "mig-x", &dev),
			 0);
	assert_true(mdev_device_has_migration(dev));
	assert_ptr_equal(mdev_device_ops(dev)->migration_read_data, mig_read);
	assert_ptr_equal(mdev_device_ops(dev)->migration_precopy_info,
			 mig_precopy);
}

static int entry_init(struct mdev_core *core, void **priv)
{
	return 0;
}

/* The entry point carries its version: copied by what its minor has. */
static void test_entry_copy(void **unused)
{
	unsigned char buf[sizeof(struct umdev_driver_entry) + 32];
	struct umdev_driver_entry e = {
		.abi_major = UMDEV_DRIVER_ABI_MAJOR,
		.abi_minor = 0,
		.name = "entry",
		.init = entry_init,
	}, out;

	memset(buf, 0xff, sizeof(buf));
	memcpy(buf, &e, sizeof(e));
	memset(&out, 0xaa, sizeof(out));
	assert_int_equal(umdev_driver_entry_copy(
				 (const struct umdev_driver_entry *)buf, &out),
			 0);
	assert_int_equal(out.abi_minor, 0);
	assert_string_equal(out.name, "entry");
	assert_ptr_equal(out.init, entry_init);
	assert_null(out.exit);

	e.abi_major = UMDEV_DRIVER_ABI_MAJOR + 1;
	memset(&out, 0xaa, sizeof(out));
	assert_int_equal(umdev_driver_entry_copy(&e, &out), -EPROTONOSUPPORT);
	assert_int_equal(out.abi_major, 0xaaaaaaaau); /* untouched */
	assert_int_equal(umdev_driver_entry_copy(NULL, &out), -EINVAL);
	e.abi_major = UMDEV_DRIVER_ABI_MAJOR;
	assert_int_equal(umdev_driver_entry_copy(&e, NULL), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_short_ops_garbage_after,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_v1_0_symbol_reads_v1_0_sizes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_type_stride_is_the_drivers,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_newer_driver_struct, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bad_sizes, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_migration_all_or_none,
						setup, teardown),
		cmocka_unit_test(test_entry_copy),
	};

	return cmocka_run_group_tests_name("driver_abi", tests, NULL, NULL);
}
