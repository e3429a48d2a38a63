// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hostile surroundings of the daemon's life: the signals a terminal or a
 * service manager sends, and a runtime directory someone else prepared.
 *
 * - SIGHUP, SIGINT, SIGQUIT and SIGTERM are each a clean shutdown (exit
 *   0, every device removed, every socket unlinked, clients see
 *   end-of-file), even with a client attached and a control connection
 *   open; this holds when the daemon was started from a shell that
 *   ignores SIGINT/SIGQUIT for background jobs.
 * - A runtime directory that is a symlink (to another user's directory or
 *   to our own), that another user owns, that others may write, or that
 *   is not a directory, is refused with a message naming the path and
 *   its owner; nothing in the target changes.  A daemon serving device B
 *   meanwhile is not disturbed.
 * - A FIFO among the persistent definitions does not block the start.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "e2e_harness.h"

static struct e2e_daemon daemon_;

/* Start a daemon, attach a client and a control connection, signal it. */
static void shutdown_by(int sig, bool ignored_before)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;
	struct e2e_daemon d;
	int client, ctl, status = 0, i;

	/* A shell's background job starts with SIGINT/SIGQUIT ignored. */
	if (ignored_before)
		sigaction(sig, &ign, &old);
	assert_int_equal(e2e_daemon_start(&d, NULL), 0);
	if (ignored_before)
		sigaction(sig, &old, NULL);
	assert_int_equal(e2e_start(&d, E2E_UUID_A, "mtty-2"), 0);
	client = e2e_raw_connect(e2e_device_socket(&d, E2E_UUID_A));
	assert_true(client >= 0);
	assert_int_equal(e2e_raw_negotiate(client), 0);
	ctl = e2e_control_connect(&d);
	assert_true(ctl >= 0);
	assert_int_equal(e2e_runtime_sockets(&d), 2);

	assert_int_equal(kill(d.pid, sig), 0);
	for (i = 0; i < E2E_WAIT_MS / 10; i++) {
		if (waitpid(d.pid, &status, WNOHANG) == d.pid)
			break;
		usleep(10000);
	}
	if (i == E2E_WAIT_MS / 10) {
		kill(d.pid, SIGKILL);
		waitpid(d.pid, &status, 0);
		fail_msg("%s: umdevd did not exit", strsignal(sig));
	}
	if (!WIFEXITED(status))
		fail_msg("%s: umdevd died of signal %d", strsignal(sig),
			 WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	assert_int_equal(WEXITSTATUS(status), 0);
	d.pid = 0;
	assert_int_equal(e2e_runtime_sockets(&d), 0);
	assert_true(e2e_wait_closed(client));
	assert_true(e2e_wait_closed(ctl));
	assert_true(e2e_daemon_log_contains(&d, "shutting down"));
	assert_true(e2e_daemon_log_contains(&d, "stopped"));
	close(client);
	close(ctl);
	assert_int_equal(e2e_daemon_stop(&d), 0);
}

static void test_sighup(void **state)
{
	shutdown_by(SIGHUP, false);
}

static void test_sigint(void **state)
{
	shutdown_by(SIGINT, true);
}

static void test_sigquit(void **state)
{
	shutdown_by(SIGQUIT, true);
}

static void test_sigterm(void **state)
{
	shutdown_by(SIGTERM, false);
}

/*
 * Run umdevd on runtime directory @dir (bounded by timeout(1): a daemon
 * that accepted the directory would not exit).  Its stderr must have all
 * of @needles (NULL-terminated) and it must exit 1.
 */
static void refused(const char *dir, const char *const *needles)
{
	char *const argv[] = {
		"/usr/bin/timeout",
		"10",
		(char *)e2e_build_path("src/daemon/umdevd"),
		"--runtime-dir",
		(char *)dir,
		"--driver-dir",
		"/nonexistent",
		NULL,
	};
	char *out = NULL, *err = NULL;
	int status = e2e_run(argv, NULL, &out, &err);

	if (status != 1)
		fail_msg("umdevd --runtime-dir %s: status %d, stderr: %s", dir,
			 status, err ? err : "");
	for (; *needles; needles++)
		if (!err || !strstr(err, *needles))
			fail_msg("umdevd --runtime-dir %s: no \"%s\" in: %s",
				 dir, *needles, err ? err : "");
	free(out);
	free(err);
	assert_int_equal(e2e_health(&daemon_, E2E_UUID_B), 0);
}

