// SPDX-License-Identifier: GPL-2.0-only
/*
 * Access control of the real umdevd:
 * - the runtime directory is 0700, every socket in it 0600;
 * - a process of another uid (nobody, 65534) cannot use the control socket
 *   or a device socket: the file modes stop it, and when it gets past them
 *   (CAP_DAC_OVERRIDE kept across setuid) the daemon's SO_PEERCRED check
 *   closes the connection without an answer;
 * - UUIDs with path characters or of the wrong length are refused by every
 *   entry point that takes one: the control socket (start, stop) and
 *   umdevctl (start, stop, info, console), and nothing is created or
 *   connected to outside the runtime directory.  (The FUSE sysfs tree's
 *   "create" does not exist yet: add it here when it does.)
 * The uid tests need root; they are skipped otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "e2e_harness.h"

#define NOBODY 65534

static struct e2e_daemon daemon_;

/* Names that must never be taken for a UUID. */
static const char *const bad_uuids[] = {
	"",
	"..",
	"../../../tmp/evil",
	"../evil",
	"8a4b1f3e-0c2d-4e5f-9a6b-7c8d9e0f1a2", /* 35 characters */
	"8a4b1f3e-0c2d-4e5f-9a6b-7c8d9e0f1a2bc", /* 37 */
	"8a4b1f3e-0c2d-4e5f-9a6b-7c8d9e0f1a2b/..",
	"8a4b1f3e/0c2d-4e5f-9a6b-7c8d9e0f1a2b",
	"8a4b1f3e-0c2d-4e5f-9a6b-7c8d9e0f1a/b",
	"8a4b1f3e-0c2d-4e5f-9a6b-7c8d9e0f.a2b",
	"{8a4b1f3e-0c2d-4e5f-9a6b-7c8d9e0f1a2b}",
	"8a4b1f3e-0c2d-4e5f-9a6b-7c8d9e0f1a2b\n",
	"8a4b1f3e0c2d4e5f9a6b7c8d9e0f1a2b", /* no dashes */
	"8a4b1f3e-0c2d-4e5f-9a6b-7c8d9e0f1a2b.sock",
};

static int setup(void **state)
{
	if (e2e_daemon_start(&daemon_, NULL))
		return -1;
	/*
	 * The test's temporary directory (mkdtemp: 0700) opened to all, so
	 * that what stops another uid is the runtime directory's own mode.
	 */
	return chmod(daemon_.tmp_dir, 0755) ? -1 : 0;
}

static int teardown(void **state)
{
	return e2e_daemon_stop(&daemon_) == 0 ? 0 : -1;
}

/* ---- modes ---- */

static void assert_mode(const char *path, mode_t type, mode_t mode)
{
	struct stat st;

	assert_int_equal(lstat(path, &st), 0);
	assert_int_equal(st.st_mode & S_IFMT, type);
	assert_int_equal(st.st_mode & 07777, mode);
	assert_int_equal(st.st_uid, geteuid());
}

static void test_modes(void **state)
{
	assert_int_equal(e2e_start(&daemon_, E2E_UUID_A, "mtty-1"), 0);
	assert_int_equal(e2e_start(&daemon_, E2E_UUID_B, "mtty-2"), 0);
	assert_mode(daemon_.runtime_dir, S_IFDIR, 0700);
	assert_mode(daemon_.control_path, S_IFSOCK, 0600);
	assert_mode(e2e_device_socket(&daemon_, E2E_UUID_A), S_IFSOCK, 0600);
	assert_mode(e2e_device_socket(&daemon_, E2E_UUID_B), S_IFSOCK, 0600);
	assert_int_equal(e2e_stop(&daemon_, E2E_UUID_B), 0);
	assert_int_equal(e2e_stop(&daemon_, E2E_UUID_A), 0);
}

/* ---- another uid ---- */

/* Become nobody; with @keep_dac, keep CAP_DAC_OVERRIDE (only). */
static int become_nobody(bool keep_dac)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2] = { { 0 } };

	if (keep_dac && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return -errno;
	if (setgroups(0, NULL) < 0 || setgid(NOBODY) < 0 || setuid(NOBODY) < 0)
		return -errno;
	if (getuid() != NOBODY || geteuid() != NOBODY)
		return -EPERM;
	if (!keep_dac)
		return 0;
	data[0].effective = 1u << CAP_DAC_OVERRIDE;
	data[0].permitted = 1u << CAP_DAC_OVERRIDE;
	if (syscall(SYS_capset, &hdr, data) < 0)
		return -errno;
	return 0;
}

