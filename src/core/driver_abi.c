// SPDX-License-Identifier: GPL-2.0-only
/*
 * driver_abi - the one check of a driver's entry point that belongs to the
 * library rather than to the daemon: is it built for this driver ABI?
 * Exported, so the entry's layout is part of what tests/abi/ watches.
 */
#include <errno.h>

#include <umdev/driver.h>

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
