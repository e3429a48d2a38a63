// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of src/daemon/runtime_dir.c: resolution order, creation and
 * permissions, socket paths (UUIDs are checked by the core: test_mdev_core).
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "runtime_dir.h"

static void test_resolve_order(void **state)
{
	char buf[PATH_MAX];

	setenv("UMDEV_RUNTIME_DIR", "/env/dir", 1);
	setenv("XDG_RUNTIME_DIR", "/run/user/1000", 1);
	assert_int_equal(runtime_dir_resolve("/given", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/given");
	assert_int_equal(runtime_dir_resolve(NULL, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/env/dir");
	unsetenv("UMDEV_RUNTIME_DIR");
	assert_int_equal(runtime_dir_resolve(NULL, buf, sizeof(buf)), 0);
	if (geteuid() == 0)
		assert_string_equal(buf, "/run/umdev");
	else
		assert_string_equal(buf, "/run/user/1000/umdev");
	unsetenv("XDG_RUNTIME_DIR");
	if (geteuid() != 0)
		assert_int_equal(runtime_dir_resolve(NULL, buf, sizeof(buf)),
				 -ENOENT);
	assert_int_equal(runtime_dir_resolve("/much/too/long", buf, 5),
			 -ENAMETOOLONG);
}

static void test_create(void **state)
{
	char tmp[] = "/tmp/umdev-rtdir-XXXXXX", dir[64], file[80];
	struct stat st;

	assert_non_null(mkdtemp(tmp));
	snprintf(dir, sizeof(dir), "%s/run", tmp);
	assert_int_equal(runtime_dir_create(dir), 0);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	/* Existing and too open: tightened. */
	assert_int_equal(chmod(dir, 0755), 0);
	assert_int_equal(runtime_dir_create(dir), 0);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	/* A file is not a directory. */
	snprintf(file, sizeof(file), "%s/file", tmp);
	fclose(fopen(file, "w"));
	assert_int_equal(runtime_dir_create(file), -ENOTDIR);
	/* Missing parent. */
	snprintf(file, sizeof(file), "%s/no/such", tmp);
	assert_int_equal(runtime_dir_create(file), -ENOENT);
	snprintf(file, sizeof(file), "%s/file", tmp);
	unlink(file);
	rmdir(dir);
	rmdir(tmp);
}

static void test_paths(void **state)
{
	char buf[200], longdir[150];

	assert_int_equal(runtime_dir_socket_path("/run/umdev", "control.sock",
						 buf, sizeof(buf)),
			 0);
	assert_string_equal(buf, "/run/umdev/control.sock");
	assert_int_equal(runtime_dir_device_socket(
				 "/run/umdev",
				 "83b8f4f2-509f-382f-3c1e-e6bfe0fa1001", buf,
				 sizeof(buf)),
			 0);
	assert_string_equal(
		buf, "/run/umdev/83b8f4f2-509f-382f-3c1e-e6bfe0fa1001.sock");
	assert_int_equal(runtime_dir_device_socket("/run/umdev", "../../x", buf,
						   sizeof(buf)),
			 -EINVAL);
	/* Over sun_path (108 bytes) even though it fits @buf. */
	memset(longdir, 'd', sizeof(longdir) - 1);
	longdir[0] = '/';
	longdir[sizeof(longdir) - 1] = '\0';
	assert_int_equal(runtime_dir_socket_path(longdir, "control.sock", buf,
						 sizeof(buf)),
			 -ENAMETOOLONG);
}

/*
 * Never through a symlink, never another user's directory, never one
 * others may write: refused with a message naming the path (and owner),
 * the target untouched.
 */
static void test_prepare_refuses(void **state)
{
	char tmp[] = "/tmp/umdev-rtdir-XXXXXX", dir[64], link_[64], why[512];
	struct stat st;

	assert_non_null(mkdtemp(tmp));
	snprintf(dir, sizeof(dir), "%s/real", tmp);
	snprintf(link_, sizeof(link_), "%s/link", tmp);
	assert_int_equal(mkdir(dir, 0755), 0);
	assert_int_equal(symlink(dir, link_), 0);
	assert_int_equal(runtime_dir_prepare(link_, why, sizeof(why)), -ELOOP);
	assert_non_null(strstr(why, link_));
	assert_non_null(strstr(why, "symbolic link"));
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0755); /* not tightened */
	/* A dangling link is not created through either. */
	unlink(link_);
	snprintf(why, sizeof(why), "%s/nowhere", tmp);
	assert_int_equal(symlink(why, link_), 0);
	assert_int_equal(runtime_dir_prepare(link_, why, sizeof(why)), -ELOOP);
	snprintf(why, sizeof(why), "%s/nowhere", tmp);
	assert_int_equal(access(why, F_OK), -1);
	/* Writable by others. */
	assert_int_equal(chmod(dir, 0777), 0);
	assert_int_equal(runtime_dir_prepare(dir, why, sizeof(why)), -EPERM);
	assert_non_null(strstr(why, dir));
	assert_non_null(strstr(why, "0777"));
	assert_int_equal(chmod(dir, 0750), 0);
	assert_int_equal(runtime_dir_prepare(dir, why, sizeof(why)), 0);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	/* Another user's. */
	if (geteuid() == 0) {
		assert_int_equal(chown(dir, 65534, 65534), 0);
		assert_int_equal(runtime_dir_prepare(dir, why, sizeof(why)),
				 -EPERM);
		assert_non_null(strstr(why, "owned by uid 65534"));
	}
	unlink(link_);
	rmdir(dir);
	rmdir(tmp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolve_order),
		cmocka_unit_test(test_create),
		cmocka_unit_test(test_prepare_refuses),
		cmocka_unit_test(test_paths),
	};

	return cmocka_run_group_tests_name("runtime_dir", tests, NULL, NULL);
}
