// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the core's host services (ABI 1.1): device attributes
 * through the driver's optional set_attr / attr_status, fd watches through
 * the host's watch_fd, and the runtime directory.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <umdev/mdev_host.h>

#define UUID_A "0c6a4e1f-2b3d-4c5e-9f60-718293a4b5c6"
#define UUID_B "0c6a4e1f-2b3d-4c5e-9f60-718293a4b5c7"

static char last_value[64];
static int watched_fd = -1;

static int probe(struct mdev_device *mdev)
{
	return 0;
}

static void remove_dev(struct mdev_device *mdev)
{
}

static int set_attr(struct mdev_device *mdev, const char *name,
		    const char *value)
{
	if (strcmp(name, "mode"))
		return -ENOENT;
	if (strcmp(value, "a") && strcmp(value, "b"))
		return -EINVAL;
	snprintf(last_value, sizeof(last_value), "%s", value);
	return 0;
}

static int attr_status(struct mdev_device *mdev, unsigned int index,
		       const char **name, char *buf, size_t len)
{
	if (index)
		return -ENOENT;
	*name = "mode";
	return snprintf(buf, len, "mode is %s", last_value);
}

static const struct umdev_device_ops ops = { .open = NULL };
static const struct mdev_type_desc type = { .name = "x",
					    .pretty_name = "X",
					    .device_api = "vfio-pci",
					    .max_instances = 2 };

static int host_watch(void *host, int fd, void (*ready)(void *), void *arg)
{
	watched_fd = fd;
	return 0;
}

static void host_unwatch(void *host, int fd)
{
	if (fd == watched_fd)
		watched_fd = -1;
}

static const struct mdev_host_ops host = { .watch_fd = host_watch,
					   .unwatch_fd = host_unwatch };

static void ready(void *arg)
{
}

static void test_attributes_reach_the_driver(void **state)
{
	struct mdev_driver with = { .name = "with",
				    .device_ops = &ops,
				    .probe = probe,
				    .remove = remove_dev,
				    .set_attr = set_attr,
				    .attr_status = attr_status };
	struct mdev_driver without = { .name = "without",
				       .device_ops = &ops,
				       .probe = probe,
				       .remove = remove_dev };
	struct mdev_core *core = mdev_core_new(NULL, NULL);
	struct mdev_device *a, *b;
	const char *name;
	char buf[32];

	assert_non_null(core);
	assert_int_equal(mdev_register_parent(core, "with", &with, &type, 1,
					      NULL, NULL),
			 0);
	assert_int_equal(mdev_register_parent(core, "without", &without, &type,
					      1, NULL, NULL),
			 0);
	assert_int_equal(mdev_core_create(core, UUID_A, "with", "with-x", &a),
			 0);
	assert_int_equal(
		mdev_core_create(core, UUID_B, "without", "without-x", &b), 0);
	assert_int_equal(mdev_device_set_attr(a, "mode", "b"), 0);
	assert_string_equal(last_value, "b");
	assert_int_equal(mdev_device_set_attr(a, "mode", "z"), -EINVAL);
	assert_string_equal(last_value, "b");
	assert_int_equal(mdev_device_set_attr(a, "other", "a"), -ENOENT);
	assert_int_equal(mdev_device_set_attr(a, "", "a"), -EINVAL);
	assert_int_equal(mdev_device_set_attr(a, "mode", NULL), -EINVAL);
	assert_int_equal(mdev_device_attr_status(a, 0, &name, buf, sizeof(buf)),
			 9);
	assert_string_equal(name, "mode");
	assert_string_equal(buf, "mode is b");
	assert_int_equal(mdev_device_attr_status(a, 1, &name, buf, sizeof(buf)),
			 -ENOENT);
	/* A driver without the hooks has no attributes. */
	assert_int_equal(mdev_device_set_attr(b, "mode", "a"), -ENOENT);
	assert_int_equal(mdev_device_attr_status(b, 0, &name, buf, sizeof(buf)),
			 -ENOENT);
	/* No host loop: no fd watch, no runtime directory. */
	assert_int_equal(mdev_fd_watch(a, 0, ready, NULL), -EOPNOTSUPP);
	assert_null(mdev_runtime_dir(a));
	mdev_core_free(core);
}

static void test_watch_and_runtime_dir(void **state)
{
	struct mdev_driver drv = { .name = "d",
				   .device_ops = &ops,
				   .probe = probe,
				   .remove = remove_dev };
	struct mdev_core *core = mdev_core_new(&host, NULL);
	struct mdev_device *a;

	assert_non_null(core);
	assert_int_equal(
		mdev_register_parent(core, "d", &drv, &type, 1, NULL, NULL), 0);
	assert_int_equal(mdev_core_create(core, UUID_A, "d", "d-x", &a), 0);
	assert_int_equal(mdev_fd_watch(a, 7, ready, NULL), 0);
	assert_int_equal(watched_fd, 7);
	mdev_fd_unwatch(a, 7);
	assert_int_equal(watched_fd, -1);
	assert_int_equal(mdev_fd_watch(a, -1, ready, NULL), -EINVAL);
	assert_int_equal(mdev_fd_watch(a, 7, NULL, NULL), -EINVAL);
	assert_int_equal(mdev_core_set_runtime_dir(core, ""), -EINVAL);
	assert_int_equal(mdev_core_set_runtime_dir(core, "/run/x"), 0);
	assert_string_equal(mdev_runtime_dir(a), "/run/x");
	assert_int_equal(mdev_core_set_runtime_dir(core, NULL), 0);
	assert_null(mdev_runtime_dir(a));
	mdev_core_free(core);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_attributes_reach_the_driver),
		cmocka_unit_test(test_watch_and_runtime_dir),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("host_services", tests, NULL, NULL);
}
