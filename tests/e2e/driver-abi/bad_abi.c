// SPDX-License-Identifier: GPL-2.0-only
/* A driver built for the next ABI major: must be refused. */
#include <umdev/driver.h>

static int bad_abi_init(struct mdev_core *core, void **priv)
{
	return 0;
}

UMDEV_EXPORT const struct umdev_driver_entry umdev_driver_entry = {
	.abi_major = UMDEV_DRIVER_ABI_MAJOR + 1,
	.abi_minor = 0,
	.name = "badabi",
	.init = bad_abi_init,
};
