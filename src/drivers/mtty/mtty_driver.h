/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mtty vendor driver for the userspace mdev core: registers parent "mtty"
 * with types mtty-1 (one port) and mtty-2 (two ports), 24 ports shared per
 * parent (driver option "ports" sets another number).  Each device's
 * struct mdev_state owns the mtty device model, its interrupt triggers
 * (the toolkit's struct umdev_irqs) and one timer per port.  Uses only the
 * driver ABI (<umdev/mdev.h>, <umdev/toolkit.h>).
 */
#ifndef UMDEV_DRIVERS_MTTY_DRIVER_H
#define UMDEV_DRIVERS_MTTY_DRIVER_H

#include <stddef.h>
#include <umdev/driver.h>
#include <umdev/mdev.h>

#define MTTY_DRIVER_NAME "mtty"
/* Ports one parent shares between its devices (the kernel sample's). */
#define MTTY_DRIVER_TOTAL_PORTS 24
/* The most option "ports" (--driver-opt mtty.ports=N) may ask for. */
#define MTTY_DRIVER_MAX_PORTS 1048576

/**
 * mtty_driver_register() - register parent "mtty" on @core.
 * Return: 0; -EEXIST if @core already has a parent "mtty"; -ENOMEM.
 */
int mtty_driver_register(struct mdev_core *core);
/**
 * mtty_driver_register_ports() - the same with @nr_ports shared ports.
 * Return: 0; -EINVAL for 0; -EEXIST; -ENOMEM.
 */
int mtty_driver_register_ports(struct mdev_core *core, unsigned int nr_ports);

/*
 * The driver's entry point (<umdev/driver.h>): umdevd enters the built-in
 * mtty through mtty_builtin_entry exactly as it enters a loaded driver;
 * mtty.so (mtty_module.c) exports the same as umdev_driver_entry.
 */
int mtty_driver_init(struct mdev_core *core, void **priv);
void mtty_driver_exit(struct mdev_core *core, void *priv);
extern const struct umdev_driver_entry mtty_builtin_entry;

/**
 * mtty_driver_migration_size() - bytes mtty_driver_save() needs for @mdev.
 */
size_t mtty_driver_migration_size(struct mdev_device *mdev);

/**
 * mtty_driver_save() - write @mdev's device state (the model's migration
 * stream) to @buf.
 * Return: bytes written, or -ENOSPC if @len is too small.
 */
int mtty_driver_save(struct mdev_device *mdev, void *buf, size_t len);

/**
 * mtty_driver_restore() - load a stream written by mtty_driver_save().
 * On refusal the device is untouched and *@why (if not NULL) names the
 * reason.  Pending interrupts of the loaded state are delivered only once
 * the client installs triggers.
 * Return: 0; -EINVAL for a malformed or mismatched stream;
 * -EPROTONOSUPPORT for an unknown major version.
 */
int mtty_driver_restore(struct mdev_device *mdev, const void *buf, size_t len,
			const char **why);

#endif
