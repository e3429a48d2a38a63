/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * control - umdevd's control socket: one JSON request per line, one JSON
 * reply per line (docs/control-protocol.md).
 */
#ifndef UMDEV_DAEMON_CONTROL_H
#define UMDEV_DAEMON_CONTROL_H

#include <umdev/mdev_host.h>
#include "device_sockets.h"
#include "event_loop.h"

struct mgmt_service;

/* A request line longer than this is refused and the connection closed. */
#define CONTROL_MAX_LINE 65536

struct control_server;
struct driver_loader;

struct control_config {
	const char *socket_path; /* <runtime>/control.sock, created 0600 */
	struct event_loop *loop;
	struct mdev_core *core;
	struct device_sockets *devices;
	struct driver_loader *loader; /* may be NULL */
	struct mgmt_service *mgmt; /* may be NULL */
};

/**
 * control_server_new() - bind and listen on cfg->socket_path (an existing
 * socket file is replaced) and watch it in the loop.
 * Return: the server, or NULL with errno set.
 */
struct control_server *control_server_new(const struct control_config *cfg);

/**
 * control_server_free() - close every connection (pending stop requests are
 * forgotten: the removals still complete), unlink the socket.
 */
void control_server_free(struct control_server *cs);

#endif
