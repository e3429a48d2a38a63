// SPDX-License-Identifier: GPL-2.0-only
/*
 * End-to-end tests of umdevd's control socket: the real daemon, the real
 * socket, one JSON line per request.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
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

/* The member @key of the element of @arr whose "type"/"uuid" is @name. */
static json_object *find_in(json_object *arr, const char *field,
			    const char *name)
{
	size_t i;

	for (i = 0; arr && i < json_object_array_length(arr); i++) {
		json_object *e = json_object_array_get_idx(arr, i), *v;

		if (json_object_object_get_ex(e, field, &v) &&
		    !strcmp(json_object_get_string(v), name))
			return e;
	}
	return NULL;
}

static int member_int(json_object *o, const char *key)
{
	json_object *v;

	assert_true(json_object_object_get_ex(o, key, &v));
	return json_object_get_int(v);
}

static const char *member_str(json_object *o, const char *key)
{
	json_object *v;

	assert_true(json_object_object_get_ex(o, key, &v));
	return json_object_get_string(v);
}

static int available(const char *type)
{
	json_object *reply = e2e_control(&daemon_, "{\"op\":\"types\"}");
	json_object *types, *t;
	int n;

	assert_int_equal(e2e_reply_errno(reply), 0);
	assert_true(json_object_object_get_ex(reply, "types", &types));
	t = find_in(types, "type", type);
	assert_non_null(t);
	n = member_int(t, "available_instances");
	json_object_put(reply);
	return n;
}

static void test_types(void **state)
{
	json_object *reply = e2e_control(&daemon_, "{\"op\":\"types\"}");
	json_object *types, *t1, *t2;

	assert_int_equal(e2e_reply_errno(reply), 0);
	assert_true(json_object_object_get_ex(reply, "types", &types));
	assert_int_equal(json_object_array_length(types), 2);
	t1 = find_in(types, "type", "mtty-1");
	t2 = find_in(types, "type", "mtty-2");
	assert_non_null(t1);
	assert_non_null(t2);
	assert_string_equal(member_str(t1, "parent"), "mtty");
	assert_string_equal(member_str(t1, "name"), "Single port serial");
	assert_string_equal(member_str(t2, "name"), "Dual port serial");
	assert_string_equal(member_str(t2, "device_api"), "vfio-pci");
	assert_int_equal(member_int(t1, "available_instances"), 24);
	assert_int_equal(member_int(t2, "available_instances"), 12);
	json_object_put(reply);
}

