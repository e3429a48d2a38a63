// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for src/core/timer.c: one-shot timerfd timers, fired either
 * by mdev_timer_fire_due() or through the host's watch_fd hook.
 *
 * No assertion depends on how fast the machine is: a timer that must fire
 * is waited for (bounded, generously); a timer that must not fire is
 * disarmed or far in the future.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include <umdev/mdev_host.h>

#define MS 1000000ULL
#define HOUR (3600ULL * 1000 * MS)
#define UUID_A "0e4d9a31-7c2b-4d55-9a0e-5b8f2d6c1a01"

static int tst_probe(struct mdev_device *mdev)
{
	return 0;
}

static void tst_remove(struct mdev_device *mdev)
{
}

static const struct umdev_device_ops tst_ops = { 0 };
static const struct mdev_driver tst_driver = {
	.name = "tmr",
	.device_ops = &tst_ops,
	.probe = tst_probe,
	.remove = tst_remove,
};
static const struct mdev_type_desc tst_type = {
	.name = "1",
	.pretty_name = "timer test",
	.device_api = "vfio-pci",
	.max_instances = 4,
};

/* A fake host loop: remembers what the core asked it to watch. */
struct fake_host {
	int watch_calls, unwatch_calls;
	int watch_error;
	int fd, unwatched_fd;
	void (*ready)(void *arg);
	void *arg;
};

static int fake_watch(void *host, int fd, void (*ready)(void *), void *arg)
{
	struct fake_host *h = host;

	if (h->watch_error)
		return h->watch_error;
	h->watch_calls++;
	h->fd = fd;
	h->ready = ready;
	h->arg = arg;
	return 0;
}

static void fake_unwatch(void *host, int fd)
{
	struct fake_host *h = host;

	h->unwatch_calls++;
	h->unwatched_fd = fd;
}

static const struct mdev_host_ops fake_host_ops = {
	.watch_fd = fake_watch,
	.unwatch_fd = fake_unwatch,
};

struct fixture {
	struct mdev_core *core;
	struct mdev_device *mdev;
	struct fake_host host;
};

static struct fixture *make_fixture(bool with_host)
{
	struct fixture *f = test_calloc(1, sizeof(*f));

	f->core = mdev_core_new(with_host ? &fake_host_ops : NULL, &f->host);
	assert_non_null(f->core);
	assert_int_equal(mdev_register_parent(f->core, "tmr0", &tst_driver,
					      &tst_type, 1, NULL, NULL),
			 0);
	assert_int_equal(mdev_core_create(f->core, UUID_A, "tmr0", "tmr-1",
					  &f->mdev),
			 0);
	return f;
}

static int setup(void **state)
{
	*state = make_fixture(false);
	return 0;
}

static int setup_host(void **state)
{
	*state = make_fixture(true);
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	mdev_core_free(f->core);
	test_free(f);
	return 0;
}

struct counter {
	int fired;
	struct mdev_timer *self; /* freed by the callback when set */
};

