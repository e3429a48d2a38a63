// SPDX-License-Identifier: GPL-2.0-only
/*
 * definition - mdevctl's per-device config object (definition.h).
 */
#include "definition.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <umdev/mdev_host.h>

bool mgmt_name_valid(const char *s)
{
	size_t n, i;

	if (!s)
		return false;
	n = strlen(s);
	if (!n || n > MGMT_NAME_MAX || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	for (i = 0; i < n; i++)
		if (s[i] == '/' || (unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

int mgmt_uuid_normalize(const char *s, char *out)
{
	size_t i;

	if (!mdev_uuid_valid(s))
		return -EINVAL;
	for (i = 0; i < MDEV_UUID_STRLEN; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	out[MDEV_UUID_STRLEN] = '\0';
	return 0;
}

struct mgmt_def *mgmt_def_new(const char *uuid, const char *parent,
			      const char *type)
{
	struct mgmt_def *def;

	if (!mgmt_name_valid(parent) || (type && !mgmt_name_valid(type))) {
		errno = EINVAL;
		return NULL;
	}
	def = calloc(1, sizeof(*def));
	if (!def) {
		errno = ENOMEM;
		return NULL;
	}
	if (mgmt_uuid_normalize(uuid, def->uuid)) {
		free(def);
		errno = EINVAL;
		return NULL;
	}
	def->parent = strdup(parent);
	def->type = type ? strdup(type) : NULL;
	if (!def->parent || (type && !def->type)) {
		mgmt_def_free(def);
		errno = ENOMEM;
		return NULL;
	}
	return def;
}

void mgmt_def_free(struct mgmt_def *def)
{
	size_t i;

	if (!def)
		return;
	for (i = 0; i < def->nr_attrs; i++) {
		free(def->attrs[i].name);
		free(def->attrs[i].value);
	}
	free(def->attrs);
	free(def->parent);
	free(def->type);
	free(def);
}

struct mgmt_def *mgmt_def_copy(const struct mgmt_def *def)
{
	struct mgmt_def *c = mgmt_def_new(def->uuid, def->parent, def->type);
	size_t i;

	if (!c)
		return NULL;
	c->autostart = def->autostart;
	for (i = 0; i < def->nr_attrs; i++) {
		if (mgmt_def_attr_insert(c, SIZE_MAX, def->attrs[i].name,
					 def->attrs[i].value)) {
			mgmt_def_free(c);
			errno = ENOMEM;
			return NULL;
		}
	}
	return c;
}

int mgmt_def_set_type(struct mgmt_def *def, const char *type)
{
	char *t;

	if (!mgmt_name_valid(type))
		return -EINVAL;
	t = strdup(type);
	if (!t)
		return -ENOMEM;
	free(def->type);
	def->type = t;
	return 0;
}

int mgmt_def_attr_insert(struct mgmt_def *def, size_t index, const char *name,
			 const char *value)
{
	struct mgmt_attr *attrs, a;

	if (!mgmt_name_valid(name) || !value)
		return -EINVAL;
	a.name = strdup(name);
	a.value = strdup(value);
	attrs = realloc(def->attrs, (def->nr_attrs + 1) * sizeof(*attrs));
	if (!a.name || !a.value || !attrs) {
		free(a.name);
		free(a.value);
		if (attrs)
			def->attrs = attrs;
		return -ENOMEM;
	}
	def->attrs = attrs;
	if (index > def->nr_attrs)
		index = def->nr_attrs;
	memmove(&attrs[index + 1], &attrs[index],
		(def->nr_attrs - index) * sizeof(*attrs));
	attrs[index] = a;
	def->nr_attrs++;
	return 0;
}

int mgmt_def_attr_delete(struct mgmt_def *def, size_t index)
{
	if (!def->nr_attrs)
		return -ENOENT;
	if (index == SIZE_MAX)
		index = def->nr_attrs - 1;
	if (index >= def->nr_attrs)
		return -ENOENT;
	free(def->attrs[index].name);
	free(def->attrs[index].value);
	memmove(&def->attrs[index], &def->attrs[index + 1],
		(def->nr_attrs - index - 1) * sizeof(*def->attrs));
	def->nr_attrs--;
	return 0;
}

/* A string member of a JSON value without an embedded NUL, or NULL. */
static const char *mgmt_json_string(json_object *v)
{
	if (!v || !json_object_is_type(v, json_type_string))
		return NULL;
	if (strlen(json_object_get_string(v)) !=
	    (size_t)json_object_get_string_len(v))
		return NULL;
	return json_object_get_string(v);
}

static int mgmt_parse_attrs(struct mgmt_def *def, json_object *attrs, char *err,
			    size_t errlen)
{
	size_t i, n;
	int ret;

	if (!json_object_is_type(attrs, json_type_array)) {
		snprintf(err, errlen, "\"attrs\" must be an array");
		return -EINVAL;
	}
	n = json_object_array_length(attrs);
	for (i = 0; i < n; i++) {
		json_object *a = json_object_array_get_idx(attrs, i);
		const char *value = NULL;
		const char *name = NULL;

		if (json_object_is_type(a, json_type_object) &&
		    json_object_object_length(a) == 1) {
			json_object_object_foreach(a, k, v)
			{
				name = k;
				value = mgmt_json_string(v);
			}
		}
		if (!name || !value || !mgmt_name_valid(name)) {
			snprintf(
				err, errlen,
				"attribute %zu must be an object with one string member",
				i);
			return -EINVAL;
		}
		ret = mgmt_def_attr_insert(def, SIZE_MAX, name, value);
		if (ret)
			return ret;
	}
	return 0;
}

int mgmt_def_parse_config(struct mgmt_def *def, json_object *obj,
			  bool type_optional, char *err, size_t errlen)
{
	json_object *v;
	const char *s;
	int ret;

	if (!json_object_is_type(obj, json_type_object)) {
		snprintf(err, errlen, "not a JSON object");
		return -EINVAL;
	}
	if (json_object_object_get_ex(obj, "mdev_type", &v)) {
		s = mgmt_json_string(v);
		if (!s || !mgmt_name_valid(s)) {
			snprintf(err, errlen,
				 "\"mdev_type\" must be a type name");
			return -EINVAL;
		}
		ret = mgmt_def_set_type(def, s);
		if (ret)
			return ret;
	} else if (!type_optional) {
		snprintf(err, errlen, "no \"mdev_type\"");
		return -EINVAL;
	}
	def->autostart = false;
	if (json_object_object_get_ex(obj, "start", &v)) {
		s = mgmt_json_string(v);
		if (!s || (strcmp(s, "auto") && strcmp(s, "manual"))) {
			snprintf(err, errlen,
				 "\"start\" must be \"auto\" or \"manual\"");
			return -EINVAL;
		}
		def->autostart = !strcmp(s, "auto");
	}
	if (json_object_object_get_ex(obj, "attrs", &v))
		return mgmt_parse_attrs(def, v, err, errlen);
	return 0;
}

json_object *mgmt_def_config_json(const struct mgmt_def *def, bool with_attrs)
{
	json_object *obj = json_object_new_object();
	json_object *attrs = json_object_new_array();
	size_t i;

	if (!obj || !attrs) {
		json_object_put(obj);
		json_object_put(attrs);
		return NULL;
	}
	json_object_object_add(obj, "mdev_type",
			       json_object_new_string(def->type ? def->type :
								  ""));
	json_object_object_add(
		obj, "start",
		json_object_new_string(def->autostart ? "auto" : "manual"));
	for (i = 0; with_attrs && i < def->nr_attrs; i++) {
		json_object *a = json_object_new_object();

		json_object_object_add(
			a, def->attrs[i].name,
			json_object_new_string(def->attrs[i].value));
		json_object_array_add(attrs, a);
	}
	json_object_object_add(obj, "attrs", attrs);
	return obj;
}
