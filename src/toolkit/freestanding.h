/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The only headers code shared by the daemon and umdev_mtty.ko may use (the
 * driver toolkit here, the device model in src/model/).  In the kernel they
 * come from <linux/...>; in userspace from the C library, of which that
 * code uses nothing but types, memcpy/memset and the errno constants.
 * <linux/vfio.h> and <linux/pci_regs.h> exist in both worlds.
 */
#ifndef UMDEV_TOOLKIT_FREESTANDING_H
#define UMDEV_TOOLKIT_FREESTANDING_H

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
/* The kernel's marker for an intended switch fall-through. */
#ifndef fallthrough
#define fallthrough __attribute__((__fallthrough__))
#endif
#endif

#endif
