// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for the mdev core (src/core/registry.c, device.c): parents,
 * types, device lifecycle and every errno of the public API, driven by a
 * small test driver that counts the calls it receives.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <umdev/mdev_host.h>

#define UUID_A "6f0c1a5e-4b0c-4f9e-8f45-3a1d1f0e9c01"
#define UUID_A_UPPER "6F0C1A5E-4B0C-4F9E-8F45-3A1D1F0E9C01"
#define UUID_B "6f0c1a5e-4b0c-4f9e-8f45-3a1d1f0e9c02"
#define UUID_C "6f0c1a5e-4b0c-4f9e-8f45-3a1d1f0e9c03"

/* What the test driver saw. */
static struct {
	int probes, removes, opens, closes, releases;
	int probe_error; /* returned by the next probes when non-zero */
	int open_error;
	unsigned int requests, last_request_count;
	struct mdev_device *last_request_dev;
	unsigned int available; /* returned by get_available */
} seen;

static int tst_probe(struct mdev_device *mdev)
{
	if (seen.probe_error)
		return seen.probe_error;
	seen.probes++;
	/* drvdata: something the driver can find its state with. */
	mdev_set_drvdata(mdev, (void *)mdev_uuid_str(mdev));
	return 0;
}

static void tst_remove(struct mdev_device *mdev)
{
	/* The core removes only devices without a client. */
	assert_false(mdev_is_open(mdev));
	seen.removes++;
}

static int tst_open(struct mdev_device *mdev)
{
	if (seen.open_error)
		return seen.open_error;
	seen.opens++;
	return 0;
}

static void tst_close(struct mdev_device *mdev)
{
	seen.closes++;
}

static void tst_request(struct mdev_device *mdev, unsigned int count)
{
	seen.requests++;
	seen.last_request_count = count;
	seen.last_request_dev = mdev;
}

static unsigned int tst_get_available(struct mdev_type *type)
{
	return seen.available;
}

static void tst_release_parent(struct mdev_parent *parent)
{
	seen.releases++;
}

static const struct umdev_device_ops tst_ops = {
	.open = tst_open,
	.close = tst_close,
	.request = tst_request,
};

static const struct mdev_driver tst_driver = {
	.name = "tst",
	.device_ops = &tst_ops,
	.probe = tst_probe,
	.remove = tst_remove,
	.release_parent = tst_release_parent,
};

/* The same driver, but counting through get_available. */
static const struct mdev_driver tst_counting_driver = {
	.name = "cnt",
	.device_ops = &tst_ops,
	.probe = tst_probe,
	.remove = tst_remove,
	.get_available = tst_get_available,
};

static const int type_a_data = 42;

static const struct mdev_type_desc tst_types[] = {
	{
		.name = "a",
		.pretty_name = "Type A",
		.description = "the first test type",
		.device_api = "vfio-pci",
		.max_instances = 2,
		.driver_data = &type_a_data,
	},
	{
		.name = "b",
		.pretty_name = "Type B",
		.device_api = "vfio-ccw",
		.max_instances = 20000,
	},
};

#define NR_TST_TYPES (sizeof(tst_types) / sizeof(tst_types[0]))

static int setup(void **state)
{
	struct mdev_core *core = mdev_core_new(NULL, NULL);
	struct mdev_parent *parent = NULL;

	memset(&seen, 0, sizeof(seen));
	assert_non_null(core);
	assert_int_equal(mdev_register_parent(core, "tst0", &tst_driver,
					      tst_types, NR_TST_TYPES, NULL,
					      &parent),
			 0);
	assert_non_null(parent);
	*state = core;
	return 0;
}

static int teardown(void **state)
{
	mdev_core_free(*state);
	return 0;
}

