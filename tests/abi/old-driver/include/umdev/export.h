/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * umdev/export.h - symbol visibility of the umdev ABI.
 *
 * libumdev is built with -fvisibility=hidden and a linker version script
 * (src/libumdev.map, node UMDEV_1.0): only what the public headers declare
 * between UMDEV_ABI_BEGIN and UMDEV_ABI_END, or mark UMDEV_EXPORT, can be
 * reached from outside the library.  Everything else is internal and may
 * change in any release.  See docs/driver-abi.md.
 */
#ifndef UMDEV_EXPORT_H
#define UMDEV_EXPORT_H

#define UMDEV_EXPORT __attribute__((visibility("default")))

/* Every declaration between these two has default visibility. */
#define UMDEV_ABI_BEGIN _Pragma("GCC visibility push(default)")
#define UMDEV_ABI_END _Pragma("GCC visibility pop")

#endif
