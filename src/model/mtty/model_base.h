/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The only headers the device model may use: those of the freestanding
 * code shared with the kernel module (src/toolkit/freestanding.h).
 */
#ifndef UMDEV_MODEL_BASE_H
#define UMDEV_MODEL_BASE_H

#include "toolkit/freestanding.h"

#endif