static void test_register_errors(void **state)
{
	struct mdev_core *core = *state;
	struct mdev_driver no_probe = tst_driver;
	struct mdev_driver no_ops = tst_driver;
	struct mdev_driver no_name = tst_driver;
	struct mdev_type_desc dup[2] = { tst_types[0], tst_types[0] };
	struct mdev_type_desc unnamed = tst_types[0];
	struct mdev_type_desc no_api = tst_types[0];

	no_probe.probe = NULL;
	no_ops.device_ops = NULL;
	no_name.name = NULL;
	unnamed.name = "";
	no_api.device_api = NULL;

	assert_int_equal(mdev_register_parent(core, "tst0", &tst_driver,
					      tst_types, 1, NULL, NULL),
			 -EEXIST);
	assert_int_equal(mdev_register_parent(core, NULL, &tst_driver,
					      tst_types, 1, NULL, NULL),
			 -EINVAL);
	assert_int_equal(mdev_register_parent(core, "", &tst_driver, tst_types,
					      1, NULL, NULL),
			 -EINVAL);
	assert_int_equal(mdev_register_parent(core, "p", NULL, tst_types, 1,
					      NULL, NULL),
			 -EINVAL);
	assert_int_equal(mdev_register_parent(core, "p", &no_probe, tst_types,
					      1, NULL, NULL),
			 -EINVAL);
	assert_int_equal(mdev_register_parent(core, "p", &no_ops, tst_types, 1,
					      NULL, NULL),
			 -EINVAL);
	assert_int_equal(mdev_register_parent(core, "p", &no_name, tst_types, 1,
					      NULL, NULL),
			 -EINVAL);
	assert_int_equal(mdev_register_parent(core, "p", &tst_driver, NULL, 1,
					      NULL, NULL),
			 -EINVAL);
	assert_int_equal(mdev_register_parent(core, "p", &tst_driver, tst_types,
					      0, NULL, NULL),
			 -EINVAL);
	assert_int_equal(mdev_register_parent(core, "p", &tst_driver, dup, 2,
					      NULL, NULL),
			 -EINVAL);
	assert_int_equal(mdev_register_parent(core, "p", &tst_driver, &unnamed,
					      1, NULL, NULL),
			 -EINVAL);
	assert_int_equal(mdev_register_parent(core, "p", &tst_driver, &no_api,
					      1, NULL, NULL),
			 -EINVAL);
	/* None of the failures left a parent behind. */
	assert_null(mdev_core_find_parent(core, "p"));
	assert_int_equal(mdev_register_parent(core, "p", &tst_driver, tst_types,
					      1, NULL, NULL),
			 0);
	assert_non_null(mdev_core_find_parent(core, "p"));
}

static void test_types(void **state)
{
	struct mdev_core *core = *state;
	struct mdev_parent *parent = mdev_core_find_parent(core, "tst0");
	struct mdev_type *a, *b;
	int parent_data;

	assert_non_null(parent);
	assert_string_equal(mdev_parent_name(parent), "tst0");
	assert_ptr_equal(mdev_parent_driver(parent), &tst_driver);
	assert_null(mdev_parent_get_data(parent));

	a = mdev_parent_next_type(parent, NULL);
	b = mdev_parent_next_type(parent, a);
	assert_non_null(a);
	assert_non_null(b);
	assert_null(mdev_parent_next_type(parent, b));

	/* Type id = "<driver>-<name>", not "<parent>-<name>". */
	assert_string_equal(mdev_type_id(a), "tst-a");
	assert_string_equal(mdev_type_id(b), "tst-b");
	assert_string_equal(mdev_type_name(a), "Type A");
	assert_string_equal(mdev_type_description(a), "the first test type");
	assert_null(mdev_type_description(b));
	assert_string_equal(mdev_type_device_api(a), "vfio-pci");
	assert_string_equal(mdev_type_device_api(b), "vfio-ccw");
	assert_ptr_equal(mdev_type_get_data(a), &type_a_data);
	assert_null(mdev_type_get_data(b));
	assert_ptr_equal(mdev_type_parent(a), parent);
	assert_ptr_equal(mdev_parent_find_type(parent, "tst-b"), b);
	assert_null(mdev_parent_find_type(parent, "b"));
	assert_null(mdev_parent_find_type(parent, "tst0-b"));
	assert_int_equal(mdev_type_available(a), 2);
	assert_int_equal(mdev_type_available(b), 20000);

	/* Parent data round-trips. */
	assert_int_equal(mdev_register_parent(core, "tst1", &tst_driver,
					      tst_types, 1, &parent_data,
					      &parent),
			 0);
	assert_ptr_equal(mdev_parent_get_data(parent), &parent_data);
}

