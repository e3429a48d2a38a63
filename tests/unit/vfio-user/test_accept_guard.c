// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of src/vfio-user/accept_guard.c: out of file descriptors, a
 * pending connection is shed (the peer gets the refusal and end-of-file)
 * and the backlog is empty afterwards, so a level-triggered loop is not
 * woken for it again; with fds to spare, accept works as usual.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <cmocka.h>

#include "vfio-user/accept_guard.h"

static char path[108];

static int listener(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	snprintf(path, sizeof(path), "/tmp/umdev-accept-guard-%d", getpid());
	unlink(path);
	strcpy(sun.sun_path, path);
	assert_int_equal(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	assert_int_equal(listen(fd, 8), 0);
	return fd;
}

static int client(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	strcpy(sun.sun_path, path);
	assert_int_equal(connect(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	return fd;
}

static void test_accept_normal(void **state)
{
	int l = listener(), c, a;

	assert_int_equal(accept_guard_init(), 0);
	assert_int_equal(accept_guard_accept(l, NULL, 0), -EAGAIN);
	c = client();
	a = accept_guard_accept(l, "no\n", 3);
	assert_true(a >= 0);
	assert_true(fcntl(a, F_GETFL) & O_NONBLOCK);
	assert_true(fcntl(a, F_GETFD) & FD_CLOEXEC);
	close(a);
	close(c);
	close(l);
	unlink(path);
}

static void test_out_of_fds_sheds(void **state)
{
	struct rlimit old, low;
	unsigned long shed = accept_guard_shed_count();
	int l = listener(), c, fill[64], n = 0, i;
	char buf[16];
	ssize_t got;

	assert_int_equal(accept_guard_init(), 0);
	c = client();
	/* Use up every fd below a limit just above what is open now. */
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
	low = old;
	low.rlim_cur = (rlim_t)c + 8;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
	while (n < 64 && (fill[n] = open("/dev/null", O_RDONLY)) >= 0)
		n++;
	assert_int_equal(errno, EMFILE);

	assert_int_equal(accept_guard_accept(l, "no\n", 3), -EMFILE);
	assert_int_equal(accept_guard_shed_count(), shed + 1);
	/* Nothing is left queued: the loop would sleep. */
	assert_int_equal(accept_guard_accept(l, NULL, 0), -EAGAIN);
	/* The peer was told and closed. */
	got = recv(c, buf, sizeof(buf), 0);
	assert_int_equal(got, 3);
	assert_memory_equal(buf, "no\n", 3);
	assert_int_equal(recv(c, buf, sizeof(buf), 0), 0);

	/* The spare is back: it works again as soon as fds are free. */
	for (i = 0; i < n; i++)
		close(fill[i]);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
	close(c);
	c = client();
	i = accept_guard_accept(l, NULL, 0);
	assert_true(i >= 0);
	close(i);
	close(c);
	close(l);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accept_normal),
		cmocka_unit_test(test_out_of_fds_sheds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