static void count_fn(void *arg)
{
	struct counter *c = arg;

	c->fired++;
	if (c->self) {
		mdev_timer_free(c->self);
		c->self = NULL;
	}
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000,
			       .tv_nsec = (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Call fire_due until @c fired, for at most ~10 s. */
static void wait_fired(struct mdev_core *core, struct counter *c)
{
	int i;

	for (i = 0; i < 10000 && !c->fired; i++) {
		sleep_ms(1);
		mdev_timer_fire_due(core);
	}
}

static void test_new_errors(void **state)
{
	struct counter c = { 0 };

	errno = 0;
	assert_null(mdev_timer_new(NULL, count_fn, &c));
	assert_int_equal(errno, EINVAL);
	assert_int_equal(mdev_timer_arm(NULL, MS), -EINVAL);
	mdev_timer_free(NULL);
}

static void test_fires_once(void **state)
{
	struct fixture *f = *state;
	struct counter c = { 0 };
	struct mdev_timer *t = mdev_timer_new(f->mdev, count_fn, &c);

	assert_non_null(t);
	/* A new timer is disarmed. */
	mdev_timer_fire_due(f->core);
	assert_int_equal(c.fired, 0);

	assert_int_equal(mdev_timer_arm(t, 1 * MS), 0);
	wait_fired(f->core, &c);
	assert_int_equal(c.fired, 1);
	/* One-shot: nothing more. */
	sleep_ms(5);
	mdev_timer_fire_due(f->core);
	assert_int_equal(c.fired, 1);

	/* And it can be armed again. */
	c.fired = 0;
	assert_int_equal(mdev_timer_arm(t, 1 * MS), 0);
	wait_fired(f->core, &c);
	assert_int_equal(c.fired, 1);
	mdev_timer_free(t);
}

static void test_not_due(void **state)
{
	struct fixture *f = *state;
	struct counter c = { 0 };
	struct mdev_timer *t = mdev_timer_new(f->mdev, count_fn, &c);

	assert_int_equal(mdev_timer_arm(t, HOUR), 0);
	mdev_timer_fire_due(f->core);
	assert_int_equal(c.fired, 0);
	mdev_timer_free(t);
}

static void test_disarm(void **state)
{
	struct fixture *f = *state;
	struct counter c = { 0 };
	struct mdev_timer *t = mdev_timer_new(f->mdev, count_fn, &c);

	assert_int_equal(mdev_timer_arm(t, 1 * MS), 0);
	assert_int_equal(mdev_timer_arm(t, 0), 0);
	sleep_ms(20);
	mdev_timer_fire_due(f->core);
	assert_int_equal(c.fired, 0);
	mdev_timer_free(t);
}

/* Re-arming replaces the deadline and drops an expiry not yet run. */
static void test_rearm_replaces(void **state)
{
	struct fixture *f = *state;
	struct counter c = { 0 };
	struct mdev_timer *t = mdev_timer_new(f->mdev, count_fn, &c);

	assert_int_equal(mdev_timer_arm(t, 1 * MS), 0);
	sleep_ms(20); /* expired, not yet run */
	assert_int_equal(mdev_timer_arm(t, HOUR), 0);
	mdev_timer_fire_due(f->core);
	assert_int_equal(c.fired, 0);
	mdev_timer_free(t);
}

/* Only the expired timer of several runs; a callback may free timers. */
static void test_several_and_free_in_callback(void **state)
{
	struct fixture *f = *state;
	struct counter a = { 0 }, b = { 0 }, late = { 0 };
	struct mdev_timer *ta = mdev_timer_new(f->mdev, count_fn, &a);
	struct mdev_timer *tb = mdev_timer_new(f->mdev, count_fn, &b);
	struct mdev_timer *tl = mdev_timer_new(f->mdev, count_fn, &late);

	a.self = ta;
	b.self = tb;
	assert_int_equal(mdev_timer_arm(ta, 1 * MS), 0);
	assert_int_equal(mdev_timer_arm(tb, 1 * MS), 0);
	assert_int_equal(mdev_timer_arm(tl, HOUR), 0);
	wait_fired(f->core, &a);
	wait_fired(f->core, &b);
	assert_int_equal(a.fired, 1);
	assert_int_equal(b.fired, 1);
	assert_null(a.self);
	assert_null(b.self);
	assert_int_equal(late.fired, 0);
	mdev_timer_free(tl);
}

static void test_host_watch(void **state)
{
	struct fixture *f = *state;
	struct counter c = { 0 };
	struct mdev_timer *t = mdev_timer_new(f->mdev, count_fn, &c);
	struct pollfd pfd;
	int fd;

	assert_non_null(t);
	assert_int_equal(f->host.watch_calls, 1);
	fd = f->host.fd;
	assert_true(fd >= 0);
	assert_non_null(f->host.ready);

	/* Spurious wake-up: nothing expired, nothing runs. */
	f->host.ready(f->host.arg);
	assert_int_equal(c.fired, 0);

	assert_int_equal(mdev_timer_arm(t, 1 * MS), 0);
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	assert_int_equal(poll(&pfd, 1, 10000), 1);
	f->host.ready(f->host.arg);
	assert_int_equal(c.fired, 1);

	mdev_timer_free(t);
	assert_int_equal(f->host.unwatch_calls, 1);
	assert_int_equal(f->host.unwatched_fd, fd);
}

static void test_host_watch_error(void **state)
{
	struct fixture *f = *state;
	struct counter c = { 0 };

	f->host.watch_error = -ENOSPC;
	errno = 0;
	assert_null(mdev_timer_new(f->mdev, count_fn, &c));
	assert_int_equal(errno, ENOSPC);
	f->host.watch_error = 0;
}

/* A timer the driver forgot is freed (fd closed, unwatched) with its device. */
static void test_freed_with_device(void **state)
{
	struct fixture *f = *state;
	struct counter c = { 0 };
	int fd;

	assert_non_null(mdev_timer_new(f->mdev, count_fn, &c));
	fd = f->host.fd;
	assert_true(fcntl(fd, F_GETFD) >= 0);
	assert_int_equal(mdev_core_remove(f->core, UUID_A), 0);
	assert_int_equal(f->host.unwatch_calls, 1);
	assert_int_equal(f->host.unwatched_fd, fd);
	assert_int_equal(fcntl(fd, F_GETFD), -1);
	assert_int_equal(errno, EBADF);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_new_errors, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_fires_once, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_not_due, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disarm, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rearm_replaces, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_several_and_free_in_callback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_host_watch, setup_host,
						teardown),
		cmocka_unit_test_setup_teardown(test_host_watch_error,
						setup_host, teardown),
		cmocka_unit_test_setup_teardown(test_freed_with_device,
						setup_host, teardown),
	};

	return cmocka_run_group_tests_name("timer", tests, NULL, NULL);
}