static void test_create_and_accessors(void **state)
{
	struct mdev_core *core = *state;
	struct mdev_parent *parent = mdev_core_find_parent(core, "tst0");
	struct mdev_device *dev = NULL;
	uuid_t uuid;

	assert_int_equal(
		mdev_core_create(core, UUID_A_UPPER, "tst0", "tst-a", &dev), 0);
	assert_non_null(dev);
	assert_int_equal(seen.probes, 1);
	assert_int_equal(mdev_core_nr_devices(core), 1);

	/* Stored and printed lowercase; bytes as parsed. */
	assert_string_equal(mdev_uuid_str(dev), UUID_A);
	assert_int_equal(uuid_parse(UUID_A, uuid), 0);
	assert_memory_equal(mdev_uuid(dev), uuid, sizeof(uuid_t));

	assert_ptr_equal(mdev_core_find(core, uuid), dev);
	assert_ptr_equal(mdev_core_find_str(core, UUID_A), dev);
	assert_ptr_equal(mdev_core_find_str(core, UUID_A_UPPER), dev);
	assert_null(mdev_core_find_str(core, UUID_B));
	assert_null(mdev_core_find_str(core, "nonsense"));
	assert_null(mdev_core_find_str(core, NULL));

	assert_ptr_equal(mdev_parent_of(dev), parent);
	assert_string_equal(mdev_type_id(mdev_type_of(dev)), "tst-a");
	/* The core's copy of the driver's ops (driver_abi.h): its callbacks. */
	assert_ptr_equal(mdev_device_ops(dev)->open, tst_ops.open);
	assert_ptr_equal(mdev_device_ops(dev)->close, tst_ops.close);
	assert_ptr_equal(mdev_device_ops(dev)->request, tst_ops.request);
	assert_false(mdev_is_open(dev));

	/* drvdata set by probe, then replaced. */
	assert_ptr_equal(mdev_get_drvdata(dev), mdev_uuid_str(dev));
	mdev_set_drvdata(dev, &seen);
	assert_ptr_equal(mdev_get_drvdata(dev), &seen);

	/* out may be NULL. */
	assert_int_equal(mdev_core_create(core, UUID_B, "tst0", "tst-b", NULL),
			 0);
	assert_non_null(mdev_core_find_str(core, UUID_B));
}

static void test_create_errors(void **state)
{
	struct mdev_core *core = *state;
	struct mdev_device *dev = NULL;

	/* Malformed UUIDs. */
	assert_int_equal(mdev_core_create(core, "not-a-uuid", "tst0", "tst-a",
					  &dev),
			 -EINVAL);
	assert_int_equal(mdev_core_create(core, "", "tst0", "tst-a", NULL),
			 -EINVAL);
	assert_int_equal(mdev_core_create(core, NULL, "tst0", "tst-a", NULL),
			 -EINVAL);
	assert_int_equal(mdev_core_create(core, UUID_A "0", "tst0", "tst-a",
					  NULL),
			 -EINVAL);
	assert_int_equal(
		mdev_core_create(core, "6f0c1a5e-4b0c-4f9e-8f45-3a1d1f0e9c0g",
				 "tst0", "tst-a", NULL),
		-EINVAL);
	assert_null(dev);

	/* Unknown parent, unknown type. */
	assert_int_equal(mdev_core_create(core, UUID_A, "nope", "tst-a", NULL),
			 -ENODEV);
	assert_int_equal(mdev_core_create(core, UUID_A, "tst0", "tst-z", NULL),
			 -ENOENT);
	assert_int_equal(mdev_core_create(core, UUID_A, "tst0", "a", NULL),
			 -ENOENT);
	assert_int_equal(mdev_core_nr_devices(core), 0);
	assert_int_equal(seen.probes, 0);

	/* Duplicate UUID: same type, other type, other parent, other case. */
	assert_int_equal(mdev_register_parent(core, "tst1", &tst_driver,
					      tst_types, NR_TST_TYPES, NULL,
					      NULL),
			 0);
	assert_int_equal(mdev_core_create(core, UUID_A, "tst0", "tst-a", NULL),
			 0);
	assert_int_equal(mdev_core_create(core, UUID_A, "tst0", "tst-a", NULL),
			 -EEXIST);
	assert_int_equal(mdev_core_create(core, UUID_A, "tst0", "tst-b", NULL),
			 -EEXIST);
	assert_int_equal(mdev_core_create(core, UUID_A, "tst1", "tst-a", NULL),
			 -EEXIST);
	assert_int_equal(mdev_core_create(core, UUID_A_UPPER, "tst1", "tst-b",
					  NULL),
			 -EEXIST);
	assert_int_equal(mdev_core_nr_devices(core), 1);
}

