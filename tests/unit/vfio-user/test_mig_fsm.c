// SPDX-License-Identifier: GPL-2.0-only
/*
 * The migration state machine's decomposition (mig_fsm.c): the first arc
 * of every request, for a device with every feature and with fewer, as
 * <linux/vfio.h>'s rules give it (shortest path, saving-group states only
 * at its ends or all along it).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "vfio-user/mig_fsm.h"

#define ERR VFIO_DEVICE_STATE_ERROR
#define STOP VFIO_DEVICE_STATE_STOP
#define RUN VFIO_DEVICE_STATE_RUNNING
#define SCOPY VFIO_DEVICE_STATE_STOP_COPY
#define RES VFIO_DEVICE_STATE_RESUMING
#define P2P VFIO_DEVICE_STATE_RUNNING_P2P
#define PRE VFIO_DEVICE_STATE_PRE_COPY
#define PREP VFIO_DEVICE_STATE_PRE_COPY_P2P
#define NONE 0xff /* no path: -EINVAL */

#define ALL                                              \
	(VFIO_MIGRATION_STOP_COPY | VFIO_MIGRATION_P2P | \
	 VFIO_MIGRATION_PRE_COPY)

/* next[cur][target] for a device with every feature. */
static const uint8_t full[8][8] = {
	[STOP] = { [STOP] = STOP,
		   [RUN] = P2P,
		   [SCOPY] = SCOPY,
		   [RES] = RES,
		   [P2P] = P2P,
		   [PRE] = P2P,
		   [PREP] = P2P },
	[RUN] = { [STOP] = P2P,
		  [RUN] = RUN,
		  [SCOPY] = P2P,
		  [RES] = P2P,
		  [P2P] = P2P,
		  [PRE] = PRE,
		  [PREP] = P2P },
	[SCOPY] = { [STOP] = STOP,
		    [RUN] = STOP,
		    [SCOPY] = SCOPY,
		    [RES] = STOP,
		    [P2P] = STOP,
		    [PRE] = NONE,
		    [PREP] = NONE },
	[RES] = { [STOP] = STOP,
		  [RUN] = STOP,
		  [SCOPY] = STOP,
		  [RES] = RES,
		  [P2P] = STOP,
		  [PRE] = STOP,
		  [PREP] = STOP },
	[P2P] = { [STOP] = STOP,
		  [RUN] = RUN,
		  [SCOPY] = STOP,
		  [RES] = STOP,
		  [P2P] = P2P,
		  [PRE] = RUN,
		  [PREP] = PREP },
	[PRE] = { [STOP] = RUN,
		  [RUN] = RUN,
		  [SCOPY] = PREP,
		  [RES] = RUN,
		  [P2P] = RUN,
		  [PRE] = PRE,
		  [PREP] = PREP },
	[PREP] = { [STOP] = P2P,
		   [RUN] = P2P,
		   [SCOPY] = SCOPY,
		   [RES] = P2P,
		   [P2P] = P2P,
		   [PRE] = PRE,
		   [PREP] = PREP },
};

static void expect_next(uint64_t flags, uint32_t cur, uint32_t target,
			uint32_t want)
{
	uint32_t next = 0xdead;
	int ret = vu_mig_next_state(flags, cur, target, &next);

	print_message("# %s -> %s\n", vu_mig_state_name(cur),
		      vu_mig_state_name(target));
	if (want == NONE) {
		assert_int_equal(ret, -EINVAL);
		assert_int_equal(next, 0xdead); /* untouched */
	} else {
		assert_int_equal(ret, 0);
		assert_int_equal(next, want);
	}
}

static void test_full_table(void **state)
{
	uint32_t cur, target;

	for (cur = STOP; cur <= PREP; cur++)
		for (target = STOP; target <= PREP; target++)
			expect_next(ALL, cur, target, full[cur][target]);
}

/* Following the arcs always arrives, in fewer steps than states. */
static void test_walks_arrive(void **state)
{
	static const uint64_t sets[] = {
		VFIO_MIGRATION_STOP_COPY,
		VFIO_MIGRATION_STOP_COPY | VFIO_MIGRATION_P2P,
		VFIO_MIGRATION_STOP_COPY | VFIO_MIGRATION_PRE_COPY,
		ALL,
	};
	uint32_t cur, target, s, next;
	size_t i;
	int steps;

	for (i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		for (cur = STOP; cur <= PREP; cur++) {
			for (target = STOP; target <= PREP; target++) {
				if (!vu_mig_state_supported(sets[i], cur) ||
				    !vu_mig_state_supported(sets[i], target) ||
				    vu_mig_next_state(sets[i], cur, target,
						      &next))
					continue;
				for (s = cur, steps = 0; s != target; steps++) {
					assert_int_equal(
						vu_mig_next_state(sets[i], s,
								  target, &s),
						0);
					assert_true(vu_mig_state_supported(
						sets[i], s));
					assert_true(steps < 8);
				}
			}
		}
	}
}

/* Missing features: their states are passed over, or not reachable. */
static void test_fewer_features(void **state)
{
	const uint64_t no_p2p = VFIO_MIGRATION_STOP_COPY |
				VFIO_MIGRATION_PRE_COPY;
	const uint64_t no_pre = VFIO_MIGRATION_STOP_COPY | VFIO_MIGRATION_P2P;
	const uint64_t base = VFIO_MIGRATION_STOP_COPY;

	expect_next(no_p2p, RUN, STOP, STOP);
	expect_next(no_p2p, STOP, RUN, RUN);
	expect_next(no_p2p, PRE, SCOPY, SCOPY);
	expect_next(no_p2p, PRE, STOP, RUN);
	expect_next(no_p2p, RUN, SCOPY, STOP);
	expect_next(no_p2p, RUN, P2P, NONE);
	expect_next(no_p2p, RUN, PREP, NONE);
	expect_next(no_p2p, SCOPY, PRE, NONE);
	expect_next(no_pre, RUN, PRE, NONE);
	expect_next(no_pre, RUN, SCOPY, P2P);
	expect_next(base, RUN, SCOPY, STOP);
	expect_next(base, RES, RUN, STOP);
	expect_next(base, STOP, RUN, RUN);
	expect_next(base, P2P, STOP, NONE); /* not a state it has */
}

static void test_refusals(void **state)
{
	expect_next(ALL, ERR, RUN, NONE); /* only a reset leaves ERROR */
	expect_next(ALL, RUN, ERR, NONE); /* not a state one asks for */
	expect_next(ALL, RUN, 8, NONE);
	expect_next(ALL, 0xabcd, RUN, NONE);
	expect_next(0, RUN, STOP, NONE); /* no STOP_COPY: no migration */
	assert_string_equal(vu_mig_state_name(PREP), "PRE_COPY_P2P");
	assert_string_equal(vu_mig_state_name(9), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_table),
		cmocka_unit_test(test_walks_arrive),
		cmocka_unit_test(test_fewer_features),
		cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests_name("mig_fsm", tests, NULL, NULL);
}
