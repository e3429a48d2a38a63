// SPDX-License-Identifier: GPL-2.0-only
/*
 * control_mgmt - management requests on the control socket
 * (control_mgmt.h).  Members: "uuid", "parent", "type" (strings), "auto"
 * (bool), "config" (mdevctl's config object: --jsonfile), "addattr",
 * "value" (strings), "delattr" (bool), "index" (int).
 */
#include "control_mgmt.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "management/service.h"

/* A string member, NULL if absent; *bad set if present but not a string. */
static const char *cm_string(json_object *req, const char *key, bool *bad)
{
	json_object *v;

	if (!json_object_object_get_ex(req, key, &v) || !v)
		return NULL;
	if (!json_object_is_type(v, json_type_string) ||
	    strlen(json_object_get_string(v)) !=
		    (size_t)json_object_get_string_len(v)) {
		*bad = true;
		return NULL;
	}
	return json_object_get_string(v);
}

/* A boolean member: -1 absent, 0/1; *bad if not a boolean. */
static int cm_bool(json_object *req, const char *key, bool *bad)
{
	json_object *v;

	if (!json_object_object_get_ex(req, key, &v) || !v)
		return -1;
	if (!json_object_is_type(v, json_type_boolean)) {
		*bad = true;
		return -1;
	}
	return json_object_get_boolean(v);
}

static json_object *cm_ok(void)
{
	json_object *reply = json_object_new_object();

	json_object_object_add(reply, "ok", json_object_new_boolean(1));
	return reply;
}

static json_object *cm_fail(int ret, const struct mgmt_err *err)
{
	return control_ops_error(-ret, "%s", err->msg);
}

/*
 * The spec of a request: uuid, parent,
 * type, "auto" and "config" (type, start, attrs).
 */
static json_object *cm_spec(json_object *req, bool need_parent,
			    struct mgmt_def **out)
{
	bool bad = false;
	const char *uuid = cm_string(req, "uuid", &bad);
	const char *parent = cm_string(req, "parent", &bad);
	const char *type = cm_string(req, "type", &bad);
	int autostart = cm_bool(req, "auto", &bad);
	char err[256];
	struct mgmt_def *def;
	json_object *config;

	if (bad)
		return control_ops_error(
			EINVAL,
			"\"uuid\", \"parent\" and \"type\" must be strings, \"auto\" a boolean");
	/* umdevctl makes up a UUID when the user gave none. */
	if (!uuid)
		return control_ops_error(EINVAL, "a \"uuid\" is needed");
	if (!parent && need_parent)
		return control_ops_error(EINVAL, "a \"parent\" is needed");
	def = mgmt_def_new(uuid, parent ? parent : "-", type);
	if (!def)
		return control_ops_error(errno, "bad %s",
					 errno == EINVAL ? "name" : "request");
	if (!parent) {
		free(def->parent);
		def->parent = NULL;
	}
	if (json_object_object_get_ex(req, "config", &config) && config) {
		if (mgmt_def_parse_config(def, config, type != NULL, err,
					  sizeof(err))) {
			mgmt_def_free(def);
			return control_ops_error(EINVAL, "\"config\": %s", err);
		}
		/* -t beats the file's mdev_type, as in mdevctl. */
		if (type && mgmt_def_set_type(def, type)) {
			mgmt_def_free(def);
			return control_ops_error(ENOMEM, "out of memory");
		}
	}
	if (autostart >= 0)
		def->autostart = autostart;
	*out = def;
	return NULL;
}

static json_object *cm_started(struct daemon_device *dev)
{
	json_object *reply = cm_ok();

	json_object_object_add(reply, "uuid",
			       json_object_new_string(dev->uuid));
	json_object_object_add(reply, "socket",
			       json_object_new_string(dev->socket_path));
	return reply;
}