static void test_capacity_counter(void **state)
{
	struct mdev_core *core = *state;
	struct mdev_type *a;

	a = mdev_parent_find_type(mdev_core_find_parent(core, "tst0"), "tst-a");
	assert_int_equal(mdev_type_available(a), 2);
	assert_int_equal(mdev_core_create(core, UUID_A, "tst0", "tst-a", NULL),
			 0);
	assert_int_equal(mdev_type_available(a), 1);
	assert_int_equal(mdev_core_create(core, UUID_B, "tst0", "tst-a", NULL),
			 0);
	assert_int_equal(mdev_type_available(a), 0);
	assert_int_equal(mdev_core_create(core, UUID_C, "tst0", "tst-a", NULL),
			 -EUSERS);
	assert_int_equal(seen.probes, 2);
	/* Other type unaffected. */
	assert_int_equal(mdev_core_create(core, UUID_C, "tst0", "tst-b", NULL),
			 0);
	/* Removing one gives the instance back. */
	assert_int_equal(mdev_core_remove(core, UUID_A), 0);
	assert_int_equal(mdev_type_available(a), 1);
	assert_int_equal(mdev_core_create(core, UUID_A, "tst0", "tst-a", NULL),
			 0);
	assert_int_equal(mdev_type_available(a), 0);
}

static void test_capacity_callback(void **state)
{
	struct mdev_core *core = *state;
	struct mdev_type *t;

	assert_int_equal(mdev_register_parent(core, "cnt0",
					      &tst_counting_driver, tst_types,
					      1, NULL, NULL),
			 0);
	t = mdev_parent_find_type(mdev_core_find_parent(core, "cnt0"), "cnt-a");
	assert_non_null(t);
	/* The callback wins over max_instances (2). */
	seen.available = 5;
	assert_int_equal(mdev_type_available(t), 5);
	seen.available = 0;
	assert_int_equal(mdev_type_available(t), 0);
	assert_int_equal(mdev_core_create(core, UUID_A, "cnt0", "cnt-a", NULL),
			 -EUSERS);
	seen.available = 1;
	assert_int_equal(mdev_core_create(core, UUID_A, "cnt0", "cnt-a", NULL),
			 0);
}

static void test_probe_error(void **state)
{
	struct mdev_core *core = *state;

	seen.probe_error = -ENOSPC;
	assert_int_equal(mdev_core_create(core, UUID_A, "tst0", "tst-a", NULL),
			 -ENOSPC);
	/* Nothing left behind: not findable, not counted, UUID reusable. */
	assert_null(mdev_core_find_str(core, UUID_A));
	assert_int_equal(mdev_core_nr_devices(core), 0);
	assert_null(mdev_core_next_device(core, NULL));
	seen.probe_error = 0;
	assert_int_equal(mdev_core_create(core, UUID_A, "tst0", "tst-a", NULL),
			 0);
	assert_int_equal(mdev_type_available(mdev_type_of(
				 mdev_core_find_str(core, UUID_A))),
			 1);
}

static void test_remove_errors(void **state)
{
	struct mdev_core *core = *state;

	assert_int_equal(mdev_core_remove(core, "garbage"), -EINVAL);
	assert_int_equal(mdev_core_remove(core, NULL), -EINVAL);
	assert_int_equal(mdev_core_remove(core, UUID_A), -ENODEV);
	assert_int_equal(mdev_core_create(core, UUID_A, "tst0", "tst-a", NULL),
			 0);
	assert_int_equal(mdev_core_remove(core, UUID_B), -ENODEV);
	assert_int_equal(mdev_core_remove(core, UUID_A_UPPER), 0);
	assert_int_equal(seen.removes, 1);
	assert_null(mdev_core_find_str(core, UUID_A));
	assert_int_equal(mdev_core_remove(core, UUID_A), -ENODEV);
	assert_int_equal(mdev_core_nr_devices(core), 0);
}

