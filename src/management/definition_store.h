/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * definition_store - definitions on disk, where mdevctl keeps them:
 * <config>/<parent>/<uuid>, one JSON file each.  Writes are atomic
 * (temporary file, fsync, rename, fsync of the directory), so a crash
 * leaves the old file or the new one, never half of one.  A file that
 * cannot be read is reported and skipped, never rewritten or deleted.
 */
#ifndef UMDEV_MANAGEMENT_DEFINITION_STORE_H
#define UMDEV_MANAGEMENT_DEFINITION_STORE_H

#include "definition.h"

/* Default config directory (mdevctl's). */
#define MGMT_CONFIG_DIR_DEFAULT "/etc/mdevctl.d"

/* Called for each file that was skipped, with the reason. */
typedef void (*mgmt_store_report)(void *arg, const char *path, const char *why);

/**
 * mgmt_store_resolve() - the config directory: @override, else
 * $UMDEV_CONFIG_DIR, else /etc/mdevctl.d.  Return: 0 or -ENAMETOOLONG.
 */
int mgmt_store_resolve(const char *override, char *buf, size_t len);

/**
 * mgmt_store_load() - read every <dir>/<parent>/<uuid>.  "scripts.d" and
 * names that are not UUIDs are not definitions and are ignored; a file
 * that is a UUID but does not parse is given to @report and skipped.
 * @out receives the definitions, sorted by parent then UUID.
 * Return: number loaded (>= 0), -ENOENT if @dir does not exist (no
 * definitions), or the -errno of opendir.
 */
int mgmt_store_load(const char *dir, struct mgmt_def **out,
		    mgmt_store_report report, void *arg);

/**
 * mgmt_store_write() - write @def to <dir>/<parent>/<uuid> atomically,
 * creating <dir>/<parent> if needed.  Return: 0 or -errno (the old file,
 * if any, is untouched on error).
 */
int mgmt_store_write(const char *dir, const struct mgmt_def *def);

/**
 * mgmt_store_remove() - delete <dir>/<parent>/<uuid> and make it durable.
 * Return: 0, -ENOENT, or -errno.
 */
int mgmt_store_remove(const char *dir, const struct mgmt_def *def);

/** mgmt_def_list_insert() - insert @def into @head keeping the order. */
void mgmt_def_list_insert(struct mgmt_def **head, struct mgmt_def *def);

#endif
