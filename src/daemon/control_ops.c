// SPDX-License-Identifier: GPL-2.0-only
/*
 * control_ops - the control requests.  Every reply is a JSON object with
 * "ok"; errors carry the -errno as a positive "errno" and a message.  A
 * request never leaves state half-done: each op either succeeds or changes
 * nothing.
 */
#include "control_ops.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "control_request.h"
#include "control_mgmt.h"
#include "driver_loader.h"
#include "log.h"
#include "management/service.h"
#include "umdev_version.h"
#include "utf8.h"

json_object *control_ops_error(int err, const char *fmt, ...)
{
	json_object *reply = json_object_new_object();
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* vsnprintf's cut must not split a character. */
	utf8_truncate(msg, strlen(msg));
	json_object_object_add(reply, "ok", json_object_new_boolean(0));
	json_object_object_add(reply, "errno", json_object_new_int(err));
	json_object_object_add(reply, "error", json_object_new_string(msg));
	return reply;
}

static json_object *control_ops_ok(void)
{
	json_object *reply = json_object_new_object();

	json_object_object_add(reply, "ok", json_object_new_boolean(1));
	return reply;
}

/* A string member of @req, or NULL if absent or not a string. */
static const char *control_ops_string(json_object *req, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(req, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	/* "\u0000" inside: the C string would be a different, shorter one. */
	if (strlen(json_object_get_string(v)) !=
	    (size_t)json_object_get_string_len(v))
		return NULL;
	return json_object_get_string(v);
}

static json_object *control_ops_types(const struct control_ops_ctx *ctx,
				      struct control_conn *conn,
				      json_object *req, const char *uuid)
{
	json_object *reply = control_ops_ok();
	json_object *types = json_object_new_array();
	struct mdev_parent *parent = NULL;

	while ((parent = mdev_core_next_parent(ctx->core, parent))) {
		struct mdev_type *type = NULL;

		while ((type = mdev_parent_next_type(parent, type))) {
			json_object *t = json_object_new_object();
			const char *desc = mdev_type_description(type);

			json_object_object_add(
				t, "parent",
				json_object_new_string(
					mdev_parent_name(parent)));
			json_object_object_add(
				t, "type",
				json_object_new_string(mdev_type_id(type)));
			json_object_object_add(
				t, "name",
				json_object_new_string(mdev_type_name(type)));
			if (desc)
				json_object_object_add(
					t, "description",
					json_object_new_string(desc));
			json_object_object_add(
				t, "device_api",
				json_object_new_string(
					mdev_type_device_api(type)));
			json_object_object_add(
				t, "available_instances",
				json_object_new_int(
					(int)mdev_type_available(type)));
			json_object_array_add(types, t);
		}
	}
	json_object_object_add(reply, "types", types);
	return reply;
}

static json_object *control_ops_device(const struct daemon_device *dev)
{
	json_object *d = json_object_new_object();
	struct mdev_type *type = mdev_type_of(dev->mdev);

	json_object_object_add(d, "uuid", json_object_new_string(dev->uuid));
	json_object_object_add(d, "parent",
			       json_object_new_string(mdev_parent_name(
				       mdev_type_parent(type))));
	json_object_object_add(d, "type",
			       json_object_new_string(mdev_type_id(type)));
	json_object_object_add(d, "socket",
			       json_object_new_string(dev->socket_path));
	json_object_object_add(
		d, "client",
		json_object_new_boolean(vu_server_has_client(dev->server)));
	json_object_object_add(d, "removing",
			       json_object_new_boolean(dev->removal != NULL));
	return d;
}

static json_object *control_ops_list(const struct control_ops_ctx *ctx,
				     struct control_conn *conn,
				     json_object *req, const char *uuid)
{
	json_object *reply = control_ops_ok();
	json_object *devices = json_object_new_array();
	struct daemon_device *dev = NULL;

	while ((dev = device_sockets_next(ctx->devices, dev)))
		json_object_array_add(devices, control_ops_device(dev));
	json_object_object_add(reply, "devices", devices);
	return reply;
}

static json_object *control_ops_version(const struct control_ops_ctx *ctx,
					struct control_conn *conn,
					json_object *req, const char *uuid)
{
	json_object *reply = control_ops_ok();

	json_object_object_add(reply, "version",
			       json_object_new_string(UMDEV_VERSION));
	return reply;
}

/* {"name":..., "path":...|null, "abi":"1.0", "parents":[...], ...}. */
static json_object *control_ops_driver(const struct loaded_driver *drv)
{
	json_object *d = json_object_new_object();
	json_object *parents = json_object_new_array();
	const char *path = loaded_driver_path(drv);
	unsigned int i, major, minor;
	char abi[32];

	loaded_driver_abi(drv, &major, &minor);
	snprintf(abi, sizeof(abi), "%u.%u", major, minor);
	for (i = 0; i < loaded_driver_nr_parents(drv); i++)
		json_object_array_add(
			parents,
			json_object_new_string(loaded_driver_parent(drv, i)));
	json_object_object_add(d, "name",
			       json_object_new_string(loaded_driver_name(drv)));
	json_object_object_add(d, "path",
			       path ? json_object_new_string(path) : NULL);
	json_object_object_add(d, "builtin", json_object_new_boolean(!path));
	json_object_object_add(d, "abi", json_object_new_string(abi));
	json_object_object_add(d, "parents", parents);
	json_object_object_add(
		d, "unloading",
		json_object_new_boolean(loaded_driver_unloading(drv)));
	return d;
}

static json_object *control_ops_drivers(const struct control_ops_ctx *ctx,
					struct control_conn *conn,
					json_object *req, const char *uuid)
{
	struct driver_loader *loader = ctx->loader;
	json_object *reply = control_ops_ok();
	json_object *drivers = json_object_new_array();
	struct loaded_driver *drv = NULL;

	while (loader && (drv = driver_loader_next(loader, drv)))
		json_object_array_add(drivers, control_ops_driver(drv));
	json_object_object_add(reply, "drivers", drivers);
	return reply;
}

static json_object *control_ops_load_driver(const struct control_ops_ctx *ctx,
					    struct control_conn *conn,
					    json_object *req, const char *uuid)
{
	struct driver_loader *loader = ctx->loader;
	const char *path = control_ops_string(req, "path");
	struct loaded_driver *drv = NULL, *last = NULL;
	json_object *reply;
	char err[512];
	int ret;

	if (!loader)
		return control_ops_error(ENOSYS, "no driver loader");
	if (!path)
		return control_ops_error(
			EINVAL, "load-driver needs a string member \"path\"");
	ret = driver_loader_load_file(loader, path, err, sizeof(err));
	if (ret)
		return control_ops_error(-ret, "%s", err);
	while ((drv = driver_loader_next(loader, drv)))
		last = drv;
	/* The driver's parents have registered: their auto definitions. */
	if (ctx->mgmt)
		mgmt_service_parents_changed(ctx->mgmt);
	reply = control_ops_ok();
	json_object_object_add(reply, "driver", control_ops_driver(last));
	return reply;
}

static json_object *control_ops_unload_driver(const struct control_ops_ctx *ctx,
					      struct control_conn *conn,
					      json_object *req,
					      const char *uuid)
{
	struct driver_loader *loader = ctx->loader;
	const char *name = control_ops_string(req, "name");
	json_object *reply;
	char err[512];
	int ret;

	if (!loader)
		return control_ops_error(ENOSYS, "no driver loader");
	if (!name)
		return control_ops_error(
			EINVAL, "unload-driver needs a string member \"name\"");
	/*
	 * Devices with clients are released in the background (bounded by
	 * the removal timeout); "drivers" shows "unloading" meanwhile.
	 */
	ret = driver_loader_unload(loader, name, NULL, NULL, err, sizeof(err));
	if (ret < 0)
		return control_ops_error(-ret, "%s", err);
	if (ctx->mgmt)
		mgmt_service_parents_changed(ctx->mgmt);
	reply = control_ops_ok();
	json_object_object_add(reply, "name", json_object_new_string(name));
	json_object_object_add(reply, "pending",
			       json_object_new_boolean(ret == 1));
	return reply;
}

/* What a control op is: its name, whether it needs a "uuid", its handler. */
struct control_op {
	const char *name;
	bool needs_uuid;
	/* @uuid is the request's valid "uuid", or NULL when it has none. */
	json_object *(*run)(const struct control_ops_ctx *ctx,
			    struct control_conn *conn, json_object *req,
			    const char *uuid);
};

static const struct control_op control_ops_table[] = {
	{ "types", false, control_ops_types },
	{ "list", false, control_ops_list },
	/* The management layer's requests (control_mgmt.c). */
	{ "start", true, control_mgmt_start },
	{ "stop", true, control_mgmt_stop },
	{ "define", true, control_mgmt_define },
	{ "undefine", true, control_mgmt_undefine },
	{ "modify", true, control_mgmt_modify },
	{ "defined", false, control_mgmt_defined },
	{ "start-parent", false, control_mgmt_start_parent },
	{ "info", true, control_mgmt_info },
	{ "version", false, control_ops_version },
	{ "drivers", false, control_ops_drivers },
	{ "load-driver", false, control_ops_load_driver },
	{ "unload-driver", false, control_ops_unload_driver },
};

static const struct control_op *control_ops_lookup(const char *name)
{
	size_t i;

	for (i = 0;
	     i < sizeof(control_ops_table) / sizeof(control_ops_table[0]); i++)
		if (!strcmp(control_ops_table[i].name, name))
			return &control_ops_table[i];
	return NULL;
}

json_object *control_ops_handle(const struct control_ops_ctx *ctx,
				struct control_conn *conn, const char *line)
{
	const struct control_op *op;
	json_object *req, *reply;
	const char *name, *uuid, *why;
	bool has_uuid;

	req = control_request_parse(line, strlen(line), &why);
	if (!req)
		return control_ops_error(EINVAL, "%s", why);
	name = control_ops_string(req, "op");
	if (!name) {
		reply = control_ops_error(
			EINVAL, "request needs a string member \"op\"");
		goto out;
	}
	/* A UUID becomes a file name: check it before anything else. */
	has_uuid = json_object_object_get_ex(req, "uuid", NULL);
	uuid = control_ops_string(req, "uuid");
	if (has_uuid && !mdev_uuid_valid(uuid)) {
		reply = control_ops_error(
			EINVAL, "\"uuid\" must be a 36-character UUID string");
		goto out;
	}
	op = control_ops_lookup(name);
	if (!op) {
		char shown[65];

		/* The name as sent, cut at 64 bytes between characters. */
		snprintf(shown, sizeof(shown), "%s", name);
		utf8_truncate(shown, 64);
		reply = control_ops_error(EOPNOTSUPP, "unknown op \"%s\"",
					  shown);
	} else if (op->needs_uuid && !uuid)
		reply = control_ops_error(
			EINVAL, "%s needs a string member \"uuid\"", name);
	else
		reply = op->run(ctx, conn, req, uuid);
out:
	json_object_put(req);
	return reply;
}