static void test_open_close_request(void **state)
{
	struct mdev_core *core = *state;
	struct mdev_device *dev;

	assert_int_equal(mdev_core_create(core, UUID_A, "tst0", "tst-a", &dev),
			 0);

	seen.open_error = -EPERM;
	assert_int_equal(mdev_device_open(dev), -EPERM);
	assert_false(mdev_is_open(dev));
	seen.open_error = 0;

	assert_int_equal(mdev_device_open(dev), 0);
	assert_true(mdev_is_open(dev));
	assert_int_equal(seen.opens, 1);
	assert_int_equal(mdev_device_open(dev), -EBUSY);
	assert_int_equal(seen.opens, 1);

	/* Removal of an open device asks the client, each time counting. */
	assert_int_equal(mdev_core_remove(core, UUID_A), -EBUSY);
	assert_int_equal(seen.requests, 1);
	assert_int_equal(seen.last_request_count, 1);
	assert_ptr_equal(seen.last_request_dev, dev);
	assert_int_equal(mdev_core_remove(core, UUID_A), -EBUSY);
	assert_int_equal(seen.requests, 2);
	assert_int_equal(seen.last_request_count, 2);
	assert_int_equal(seen.removes, 0);
	assert_ptr_equal(mdev_core_find_str(core, UUID_A), dev);

	mdev_device_close(dev);
	assert_int_equal(seen.closes, 1);
	assert_false(mdev_is_open(dev));
	mdev_device_close(dev); /* not open: no second close */
	assert_int_equal(seen.closes, 1);

	/* The request count starts again with the next client. */
	assert_int_equal(mdev_device_open(dev), 0);
	assert_int_equal(mdev_core_remove(core, UUID_A), -EBUSY);
	assert_int_equal(seen.last_request_count, 1);
	mdev_device_close(dev);

	assert_int_equal(mdev_core_remove(core, UUID_A), 0);
	assert_int_equal(seen.removes, 1);
}

/* A device whose ops have no request callback still refuses with -EBUSY. */
static void test_request_optional(void **state)
{
	static const struct umdev_device_ops bare_ops = { 0 };
	struct mdev_driver bare = tst_driver;
	struct mdev_core *core = *state;
	struct mdev_device *dev;

	bare.name = "bare";
	bare.device_ops = &bare_ops;
	assert_int_equal(mdev_register_parent(core, "bare0", &bare, tst_types,
					      1, NULL, NULL),
			 0);
	assert_int_equal(
		mdev_core_create(core, UUID_B, "bare0", "bare-a", &dev), 0);
	assert_int_equal(mdev_device_open(dev), 0);
	assert_int_equal(mdev_core_remove(core, UUID_B), -EBUSY);
	assert_int_equal(seen.requests, 0);
	mdev_device_close(dev);
	assert_int_equal(mdev_core_remove(core, UUID_B), 0);
	mdev_unregister_parent(mdev_core_find_parent(core, "bare0"));
}

