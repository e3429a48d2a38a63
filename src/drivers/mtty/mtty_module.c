// SPDX-License-Identifier: GPL-2.0-only
/*
 * mtty as a loadable driver (mtty.so, not installed): the same code as the
 * built-in one, linked against libumdev.so alone with --no-undefined, so
 * the build fails if mtty ever uses a symbol outside the driver ABI.
 */
#include <umdev/driver.h>

#include "mtty_driver.h"

UMDEV_DRIVER_DEFINE(MTTY_DRIVER_NAME, mtty_driver_init, mtty_driver_exit);
