// SPDX-License-Identifier: GPL-2.0-only
/*
 * End-to-end tests of the management layer over the control socket:
 * definitions (define, undefine, modify, defined), starting a definition,
 * autostart at daemon start, and bad requests refused with nothing changed
 * on disk or in the daemon.
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

#include "e2e_harness.h"

static struct e2e_daemon daemon_;

static int setup(void **state)
{
	return e2e_daemon_start(&daemon_, NULL) ? -1 : 0;
}

static int teardown(void **state)
{
	return e2e_daemon_stop(&daemon_) == 0 ? 0 : -1;
}

static int req(const char *line)
{
	json_object *reply = e2e_control(&daemon_, line);
	int ret;

	assert_non_null(reply);
	ret = e2e_reply_errno(reply);
	json_object_put(reply);
	return ret;
}

/* The definition file of @uuid on mtty, or NULL. */
static char *def_file(const char *uuid)
{
	static char buf[4096];
	char path[512];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/mtty/%s", daemon_.config_dir, uuid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return NULL;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n < 0 ? 0 : n] = '\0';
	return buf;
}

/* Every entry under the config dir, recursively, as one string. */
static void config_listing(char *out, size_t len)
{
	char cmd[512];
	FILE *p;
	size_t n;

	snprintf(
		cmd, sizeof(cmd),
		"cd '%s' 2>/dev/null && find . -print | sort; cat ./*/* 2>/dev/null",
		daemon_.config_dir);
	p = popen(cmd, "r");
	assert_non_null(p);
	n = fread(out, 1, len - 1, p);
	out[n] = '\0';
	pclose(p);
}

static void test_define_modify_undefine(void **state)
{
	assert_int_equal(
		req("{\"op\":\"define\",\"uuid\":\"" E2E_UUID_A
		    "\",\"parent\":\"mtty\",\"type\":\"mtty-2\",\"auto\":true}"),
		0);
	assert_string_equal(def_file(E2E_UUID_A),
			    "{\n"
			    "  \"mdev_type\": \"mtty-2\",\n"
			    "  \"start\": \"auto\",\n"
			    "  \"attrs\": []\n"
			    "}");
	assert_int_equal(req("{\"op\":\"modify\",\"uuid\":\"" E2E_UUID_A
			     "\",\"addattr\":\"b\",\"value\":\"2\"}"),
			 0);
	assert_int_equal(
		req("{\"op\":\"modify\",\"uuid\":\"" E2E_UUID_A
		    "\",\"addattr\":\"a\",\"value\":\"1\",\"index\":0,\"auto\":false,\"type\":\"mtty-1\"}"),
		0);
	assert_string_equal(def_file(E2E_UUID_A),
			    "{\n"
			    "  \"mdev_type\": \"mtty-1\",\n"
			    "  \"start\": \"manual\",\n"
			    "  \"attrs\": [\n"
			    "    {\n"
			    "      \"a\": \"1\"\n"
			    "    },\n"
			    "    {\n"
			    "      \"b\": \"2\"\n"
			    "    }\n"
			    "  ]\n"
			    "}");
	assert_int_equal(req("{\"op\":\"modify\",\"uuid\":\"" E2E_UUID_A
			     "\",\"delattr\":true,\"index\":0}"),
			 0);
	assert_int_equal(req("{\"op\":\"modify\",\"uuid\":\"" E2E_UUID_A
			     "\",\"delattr\":true}"),
			 0);
	assert_non_null(strstr(def_file(E2E_UUID_A), "\"attrs\": []"));
	assert_int_equal(
		req("{\"op\":\"undefine\",\"uuid\":\"" E2E_UUID_A "\"}"), 0);
	assert_null(def_file(E2E_UUID_A));
}