static void assert_mode(const char *path, mode_t mode, uid_t uid)
{
	struct stat st;

	assert_int_equal(lstat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, mode);
	assert_int_equal(st.st_uid, uid);
}

static bool dir_empty(const char *path)
{
	char cmd[PATH_MAX + 32];

	snprintf(cmd, sizeof(cmd), "test -z \"$(ls -A '%s')\"", path);
	return system(cmd) == 0;
}

static void test_runtime_dir_hostile(void **state)
{
	char theirs[PATH_MAX], link_theirs[PATH_MAX], mine[PATH_MAX],
		link_mine[PATH_MAX], open_[PATH_MAX], file[PATH_MAX];
	const char *base = daemon_.tmp_dir;
	uid_t other = geteuid() == 0 ? 65534 : (uid_t)-1;

	snprintf(theirs, sizeof(theirs), "%s/theirs", base);
	snprintf(link_theirs, sizeof(link_theirs), "%s/link-theirs", base);
	snprintf(mine, sizeof(mine), "%s/mine", base);
	snprintf(link_mine, sizeof(link_mine), "%s/link-mine", base);
	snprintf(open_, sizeof(open_), "%s/open", base);
	snprintf(file, sizeof(file), "%s/file", base);
	assert_int_equal(mkdir(mine, 0755), 0);
	assert_int_equal(symlink(mine, link_mine), 0);
	assert_int_equal(mkdir(open_, 0777), 0);
	assert_int_equal(chmod(open_, 0777), 0);
	close(open(file, O_CREAT | O_WRONLY | O_CLOEXEC, 0600));

	{
		const char *const n[] = { link_mine, "symbolic link",
					  "owned by", NULL };
		refused(link_mine, n);
	}
	/* The target was not touched: not tightened, nothing created. */
	assert_mode(mine, 0755, geteuid());
	assert_true(dir_empty(mine));
	{
		const char *const n[] = { open_, "writable by others",
					  "owned by", NULL };
		refused(open_, n);
	}
	assert_mode(open_, 0777, geteuid());
	assert_true(dir_empty(open_));
	{
		const char *const n[] = { file, "not a directory", NULL };
		refused(file, n);
	}
	if (other == (uid_t)-1) {
		fprintf(stderr, "# not root: no directory of another user\n");
		return;
	}
	assert_int_equal(mkdir(theirs, 0755), 0);
	assert_int_equal(chown(theirs, other, other), 0);
	assert_int_equal(symlink(theirs, link_theirs), 0);
	assert_int_equal(lchown(link_theirs, other, other), 0);
	{
		const char *const n[] = { theirs, "owned by uid 65534", NULL };
		refused(theirs, n);
	}
	{
		const char *const n[] = { link_theirs, "symbolic link",
					  "uid 65534", NULL };
		refused(link_theirs, n);
	}
	assert_mode(theirs, 0755, other);
	assert_true(dir_empty(theirs));
}

/*
 * A FIFO (or a device) where a persistent definition should be does not
 * block the daemon's start: it is skipped and logged, the rest works.
 */
static void test_definition_fifo(void **state)
{
	char cfg[] = "/tmp/umdev-hostile-cfg-XXXXXX", parent[64], fifo[128];
	const char *args[3] = { "--config-dir", cfg, NULL };
	struct e2e_daemon d;

	assert_non_null(mkdtemp(cfg));
	snprintf(parent, sizeof(parent), "%s/mtty", cfg);
	snprintf(fifo, sizeof(fifo), "%s/%s", parent, E2E_UUID_C);
	assert_int_equal(mkdir(parent, 0700), 0);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(e2e_daemon_start(&d, args), 0);
	assert_true(e2e_daemon_log_contains(&d, "not a regular file"));
	assert_int_equal(e2e_start(&d, E2E_UUID_B, "mtty-1"), 0);
	assert_int_equal(e2e_health(&d, E2E_UUID_B), 0);
	assert_int_equal(e2e_daemon_stop(&d), 0);
	unlink(fifo);
	rmdir(parent);
	rmdir(cfg);
}

static int setup(void **state)
{
	if (e2e_daemon_start(&daemon_, NULL) ||
	    e2e_start(&daemon_, E2E_UUID_B, "mtty-1"))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	return e2e_daemon_stop(&daemon_) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sighup),
		cmocka_unit_test(test_sigint),
		cmocka_unit_test(test_sigquit),
		cmocka_unit_test(test_sigterm),
		cmocka_unit_test(test_runtime_dir_hostile),
		cmocka_unit_test(test_definition_fifo),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, setup, teardown);
}
