// SPDX-License-Identifier: GPL-2.0-only
/*
 * End-to-end tests of umdevctl: the real binary against the real daemon;
 * output, mdevctl's JSON shapes and exit statuses (0 ok, 1 refused,
 * 2 usage, 3 daemon not reachable).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <umdev/client.h>
#include <umdev/mdev_host.h>
#include "e2e_harness.h"

static struct e2e_daemon daemon_;
static char *out, *err;

static int setup(void **state)
{
	return e2e_daemon_start(&daemon_, NULL) ? -1 : 0;
}

static int teardown(void **state)
{
	return e2e_daemon_stop(&daemon_) == 0 ? 0 : -1;
}

static int free_output(void **state)
{
	free(out);
	free(err);
	out = err = NULL;
	return 0;
}

/* Run umdevctl --runtime-dir <ours> @args...; output in out/err. */
static int ctl_input(const char *input, const char *first, ...)
{
	char *argv[16];
	const char *a;
	va_list ap;
	int argc = 0;

	free_output(NULL);
	argv[argc++] = (char *)e2e_build_path("src/cli/umdevctl");
	argv[argc++] = "--runtime-dir";
	argv[argc++] = daemon_.runtime_dir;
	va_start(ap, first);
	for (a = first; a && argc < 15; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;
	/* e2e_build_path's buffer is reused: copy the program path. */
	argv[0] = strdup(argv[0]);
	argc = e2e_run(argv, input, &out, &err);
	free(argv[0]);
	return argc;
}

#define ctl(...) ctl_input(NULL, __VA_ARGS__, NULL)

static void test_types_text(void **state)
{
	assert_int_equal(ctl("types"), 0);
	assert_non_null(strstr(out, "mtty\n"));
	assert_non_null(strstr(out, "  mtty-1\n"));
	assert_non_null(strstr(out, "Available instances: 12"));
	assert_non_null(strstr(out, "Name: Dual port serial"));
	assert_non_null(strstr(out, "Device API: vfio-pci"));
}

/* [ { "mtty": [ { "mtty-1": {...} }, { "mtty-2": {...} } ] } ] */
static void test_types_dumpjson(void **state)
{
	json_object *top, *parents, *types, *entry, *attrs, *v;
	size_t i;
	int found = 0;

	assert_int_equal(ctl("types", "--dumpjson"), 0);
	top = json_tokener_parse(out);
	assert_non_null(top);
	assert_true(json_object_is_type(top, json_type_array));
	assert_int_equal(json_object_array_length(top), 1);
	parents = json_object_array_get_idx(top, 0);
	assert_true(json_object_object_get_ex(parents, "mtty", &types));
	assert_int_equal(json_object_array_length(types), 2);
	for (i = 0; i < 2; i++) {
		entry = json_object_array_get_idx(types, i);
		if (!json_object_object_get_ex(entry, "mtty-2", &attrs))
			continue;
		found++;
		assert_true(json_object_object_get_ex(
			attrs, "available_instances", &v));
		assert_int_equal(json_object_get_int(v), 12);
		assert_true(json_object_object_get_ex(attrs, "device_api", &v));
		assert_string_equal(json_object_get_string(v), "vfio-pci");
		assert_true(json_object_object_get_ex(attrs, "name", &v));
		assert_string_equal(json_object_get_string(v),
				    "Dual port serial");
	}
	assert_int_equal(found, 1);
	json_object_put(top);
}

static void test_start_list_stop(void **state)
{
	char uuid[64];
	json_object *top, *devs, *entry, *attrs, *v;

	/* No -u: a UUID is generated and printed. */
	assert_int_equal(ctl("start", "-p", "mtty", "-t", "mtty-2"), 0);
	assert_int_equal(sscanf(out, "%63s", uuid), 1);
	assert_true(mdev_uuid_valid(uuid));
	assert_int_equal(access(e2e_device_socket(&daemon_, uuid), F_OK), 0);

	assert_int_equal(ctl("list"), 0);
	assert_non_null(strstr(out, uuid));
	assert_non_null(strstr(out, "mtty mtty-2 manual"));

	/* [ { "mtty": [ { "<uuid>": { "mdev_type", "start", "attrs" } } ] } ] */
	assert_int_equal(ctl("list", "--dumpjson"), 0);
	top = json_tokener_parse(out);
	assert_non_null(top);
	assert_int_equal(json_object_array_length(top), 1);
	assert_true(json_object_object_get_ex(json_object_array_get_idx(top, 0),
					      "mtty", &devs));
	entry = json_object_array_get_idx(devs, 0);
	assert_true(json_object_object_get_ex(entry, uuid, &attrs));
	assert_true(json_object_object_get_ex(attrs, "mdev_type", &v));
	assert_string_equal(json_object_get_string(v), "mtty-2");
	assert_true(json_object_object_get_ex(attrs, "start", &v));
	assert_string_equal(json_object_get_string(v), "manual");
	assert_true(json_object_object_get_ex(attrs, "attrs", &v));
	assert_true(json_object_is_type(v, json_type_array));
	json_object_put(top);

	assert_int_equal(ctl("stop", "-u", uuid), 0);
	assert_int_not_equal(access(e2e_device_socket(&daemon_, uuid), F_OK),
			     0);
	assert_int_equal(ctl("list", "--dumpjson"), 0);
	top = json_tokener_parse(out);
	assert_non_null(top);
	assert_int_equal(json_object_array_length(top), 0);
	json_object_put(top);
}

static void test_start_with_uuid_prints_nothing(void **state)
{
	assert_int_equal(ctl("start", "-u", E2E_UUID_A, "-p", "mtty", "-t",
			     "mtty-1"),
			 0);
	assert_string_equal(out, "");
	assert_int_equal(ctl("stop", "--uuid", E2E_UUID_A), 0);
}

static void test_errors(void **state)
{
	/* Usage errors: 2, before talking to the daemon. */
	assert_int_equal(ctl("start", "-p", "mtty"), 2);
	assert_non_null(strstr(err, "-t TYPE"));
	assert_int_equal(
		ctl("start", "-u", "../x", "-p", "mtty", "-t", "mtty-1"), 2);
	assert_non_null(strstr(err, "not a UUID"));
	assert_int_equal(ctl("stop"), 2);
	assert_int_equal(ctl("frobnicate"), 2);
	assert_non_null(strstr(err, "unknown command"));
	assert_int_equal(ctl("list", "--bogus"), 2);
	assert_int_equal(ctl("console", "-u", E2E_UUID_A, "--port", "7"), 2);

	/* Refusals: 1, with the daemon's reason. */
	assert_int_equal(ctl("stop", "-u", E2E_UUID_B), 1);
	assert_non_null(strstr(err, "no such device"));
	assert_int_equal(ctl("start", "-u", E2E_UUID_A, "-p", "mtty", "-t",
			     "mtty-7"),
			 1);
	assert_non_null(strstr(err, "no such type"));
	assert_int_equal(ctl("start", "-u", E2E_UUID_A, "-p", "nope", "-t",
			     "mtty-1"),
			 1);
	assert_non_null(strstr(err, "no such parent"));
	assert_int_equal(ctl("start", "-u", E2E_UUID_A, "-p", "mtty", "-t",
			     "mtty-1"),
			 0);
	assert_int_equal(ctl("start", "-u", E2E_UUID_A, "-p", "mtty", "-t",
			     "mtty-1"),
			 1);
	assert_non_null(strstr(err, "exists"));
	assert_int_equal(ctl("info", "-u", E2E_UUID_B), 1);
	assert_int_equal(ctl("stop", "-u", E2E_UUID_A), 0);
}

static void test_no_capacity(void **state)
{
	char uuid[40];
	int i;

	for (i = 0; i < 12; i++) {
		snprintf(uuid, sizeof(uuid),
			 "00000000-0000-4000-8000-0000000001%02d", i);
		assert_int_equal(ctl("start", "-u", uuid, "-p", "mtty", "-t",
				     "mtty-2"),
				 0);
	}
	assert_int_equal(ctl("start", "-p", "mtty", "-t", "mtty-1"), 1);
	assert_non_null(strstr(err, "available"));
	for (i = 0; i < 12; i++) {
		snprintf(uuid, sizeof(uuid),
			 "00000000-0000-4000-8000-0000000001%02d", i);
		assert_int_equal(ctl("stop", "-u", uuid), 0);
	}
}

static void test_no_daemon(void **state)
{
	char *argv[] = { strdup(e2e_build_path("src/cli/umdevctl")),
			 "--runtime-dir", "/tmp/umdev-e2e-nonexistent-dir",
			 "list", NULL };

	free_output(NULL);
	assert_int_equal(e2e_run(argv, NULL, &out, &err), 3);
	assert_non_null(strstr(err, "umdevd"));
	free(argv[0]);
}

static void test_runtime_dir_after_verb_and_env(void **state)
{
	char *argv[] = { strdup(e2e_build_path("src/cli/umdevctl")), "types",
			 "--runtime-dir", daemon_.runtime_dir, NULL };

	free_output(NULL);
	assert_int_equal(e2e_run(argv, NULL, &out, &err), 0);
	assert_non_null(strstr(out, "mtty-2"));
	free(argv[0]);

	/* $UMDEV_RUNTIME_DIR, as umdevd resolves it. */
	argv[0] = strdup(e2e_build_path("src/cli/umdevctl"));
	argv[2] = NULL;
	setenv("UMDEV_RUNTIME_DIR", daemon_.runtime_dir, 1);
	free_output(NULL);
	assert_int_equal(e2e_run(argv, NULL, &out, &err), 0);
	unsetenv("UMDEV_RUNTIME_DIR");
	assert_non_null(strstr(out, "mtty-2"));
	free(argv[0]);
}

static void test_info(void **state)
{
	assert_int_equal(ctl("start", "-u", E2E_UUID_C, "-p", "mtty", "-t",
			     "mtty-2"),
			 0);
	assert_int_equal(ctl("info", "-u", E2E_UUID_C), 0);
	assert_non_null(strstr(out, "9 regions, 5 IRQ indices"));
	assert_non_null(strstr(out, "BAR0   size    0x8"));
	assert_non_null(strstr(out, "config size  0x100"));
	assert_non_null(
		strstr(out, "INTx   count 1  eventfd maskable automasked"));
	assert_non_null(strstr(out, "vendor 4348 device 3253"));
	assert_non_null(strstr(out, "PCI Serial/UART"));
	assert_int_equal(ctl("stop", "-u", E2E_UUID_C), 0);
}

/*
 * umdevd answers info itself: it works while a client (a VM) holds the
 * device's one slot, and an unknown UUID is "no such device".
 */
static void test_info_while_held(void **state)
{
	struct umdev_client *c;
	uint32_t word;
	int cerr = 0, ret;

	assert_int_equal(ctl("start", "-u", E2E_UUID_C, "-p", "mtty", "-t",
			     "mtty-2"),
			 0);
	c = umdev_client_connect(e2e_device_socket(&daemon_, E2E_UUID_C),
				 &cerr);
	assert_non_null(c);
	assert_int_equal(ctl("info", "-u", E2E_UUID_C), 0);
	assert_non_null(strstr(out, "(a client is attached)"));
	assert_non_null(strstr(out, "9 regions, 5 IRQ indices"));
	assert_non_null(strstr(out, "vendor 4348 device 3253"));
	/* The client was not disturbed. */
	assert_int_equal(umdev_client_read(c, VFIO_PCI_CONFIG_REGION_INDEX, 0,
					   &word, 4),
			 4);
	assert_int_equal(word & 0xffff, 0x4348);
	/* A second client is told who holds the device. */
	assert_int_equal(ctl_input("", "console", "-u", E2E_UUID_C, NULL), 1);
	assert_non_null(strstr(err, "in use by another client (pid "));
	/*
	 * A stop waits for the client (this daemon forces it off after 2 s);
	 * past --timeout umdevctl says why, and --force ends it now.
	 */
	assert_int_equal(ctl("--timeout", "1", "stop", "-u", E2E_UUID_C), 1);
	assert_non_null(strstr(err, "has not let go yet"));
	ret = ctl("stop", "-u", E2E_UUID_C, "--force");
	/* 0, unless a descheduled umdevctl let the daemon's 2 s pass first. */
	assert_true(ret == 0 || (ret == 1 && strstr(err, "no such device")));
	assert_int_not_equal(
		access(e2e_device_socket(&daemon_, E2E_UUID_C), F_OK), 0);
	umdev_client_close(c);
	assert_int_equal(ctl_input("", "console", "-u", E2E_UUID_B, NULL), 1);
	assert_non_null(strstr(err, "no such device"));
	assert_int_equal(ctl("info", "-u", E2E_UUID_B), 1);
	assert_non_null(strstr(err, "no such device"));
}

/* Non-interactive console: stdin to THR, RBR (by interrupt) to stdout. */
static void test_console(void **state)
{
	const char *text = "the quick brown fox jumps over the lazy dog, "
			   "more than sixteen bytes at a time\n";

	assert_int_equal(ctl("start", "-u", E2E_UUID_C, "-p", "mtty", "-t",
			     "mtty-2"),
			 0);
	assert_int_equal(ctl_input(text, "console", "-u", E2E_UUID_C, NULL), 0);
	assert_string_equal(out, text);
	assert_int_equal(ctl_input("port one\n", "console", "-u", E2E_UUID_C,
				   "--port", "1", NULL),
			 0);
	assert_string_equal(out, "port one\n");
	/* Ctrl-] ends it; what came before is echoed. */
	assert_int_equal(ctl_input("ab\x1d"
				   "cd",
				   "console", "-u", E2E_UUID_C, NULL),
			 0);
	assert_string_equal(out, "ab");
	assert_int_equal(ctl("stop", "-u", E2E_UUID_C), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_types_text, free_output),
		cmocka_unit_test_teardown(test_types_dumpjson, free_output),
		cmocka_unit_test_teardown(test_start_list_stop, free_output),
		cmocka_unit_test_teardown(test_start_with_uuid_prints_nothing,
					  free_output),
		cmocka_unit_test_teardown(test_errors, free_output),
		cmocka_unit_test_teardown(test_no_capacity, free_output),
		cmocka_unit_test_teardown(test_no_daemon, free_output),
		cmocka_unit_test_teardown(test_runtime_dir_after_verb_and_env,
					  free_output),
		cmocka_unit_test_teardown(test_info, free_output),
		cmocka_unit_test_teardown(test_info_while_held, free_output),
		cmocka_unit_test_teardown(test_console, free_output),
	};

	return cmocka_run_group_tests_name("e2e_cli", tests, setup, teardown);
}
