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
 * new members go at the end, and abi_minor says which ones a driver has
 * (umdev_driver_entry_copy() reads only those).
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
/**
 * umdev_driver_entry_copy() - for the host that loads drivers: check @entry
 * as umdev_driver_abi_check() does, then copy it into @out, every member
 * that @entry's abi_minor does not have set to 0 / NULL, so the host reads
 * only its copy.  (Added in 1.1.)
 * Return: 0; -EINVAL for a NULL argument; -EPROTONOSUPPORT for another
 * major (@out untouched).
 */
int umdev_driver_entry_copy(const struct umdev_driver_entry *entry,
			    struct umdev_driver_entry *out);

/*
 * Options the host gives a driver (umdevd --driver-opt DRIVER.KEY=VALUE),
 * read in the driver's init.  An option is accepted only if its driver
 * asks for it: the host refuses, naming it, an option no driver asked for
 * and one whose value the driver refused.  Added in UMDEV_1.1.
 */
/**
 * umdev_driver_option() - the value of option @key of driver @driver.
 * Return: the value (owned by @core, valid until it is freed), or NULL if
 * the host gave none.
 */
const char *umdev_driver_option(struct mdev_core *core, const char *driver,
				const char *key);
/**
 * umdev_driver_option_uint() - option @key of @driver as a decimal number
 * from @min to @max, stored in *@val; *@val is left alone if the host gave
 * no value.
 * Return: 0 (given and valid, or not given); -EINVAL if the value is not
 * such a number (recorded as refused, with the range as the reason).
 */
int umdev_driver_option_uint(struct mdev_core *core, const char *driver,
			     const char *key, unsigned long min,
			     unsigned long max, unsigned long *val);
/**
 * umdev_driver_option_invalid() - the driver refuses the value of option
 * @key, for reason @why (copied; the host names the option and value).
 * Return: -EINVAL, for the driver's init to return.
 */
int umdev_driver_option_invalid(struct mdev_core *core, const char *driver,
				const char *key, const char *why);
UMDEV_ABI_END

#ifdef __cplusplus
}
#endif

#endif
