/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * umdev/driver.h - the entry point of a loadable vendor driver.
 *
 * A vendor driver is a shared object that umdevd dlopen()s from its driver
 * directory.  It exports exactly one symbol, UMDEV_DRIVER_ENTRY_SYMBOL, a
 * struct umdev_driver_entry made with UMDEV_DRIVER_DEFINE().  Everything
 * else it uses comes from <umdev/mdev.h> and <umdev/vfio_device.h>: opaque
 * handles and their accessors, nothing a driver could reach into.
 *
 * Versioning (docs/driver-abi.md): UMDEV_DRIVER_ABI_MAJOR changes when an
 * existing function, struct member or callback changes meaning or layout;
 * umdevd refuses a driver built for another major.  UMDEV_DRIVER_ABI_MINOR
 * grows when something is only added; a driver built for a newer minor of
 * the same major is loaded (it may use only what that minor added if the
 * daemon has it: the dynamic linker refuses missing symbols at load time).
 */
#ifndef UMDEV_DRIVER_H
#define UMDEV_DRIVER_H

#include <stdint.h>

#include <umdev/export.h>
#include <umdev/mdev.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The name of the one symbol a driver exports. */
#define UMDEV_DRIVER_ENTRY_SYMBOL "umdev_driver_entry"

/* Longest driver name umdevd accepts (without the NUL). */
#define UMDEV_DRIVER_NAME_MAX 63

/*
 * What a driver tells umdevd.  Layout is frozen for a given ABI major:
 * new members go at the end, guarded by abi_minor.
 */
struct umdev_driver_entry {
	/* UMDEV_DRIVER_ABI_MAJOR/MINOR the driver was built with. */
	uint32_t abi_major;
	uint32_t abi_minor;
	/* Driver name: unique in the daemon; by convention also the name of
	 * the parent it registers and the prefix of its type ids. */
	const char *name;
	/*
	 * Register the driver's parent(s) on @core with
	 * mdev_register_parent().  *@priv may be set to anything the driver
	 * wants back in exit().  Return 0 or -errno: on failure the driver
	 * must have registered nothing (what it did register is removed).
	 */
	int (*init)(struct mdev_core *core, void **priv);
	/*
	 * Optional: the driver is being unloaded.  Its devices are already
	 * removed; unregister its parents (mdev_unregister_parent()) and free
	 * @priv.  Parents still registered afterwards are removed by umdevd.
	 */
	void (*exit)(struct mdev_core *core, void *priv);
};

/**
 * UMDEV_DRIVER_DEFINE() - define the driver's exported entry point.
 * @name_: driver name (a string literal)
 * @init_: int (*)(struct mdev_core *, void **)
 * @exit_: void (*)(struct mdev_core *, void *), or NULL
 *
 * Use once per shared object; it stays visible when the driver is built
 * with -fvisibility=hidden.
 */
#define UMDEV_DRIVER_DEFINE(name_, init_, exit_)                            \
	UMDEV_EXPORT const struct umdev_driver_entry umdev_driver_entry = { \
		.abi_major = UMDEV_DRIVER_ABI_MAJOR,                        \
		.abi_minor = UMDEV_DRIVER_ABI_MINOR,                        \
		.name = (name_),                                            \
		.init = (init_),                                            \
		.exit = (exit_),                                            \
	}

UMDEV_ABI_BEGIN
/**
 * umdev_driver_abi_check() - can this libumdev serve a driver with @entry?
 * Return: 0; -EINVAL for NULL; -EPROTONOSUPPORT if @entry->abi_major is
 * not UMDEV_DRIVER_ABI_MAJOR.  umdevd refuses such a driver.
 */
int umdev_driver_abi_check(const struct umdev_driver_entry *entry);
UMDEV_ABI_END

#ifdef __cplusplus
}
#endif

#endif
