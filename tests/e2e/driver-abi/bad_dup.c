// SPDX-License-Identifier: GPL-2.0-only
/* A driver named like the built-in mtty: must be refused before init. */
#include <stdlib.h>

#include <umdev/driver.h>

static int bad_dup_init(struct mdev_core *core, void **priv)
{
	abort(); /* never reached: the name is checked first */
}

UMDEV_DRIVER_DEFINE("mtty", bad_dup_init, NULL);