static json_object *cm_start(struct mgmt_service *svc, json_object *req)
{
	struct daemon_device *dev;
	struct mgmt_err err = { "" };
	struct mgmt_def *spec;
	json_object *reply;
	bool has_config = json_object_object_get_ex(req, "config", NULL);
	int ret;

	reply = cm_spec(req, false, &spec);
	if (reply)
		return reply;
	/* Without a type (or config) the UUID names a definition (mdevctl). */
	if (!spec->type && !has_config &&
	    !mgmt_service_is_defined(svc, spec->uuid, spec->parent)) {
		ret = -EINVAL;
		snprintf(
			err.msg, sizeof(err.msg),
			"no definition of %s%s%s: define it first, or give -p PARENT and -t TYPE",
			spec->uuid, spec->parent ? " on parent " : "",
			spec->parent ? spec->parent : "");
	} else if (!spec->type && !has_config) {
		ret = mgmt_service_start_defined(svc, spec->uuid, spec->parent,
						 NULL, &dev, &err);
	} else if (!spec->parent) {
		ret = -EINVAL;
		snprintf(err.msg, sizeof(err.msg),
			 "a type without a parent: give -p PARENT");
	} else {
		ret = mgmt_service_start(svc, spec, &dev, &err);
	}
	if (ret) {
		log_device(LOG_LEVEL_WARN, spec->uuid, "start", "refused: %s",
			   err.msg);
		mgmt_def_free(spec);
		return cm_fail(ret, &err);
	}
	mgmt_def_free(spec);
	return cm_started(dev);
}

static json_object *cm_stopped(const char *uuid, bool forced)
{
	json_object *reply = cm_ok();

	json_object_object_add(reply, "uuid", json_object_new_string(uuid));
	json_object_object_add(reply, "forced",
			       json_object_new_boolean(forced));
	return reply;
}

static void cm_stop_done(void *arg, const char *uuid, int result, bool forced)
{
	struct control_conn *conn = arg;

	if (result)
		control_conn_complete(conn,
				      control_ops_error(-result, "%s: %s", uuid,
							strerror(-result)));
	else
		control_conn_complete(conn, cm_stopped(uuid, forced));
}

static json_object *cm_stop(struct mgmt_service *svc, struct control_conn *conn,
			    json_object *req)
{
	struct device_removal *removal = NULL;
	char uuid[MDEV_UUID_STRLEN + 1];
	struct mgmt_err err = { "" };
	bool bad = false;
	const char *u = cm_string(req, "uuid", &bad);
	int ret, force;

	if (!u || mgmt_uuid_normalize(u, uuid))
		return control_ops_error(EINVAL,
					 "stop needs a string member \"uuid\"");
	force = cm_bool(req, "force", &bad);
	if (bad)
		return control_ops_error(EINVAL, "\"force\" must be a boolean");
	if (force == 1) {
		ret = mgmt_service_force_stop(svc, uuid, &err);
		if (ret)
			return cm_fail(ret, &err);
		return cm_stopped(uuid, true);
	}
	ret = mgmt_service_stop(svc, uuid, cm_stop_done, conn, &removal, &err);
	if (ret == 1) {
		control_conn_defer(conn, removal);
		return NULL;
	}
	if (ret) {
		log_device(LOG_LEVEL_WARN, uuid, "stop", "refused: %s",
			   err.msg);
		return cm_fail(ret, &err);
	}
	return cm_stopped(uuid, false);
}

static json_object *cm_define(struct mgmt_service *svc, json_object *req)
{
	struct mgmt_err err = { "" };
	struct mgmt_def *spec;
	json_object *reply;
	int ret;

	reply = cm_spec(req, false, &spec);
	if (reply)
		return reply;
	ret = mgmt_service_define(svc, spec, &err);
	if (ret) {
		mgmt_def_free(spec);
		return cm_fail(ret, &err);
	}
	log_device(LOG_LEVEL_INFO, spec->uuid, "define", "stored");
	reply = cm_ok();
	json_object_object_add(reply, "uuid",
			       json_object_new_string(spec->uuid));
	mgmt_def_free(spec);
	return reply;
}

