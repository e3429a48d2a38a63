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

/* Defaults of the limits below (umdevd options, docs/security.md). */
#define CONTROL_DEFAULT_MAX_CONNS 64
#define CONTROL_DEFAULT_MAX_CONNS_PER_PEER 16
#define CONTROL_DEFAULT_MAX_OUTPUT (256 * 1024)
/* A client whose unsent replies exceed this many times max_output is cut. */
#define CONTROL_HARD_OUTPUT_FACTOR 16

struct control_server;
struct driver_loader;

struct control_config {
	const char *socket_path; /* <runtime>/control.sock, created 0600 */
	struct event_loop *loop;
	struct mdev_core *core;
	struct device_sockets *devices;
	struct driver_loader *loader; /* may be NULL */
	/*
	 * Connections open at once, in all and per peer process (pid); one
	 * more gets {"ok":false,"errno":EMFILE} and is closed.  0: default.
	 */
	unsigned int max_conns;
	unsigned int max_conns_per_peer;
	/*
	 * Unsent reply bytes one connection may have before the daemon stops
	 * reading its requests (they wait in the socket); past
	 * CONTROL_HARD_OUTPUT_FACTOR times this it is disconnected.  0: default.
	 */
	size_t max_output;
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
