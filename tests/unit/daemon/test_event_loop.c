// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of umdevd's event loop (src/daemon/event_loop.c) with real
 * eventfds: dispatch, modify, unwatch from inside a callback (also of an fd
 * whose event is queued in the same batch), fd reuse, the two adapter
 * tables (vu_loop_ops, mdev_host_ops), and busy-polling (--poll-us): no
 * message lost or reordered, the loop still falls asleep and wakes, and it
 * stops while polling.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sched.h>
#include <sys/syscall.h>
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

/* ---- polling ---- */

#define SEQ_MESSAGES 20000

struct seq_reader {
	struct event_loop *loop;
	int fd;
	uint32_t next; /* the sequence number expected next */
	uint8_t partial[sizeof(uint32_t)];
	size_t have;
	bool bad_order;
};

/* Reads what is there; every 4-byte number must be the next one. */
static void seq_cb(void *arg, uint32_t revents)
{
	struct seq_reader *r = arg;
	uint8_t buf[4096];
	ssize_t n, i;

	n = read(r->fd, buf, sizeof(buf));
	if (n <= 0) {
		event_loop_stop(r->loop);
		return;
	}
	for (i = 0; i < n; i++) {
		r->partial[r->have++] = buf[i];
		if (r->have == sizeof(uint32_t)) {
			uint32_t v;

			memcpy(&v, r->partial, sizeof(v));
			if (v != r->next)
				r->bad_order = true;
			r->next++;
			r->have = 0;
		}
	}
	if (r->next == SEQ_MESSAGES)
		event_loop_stop(r->loop);
}

/* Sends the numbers in uneven chunks, some back to back, some after pauses
 * long enough for the loop to give up polling and sleep. */
static void *seq_writer(void *arg)
{
	int fd = *(int *)arg;
	uint32_t v = 0, chunk[64];
	unsigned int seed = 1, i, n;

	while (v < SEQ_MESSAGES) {
		n = 1 + rand_r(&seed) % 64;
		for (i = 0; i < n && v < SEQ_MESSAGES; i++)
			chunk[i] = v++;
		if (write(fd, chunk, i * sizeof(uint32_t)) !=
		    (ssize_t)(i * sizeof(uint32_t)))
			break;
		switch (rand_r(&seed) % 8) {
		case 0:
			usleep(2000); /* past the window: the loop sleeps */
			break;
		case 1:
			usleep(20); /* within it */
			break;
		default:
			break;
		}
	}
	return NULL;
}

static void run_seq(unsigned int poll_us)
{
	struct event_loop *loop = event_loop_new();
	struct seq_reader r = { .loop = loop };
	pthread_t th;
	int sv[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	r.fd = sv[0];
	assert_int_equal(fcntl(r.fd, F_SETFL, O_NONBLOCK), 0);
	event_loop_set_poll_us(loop, poll_us);
	assert_int_equal(event_loop_watch(loop, r.fd, EPOLLIN, seq_cb, &r), 0);
	assert_int_equal(pthread_create(&th, NULL, seq_writer, &sv[1]), 0);
	assert_int_equal(event_loop_run(loop), 0);
	pthread_join(th, NULL);
	assert_false(r.bad_order);
	assert_int_equal(r.next, SEQ_MESSAGES);
	assert_int_equal(r.have, 0);
	event_loop_unwatch(loop, r.fd);
	close(sv[0]);
	close(sv[1]);
	event_loop_free(loop);
}

/* Every message arrives, in order, polling on or off. */
static void test_poll_no_loss_no_reorder(void **state)
{
	run_seq(500);
	run_seq(0);
}

struct sleeper {
	struct event_loop *loop;
	int fd;
	_Atomic int calls;
	_Atomic pid_t tid;
	int stop_after;
	struct event_loop_poll_stats before_last; /* at the last-but-one call */
};

static void sleeper_cb(void *arg, uint32_t revents)
{
	struct sleeper *s = arg;

	drain(s->fd);
	if (atomic_load(&s->calls) + 1 == s->stop_after - 1)
		event_loop_get_poll_stats(s->loop, &s->before_last);
	if (atomic_load(&s->calls) + 1 == s->stop_after)
		event_loop_stop(s->loop);
	atomic_fetch_add(&s->calls, 1);
}

static void *sleeper_run(void *arg)
{
	struct sleeper *s = arg;

	atomic_store(&s->tid, (pid_t)syscall(SYS_gettid));
	assert_int_equal(event_loop_run(s->loop), 0);
	return NULL;
}

/* The scheduler state of thread @tid: 'R' running, 'S' asleep, ... */
static char thread_state(pid_t tid)
{
	char path[64], buf[512], *p;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)tid);
	f = fopen(path, "r");
	if (!f)
		return '?';
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : '?';
}

