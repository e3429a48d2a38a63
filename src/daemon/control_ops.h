/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * control_ops - what each control request does (one table of ops: types,
 * list, start, stop, version, drivers, load-driver, unload-driver), separate
 * from how requests travel (control.c).
 */
#ifndef UMDEV_DAEMON_CONTROL_OPS_H
#define UMDEV_DAEMON_CONTROL_OPS_H

#include <json-c/json.h>

#include <umdev/mdev_host.h>
#include "device_sockets.h"

struct control_conn;
struct driver_loader;
struct mgmt_service;

/* What the ops act on: umdevd's core, its devices and its drivers. */
struct control_ops_ctx {
	struct mdev_core *core;
	struct device_sockets *devices;
	struct driver_loader *loader; /* NULL: no driver ops (ENOSYS) */
	struct mgmt_service *mgmt; /* management requests (control_mgmt.c) */
};

/**
 * control_ops_handle() - run the request in @line (one JSON object).
 * Return: the reply to send now (caller puts it), or NULL when the reply is
 * deferred: a stop is pending and control_conn_complete() will be called
 * with the reply later.
 */
json_object *control_ops_handle(const struct control_ops_ctx *ctx,
				struct control_conn *conn, const char *line);

/** control_ops_error() - {"ok":false,"errno":@err,"error":"..."}. */
json_object *control_ops_error(int err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Provided by control.c for deferred replies. */
void control_conn_defer(struct control_conn *conn,
			struct device_removal *removal);
void control_conn_complete(struct control_conn *conn, json_object *reply);

#endif