static int unix_connect(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		close(fd);
		return -ENAMETOOLONG;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

/* Child exit codes: what the other uid saw. */
enum {
	SAW_REFUSED_OPEN = 10, /* connect() failed with EACCES */
	SAW_CLOSED = 11, /* connected, then closed with no answer */
	SAW_ANSWER = 12, /* the daemon served it: a failure */
	SAW_OTHER = 13,
};

/* In the child: try the control socket or a device socket. */
static int other_uid_try(const char *path, bool control, bool keep_dac)
{
	int fd;

	if (become_nobody(keep_dac) < 0)
		return SAW_OTHER;
	fd = unix_connect(path);
	if (fd == -EACCES)
		return SAW_REFUSED_OPEN;
	if (fd < 0)
		return SAW_OTHER;
	if (control) {
		json_object *reply;

		if (e2e_control_send(fd, "{\"op\":\"list\"}") < 0)
			return SAW_CLOSED; /* already closed: EPIPE */
		reply = e2e_control_recv(fd);
		if (reply) {
			json_object_put(reply);
			return SAW_ANSWER;
		}
		return SAW_CLOSED;
	}
	/* A refused vfio-user peer gets end-of-file, never a reply. */
	if (e2e_raw_negotiate(fd) == 0)
		return SAW_ANSWER;
	return e2e_wait_closed(fd) ? SAW_CLOSED : SAW_OTHER;
}

static int run_as_other_uid(const char *path, bool control, bool keep_dac)
{
	int status = 0;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0)
		_exit(other_uid_try(path, control, keep_dac));
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void skip_unless_root(void)
{
	if (geteuid() != 0) {
		fprintf(stderr, "# needs root (setuid to nobody): skipped\n");
		skip();
	}
}

static void test_other_uid_blocked_by_modes(void **state)
{
	skip_unless_root();
	assert_int_equal(e2e_start(&daemon_, E2E_UUID_A, "mtty-1"), 0);
	assert_int_equal(run_as_other_uid(daemon_.control_path, true, false),
			 SAW_REFUSED_OPEN);
	assert_int_equal(
		run_as_other_uid(e2e_device_socket(&daemon_, E2E_UUID_A), false,
				 false),
		SAW_REFUSED_OPEN);
	assert_int_equal(e2e_stop(&daemon_, E2E_UUID_A), 0);
}

static void test_other_uid_refused_by_peercred(void **state)
{
	const char *dev;
	int fd;

	skip_unless_root();
	assert_int_equal(e2e_start(&daemon_, E2E_UUID_A, "mtty-1"), 0);
	dev = e2e_device_socket(&daemon_, E2E_UUID_A);

	assert_int_equal(run_as_other_uid(daemon_.control_path, true, true),
			 SAW_CLOSED);
	assert_true(e2e_daemon_log_contains(
		&daemon_, "refused connection from uid 65534"));
	assert_int_equal(run_as_other_uid(dev, false, true), SAW_CLOSED);
	assert_true(e2e_daemon_log_contains(&daemon_, "uid 65534) refused"));

	/* The refused peer took nothing: the owner is served as before. */
	fd = e2e_raw_connect(dev);
	assert_true(fd >= 0);
	assert_int_equal(e2e_raw_negotiate(fd), 0);
	close(fd);
	assert_int_equal(e2e_stop(&daemon_, E2E_UUID_A), 0);
}

/* ---- malformed UUIDs ---- */

/* Entries in @dir (not "." / ".."). */
static int count_entries(const char *dir)
{
	char cmd[300];
	int n = 0;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "ls -A '%s' | wc -l", dir);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_int_equal(fscanf(p, "%d", &n), 1);
	pclose(p);
	return n;
}

static int control_uuid_request(const char *op, json_object *uuid)
{
	json_object *req = json_object_new_object(), *reply;
	int fd, err;

	json_object_object_add(req, "op", json_object_new_string(op));
	json_object_object_add(req, "uuid", uuid);
	if (!strcmp(op, "start")) {
		json_object_object_add(req, "parent",
				       json_object_new_string("mtty"));
		json_object_object_add(req, "type",
				       json_object_new_string("mtty-1"));
	}
	fd = e2e_control_connect(&daemon_);
	assert_true(fd >= 0);
	assert_int_equal(e2e_control_send(fd,
					  json_object_to_json_string_ext(
						  req, JSON_C_TO_STRING_PLAIN)),
			 0);
	reply = e2e_control_recv(fd);
	assert_non_null(reply);
	err = e2e_reply_errno(reply);
	json_object_put(reply);
	json_object_put(req);
	close(fd);
	return err;
}