static void test_iterators(void **state)
{
	struct mdev_core *core = *state;
	struct mdev_parent *p;
	struct mdev_device *d;

	assert_int_equal(mdev_register_parent(core, "tst1", &tst_driver,
					      tst_types, NR_TST_TYPES, NULL,
					      NULL),
			 0);
	p = mdev_core_next_parent(core, NULL);
	assert_string_equal(mdev_parent_name(p), "tst0");
	p = mdev_core_next_parent(core, p);
	assert_string_equal(mdev_parent_name(p), "tst1");
	assert_null(mdev_core_next_parent(core, p));

	assert_null(mdev_core_next_device(core, NULL));
	assert_int_equal(mdev_core_create(core, UUID_A, "tst0", "tst-a", NULL),
			 0);
	assert_int_equal(mdev_core_create(core, UUID_B, "tst1", "tst-b", NULL),
			 0);
	assert_int_equal(mdev_core_create(core, UUID_C, "tst0", "tst-b", NULL),
			 0);
	/* Creation order. */
	d = mdev_core_next_device(core, NULL);
	assert_string_equal(mdev_uuid_str(d), UUID_A);
	d = mdev_core_next_device(core, d);
	assert_string_equal(mdev_uuid_str(d), UUID_B);
	d = mdev_core_next_device(core, d);
	assert_string_equal(mdev_uuid_str(d), UUID_C);
	assert_null(mdev_core_next_device(core, d));

	/* Remove the middle one, then the first. */
	assert_int_equal(mdev_core_remove(core, UUID_B), 0);
	d = mdev_core_next_device(core, NULL);
	assert_string_equal(mdev_uuid_str(d), UUID_A);
	d = mdev_core_next_device(core, d);
	assert_string_equal(mdev_uuid_str(d), UUID_C);
	assert_null(mdev_core_next_device(core, d));
	assert_int_equal(mdev_core_remove(core, UUID_A), 0);
	d = mdev_core_next_device(core, NULL);
	assert_string_equal(mdev_uuid_str(d), UUID_C);
	assert_null(mdev_core_next_device(core, d));
}

static void test_unregister_parent(void **state)
{
	struct mdev_core *core = *state;
	struct mdev_device *open_dev;

	assert_int_equal(mdev_register_parent(core, "tst1", &tst_driver,
					      tst_types, NR_TST_TYPES, NULL,
					      NULL),
			 0);
	assert_int_equal(mdev_core_create(core, UUID_A, "tst0", "tst-a", NULL),
			 0);
	assert_int_equal(
		mdev_core_create(core, UUID_B, "tst1", "tst-a", &open_dev), 0);
	assert_int_equal(mdev_core_create(core, UUID_C, "tst1", "tst-b", NULL),
			 0);
	assert_int_equal(mdev_device_open(open_dev), 0);

	mdev_unregister_parent(mdev_core_find_parent(core, "tst1"));
	/* Its devices are gone (the open one closed first); others stay. */
	assert_int_equal(seen.closes, 1);
	assert_int_equal(seen.removes, 2);
	assert_int_equal(seen.releases, 1);
	assert_null(mdev_core_find_parent(core, "tst1"));
	assert_null(mdev_core_find_str(core, UUID_B));
	assert_null(mdev_core_find_str(core, UUID_C));
	assert_non_null(mdev_core_find_str(core, UUID_A));
	assert_int_equal(mdev_core_nr_devices(core), 1);
	/* The UUIDs can be used again. */
	assert_int_equal(mdev_core_create(core, UUID_B, "tst0", "tst-b", NULL),
			 0);
}

static void test_core_free_removes_all(void **unused)
{
	struct mdev_core *core = mdev_core_new(NULL, NULL);

	memset(&seen, 0, sizeof(seen));
	assert_int_equal(mdev_register_parent(core, "tst0", &tst_driver,
					      tst_types, NR_TST_TYPES, NULL,
					      NULL),
			 0);
	assert_int_equal(mdev_core_create(core, UUID_A, "tst0", "tst-a", NULL),
			 0);
	assert_int_equal(mdev_core_create(core, UUID_B, "tst0", "tst-b", NULL),
			 0);
	assert_int_equal(mdev_device_open(mdev_core_find_str(core, UUID_B)), 0);
	mdev_core_free(core);
	assert_int_equal(seen.removes, 2);
	assert_int_equal(seen.closes, 1);
	assert_int_equal(seen.releases, 1);
	mdev_core_free(NULL);
}

static void make_uuid(char *buf, unsigned int i)
{
	snprintf(buf, MDEV_UUID_STRLEN + 1, "%08x-0000-4000-8000-%012x",
		 i * 2654435761u, i);
}

