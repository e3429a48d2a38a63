// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for src/management/definition_store.c: the files in
 * <config>/<parent>/<uuid>, written atomically, read back sorted; a
 * malformed file reported and left alone.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "management/definition_store.h"

#define UUID_A "8a4b1f3e-0c2d-4e5f-9a6b-7c8d9e0f1a2b"
#define UUID_B "1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9"

static char dir[64];

static int setup(void **state)
{
	strcpy(dir, "/tmp/umdev-unit-store-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static char *slurp(const char *path)
{
	static char buf[4096];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return NULL;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return NULL;
	buf[n] = '\0';
	return buf;
}

static void spit(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void free_list(struct mgmt_def *d)
{
	while (d) {
		struct mgmt_def *next = d->next;

		mgmt_def_free(d);
		d = next;
	}
}

static int reports;
static char reported[512];

static void report(void *arg, const char *path, const char *why)
{
	reports++;
	snprintf(reported, sizeof(reported), "%s: %s", path, why);
}

static void test_write_then_load(void **unused)
{
	struct mgmt_def *a = mgmt_def_new(UUID_A, "mtty", "mtty-2");
	struct mgmt_def *b = mgmt_def_new(UUID_B, "mtty", "mtty-1");
	struct mgmt_def *list = NULL;
	char path[256];

	a->autostart = true;
	assert_int_equal(mgmt_def_attr_insert(a, 0, "port0", "tcp:1"), 0);
	assert_int_equal(mgmt_store_write(dir, a), 0);
	assert_int_equal(mgmt_store_write(dir, b), 0);
	snprintf(path, sizeof(path), "%s/mtty/%s", dir, UUID_A);
	/* mdevctl's layout exactly, and no trailing newline. */
	assert_string_equal(slurp(path), "{\n"
					 "  \"mdev_type\": \"mtty-2\",\n"
					 "  \"start\": \"auto\",\n"
					 "  \"attrs\": [\n"
					 "    {\n"
					 "      \"port0\": \"tcp:1\"\n"
					 "    }\n"
					 "  ]\n"
					 "}");
	reports = 0;
	assert_int_equal(mgmt_store_load(dir, &list, report, NULL), 2);
	assert_int_equal(reports, 0);
	/* Sorted by parent, then UUID. */
	assert_string_equal(list->uuid, UUID_B);
	assert_string_equal(list->next->uuid, UUID_A);
	assert_true(list->next->autostart);
	assert_string_equal(list->next->attrs[0].value, "tcp:1");
	free_list(list);

	/* Rewrite: replaced whole, no temporary file left. */
	a->autostart = false;
	assert_int_equal(mgmt_store_write(dir, a), 0);
	assert_non_null(strstr(slurp(path), "\"manual\""));
	snprintf(path, sizeof(path), "%s/mtty/.%s.tmp", dir, UUID_A);
	assert_int_not_equal(access(path, F_OK), 0);

	assert_int_equal(mgmt_store_remove(dir, a), 0);
	assert_int_equal(mgmt_store_remove(dir, a), -ENOENT);
	assert_int_equal(mgmt_store_remove(dir, b), 0);
	mgmt_def_free(a);
	mgmt_def_free(b);
}

static void test_malformed_skipped_untouched(void **unused)
{
	static const char broken[] = "{\"mdev_type\": \"mtty-1\", \"start\": ";
	struct mgmt_def *good = mgmt_def_new(UUID_A, "mtty", "mtty-1");
	struct mgmt_def *list = NULL;
	char path[256], tmp[256];

	assert_int_equal(mgmt_store_write(dir, good), 0);
	snprintf(path, sizeof(path), "%s/mtty/%s", dir, UUID_B);
	spit(path, broken);
	/* Not definitions: ignored silently. */
	snprintf(tmp, sizeof(tmp), "%s/mtty/notes.txt", dir);
	spit(tmp, "hello");
	snprintf(tmp, sizeof(tmp), "%s/scripts.d", dir);
	mkdir(tmp, 0755);
	/* Our own interrupted write: cleaned. */
	snprintf(tmp, sizeof(tmp), "%s/mtty/.%s.tmp", dir, UUID_A);
	spit(tmp, "{\"mdev_");

	reports = 0;
	assert_int_equal(mgmt_store_load(dir, &list, report, NULL), 1);
	assert_int_equal(reports, 1);
	assert_non_null(strstr(reported, UUID_B));
	assert_non_null(strstr(reported, "not valid JSON"));
	assert_string_equal(list->uuid, UUID_A);
	assert_null(list->next);
	assert_string_equal(slurp(path), broken);
	assert_int_not_equal(access(tmp, F_OK), 0);
	free_list(list);
	mgmt_def_free(good);
}

static void test_missing_dir(void **unused)
{
	struct mgmt_def *list = NULL;
	char path[128];

	snprintf(path, sizeof(path), "%s/nope", dir);
	assert_int_equal(mgmt_store_load(path, &list, report, NULL), -ENOENT);
	assert_null(list);
}

static void test_resolve(void **unused)
{
	char buf[64];

	unsetenv("UMDEV_CONFIG_DIR");
	assert_int_equal(mgmt_store_resolve(NULL, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/etc/mdevctl.d");
	setenv("UMDEV_CONFIG_DIR", "/tmp/x", 1);
	assert_int_equal(mgmt_store_resolve(NULL, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/tmp/x");
	assert_int_equal(mgmt_store_resolve("/y", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/y");
	unsetenv("UMDEV_CONFIG_DIR");
	assert_int_equal(
		mgmt_store_resolve(
			"/a/very/long/directory/name/that/does/not/fit/in/this/buffer",
			buf, 16),
		-ENAMETOOLONG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_then_load),
		cmocka_unit_test(test_malformed_skipped_untouched),
		cmocka_unit_test(test_missing_dir),
		cmocka_unit_test(test_resolve),
	};

	return cmocka_run_group_tests_name("definition_store", tests, setup,
					   teardown);
}