static json_object *cm_undefine(struct mgmt_service *svc, json_object *req)
{
	struct mgmt_err err = { "" };
	bool bad = false;
	const char *uuid = cm_string(req, "uuid", &bad);
	const char *parent = cm_string(req, "parent", &bad);
	json_object *reply;
	int ret;

	if (!uuid || bad)
		return control_ops_error(EINVAL,
					 "undefine needs a string \"uuid\"");
	ret = mgmt_service_undefine(svc, uuid, parent, &err);
	if (ret < 0)
		return cm_fail(ret, &err);
	log_device(LOG_LEVEL_INFO, uuid, "undefine", "%d definition%s deleted",
		   ret, ret == 1 ? "" : "s");
	reply = cm_ok();
	json_object_object_add(reply, "deleted", json_object_new_int(ret));
	return reply;
}

static json_object *cm_modify(struct mgmt_service *svc, json_object *req)
{
	struct mgmt_modify m = { .autostart = -1, .index = -1 };
	struct mgmt_def *replace = NULL;
	struct mgmt_err err = { "" };
	bool bad = false;
	const char *uuid = cm_string(req, "uuid", &bad);
	const char *parent = cm_string(req, "parent", &bad);
	json_object *v;
	int ret, del;
	char perr[256];

	m.type = cm_string(req, "type", &bad);
	m.autostart = cm_bool(req, "auto", &bad);
	m.addattr = cm_string(req, "addattr", &bad);
	m.value = cm_string(req, "value", &bad);
	del = cm_bool(req, "delattr", &bad);
	m.delattr = del == 1;
	if (json_object_object_get_ex(req, "index", &v) && v) {
		if (!json_object_is_type(v, json_type_int) ||
		    json_object_get_int64(v) < 0 ||
		    json_object_get_int64(v) > 1000000)
			bad = true;
		else
			m.index = (long)json_object_get_int64(v);
	}
	if (!uuid || bad)
		return control_ops_error(
			EINVAL,
			"modify needs a string \"uuid\"; \"type\", \"addattr\", \"value\" strings, \"auto\", \"delattr\" booleans, \"index\" a number >= 0");
	if (json_object_object_get_ex(req, "config", &v) && v) {
		replace = mgmt_def_new(uuid, parent ? parent : "-", NULL);
		if (!replace)
			return control_ops_error(EINVAL, "not a UUID: '%s'",
						 uuid);
		if (mgmt_def_parse_config(replace, v, false, perr,
					  sizeof(perr))) {
			mgmt_def_free(replace);
			return control_ops_error(EINVAL, "\"config\": %s",
						 perr);
		}
		m.replace = replace;
	}
	ret = mgmt_service_modify(svc, uuid, parent, &m, &err);
	mgmt_def_free(replace);
	if (ret)
		return cm_fail(ret, &err);
	log_device(LOG_LEVEL_INFO, uuid, "modify", "stored");
	return cm_ok();
}

static json_object *cm_defined(struct mgmt_service *svc)
{
	json_object *reply = cm_ok(), *defs = json_object_new_array();
	const struct mgmt_def *d = NULL;

	while ((d = mgmt_service_next_def(svc, d))) {
		json_object *o = mgmt_def_config_json(d, true);

		json_object_object_add(o, "uuid",
				       json_object_new_string(d->uuid));
		json_object_object_add(o, "parent",
				       json_object_new_string(d->parent));
		json_object_array_add(defs, o);
	}
	json_object_object_add(reply, "definitions", defs);
	return reply;
}

static json_object *cm_start_parent(struct mgmt_service *svc, json_object *req)
{
	struct mgmt_err err = { "" };
	bool bad = false;
	const char *parent = cm_string(req, "parent", &bad);
	json_object *reply;
	int ret;

	if (!parent || bad)
		return control_ops_error(
			EINVAL, "start-parent needs a string \"parent\"");
	ret = mgmt_service_start_parent(svc, parent, &err);
	if (ret < 0)
		return cm_fail(ret, &err);
	if (ret > 0)
		return control_ops_error(EIO, "%d device%s not started: %s",
					 ret, ret == 1 ? "" : "s", err.msg);
	reply = cm_ok();
	return reply;
}