/* Each refusal leaves the config dir byte for byte as it was. */
static void test_refusals_change_nothing(void **state)
{
	static const struct {
		const char *line;
		int err;
	} cases[] = {
		{ "{\"op\":\"define\",\"uuid\":\"" E2E_UUID_B
		  "\",\"parent\":\"mtty\",\"type\":\"mtty-1\"}",
		  -EEXIST },
		{ "{\"op\":\"define\",\"uuid\":\"" E2E_UUID_C
		  "\",\"parent\":\"../../etc\",\"type\":\"mtty-1\"}",
		  -EINVAL },
		{ "{\"op\":\"define\",\"uuid\":\"" E2E_UUID_C
		  "\",\"parent\":\"mtty\",\"type\":\"a/b\"}",
		  -EINVAL },
		{ "{\"op\":\"define\",\"uuid\":\"" E2E_UUID_C "\"}", -ENODEV },
		{ "{\"op\":\"define\",\"uuid\":\"" E2E_UUID_C
		  "\",\"parent\":\"mtty\",\"config\":{\"start\":\"auto\"}}",
		  -EINVAL },
		{ "{\"op\":\"define\",\"uuid\":\"" E2E_UUID_C
		  "\",\"parent\":\"mtty\",\"config\":{\"mdev_type\":\"mtty-1\",\"attrs\":[{\"a\":1}]}}",
		  -EINVAL },
		{ "{\"op\":\"define\",\"uuid\":\"" E2E_UUID_C
		  "\",\"parent\":\"mtty\",\"type\":\"mtty-1\",\"auto\":\"yes\"}",
		  -EINVAL },
		{ "{\"op\":\"undefine\",\"uuid\":\"" E2E_UUID_C "\"}",
		  -ENOENT },
		{ "{\"op\":\"undefine\",\"uuid\":\"" E2E_UUID_B
		  "\",\"parent\":\"other\"}",
		  -ENOENT },
		{ "{\"op\":\"modify\",\"uuid\":\"" E2E_UUID_B "\"}", -EINVAL },
		{ "{\"op\":\"modify\",\"uuid\":\"" E2E_UUID_C
		  "\",\"auto\":true}",
		  -ENOENT },
		{ "{\"op\":\"modify\",\"uuid\":\"" E2E_UUID_B
		  "\",\"delattr\":true}",
		  -ENOENT },
		{ "{\"op\":\"modify\",\"uuid\":\"" E2E_UUID_B
		  "\",\"addattr\":\"x\"}",
		  -EINVAL },
		{ "{\"op\":\"modify\",\"uuid\":\"" E2E_UUID_B
		  "\",\"addattr\":\"x/y\",\"value\":\"1\"}",
		  -EINVAL },
		{ "{\"op\":\"modify\",\"uuid\":\"" E2E_UUID_B
		  "\",\"index\":-1,\"delattr\":true}",
		  -EINVAL },
		{ "{\"op\":\"start\",\"uuid\":\"" E2E_UUID_C "\"}", -EINVAL },
		{ "{\"op\":\"start-parent\",\"parent\":\"nope\"}", -ENODEV },
		{ "{\"op\":\"start-parent\"}", -EINVAL },
	};
	char before[8192], after[8192];
	size_t i;

	assert_int_equal(req("{\"op\":\"define\",\"uuid\":\"" E2E_UUID_B
			     "\",\"parent\":\"mtty\",\"type\":\"mtty-1\"}"),
			 0);
	config_listing(before, sizeof(before));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int err = req(cases[i].line);

		if (err != cases[i].err)
			fail_msg("%s: got %d, want %d", cases[i].line, err,
				 cases[i].err);
		config_listing(after, sizeof(after));
		assert_string_equal(before, after);
	}
	/* "../../etc" from <tmp>/config: nothing was written there either. */
	assert_int_not_equal(access("/tmp/etc/" E2E_UUID_C, F_OK), 0);
	assert_int_equal(req("{\"op\":\"list\"}"), 0);
	assert_int_equal(
		req("{\"op\":\"undefine\",\"uuid\":\"" E2E_UUID_B "\"}"), 0);
}

