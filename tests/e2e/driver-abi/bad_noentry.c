// SPDX-License-Identifier: GPL-2.0-only
/* A would-be driver without UMDEV_DRIVER_DEFINE(): must be refused. */
#include <umdev/mdev.h>

__attribute__((visibility("default"))) int
bad_noentry_init(struct mdev_core *core)
{
	return mdev_core_find_parent(core, "mtty") ? 0 : -1;
}