static json_object *cm_info(struct mgmt_service *svc, const char *uuid)
{
	json_object *reply, *regions, *irqs;
	struct mgmt_device_info *info;
	struct mgmt_err err = { "" };
	char hex[2 * MGMT_INFO_CONFIG_SIZE + 1];
	unsigned int i;
	int ret;

	if (!uuid)
		return control_ops_error(EINVAL,
					 "info needs a string member \"uuid\"");
	info = calloc(1, sizeof(*info));
	if (!info)
		return control_ops_error(ENOMEM, "out of memory");
	ret = mgmt_service_device_info(svc, uuid, info, &err);
	if (ret) {
		free(info);
		return cm_fail(ret, &err);
	}
	reply = cm_ok();
	regions = json_object_new_array();
	irqs = json_object_new_array();
	json_object_object_add(reply, "uuid", json_object_new_string(uuid));
	json_object_object_add(reply, "socket",
			       json_object_new_string(info->socket));
	json_object_object_add(reply, "client",
			       json_object_new_boolean(info->client));
	if (info->client_pid > 0)
		json_object_object_add(reply, "client_pid",
				       json_object_new_int(info->client_pid));
	json_object_object_add(reply, "flags",
			       json_object_new_int64(info->info.flags));
	json_object_object_add(reply, "num_regions",
			       json_object_new_int64(info->info.num_regions));
	json_object_object_add(reply, "num_irqs",
			       json_object_new_int64(info->info.num_irqs));
	for (i = 0; i < info->nr_regions; i++) {
		json_object *r = json_object_new_object();

		json_object_object_add(r, "index", json_object_new_int64(i));
		if (info->regions[i].ret) {
			json_object_object_add(
				r, "errno",
				json_object_new_int(-info->regions[i].ret));
		} else {
			json_object_object_add(
				r, "size",
				json_object_new_int64(
					(int64_t)info->regions[i].info.size));
			json_object_object_add(
				r, "flags",
				json_object_new_int64(
					info->regions[i].info.flags));
		}
		json_object_array_add(regions, r);
	}
	for (i = 0; i < info->nr_irqs; i++) {
		json_object *q = json_object_new_object();

		json_object_object_add(q, "index", json_object_new_int64(i));
		if (info->irqs[i].ret) {
			json_object_object_add(
				q, "errno",
				json_object_new_int(-info->irqs[i].ret));
		} else {
			json_object_object_add(
				q, "count",
				json_object_new_int64(
					info->irqs[i].info.count));
			json_object_object_add(
				q, "flags",
				json_object_new_int64(
					info->irqs[i].info.flags));
		}
		json_object_array_add(irqs, q);
	}
	json_object_object_add(reply, "regions", regions);
	json_object_object_add(reply, "irqs", irqs);
	if (info->config_ret) {
		json_object_object_add(reply, "config_errno",
				       json_object_new_int(-info->config_ret));
	} else {
		for (i = 0; i < MGMT_INFO_CONFIG_SIZE; i++)
			snprintf(hex + 2 * i, 3, "%02x", info->config[i]);
		json_object_object_add(reply, "config",
				       json_object_new_string(hex));
	}
	free(info);
	return reply;
}

#define CONTROL_MGMT_DEFINE(name, call)                                    \
	CONTROL_MGMT_OP(name)                                              \
	{                                                                  \
		struct mgmt_service *svc = ctx->mgmt;                      \
                                                                           \
		if (!svc)                                                  \
			return control_ops_error(ENOSYS,                   \
						 "no management service"); \
		return call;                                               \
	}

CONTROL_MGMT_DEFINE(start, cm_start(svc, req))
CONTROL_MGMT_DEFINE(stop, cm_stop(svc, conn, req))
CONTROL_MGMT_DEFINE(define, cm_define(svc, req))
CONTROL_MGMT_DEFINE(undefine, cm_undefine(svc, req))
CONTROL_MGMT_DEFINE(modify, cm_modify(svc, req))
CONTROL_MGMT_DEFINE(defined, cm_defined(svc))
CONTROL_MGMT_DEFINE(start_parent, cm_start_parent(svc, req))
CONTROL_MGMT_DEFINE(info, cm_info(svc, uuid))
