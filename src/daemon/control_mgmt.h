/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * control_mgmt - the control requests of the management layer: start,
 * stop, define, undefine, modify, defined, start-parent
 * (docs/control-protocol.md).  They parse the request, call the service
 * and present its answer; the rules live in src/management/service.c.
 */
#ifndef UMDEV_DAEMON_CONTROL_MGMT_H
#define UMDEV_DAEMON_CONTROL_MGMT_H

#include <json-c/json.h>
#include <stdbool.h>

#include "control_ops.h"

/**
 * control_mgmt_handle() - answer @req if @op is a management request.
 * Return: true if handled (*@reply is the reply, or NULL when deferred as
 * control_ops_handle() defers), false if @op is not one of ours.
 */
bool control_mgmt_handle(const struct control_ops_ctx *ctx,
			 struct control_conn *conn, const char *op,
			 json_object *req, json_object **reply);

#endif