static void test_bad_uuid_control(void **state)
{
	static const char with_nul[] = "8a4b1f3e-0c2d-4e5f-9a6b-7c8d9e0f1a2b"
				       "\0/../evil";
	int run0 = count_entries(daemon_.runtime_dir);
	int tmp0 = count_entries(daemon_.tmp_dir);
	size_t i;

	for (i = 0; i < sizeof(bad_uuids) / sizeof(bad_uuids[0]); i++) {
		print_message("# control: '%s'\n", bad_uuids[i]);
		assert_int_equal(control_uuid_request(
					 "start",
					 json_object_new_string(bad_uuids[i])),
				 -EINVAL);
		assert_int_equal(control_uuid_request(
					 "stop",
					 json_object_new_string(bad_uuids[i])),
				 -EINVAL);
	}
	/* Not a string at all. */
	assert_int_equal(control_uuid_request("start", json_object_new_int(42)),
			 -EINVAL);
	assert_int_equal(control_uuid_request("stop", json_object_new_null()),
			 -EINVAL);
	/* A valid UUID followed by a NUL and a path ("\u0000" in JSON). */
	assert_int_equal(
		control_uuid_request("start",
				     json_object_new_string_len(
					     with_nul, sizeof(with_nul) - 1)),
		-EINVAL);
	assert_int_equal(
		control_uuid_request("stop",
				     json_object_new_string_len(
					     with_nul, sizeof(with_nul) - 1)),
		-EINVAL);

	assert_int_equal(count_entries(daemon_.runtime_dir), run0);
	assert_int_equal(count_entries(daemon_.tmp_dir), tmp0);
	assert_int_equal(e2e_runtime_sockets(&daemon_), 1); /* control */
}

/*
 * A listening socket where "<runtime>/../evil.sock" points, to see that
 * no umdevctl command connects there.
 */
static int evil_listener(char *path, size_t len)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	snprintf(path, len, "%s/evil.sock", daemon_.tmp_dir);
	assert_true(strlen(path) < sizeof(sun.sun_path));
	memcpy(sun.sun_path, path, strlen(path) + 1);
	assert_int_equal(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	assert_int_equal(listen(fd, 16), 0);
	return fd;
}

static void test_bad_uuid_umdevctl(void **state)
{
	const char *ctl = e2e_build_path("src/cli/umdevctl");
	static const char *const verbs[] = { "start", "stop", "info",
					     "console" };
	int run0 = count_entries(daemon_.runtime_dir);
	int tmp0 = count_entries(daemon_.tmp_dir);
	char evil[256];
	int lfd = evil_listener(evil, sizeof(evil));
	size_t i, v;

	for (i = 0; i < sizeof(bad_uuids) / sizeof(bad_uuids[0]); i++) {
		for (v = 0; v < sizeof(verbs) / sizeof(verbs[0]); v++) {
			char *argv[] = { (char *)ctl,
					 "--runtime-dir",
					 daemon_.runtime_dir,
					 (char *)verbs[v],
					 "-u",
					 (char *)bad_uuids[i],
					 "-p",
					 "mtty",
					 "-t",
					 "mtty-1",
					 NULL };
			char *out = NULL, *err = NULL;
			int ret;

			/* -p/-t only for start. */
			if (v)
				argv[6] = NULL;
			ret = e2e_run(argv, "", &out, &err);
			print_message("# umdevctl %s -u '%s': exit %d\n",
				      verbs[v], bad_uuids[i], ret);
			/* Refused (1) or usage (2); never "ok" (0). */
			assert_true(ret == 1 || ret == 2);
			free(out);
			free(err);
			/* Nothing connected to the socket outside. */
			assert_int_equal(accept(lfd, NULL, NULL), -1);
			assert_true(errno == EAGAIN || errno == EWOULDBLOCK);
		}
	}
	close(lfd);
	unlink(evil);
	assert_int_equal(count_entries(daemon_.runtime_dir), run0);
	assert_int_equal(count_entries(daemon_.tmp_dir), tmp0);
	assert_int_equal(e2e_runtime_sockets(&daemon_), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_modes),
		cmocka_unit_test(test_other_uid_blocked_by_modes),
		cmocka_unit_test(test_other_uid_refused_by_peercred),
		cmocka_unit_test(test_bad_uuid_control),
		cmocka_unit_test(test_bad_uuid_umdevctl),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, setup, teardown);
}