static void test_start_definition(void **state)
{
	json_object *reply, *v;

	assert_int_equal(req("{\"op\":\"define\",\"uuid\":\"" E2E_UUID_C
			     "\",\"parent\":\"mtty\",\"type\":\"mtty-2\"}"),
			 0);
	/* No type: the UUID names its definition, which gives parent and type. */
	assert_int_equal(req("{\"op\":\"start\",\"uuid\":\"" E2E_UUID_C "\"}"),
			 0);
	assert_int_equal(access(e2e_device_socket(&daemon_, E2E_UUID_C), F_OK),
			 0);
	reply = e2e_control(&daemon_, "{\"op\":\"list\"}");
	assert_true(json_object_object_get_ex(reply, "devices", &v));
	assert_int_equal(json_object_array_length(v), 1);
	assert_true(json_object_object_get_ex(json_object_array_get_idx(v, 0),
					      "type", &v));
	assert_string_equal(json_object_get_string(v), "mtty-2");
	json_object_put(reply);
	assert_int_equal(req("{\"op\":\"start\",\"uuid\":\"" E2E_UUID_C "\"}"),
			 -EEXIST);
	assert_int_equal(e2e_stop(&daemon_, E2E_UUID_C), 0);
	/* An attribute mtty does not have: refused by name, nothing started. */
	assert_int_equal(req("{\"op\":\"modify\",\"uuid\":\"" E2E_UUID_C
			     "\",\"addattr\":\"frobnicate\",\"value\":\"1\"}"),
			 0);
	reply = e2e_control(&daemon_,
			    "{\"op\":\"start\",\"uuid\":\"" E2E_UUID_C "\"}");
	assert_int_equal(e2e_reply_errno(reply), -EINVAL);
	assert_true(json_object_object_get_ex(reply, "error", &v));
	assert_non_null(strstr(json_object_get_string(v), "frobnicate"));
	json_object_put(reply);
	assert_int_not_equal(
		access(e2e_device_socket(&daemon_, E2E_UUID_C), F_OK), 0);
	assert_int_equal(
		req("{\"op\":\"undefine\",\"uuid\":\"" E2E_UUID_C "\"}"), 0);
}

/* Auto definitions start with the daemon; a failing one is kept. */
static void test_autostart_at_start(void **state)
{
	const char *args[] = { "--config-dir", daemon_.config_dir, NULL };
	struct e2e_daemon second;
	json_object *reply, *devs;
	char path[512];

	assert_int_equal(
		req("{\"op\":\"define\",\"uuid\":\"" E2E_UUID_A
		    "\",\"parent\":\"mtty\",\"type\":\"mtty-2\",\"auto\":true}"),
		0);
	assert_int_equal(req("{\"op\":\"define\",\"uuid\":\"" E2E_UUID_B
			     "\",\"parent\":\"mtty\",\"type\":\"mtty-1\"}"),
			 0);
	/* Auto, but with an attribute mtty refuses: reported, kept. */
	assert_int_equal(
		req("{\"op\":\"define\",\"uuid\":\"" E2E_UUID_C
		    "\",\"parent\":\"mtty\",\"config\":{\"mdev_type\":\"mtty-1\",\"start\":\"auto\",\"attrs\":[{\"x\":\"1\"}]}}"),
		0);
	/* A second daemon (own runtime dir) on the same definitions. */
	assert_int_equal(e2e_daemon_start(&second, args), 0);
	reply = e2e_control(&second, "{\"op\":\"list\"}");
	assert_true(json_object_object_get_ex(reply, "devices", &devs));
	assert_int_equal(json_object_array_length(devs), 1);
	assert_non_null(strstr(json_object_to_json_string(devs), E2E_UUID_A));
	json_object_put(reply);
	assert_true(e2e_daemon_log_contains(&second, "autostart"));
	assert_true(e2e_daemon_log_contains(&second, "not started"));
	snprintf(path, sizeof(path), "%s/mtty/%s", daemon_.config_dir,
		 E2E_UUID_C);
	assert_int_equal(access(path, F_OK), 0);
	assert_int_equal(e2e_daemon_stop(&second), 0);
	assert_int_equal(
		req("{\"op\":\"undefine\",\"uuid\":\"" E2E_UUID_A "\"}"), 0);
	assert_int_equal(
		req("{\"op\":\"undefine\",\"uuid\":\"" E2E_UUID_B "\"}"), 0);
	assert_int_equal(
		req("{\"op\":\"undefine\",\"uuid\":\"" E2E_UUID_C "\"}"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_define_modify_undefine),
		cmocka_unit_test(test_refusals_change_nothing),
		cmocka_unit_test(test_start_definition),
		cmocka_unit_test(test_autostart_at_start),
	};

	return cmocka_run_group_tests_name("e2e_definitions", tests, setup,
					   teardown);
}