static void kick_and_wait(struct sleeper *s, int want)
{
	kick(s->fd);
	while (atomic_load(&s->calls) < want)
		sched_yield();
}

/*
 * With polling on and the window opened by quick events, a quiet source
 * must not keep the loop spinning: it falls asleep in epoll_wait (the only
 * place the loop's thread can sleep) and the next event still wakes it.
 */
static void test_poll_falls_back_to_sleep(void **state)
{
	struct sleeper s = { .stop_after = 8 };
	struct event_loop_poll_stats st;
	pthread_t th;
	int i;

	s.loop = event_loop_new();
	s.fd = new_fd();
	event_loop_set_poll_us(s.loop, 200000);
	assert_int_equal(
		event_loop_watch(s.loop, s.fd, EPOLLIN, sleeper_cb, &s), 0);
	assert_int_equal(pthread_create(&th, NULL, sleeper_run, &s), 0);
	while (!atomic_load(&s.tid))
		sched_yield();
	/* Quick events: each wait is shorter than 200 ms, the window opens. */
	for (i = 1; i < s.stop_after; i++)
		kick_and_wait(&s, i);
	/* Now nothing comes: the loop's thread must fall asleep (10 s at most:
	 * a bound for a broken loop, not a measurement). */
	for (i = 0; thread_state(atomic_load(&s.tid)) != 'S'; i++) {
		assert_true(i < 10000);
		usleep(1000);
	}
	kick(s.fd);
	pthread_join(th, NULL);
	assert_int_equal(atomic_load(&s.calls), s.stop_after);
	assert_true(s.before_last.window_ns > 0);
	event_loop_get_poll_stats(s.loop, &st);
	assert_true(st.sleeps > s.before_last.sleeps);
	event_loop_unwatch(s.loop, s.fd);
	close(s.fd);
	event_loop_free(s.loop);
}

/*
 * event_loop_stop() from a callback run out of the busy-poll (the signalfd
 * of SIGTERM in umdevd) ends the loop even while another source keeps it
 * polling.
 */
struct busy_writer {
	int fd;
	_Atomic bool done;
};

static void *busy_write(void *arg)
{
	struct busy_writer *w = arg;

	while (!atomic_load(&w->done)) {
		kick(w->fd);
		usleep(10);
	}
	return NULL;
}

static void test_poll_stop_while_polling(void **state)
{
	struct event_loop *loop = event_loop_new();
	struct probe busy = { .loop = loop };
	struct sleeper stopper = { .loop = loop, .stop_after = 1 };
	struct busy_writer w;
	pthread_t th;
	int i;

	busy.fd = new_fd();
	stopper.fd = new_fd();
	w.fd = busy.fd;
	atomic_store(&w.done, false);
	event_loop_set_poll_us(loop, 100000);
	assert_int_equal(
		event_loop_watch(loop, busy.fd, EPOLLIN, probe_cb, &busy), 0);
	assert_int_equal(event_loop_watch(loop, stopper.fd, EPOLLIN, sleeper_cb,
					  &stopper),
			 0);
	assert_int_equal(pthread_create(&th, NULL, busy_write, &w), 0);
	/* Let the busy source run the loop for a while, then stop it. */
	for (i = 0; i < 3; i++)
		kick(i == 2 ? stopper.fd : busy.fd);
	assert_int_equal(event_loop_run(loop), 0);
	atomic_store(&w.done, true);
	pthread_join(th, NULL);
	assert_int_equal(atomic_load(&stopper.calls), 1);
	event_loop_unwatch(loop, busy.fd);
	event_loop_unwatch(loop, stopper.fd);
	close(busy.fd);
	close(stopper.fd);
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
		cmocka_unit_test(test_poll_no_loss_no_reorder),
		cmocka_unit_test(test_poll_falls_back_to_sleep),
		cmocka_unit_test(test_poll_stop_while_polling),
	};

	return cmocka_run_group_tests_name("event_loop", tests, NULL, NULL);
}
