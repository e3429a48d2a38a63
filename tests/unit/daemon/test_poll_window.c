// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the adaptive busy-poll window (src/daemon/poll_window.c):
 * off stays off, hits keep the window, near misses grow it up to the
 * maximum, waits past the maximum shrink and finally close it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "poll_window.h"

static void test_off(void **state)
{
	struct poll_window w;

	poll_window_init(&w, 0);
	poll_window_update(&w, 10, false);
	poll_window_update(&w, 1000000000, false);
	assert_int_equal(w.ns, 0);
}

static void test_grow_to_max_and_hold(void **state)
{
	struct poll_window w;
	uint64_t prev = 0;
	int i;

	poll_window_init(&w, 50000);
	assert_int_equal(w.ns, 0);
	/* Each event came soon after the loop slept: a longer window pays. */
	poll_window_update(&w, 20000, false);
	assert_int_equal(w.ns, POLL_WINDOW_START_NS);
	for (i = 0; i < 10; i++) {
		prev = w.ns;
		poll_window_update(&w, 20000, false);
		assert_true(w.ns >= prev);
	}
	assert_int_equal(w.ns, 50000);
	/* Hits keep it. */
	for (i = 0; i < 100; i++)
		poll_window_update(&w, 1000, true);
	assert_int_equal(w.ns, 50000);
}

static void test_shrink_and_close(void **state)
{
	struct poll_window w;
	int i;

	poll_window_init(&w, 50000);
	for (i = 0; i < 10; i++)
		poll_window_update(&w, 100, false);
	assert_int_equal(w.ns, 50000);
	/* An idle source: each wait is far longer than any window. */
	poll_window_update(&w, 1000000, false);
	assert_int_equal(w.ns, 25000);
	for (i = 0; i < 10; i++)
		poll_window_update(&w, 1000000, false);
	assert_int_equal(w.ns, 0);
	/* And it opens again once the traffic comes back. */
	poll_window_update(&w, 10000, false);
	assert_int_equal(w.ns, POLL_WINDOW_START_NS);
}

/* A maximum under the starting window is honoured. */
static void test_small_max(void **state)
{
	struct poll_window w;

	poll_window_init(&w, 1000);
	poll_window_update(&w, 500, false);
	assert_int_equal(w.ns, 1000);
	poll_window_update(&w, 5000, false);
	assert_int_equal(w.ns, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_off),
		cmocka_unit_test(test_grow_to_max_and_hold),
		cmocka_unit_test(test_shrink_and_close),
		cmocka_unit_test(test_small_max),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
