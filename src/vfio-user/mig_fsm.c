// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-user server: migration state machine.  The single arcs are listed
 * once, as data (vu_mig_arcs); a combination request is answered by a
 * breadth-first search over them with the two rules of <linux/vfio.h>:
 * the shortest path, and saving-group states only at its ends (or all
 * along it when both ends are in the group: one data session never ends
 * and restarts on the way).  Eight states: the search is a few dozen
 * steps, run only on a state change.
 */
#include <errno.h>
#include <stddef.h>

#include "vfio-user/mig_fsm.h"

#define S_ERROR VFIO_DEVICE_STATE_ERROR
#define S_STOP VFIO_DEVICE_STATE_STOP
#define S_RUNNING VFIO_DEVICE_STATE_RUNNING
#define S_STOP_COPY VFIO_DEVICE_STATE_STOP_COPY
#define S_RESUMING VFIO_DEVICE_STATE_RESUMING
#define S_RUNNING_P2P VFIO_DEVICE_STATE_RUNNING_P2P
#define S_PRE_COPY VFIO_DEVICE_STATE_PRE_COPY
#define S_PRE_COPY_P2P VFIO_DEVICE_STATE_PRE_COPY_P2P

/* The single arcs of a device with every feature (STOP_COPY|P2P|PRE_COPY). */
static const struct vu_mig_arc {
	uint8_t from, to;
} vu_mig_arcs[] = {
	{ S_RUNNING, S_RUNNING_P2P },
	{ S_RUNNING_P2P, S_RUNNING },
	{ S_RUNNING_P2P, S_STOP },
	{ S_STOP, S_RUNNING_P2P },
	{ S_STOP, S_STOP_COPY },
	{ S_STOP_COPY, S_STOP },
	{ S_STOP, S_RESUMING },
	{ S_RESUMING, S_STOP },
	{ S_RUNNING, S_PRE_COPY },
	{ S_PRE_COPY, S_RUNNING },
	{ S_RUNNING_P2P, S_PRE_COPY_P2P },
	{ S_PRE_COPY_P2P, S_RUNNING_P2P },
	{ S_PRE_COPY, S_PRE_COPY_P2P },
	{ S_PRE_COPY_P2P, S_PRE_COPY },
	{ S_PRE_COPY_P2P, S_STOP_COPY },
};

#define VU_MIG_NR_ARCS (sizeof(vu_mig_arcs) / sizeof(vu_mig_arcs[0]))

/* Per state: its name and the features it needs. */
static const struct vu_mig_state_info {
	const char *name;
	uint64_t needs;
} vu_mig_states[VU_MIG_NR_STATES] = {
	[S_ERROR] = { "ERROR", 0 },
	[S_STOP] = { "STOP", VFIO_MIGRATION_STOP_COPY },
	[S_RUNNING] = { "RUNNING", VFIO_MIGRATION_STOP_COPY },
	[S_STOP_COPY] = { "STOP_COPY", VFIO_MIGRATION_STOP_COPY },
	[S_RESUMING] = { "RESUMING", VFIO_MIGRATION_STOP_COPY },
	[S_RUNNING_P2P] = { "RUNNING_P2P",
			    VFIO_MIGRATION_STOP_COPY | VFIO_MIGRATION_P2P },
	[S_PRE_COPY] = { "PRE_COPY",
			 VFIO_MIGRATION_STOP_COPY | VFIO_MIGRATION_PRE_COPY },
	[S_PRE_COPY_P2P] = { "PRE_COPY_P2P", VFIO_MIGRATION_STOP_COPY |
						     VFIO_MIGRATION_P2P |
						     VFIO_MIGRATION_PRE_COPY },
};

const char *vu_mig_state_name(uint32_t state)
{
	return state < VU_MIG_NR_STATES ? vu_mig_states[state].name : "?";
}

bool vu_mig_state_supported(uint64_t flags, uint32_t state)
{
	uint64_t needs;

	if (state == S_ERROR || state >= VU_MIG_NR_STATES)
		return false;
	needs = vu_mig_states[state].needs;
	return (flags & needs) == needs;
}

static bool vu_mig_saving(uint32_t state)
{
	return state == S_STOP_COPY || state == S_PRE_COPY ||
	       state == S_PRE_COPY_P2P;
}

/* May the path from @cur to @target pass through @via on its way? */
static bool vu_mig_may_pass(uint32_t cur, uint32_t target, uint32_t via)
{
	if (vu_mig_saving(cur) && vu_mig_saving(target))
		return vu_mig_saving(via);
	return !vu_mig_saving(via);
}

int vu_mig_next_state(uint64_t flags, uint32_t cur, uint32_t target,
		      uint32_t *next)
{
	uint8_t parent[VU_MIG_NR_STATES];
	uint8_t queue[VU_MIG_NR_STATES];
	bool seen[VU_MIG_NR_STATES] = { false };
	unsigned int head = 0, tail = 0;
	uint32_t s, hop;
	size_t i;

	if (!vu_mig_state_supported(flags, cur) ||
	    !vu_mig_state_supported(flags, target))
		return -EINVAL;
	if (cur == target) {
		*next = cur;
		return 0;
	}
	/* Breadth-first over every arc (all features), from @cur. */
	seen[cur] = true;
	queue[tail++] = (uint8_t)cur;
	while (head < tail && !seen[target]) {
		s = queue[head++];
		for (i = 0; i < VU_MIG_NR_ARCS; i++) {
			uint32_t to = vu_mig_arcs[i].to;

			if (vu_mig_arcs[i].from != s || seen[to])
				continue;
			if (to != target && !vu_mig_may_pass(cur, target, to))
				continue;
			seen[to] = true;
			parent[to] = (uint8_t)s;
			queue[tail++] = (uint8_t)to;
		}
	}
	if (!seen[target])
		return -EINVAL;
	/*
	 * Walk back to the first state after @cur that the device supports:
	 * the states it lacks are passed over (their arcs join up).
	 */
	hop = target;
	for (s = target; s != cur; s = parent[s])
		if (vu_mig_state_supported(flags, s))
			hop = s;
	*next = hop;
	return 0;
}
