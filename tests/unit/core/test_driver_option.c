// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of driver options (src/core/driver_option.c): what the host
 * may set, what a driver reads, and the host's check afterwards (an option
 * nobody asked for, a value the driver refused, each named); plus mtty's
 * "ports" option through its real init.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <umdev/driver.h>
#include <umdev/mdev_host.h>

#include "drivers/mtty/mtty_driver.h"

static void test_set_refuses_bad_names(void **state)
{
	struct mdev_core *core = mdev_core_new(NULL, NULL);
	char longname[80];

	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	assert_int_equal(mdev_core_set_driver_option(core, "", "k", "v"),
			 -EINVAL);
	assert_int_equal(mdev_core_set_driver_option(core, "d", "", "v"),
			 -EINVAL);
	assert_int_equal(mdev_core_set_driver_option(core, "d.x", "k", "v"),
			 -EINVAL);
	assert_int_equal(mdev_core_set_driver_option(core, "d", "k=1", "v"),
			 -EINVAL);
	assert_int_equal(mdev_core_set_driver_option(core, longname, "k", "v"),
			 -EINVAL);
	assert_int_equal(mdev_core_set_driver_option(core, "d", "k", NULL),
			 -EINVAL);
	assert_int_equal(mdev_core_set_driver_option(core, "d", "k", "v"), 0);
	assert_int_equal(mdev_core_set_driver_option(core, "d", "k", "w"),
			 -EEXIST);
	/* Nothing refused was kept: only d.k exists. */
	assert_string_equal(umdev_driver_option(core, "d", "k"), "v");
	assert_null(umdev_driver_option(core, "d.x", "k"));
	assert_int_equal(mdev_core_check_driver_options(core, NULL, 0), 0);
	mdev_core_free(core);
}

static void test_unasked_option_is_named(void **state)
{
	struct mdev_core *core = mdev_core_new(NULL, NULL);
	char why[256];

	assert_int_equal(mdev_core_check_driver_options(core, why, sizeof(why)),
			 0);
	assert_int_equal(mdev_core_set_driver_option(core, "d", "used", "1"),
			 0);
	assert_int_equal(mdev_core_set_driver_option(core, "nosuch", "x", "2"),
			 0);
	assert_string_equal(umdev_driver_option(core, "d", "used"), "1");
	assert_null(umdev_driver_option(core, "d", "other"));
	assert_int_equal(mdev_core_check_driver_options(core, why, sizeof(why)),
			 -EINVAL);
	assert_non_null(strstr(why, "nosuch.x=2"));
	mdev_core_free(core);
}

static void test_uint_option(void **state)
{
	struct mdev_core *core = mdev_core_new(NULL, NULL);
	unsigned long v = 7;
	char why[256];

	/* Not given: the default stays, nothing to refuse. */
	assert_int_equal(umdev_driver_option_uint(core, "d", "n", 1, 10, &v),
			 0);
	assert_int_equal(v, 7);
	assert_int_equal(mdev_core_set_driver_option(core, "d", "n", "10"), 0);
	assert_int_equal(umdev_driver_option_uint(core, "d", "n", 1, 10, &v),
			 0);
	assert_int_equal(v, 10);
	assert_int_equal(mdev_core_check_driver_options(core, why, sizeof(why)),
			 0);
	mdev_core_free(core);

	{
		static const char *const bad[] = {
			"11", "0", "-1", "abc",
			"3x", "",  " 3", "99999999999999999999"
		};
		unsigned int i;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			core = mdev_core_new(NULL, NULL);
			v = 7;
			assert_int_equal(mdev_core_set_driver_option(
						 core, "d", "n", bad[i]),
					 0);
			assert_int_equal(umdev_driver_option_uint(
						 core, "d", "n", 1, 10, &v),
					 -EINVAL);
			assert_int_equal(v, 7);
			assert_int_equal(mdev_core_check_driver_options(
						 core, why, sizeof(why)),
					 -EINVAL);
			assert_non_null(strstr(why, "d.n="));
			assert_non_null(strstr(why, "from 1 to 10"));
			mdev_core_free(core);
		}
	}
}

static void test_invalid_reason_is_kept(void **state)
{
	struct mdev_core *core = mdev_core_new(NULL, NULL);
	char why[256];

	assert_int_equal(mdev_core_set_driver_option(core, "d", "mode", "x"),
			 0);
	assert_int_equal(umdev_driver_option_invalid(core, "d", "mode",
						     "must be fast or slow"),
			 -EINVAL);
	assert_int_equal(mdev_core_check_driver_options(core, why, sizeof(why)),
			 -EINVAL);
	assert_string_equal(why, "d.mode=x: must be fast or slow");
	mdev_core_free(core);
}

/* mtty's init honours "ports": exactly that many mtty-1 devices fit. */
static void test_mtty_ports(void **state)
{
	struct mdev_core *core = mdev_core_new(NULL, NULL);
	struct mdev_parent *parent;
	struct mdev_type *type;
	void *priv = NULL;

	assert_int_equal(
		mdev_core_set_driver_option(core, "mtty", "ports", "30000"), 0);
	assert_int_equal(mtty_driver_init(core, &priv), 0);
	assert_int_equal(mdev_core_check_driver_options(core, NULL, 0), 0);
	parent = mdev_core_find_parent(core, "mtty");
	assert_non_null(parent);
	type = mdev_parent_find_type(parent, "mtty-1");
	assert_non_null(type);
	assert_int_equal(mdev_type_available(type), 30000);
	type = mdev_parent_find_type(parent, "mtty-2");
	assert_int_equal(mdev_type_available(type), 15000);
	mtty_driver_exit(core, priv);
	mdev_core_free(core);

	/* A bad value: init refuses, registers nothing, the check names it. */
	core = mdev_core_new(NULL, NULL);
	assert_int_equal(
		mdev_core_set_driver_option(core, "mtty", "ports", "0"), 0);
	assert_int_equal(mtty_driver_init(core, &priv), -EINVAL);
	assert_null(mdev_core_find_parent(core, "mtty"));
	{
		char why[256];

		assert_int_equal(mdev_core_check_driver_options(core, why,
								sizeof(why)),
				 -EINVAL);
		assert_non_null(strstr(why, "mtty.ports=0"));
	}
	mdev_core_free(core);

	/* Not given: the kernel sample's 24. */
	core = mdev_core_new(NULL, NULL);
	assert_int_equal(mtty_driver_init(core, &priv), 0);
	type = mdev_parent_find_type(mdev_core_find_parent(core, "mtty"),
				     "mtty-1");
	assert_int_equal(mdev_type_available(type), MTTY_DRIVER_TOTAL_PORTS);
	mdev_core_free(core);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_refuses_bad_names),
		cmocka_unit_test(test_unasked_option_is_named),
		cmocka_unit_test(test_uint_option),
		cmocka_unit_test(test_invalid_reason_is_kept),
		cmocka_unit_test(test_mtty_ports),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
