// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of umdevd's event loop (src/daemon/event_loop.c) with real
 * eventfds: dispatch, modify, unwatch from inside a callback (also of an fd
 * whose event is queued in the same batch), fd reuse, and the two adapter
 * tables (vu_loop_ops, mdev_host_ops).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <cmocka.h>

#include "event_loop.h"

struct probe {
	struct event_loop *loop;
	int fd;
	int calls;
	uint32_t revents;
	/* Actions the callback takes. */
	bool stop;
	struct probe *unwatch_other; /* unwatch and close this one's fd */
	bool reuse_fd; /* then watch a new eventfd (likely the same number) */
	struct probe *reuser;
};

static void kick(int fd)
{
	uint64_t one = 1;

	assert_int_equal(write(fd, &one, sizeof(one)), sizeof(one));
}

static void drain(int fd)
{
	uint64_t v;

	assert_int_equal(read(fd, &v, sizeof(v)), sizeof(v));
}

static void probe_cb(void *arg, uint32_t revents)
{
	struct probe *p = arg;

	p->calls++;
	p->revents = revents;
	if (revents & EPOLLIN)
		drain(p->fd);
	if (p->unwatch_other) {
		struct probe *o = p->unwatch_other;

		event_loop_unwatch(p->loop, o->fd);
		close(o->fd);
		p->unwatch_other = NULL;
		if (p->reuse_fd) {
			p->reuser->fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
			assert_int_equal(
				event_loop_watch(p->loop, p->reuser->fd,
						 EPOLLIN, probe_cb, p->reuser),
				0);
		}
	}
	if (p->stop)
		event_loop_stop(p->loop);
}

static int new_fd(void)
{
	int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);

	assert_true(fd >= 0);
	return fd;
}

static void test_dispatch_and_stop(void **state)
{
	struct event_loop *loop = event_loop_new();
	struct probe p = { .loop = loop, .stop = true };

	assert_non_null(loop);
	p.fd = new_fd();
	assert_int_equal(event_loop_watch(loop, p.fd, EPOLLIN, probe_cb, &p),
			 0);
	assert_int_equal(event_loop_watch(loop, p.fd, EPOLLIN, probe_cb, &p),
			 -EEXIST);
	assert_int_equal(event_loop_nr_watched(loop), 1);
	kick(p.fd);
	assert_int_equal(event_loop_run(loop), 0);
	assert_int_equal(p.calls, 1);
	assert_true(p.revents & EPOLLIN);
	event_loop_unwatch(loop, p.fd);
	assert_int_equal(event_loop_nr_watched(loop), 0);
	/* Unknown fds are ignored / refused. */
	event_loop_unwatch(loop, p.fd);
	assert_int_equal(event_loop_modify(loop, p.fd, EPOLLIN), -ENOENT);
	assert_int_equal(event_loop_watch(loop, -1, EPOLLIN, probe_cb, &p),
			 -EBADF);
	close(p.fd);
	event_loop_free(loop);
}

static void test_modify(void **state)
{
	struct event_loop *loop = event_loop_new();
	struct probe p = { .loop = loop, .stop = true };

	p.fd = new_fd();
	/* Watching nothing: a kick goes unnoticed until EPOLLOUT is asked. */
	assert_int_equal(event_loop_watch(loop, p.fd, 0, probe_cb, &p), 0);
	assert_int_equal(event_loop_modify(loop, p.fd, EPOLLOUT), 0);
	assert_int_equal(event_loop_run(loop), 0);
	assert_int_equal(p.calls, 1);
	assert_true(p.revents & EPOLLOUT);
	event_loop_unwatch(loop, p.fd);
	close(p.fd);
	event_loop_free(loop);
}

/*
 * Two fds ready in one batch; whichever runs first unwatches and closes
 * the other and watches a fresh, idle eventfd (which gets the freed
 * number).  The closed fd's queued event must not reach the new handler.
 */
