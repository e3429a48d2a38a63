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

#include "control_mgmt.h"
#include "driver_loader.h"
#include "log.h"
#include "management/service.h"
#include "runtime_dir.h"

json_object *control_ops_error(int err, const char *fmt, ...)
{
	json_object *reply = json_object_new_object();
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
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

static json_object *control_ops_types(const struct control_ops_ctx *ctx)
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

static json_object *control_ops_list(const struct control_ops_ctx *ctx)
{
	json_object *reply = control_ops_ok();
	json_object *devices = json_object_new_array();
	struct daemon_device *dev = NULL;

	while ((dev = device_sockets_next(ctx->devices, dev)))
		json_object_array_add(devices, control_ops_device(dev));
	json_object_object_add(reply, "devices", devices);
	return reply;
}

static const char *control_ops_start_error(int err)
{
	switch (err) {
	case -EEXIST:
		return "a device with this UUID exists";
	case -ENODEV:
		return "no such parent";
	case -ENOENT:
		return "no such type on this parent";
	case -EUSERS:
		return "no instance of this type is available";
	default:
		return strerror(-err);
	}
}

static json_object *control_ops_start(const struct control_ops_ctx *ctx,
				      json_object *req, const char *uuid)
{
	const char *parent = control_ops_string(req, "parent");
	const char *type = control_ops_string(req, "type");
	struct daemon_device *dev;
	json_object *reply;
	int ret;

	if (!parent || !type)
		return control_ops_error(
			EINVAL,
			"start needs string members \"parent\" and \"type\"");
	ret = device_sockets_start(ctx->devices, uuid, parent, type, &dev);
	if (ret) {
		log_device(LOG_LEVEL_WARN, uuid, "start", "%s/%s refused: %s",
			   parent, type, control_ops_start_error(ret));
		return control_ops_error(-ret, "%s",
					 control_ops_start_error(ret));
	}
	reply = control_ops_ok();
	json_object_object_add(reply, "uuid",
			       json_object_new_string(dev->uuid));
	json_object_object_add(reply, "socket",
			       json_object_new_string(dev->socket_path));
	return reply;
}

static json_object *control_ops_stopped(const char *uuid, bool forced)
{
	json_object *reply = control_ops_ok();

	json_object_object_add(reply, "uuid", json_object_new_string(uuid));
	json_object_object_add(reply, "forced",
			       json_object_new_boolean(forced));
	return reply;
}

static const char *control_ops_stop_error(int err)
{
	switch (err) {
	case -ENODEV:
		return "no such device";
	case -EBUSY:
		return "a removal of this device is already in progress";
	default:
		return strerror(-err);
	}
}

static void control_ops_stop_done(void *arg, const char *uuid, int result,
				  bool forced)
{
	struct control_conn *conn = arg;

	if (result)
		control_conn_complete(
			conn,
			control_ops_error(-result, "%s",
					  control_ops_stop_error(result)));
	else
		control_conn_complete(conn, control_ops_stopped(uuid, forced));
}

static json_object *control_ops_stop(const struct control_ops_ctx *ctx,
				     struct control_conn *conn,
				     const char *uuid)
{
	struct device_removal *removal = NULL;
	char lower[MDEV_UUID_STRLEN + 1];
	struct daemon_device *dev;
	int ret;

	dev = device_sockets_find(ctx->devices, uuid);
	if (dev)
		strcpy(lower, dev->uuid); /* @dev may be gone below */
	ret = device_sockets_stop(ctx->devices, uuid, control_ops_stop_done,
				  conn, &removal);
	if (ret == 1) {
		control_conn_defer(conn, removal);
		return NULL;
	}
	if (ret) {
		log_device(LOG_LEVEL_WARN, uuid, "stop", "refused: %s",
			   control_ops_stop_error(ret));
		return control_ops_error(-ret, "%s",
					 control_ops_stop_error(ret));
	}
	return control_ops_stopped(lower, false);
}

static json_object *control_ops_version(void)
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

static json_object *control_ops_drivers(void)
{
	struct driver_loader *loader = driver_loader_current();
	json_object *reply = control_ops_ok();
	json_object *drivers = json_object_new_array();
	struct loaded_driver *drv = NULL;

	while (loader && (drv = driver_loader_next(loader, drv)))
		json_object_array_add(drivers, control_ops_driver(drv));
	json_object_object_add(reply, "drivers", drivers);
	return reply;
}

static json_object *control_ops_load_driver(const struct control_ops_ctx *ctx,
					    json_object *req)
{
	struct driver_loader *loader = driver_loader_current();
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
					      json_object *req)
{
	struct driver_loader *loader = driver_loader_current();
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

json_object *control_ops_handle(const struct control_ops_ctx *ctx,
				struct control_conn *conn, const char *line)
{
	json_object *req = json_tokener_parse(line);
	json_object *reply;
	const char *op, *uuid;
	bool has_uuid;

	if (!req)
		return control_ops_error(EINVAL, "request is not valid JSON");
	if (!json_object_is_type(req, json_type_object)) {
		reply = control_ops_error(EINVAL,
					  "request must be a JSON object");
		goto out;
	}
	op = control_ops_string(req, "op");
	if (!op) {
		reply = control_ops_error(
			EINVAL, "request needs a string member \"op\"");
		goto out;
	}
	/* A UUID becomes a file name: check it before anything else. */
	has_uuid = json_object_object_get_ex(req, "uuid", NULL);
	uuid = control_ops_string(req, "uuid");
	if (has_uuid && !runtime_dir_uuid_valid(uuid)) {
		reply = control_ops_error(
			EINVAL, "\"uuid\" must be a 36-character UUID string");
		goto out;
	}

	if (control_mgmt_handle(ctx, conn, op, req, &reply)) {
		goto out;
	} else if (!strcmp(op, "types")) {
		reply = control_ops_types(ctx);
	} else if (!strcmp(op, "list")) {
		reply = control_ops_list(ctx);
	} else if (!strcmp(op, "version")) {
		reply = control_ops_version();
	} else if (!strcmp(op, "drivers")) {
		reply = control_ops_drivers();
	} else if (!strcmp(op, "load-driver")) {
		reply = control_ops_load_driver(ctx, req);
	} else if (!strcmp(op, "unload-driver")) {
		reply = control_ops_unload_driver(ctx, req);
	} else if (strcmp(op, "start") && strcmp(op, "stop")) {
		reply = control_ops_error(EOPNOTSUPP, "unknown op \"%.64s\"",
					  op);
	} else if (!uuid) {
		reply = control_ops_error(
			EINVAL, "%s needs a string member \"uuid\"", op);
	} else if (!strcmp(op, "start")) {
		reply = control_ops_start(ctx, req, uuid);
	} else {
		reply = control_ops_stop(ctx, conn, uuid);
	}
out:
	json_object_put(req);
	return reply;
}
