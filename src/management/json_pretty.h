/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * json_pretty - JSON text exactly as mdevctl prints and stores it: two-space
 * indent, "key": value, empty arrays and objects as [] and {}, members in
 * insertion order, no escaped slashes, no trailing newline.
 */
#ifndef UMDEV_MANAGEMENT_JSON_PRETTY_H
#define UMDEV_MANAGEMENT_JSON_PRETTY_H

#include <json-c/json.h>

/**
 * json_pretty() - @obj as mdevctl's pretty JSON text.
 * Return: a malloc'd NUL-terminated string (caller frees), or NULL with
 * errno = ENOMEM.
 */
char *json_pretty(json_object *obj);

#endif