static void test_many_devices(void **state)
{
	enum { N = 10000 };
	struct mdev_core *core = *state;
	char uuid[MDEV_UUID_STRLEN + 1];
	struct mdev_device *d;
	unsigned int i, n;

	for (i = 0; i < N; i++) {
		make_uuid(uuid, i);
		assert_int_equal(
			mdev_core_create(core, uuid, "tst0", "tst-b", NULL), 0);
	}
	assert_int_equal(mdev_core_nr_devices(core), N);
	for (i = 0; i < N; i++) {
		make_uuid(uuid, i);
		d = mdev_core_find_str(core, uuid);
		assert_non_null(d);
		assert_string_equal(mdev_uuid_str(d), uuid);
	}
	make_uuid(uuid, N);
	assert_null(mdev_core_find_str(core, uuid));
	for (n = 0, d = mdev_core_next_device(core, NULL); d;
	     d = mdev_core_next_device(core, d))
		n++;
	assert_int_equal(n, N);
	/* Remove in an order unlike creation's. */
	for (i = 0; i < N; i++) {
		make_uuid(uuid, (i * 7919u) % N);
		assert_int_equal(mdev_core_remove(core, uuid), 0);
	}
	assert_int_equal(mdev_core_nr_devices(core), 0);
	assert_int_equal(seen.removes, N);
	assert_null(mdev_core_next_device(core, NULL));
}

/* The host's slot is its own: apart from drvdata, found through the index. */
static void test_host_data(void **state)
{
	struct mdev_core *core = *state;
	struct mdev_device *a, *b;
	int host_a, host_b;

	assert_int_equal(mdev_core_create(core, UUID_A, "tst0", "tst-a", &a),
			 0);
	assert_int_equal(mdev_core_create(core, UUID_B, "tst0", "tst-a", &b),
			 0);
	assert_null(mdev_get_host_data(a));
	mdev_set_host_data(a, &host_a);
	mdev_set_host_data(b, &host_b);
	assert_ptr_equal(mdev_get_host_data(mdev_core_find_str(core, UUID_A)),
			 &host_a);
	assert_ptr_equal(
		mdev_get_host_data(mdev_core_find_str(core, UUID_A_UPPER)),
		&host_a);
	assert_ptr_equal(mdev_get_host_data(mdev_core_find_str(core, UUID_B)),
			 &host_b);
	/* The driver's drvdata (set in probe) is untouched. */
	assert_string_equal(mdev_get_drvdata(a), UUID_A);
	mdev_set_drvdata(a, NULL);
	assert_ptr_equal(mdev_get_host_data(a), &host_a);
	mdev_set_host_data(a, NULL);
	assert_null(mdev_get_host_data(a));
	assert_ptr_equal(mdev_get_host_data(b), &host_b);
}

/* The one UUID check of umdev (core, daemon and CLI call it). */
static void test_uuid_valid(void **state)
{
	assert_true(mdev_uuid_valid("83b8f4f2-509f-382f-3c1e-e6bfe0fa1001"));
	assert_true(mdev_uuid_valid("83B8F4F2-509F-382F-3C1E-E6BFE0FA1001"));
	assert_false(mdev_uuid_valid(NULL));
	assert_false(mdev_uuid_valid(""));
	assert_false(mdev_uuid_valid(
		"83b8f4f2-509f-382f-3c1e-e6bfe0fa100")); /* 35 */
	assert_false(mdev_uuid_valid(
		"83b8f4f2-509f-382f-3c1e-e6bfe0fa10011")); /* 37 */
	assert_false(mdev_uuid_valid("83b8f4f2/509f-382f-3c1e-e6bfe0fa1001"));
	assert_false(mdev_uuid_valid("83b8f4f2-509f-382f-3c1e-e6bfe0fa10.."));
	assert_false(mdev_uuid_valid("83b8f4f2-509f-382f-3c1ee-6bfe0fa1001"));
	assert_false(mdev_uuid_valid("83b8f4g2-509f-382f-3c1e-e6bfe0fa1001"));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_register_errors),
		T(test_types),
		T(test_create_and_accessors),
		T(test_create_errors),
		T(test_capacity_counter),
		T(test_capacity_callback),
		T(test_probe_error),
		T(test_remove_errors),
		T(test_open_close_request),
		T(test_request_optional),
		T(test_iterators),
		T(test_unregister_parent),
		T(test_host_data),
		cmocka_unit_test(test_core_free_removes_all),
		cmocka_unit_test(test_uuid_valid),
		T(test_many_devices),
	};

	return cmocka_run_group_tests_name("mdev_core", tests, NULL, NULL);
}
