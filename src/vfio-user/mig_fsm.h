/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vfio-user server: the VFIO migration state machine of <linux/vfio.h>
 * (enum vfio_device_mig_state), as data: which single arcs exist, and how
 * a request for a farther state is decomposed into them, following the
 * rules <linux/vfio.h> states for VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE
 * (the kernel's vfio_mig_get_next_state() implements the same rules).
 */
#ifndef UMDEV_VFIO_USER_MIG_FSM_H
#define UMDEV_VFIO_USER_MIG_FSM_H

#include <stdbool.h>
#include <stdint.h>

#include "compat/vfio_precopy.h"

/* States are 0 (ERROR) .. VU_MIG_NR_STATES - 1 (PRE_COPY_P2P). */
#define VU_MIG_NR_STATES 8

/**
 * vu_mig_state_name() - "RUNNING", "STOP_COPY", ...; "?" when out of range.
 */
const char *vu_mig_state_name(uint32_t state);

/**
 * vu_mig_state_supported() - can a device with migration features @flags
 * (VFIO_MIGRATION_*) be in @state?  ERROR is never a state one asks for,
 * so it is not "supported" here.
 */
bool vu_mig_state_supported(uint64_t flags, uint32_t state);

/**
 * vu_mig_next_state() - the first arc on the way from @cur to @target.
 * @flags: the device's VFIO_MIGRATION_* features (STOP_COPY at least)
 * The path is the shortest one over the arcs of <linux/vfio.h> that does
 * not pass through a state of the saving group (PRE_COPY, PRE_COPY_P2P,
 * STOP_COPY) on its way, unless it starts and ends in that group and
 * stays in it; states the device does not support are passed over, as
 * the kernel does.  Return: 0 with *@next set (@next == @target when
 * @cur == @target); -EINVAL when @cur or @target is ERROR, out of range
 * or not supported by @flags, or no path exists (e.g. STOP_COPY to
 * PRE_COPY).
 */
int vu_mig_next_state(uint64_t flags, uint32_t cur, uint32_t target,
		      uint32_t *next);

#endif
