/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * compat/vfio_precopy.h - DEVIATION from the rule "every VFIO struct and
 * constant from <linux/vfio.h>" (docs/deviations.md, D30).
 *
 * Linux 6.2 added VFIO migration PRE_COPY to <linux/vfio.h>: the flag
 * VFIO_MIGRATION_PRE_COPY, the states VFIO_DEVICE_STATE_PRE_COPY(_P2P),
 * struct vfio_precopy_info and VFIO_MIG_GET_PRECOPY_INFO.  The build
 * machine's linux-libc-dev (Debian 12, Linux 6.1) lacks them.  This header
 * defines ONLY those names, with the kernel's values, and only when
 * <linux/vfio.h> does not (its VFIO_MIG_GET_PRECOPY_INFO came with all of
 * them).  With a newer <linux/vfio.h> it defines nothing and checks that
 * the kernel's definitions are the values used here.
 */
#ifndef UMDEV_COMPAT_VFIO_PRECOPY_H
#define UMDEV_COMPAT_VFIO_PRECOPY_H

#include <stdint.h>
#include <linux/vfio.h>

#ifndef VFIO_MIG_GET_PRECOPY_INFO
#define UMDEV_VFIO_PRECOPY_COMPAT 1
#define VFIO_MIGRATION_PRE_COPY (1 << 2)
/* enum vfio_device_mig_state's two PRE_COPY members. */
#define VFIO_DEVICE_STATE_PRE_COPY 6
#define VFIO_DEVICE_STATE_PRE_COPY_P2P 7
struct vfio_precopy_info {
	uint32_t argsz;
	uint32_t flags;
	uint64_t initial_bytes;
	uint64_t dirty_bytes;
};
#define VFIO_MIG_GET_PRECOPY_INFO _IO(VFIO_TYPE, VFIO_BASE + 21)
#endif

_Static_assert(VFIO_MIGRATION_PRE_COPY == 4, "uapi: VFIO_MIGRATION_PRE_COPY");
_Static_assert(VFIO_DEVICE_STATE_PRE_COPY == 6 &&
		       VFIO_DEVICE_STATE_PRE_COPY_P2P == 7 &&
		       VFIO_DEVICE_STATE_RUNNING_P2P == 5,
	       "uapi: migration state numbers");
_Static_assert(sizeof(struct vfio_precopy_info) == 24,
	       "uapi: struct vfio_precopy_info");

#endif
