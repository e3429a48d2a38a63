/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The only headers the device model may use.  In the kernel they come from
 * <linux/...>; in userspace from the C library, of which the model uses
 * nothing but types, memcpy/memset and the errno constants.
 */
#ifndef UMDEV_MODEL_BASE_H
#define UMDEV_MODEL_BASE_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/string.h>
#include <linux/errno.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <errno.h> /* constants only */
#endif

#endif