static void test_start_list_stop(void **state)
{
	const char *path = e2e_device_socket(&daemon_, E2E_UUID_A);
	json_object *reply, *devices, *d;
	struct stat st;

	assert_int_equal(e2e_start(&daemon_, E2E_UUID_A, "mtty-2"), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(stat(daemon_.control_path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(stat(daemon_.runtime_dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(available("mtty-2"), 11);
	assert_int_equal(available("mtty-1"), 22);

	reply = e2e_control(&daemon_, "{\"op\":\"list\"}");
	assert_int_equal(e2e_reply_errno(reply), 0);
	assert_true(json_object_object_get_ex(reply, "devices", &devices));
	assert_int_equal(json_object_array_length(devices), 1);
	d = find_in(devices, "uuid", E2E_UUID_A);
	assert_non_null(d);
	assert_string_equal(member_str(d, "parent"), "mtty");
	assert_string_equal(member_str(d, "type"), "mtty-2");
	assert_string_equal(member_str(d, "socket"), path);
	json_object_put(reply);

	assert_int_equal(e2e_stop(&daemon_, E2E_UUID_A), 0);
	assert_int_not_equal(stat(path, &st), 0);
	assert_int_equal(available("mtty-2"), 12);
	assert_true(e2e_daemon_log_contains(&daemon_, E2E_UUID_A));
	assert_true(e2e_daemon_log_contains(&daemon_, "start"));
}

static void test_uppercase_uuid_is_normalised(void **state)
{
	char upper[64];
	size_t i;

	strcpy(upper, E2E_UUID_C);
	for (i = 0; upper[i]; i++)
		if (upper[i] >= 'a' && upper[i] <= 'f')
			upper[i] -= 'a' - 'A';
	assert_int_equal(e2e_start(&daemon_, upper, "mtty-1"), 0);
	assert_int_equal(access(e2e_device_socket(&daemon_, E2E_UUID_C), F_OK),
			 0);
	assert_int_equal(e2e_stop(&daemon_, E2E_UUID_C), 0);
}

/* Each bad request gets an error reply; the same connection goes on. */
static void test_errors_keep_connection(void **state)
{
	static const struct {
		const char *line;
		int err;
	} cases[] = {
		{ "this is not json", -EINVAL },
		{ "[1,2,3]", -EINVAL },
		{ "{\"uuid\":\"" E2E_UUID_A "\"}", -EINVAL },
		{ "{\"op\":42}", -EINVAL },
		{ "{\"op\":\"explode\"}", -EOPNOTSUPP },
		{ "{\"op\":\"start\",\"parent\":\"mtty\",\"type\":\"mtty-1\"}",
		  -EINVAL },
		{ "{\"op\":\"start\",\"uuid\":\"" E2E_UUID_A
		  "\",\"type\":\"mtty-1\"}",
		  -EINVAL },
		{ "{\"op\":\"start\",\"uuid\":\"" E2E_UUID_A
		  "\",\"parent\":\"mtty\"}",
		  -EINVAL },
		{ "{\"op\":\"start\",\"uuid\":\"../../../../etc/passwd\",\"parent\":\"mtty\",\"type\":\"mtty-1\"}",
		  -EINVAL },
		{ "{\"op\":\"start\",\"uuid\":\"8a4b1f3e/0c2d-4e5f-9a6b-7c8d9e0f1a2b\",\"parent\":\"mtty\",\"type\":\"mtty-1\"}",
		  -EINVAL },
		{ "{\"op\":\"start\",\"uuid\":\"8a4b1f3e-0c2d-4e5f-9a6b-7c8d9e0f1a2\",\"parent\":\"mtty\",\"type\":\"mtty-1\"}",
		  -EINVAL },
		{ "{\"op\":\"start\",\"uuid\":\"8a4b1f3e-0c2d-4e5f-9a6b-7c8d9e0f1a2bb\",\"parent\":\"mtty\",\"type\":\"mtty-1\"}",
		  -EINVAL },
		{ "{\"op\":\"start\",\"uuid\":7,\"parent\":\"mtty\",\"type\":\"mtty-1\"}",
		  -EINVAL },
		{ "{\"op\":\"start\",\"uuid\":\"" E2E_UUID_A
		  "\",\"parent\":\"nope\",\"type\":\"mtty-1\"}",
		  -ENODEV },
		{ "{\"op\":\"start\",\"uuid\":\"" E2E_UUID_A
		  "\",\"parent\":\"mtty\",\"type\":\"mtty-9\"}",
		  -ENOENT },
		{ "{\"op\":\"stop\",\"uuid\":\"" E2E_UUID_B "\"}", -ENODEV },
		{ "{\"op\":\"stop\",\"uuid\":\"..\"}", -EINVAL },
		{ "{\"op\":\"stop\"}", -EINVAL },
	};
	int fd = e2e_control_connect(&daemon_);
	json_object *reply;
	size_t i;

	assert_true(fd >= 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(e2e_control_send(fd, cases[i].line), 0);
		reply = e2e_control_recv(fd);
		assert_non_null(reply);
		if (e2e_reply_errno(reply) != cases[i].err)
			fail_msg("case %zu (%s): got %d, want %d", i,
				 cases[i].line, e2e_reply_errno(reply),
				 cases[i].err);
		assert_non_null(member_str(reply, "error"));
		json_object_put(reply);
	}
	/* Still serving on the same connection. */
	assert_int_equal(e2e_control_send(fd, "{\"op\":\"list\"}"), 0);
	reply = e2e_control_recv(fd);
	assert_int_equal(e2e_reply_errno(reply), 0);
	json_object_put(reply);
	close(fd);
	assert_int_equal(e2e_runtime_sockets(&daemon_), 1);
}

static void test_duplicate_and_capacity(void **state)
{
	char uuid[40];
	int i;

	for (i = 0; i < 12; i++) {
		snprintf(uuid, sizeof(uuid),
			 "00000000-0000-4000-8000-0000000000%02d", i);
		assert_int_equal(e2e_start(&daemon_, uuid, "mtty-2"), 0);
	}
	assert_int_equal(e2e_start(&daemon_, uuid, "mtty-2"), -EEXIST);
	assert_int_equal(e2e_start(&daemon_, E2E_UUID_A, "mtty-2"), -EUSERS);
	assert_int_equal(e2e_start(&daemon_, E2E_UUID_A, "mtty-1"), -EUSERS);
	assert_int_equal(available("mtty-1"), 0);
	for (i = 0; i < 12; i++) {
		snprintf(uuid, sizeof(uuid),
			 "00000000-0000-4000-8000-0000000000%02d", i);
		assert_int_equal(e2e_stop(&daemon_, uuid), 0);
	}
	assert_int_equal(available("mtty-1"), 24);
	assert_int_equal(e2e_runtime_sockets(&daemon_), 1);
}

static void test_pipelined_requests(void **state)
{
	int fd = e2e_control_connect(&daemon_);
	const char *burst = "{\"op\":\"start\",\"uuid\":\"" E2E_UUID_B
			    "\",\"parent\":\"mtty\",\"type\":\"mtty-1\"}\n"
			    "{\"op\":\"list\"}\n"
			    "{\"op\":\"stop\",\"uuid\":\"" E2E_UUID_B "\"}\n";
	json_object *r1, *r2, *r3, *devices;

	assert_true(fd >= 0);
	assert_int_equal(e2e_raw_send_bytes(fd, burst, strlen(burst)), 0);
	r1 = e2e_control_recv(fd);
	r2 = e2e_control_recv(fd);
	r3 = e2e_control_recv(fd);
	assert_int_equal(e2e_reply_errno(r1), 0);
	assert_int_equal(e2e_reply_errno(r2), 0);
	assert_true(json_object_object_get_ex(r2, "devices", &devices));
	assert_non_null(find_in(devices, "uuid", E2E_UUID_B));
	assert_int_equal(e2e_reply_errno(r3), 0);
	json_object_put(r1);
	json_object_put(r2);
	json_object_put(r3);
	close(fd);
}

static void test_overlong_line_closes(void **state)
{
	int fd = e2e_control_connect(&daemon_);
	size_t len = 70000;
	char *junk = malloc(len);
	json_object *reply;

	assert_non_null(junk);
	memset(junk, 'x', len);
	assert_true(fd >= 0);
	/* The daemon may close before taking it all: ignore EPIPE. */
	e2e_raw_send_bytes(fd, junk, len);
	free(junk);
	reply = e2e_control_recv(fd);
	assert_int_equal(e2e_reply_errno(reply), -EMSGSIZE);
	json_object_put(reply);
	assert_true(e2e_wait_closed(fd));
	close(fd);
	reply = e2e_control(&daemon_, "{\"op\":\"list\"}");
	assert_int_equal(e2e_reply_errno(reply), 0);
	json_object_put(reply);
}

/* SO_PEERCRED: another, unprivileged uid is turned away. */
static void test_other_uid_refused(void **state)
{
	pid_t pid;
	int status;

	if (geteuid() != 0)
		skip();
	/* The child must be able to reach the socket through the 0700 dir
	 * for the credential check to be what refuses it. */
	chmod(daemon_.tmp_dir, 0755);
	chmod(daemon_.runtime_dir, 0755);
	chmod(daemon_.control_path, 0666);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fd;

		if (setgid(65534) || setuid(65534))
			_exit(10);
		fd = e2e_control_connect(&daemon_);
		if (fd < 0)
			_exit(11);
		e2e_control_send(fd, "{\"op\":\"list\"}");
		/* Refused: closed without a reply. */
		_exit(e2e_control_recv(fd) == NULL ? 0 : 12);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	chmod(daemon_.runtime_dir, 0700);
	chmod(daemon_.control_path, 0600);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_true(e2e_daemon_log_contains(&daemon_, "refused connection"));
}

static void test_second_daemon_refused(void **state)
{
	char *argv[] = { (char *)e2e_build_path("src/daemon/umdevd"),
			 "--runtime-dir", daemon_.runtime_dir, NULL };
	char *out = NULL, *err = NULL;

	assert_int_equal(e2e_run(argv, NULL, &out, &err), 1);
	assert_non_null(strstr(err, "another umdevd"));
	free(out);
	free(err);
	/* And the first one is unharmed. */
	assert_int_equal(access(daemon_.control_path, F_OK), 0);
	assert_int_equal(available("mtty-1"), 24);
}

/* SIGTERM: every socket removed, exit status 0, even with a client on. */
static void test_sigterm_cleans_up(void **state)
{
	struct e2e_daemon d;
	int fd;

	assert_int_equal(e2e_daemon_start(&d, NULL), 0);
	assert_int_equal(e2e_start(&d, E2E_UUID_A, "mtty-2"), 0);
	assert_int_equal(e2e_start(&d, E2E_UUID_B, "mtty-1"), 0);
	fd = e2e_raw_connect(e2e_device_socket(&d, E2E_UUID_A));
	assert_true(fd >= 0);
	assert_int_equal(e2e_raw_negotiate(fd), 0);
	assert_int_equal(e2e_runtime_sockets(&d), 3);
	kill(d.pid, SIGTERM);
	assert_true(e2e_wait_closed(fd));
	close(fd);
	/* Look before e2e_daemon_stop() deletes the directory. */
	assert_int_equal(waitpid(d.pid, &(int){ 0 }, 0), d.pid);
	assert_int_equal(e2e_runtime_sockets(&d), 0);
	assert_true(e2e_daemon_log_contains(&d, "shutting down"));
	d.pid = 0; /* already reaped: only the directory is left */
	e2e_daemon_stop(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_start_list_stop),
		cmocka_unit_test(test_uppercase_uuid_is_normalised),
		cmocka_unit_test(test_errors_keep_connection),
		cmocka_unit_test(test_duplicate_and_capacity),
		cmocka_unit_test(test_pipelined_requests),
		cmocka_unit_test(test_overlong_line_closes),
		cmocka_unit_test(test_other_uid_refused),
		cmocka_unit_test(test_second_daemon_refused),
		cmocka_unit_test(test_sigterm_cleans_up),
	};

	return cmocka_run_group_tests_name("e2e_control", tests, setup,
					   teardown);
}
