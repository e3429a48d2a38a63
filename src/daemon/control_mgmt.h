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

/*
 * Entries of control_ops' table: @uuid is the request's valid "uuid" (or
 * NULL); the reply to send, or NULL when deferred (a stop waiting for a
 * client).  Without a management service: ENOSYS.
 */
#define CONTROL_MGMT_OP(name)                                               \
	json_object *control_mgmt_##name(const struct control_ops_ctx *ctx, \
					 struct control_conn *conn,         \
					 json_object *req, const char *uuid)
CONTROL_MGMT_OP(start);
CONTROL_MGMT_OP(stop);
CONTROL_MGMT_OP(define);
CONTROL_MGMT_OP(undefine);
CONTROL_MGMT_OP(modify);
CONTROL_MGMT_OP(defined);
CONTROL_MGMT_OP(start_parent);
CONTROL_MGMT_OP(info);

#endif
