// SPDX-License-Identifier: GPL-2.0-only
/*
 * driver_abi - what the library checks of the things a driver hands it:
 * its entry point (built for this ABI major?), and the sizes and contents
 * of the structs it registers (driver_abi.h has the rule).  Exported
 * functions here put the entry's layout under what tests/abi/ watches.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <umdev/driver.h>

#include "driver_abi.h"

const struct umdev_abi_sizes umdev_abi_sizes_1_0 = {
	.sizes = UMDEV_ABI_END_OF(struct umdev_abi_sizes, type_desc),
	.driver = UMDEV_ABI_END_OF(struct mdev_driver, release_parent),
	.device_ops = UMDEV_ABI_END_OF(struct umdev_device_ops, request),
	.type_desc = UMDEV_ABI_END_OF(struct mdev_type_desc, driver_data),
};

/**
 * umdev_driver_abi_check() - can this libumdev serve a driver with @entry?
 * The major must match; any minor of it is accepted (a newer minor's
 * additional symbols are versioned, so the dynamic linker refuses a driver
 * that uses one this library lacks).
 * Return: 0; -EINVAL for NULL; -EPROTONOSUPPORT for another major.
 */
int umdev_driver_abi_check(const struct umdev_driver_entry *entry)
{
	if (!entry)
		return -EINVAL;
	if (entry->abi_major != UMDEV_DRIVER_ABI_MAJOR)
		return -EPROTONOSUPPORT;
	return 0;
}

/*
 * The bytes of struct umdev_driver_entry a driver built for @minor has.
 * The entry carries its own version: a member appended in minor N is here
 * as "if (minor >= N) return UMDEV_ABI_END_OF(..., that member);".
 */
static size_t umdev_driver_entry_size(uint32_t minor)
{
	return UMDEV_ABI_END_OF(struct umdev_driver_entry, exit);
}

/**
 * umdev_driver_entry_copy() - check @entry as umdev_driver_abi_check() does
 * and copy it into @out, the members its ABI minor lacks set to 0 / NULL.
 * Return: 0; -EINVAL for NULL; -EPROTONOSUPPORT for another major (@out is
 * then untouched).
 */
int umdev_driver_entry_copy(const struct umdev_driver_entry *entry,
			    struct umdev_driver_entry *out)
{
	int ret = umdev_driver_abi_check(entry);

	if (ret || !out)
		return ret ? ret : -EINVAL;
	umdev_abi_copy(out, sizeof(*out), entry,
		       umdev_driver_entry_size(entry->abi_minor));
	return 0;
}

void umdev_abi_copy(void *dst, size_t dst_size, const void *src,
		    size_t src_size)
{
	memset(dst, 0, dst_size);
	memcpy(dst, src, src_size < dst_size ? src_size : dst_size);
}

int umdev_abi_sizes_read(const struct umdev_abi_sizes *given,
			 struct umdev_abi_sizes *out)
{
	const struct umdev_abi_sizes *min = &umdev_abi_sizes_1_0;

	if (!given || given->sizes < min->sizes)
		return -EINVAL;
	umdev_abi_copy(out, sizeof(*out), given, given->sizes);
	if (out->driver < min->driver || out->device_ops < min->device_ops ||
	    out->type_desc < min->type_desc)
		return -EINVAL;
	return 0;
}

int umdev_device_ops_check(const struct umdev_device_ops *ops)
{
	bool any = ops->migration_get_flags || ops->migration_get_state ||
		   ops->migration_set_state || ops->migration_read_data ||
		   ops->migration_write_data || ops->migration_precopy_info;
	bool all = ops->migration_get_flags && ops->migration_get_state &&
		   ops->migration_set_state && ops->migration_read_data &&
		   ops->migration_write_data;

	return any && !all ? -EINVAL : 0;
}
