/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * definition - one persistent device definition in mdevctl's format:
 * <config>/<parent>/<uuid> holds
 *   {"mdev_type": "...", "start": "auto"|"manual", "attrs": [{"n": "v"}]}.
 * Shared by umdevd (its definitions) and umdevctl (--jsonfile).
 */
#ifndef UMDEV_MANAGEMENT_DEFINITION_H
#define UMDEV_MANAGEMENT_DEFINITION_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

#include <umdev/mdev.h>

/* Longest parent, type or attribute name accepted (without the NUL). */
#define MGMT_NAME_MAX 255

struct mgmt_attr {
	char *name;
	char *value;
};

struct mgmt_def {
	char uuid[MDEV_UUID_STRLEN + 1]; /* lowercase */
	char *parent;
	char *type; /* "mdev_type" */
	bool autostart; /* "start": "auto" */
	struct mgmt_attr *attrs; /* in order: applied in this order */
	size_t nr_attrs;
	struct mgmt_def *next; /* in a list kept sorted by parent, uuid */
	/* A running device's record (service.c): the device it describes. */
	const struct mdev_device *mdev;
};

/**
 * mgmt_name_valid() - true if @s can name a parent, type or attribute: 1 to
 * MGMT_NAME_MAX bytes, no '/', not "." or "..", no control characters.
 */
bool mgmt_name_valid(const char *s);

/**
 * mgmt_uuid_normalize() - check that @s is a UUID (mdev_uuid_valid(), the
 * one check) and write its lowercase form to @out (37 bytes).
 * Return: 0 or -EINVAL.
 */
int mgmt_uuid_normalize(const char *s, char *out);

/**
 * mgmt_def_new() - a definition of @uuid on @parent of @type (may be NULL).
 * Return: the definition, or NULL with errno EINVAL (bad UUID or name) or
 * ENOMEM.
 */
struct mgmt_def *mgmt_def_new(const char *uuid, const char *parent,
			      const char *type);
/** mgmt_def_copy() - a deep copy (next = NULL), or NULL (ENOMEM). */
struct mgmt_def *mgmt_def_copy(const struct mgmt_def *def);
void mgmt_def_free(struct mgmt_def *def);

/**
 * mgmt_def_set_type() - replace the type.  Return: 0, -EINVAL, -ENOMEM.
 */
int mgmt_def_set_type(struct mgmt_def *def, const char *type);

/**
 * mgmt_def_attr_insert() - insert attribute @name=@value at @index
 * (def->nr_attrs or more: append).  Return: 0, -EINVAL (bad name), -ENOMEM.
 */
int mgmt_def_attr_insert(struct mgmt_def *def, size_t index, const char *name,
			 const char *value);
/**
 * mgmt_def_attr_delete() - delete the attribute at @index (SIZE_MAX: the
 * last).  Return: 0, or -ENOENT if there is none.
 */
int mgmt_def_attr_delete(struct mgmt_def *def, size_t index);

/**
 * mgmt_def_parse_config() - read mdevctl's config object @obj into @def
 * (type, start, attrs; the UUID and parent come from elsewhere).
 * "mdev_type" may be absent only if @type_optional.  @err gets a message
 * naming what is wrong.
 * Return: 0, -EINVAL (malformed), -ENOMEM.
 */
int mgmt_def_parse_config(struct mgmt_def *def, json_object *obj,
			  bool type_optional, char *err, size_t errlen);

/**
 * mgmt_def_config_json() - @def as mdevctl's config object.  @with_attrs
 * false gives "attrs": [] (mdevctl's listing of running devices).
 * Return: a new object, or NULL (ENOMEM).
 */
json_object *mgmt_def_config_json(const struct mgmt_def *def, bool with_attrs);

#endif
