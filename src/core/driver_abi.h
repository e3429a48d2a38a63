/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Private to src/core: the one rule by which the core reads the structs a
 * driver hands it (docs/driver-abi.md, "Growing the ABI").  A driver's
 * struct has the size its headers gave it (struct umdev_abi_sizes); the
 * core copies that many bytes, at most its own sizeof, into a zeroed struct
 * of its own size and reads only the copy.  So a member the driver's
 * headers did not have reads as 0 / NULL ("absent"), and nothing past the
 * driver's struct is ever read.
 */
#ifndef UMDEV_CORE_DRIVER_ABI_H
#define UMDEV_CORE_DRIVER_ABI_H

#include <stddef.h>

#include <umdev/mdev.h>

/* The offset just past @member of struct @type. */
#define UMDEV_ABI_END_OF(type, member) \
	(offsetof(type, member) + sizeof(((type *)0)->member))

/*
 * The sizes of driver ABI 1.0, where each struct ended: what the 1.0 symbol
 * mdev_register_parent() assumes, and the smallest sizes accepted.
 */
extern const struct umdev_abi_sizes umdev_abi_sizes_1_0;

/*
 * umdev_abi_sizes_read() - copy @given (the caller's sizes) into @out by the
 * rule above.  Return: 0; -EINVAL for NULL or any size below its 1.0 value.
 */
int umdev_abi_sizes_read(const struct umdev_abi_sizes *given,
			 struct umdev_abi_sizes *out);

/*
 * umdev_abi_copy() - the rule: zero @dst (@dst_size bytes, the core's
 * struct), then copy min(@src_size, @dst_size) bytes of the driver's @src.
 */
void umdev_abi_copy(void *dst, size_t dst_size, const void *src,
		    size_t src_size);

/*
 * umdev_device_ops_check() - the rules of a (copied) ops struct the core
 * can check without calling it: the migration callbacks come all together
 * or not at all.  Return: 0 or -EINVAL.
 */
int umdev_device_ops_check(const struct umdev_device_ops *ops);

/* Does (copied) @ops implement migration?  Valid after the check above. */
static inline bool umdev_device_ops_migrate(const struct umdev_device_ops *ops)
{
	return ops->migration_get_flags != NULL;
}

#endif