static void test_unwatch_queued_event(void **state)
{
	struct event_loop *loop = event_loop_new();
	struct probe a = { .loop = loop, .stop = true };
	struct probe b = { .loop = loop, .stop = true };
	struct probe fresh = { .loop = loop, .stop = true };
	int survivor;

	a.fd = new_fd();
	b.fd = new_fd();
	a.unwatch_other = &b;
	b.unwatch_other = &a;
	a.reuse_fd = b.reuse_fd = true;
	a.reuser = b.reuser = &fresh;
	assert_int_equal(event_loop_watch(loop, a.fd, EPOLLIN, probe_cb, &a),
			 0);
	assert_int_equal(event_loop_watch(loop, b.fd, EPOLLIN, probe_cb, &b),
			 0);
	kick(a.fd);
	kick(b.fd);
	assert_int_equal(event_loop_run(loop), 0);
	/* Exactly one of a/b ran; the other's event was dropped, not handed
	 * to the fresh handler that now owns its fd number. */
	assert_int_equal(a.calls + b.calls, 1);
	assert_int_equal(fresh.calls, 0);
	/* The fresh handler works once its own fd fires. */
	kick(fresh.fd);
	assert_int_equal(event_loop_run(loop), 0);
	assert_int_equal(fresh.calls, 1);
	survivor = a.calls ? a.fd : b.fd;
	event_loop_unwatch(loop, fresh.fd);
	close(fresh.fd);
	event_loop_unwatch(loop, survivor);
	close(survivor);
	assert_int_equal(event_loop_nr_watched(loop), 0);
	event_loop_free(loop);
}

static int vu_calls;
static void vu_cb(void *arg, uint32_t revents)
{
	int fd = *(int *)arg;

	vu_calls++;
	drain(fd);
}

static int host_calls;
static struct event_loop *host_loop;
static void host_ready(void *arg)
{
	int fd = *(int *)arg;

	host_calls++;
	drain(fd);
	event_loop_stop(host_loop);
}

static void test_adapters(void **state)
{
	struct event_loop *loop = event_loop_new();
	int fd1 = new_fd(), fd2 = new_fd();

	host_loop = loop;
	assert_int_equal(
		event_loop_vu_ops.watch(loop, fd1, EPOLLIN, vu_cb, &fd1), 0);
	assert_int_equal(event_loop_vu_ops.modify(loop, fd1, EPOLLIN), 0);
	assert_int_equal(
		event_loop_host_ops.watch_fd(loop, fd2, host_ready, &fd2), 0);
	kick(fd1);
	kick(fd2);
	assert_int_equal(event_loop_run(loop), 0);
	assert_int_equal(host_calls, 1);
	/* fd1 was in the same batch or is served before fd2's next turn. */
	if (!vu_calls) {
		kick(fd2);
		assert_int_equal(event_loop_run(loop), 0);
	}
	assert_int_equal(vu_calls, 1);
	event_loop_vu_ops.unwatch(loop, fd1);
	event_loop_host_ops.unwatch_fd(loop, fd2);
	assert_int_equal(event_loop_nr_watched(loop), 0);
	close(fd1);
	close(fd2);
	event_loop_free(loop);
}

/* Many fds: the handler table grows past its first size. */
static void test_many_fds(void **state)
{
	struct event_loop *loop = event_loop_new();
	struct probe p[200];
	int i, total = 0;

	for (i = 0; i < 200; i++) {
		p[i] = (struct probe){ .loop = loop };
		p[i].fd = new_fd();
		assert_int_equal(event_loop_watch(loop, p[i].fd, EPOLLIN,
						  probe_cb, &p[i]),
				 0);
	}
	p[199].stop = true;
	kick(p[199].fd);
	assert_int_equal(event_loop_run(loop), 0);
	for (i = 0; i < 200; i++) {
		total += p[i].calls;
		event_loop_unwatch(loop, p[i].fd);
		close(p[i].fd);
	}
	assert_int_equal(total, 1);
	assert_int_equal(p[199].calls, 1);
	event_loop_free(loop);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dispatch_and_stop),
		cmocka_unit_test(test_modify),
		cmocka_unit_test(test_unwatch_queued_event),
		cmocka_unit_test(test_adapters),
		cmocka_unit_test(test_many_fds),
	};

	return cmocka_run_group_tests_name("event_loop", tests, NULL, NULL);
}
