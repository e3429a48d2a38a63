/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vfio-user server: serves one mdev over one UNIX socket, one client at a
 * time, inside the daemon's event loop.  It owns no device knowledge: every
 * request becomes a call of the device's struct umdev_device_ops.
 */
#ifndef UMDEV_VFIO_USER_SERVER_H
#define UMDEV_VFIO_USER_SERVER_H

#include <stdint.h>
#include <sys/types.h>
#include <umdev/mdev_host.h>

/* The event loop the server lives in (implemented by the daemon). */
struct vu_loop_ops {
	/* Watch @fd for @events (EPOLLIN/EPOLLOUT...); call cb(arg, revents). */
	int (*watch)(void *loop, int fd, uint32_t events,
		     void (*cb)(void *arg, uint32_t revents), void *arg);
	/* Change the events watched on @fd. */
	int (*modify)(void *loop, int fd, uint32_t events);
	/* Stop watching @fd (before it is closed). */
	void (*unwatch)(void *loop, int fd);
};

struct vu_server;

/* How much a log line matters (the host maps it to its own levels). */
enum vu_log_level {
	VU_LOG_ERROR,
	VU_LOG_WARN,
	VU_LOG_INFO,
	VU_LOG_DEBUG,
};

struct vu_server_config {
	const char *socket_path; /* created 0600; an existing file is replaced */
	struct mdev_device *mdev;
	const struct vu_loop_ops *loop;
	void *loop_data;
	/* Called after a client has gone (closed, killed or dropped). */
	void (*on_disconnect)(void *arg, struct vu_server *server);
	/*
	 * Optional: log one line about the device @uuid.  @command is what
	 * the line is about: the vfio-user command ("REGION_READ",
	 * "SET_IRQS", ...) or "client" for the connection.  NULL: the server
	 * logs nothing.
	 */
	void (*log)(void *arg, enum vu_log_level level, const char *uuid,
		    const char *command, const char *msg);
	void *cb_arg; /* @arg of on_disconnect and log */
	/*
	 * Most DMA maps (each may hold an fd) one client may have at once;
	 * offered as max_dma_maps in VERSION, beyond it DMA_MAP fails with
	 * ENOSPC.  0: the protocol's default, VU_MAX_DMA_MAPS.
	 */
	unsigned int max_dma_maps;
};

/**
 * vu_server_new() - bind and listen on cfg->socket_path, watch it in the loop.
 * Peers are checked with SO_PEERCRED: same uid as the daemon, or root.
 * Return: the server, or NULL with errno set.
 */
struct vu_server *vu_server_new(const struct vu_server_config *cfg);

/** vu_server_has_client() - true while a client is connected. */
int vu_server_has_client(const struct vu_server *server);
/** vu_server_client_pid() - the connected client's pid, or 0 if none. */
pid_t vu_server_client_pid(const struct vu_server *server);

/** vu_server_disconnect() - drop the current client (if any), now. */
void vu_server_disconnect(struct vu_server *server);

/** vu_server_free() - disconnect, stop listening, unlink the socket. */
void vu_server_free(struct vu_server *server);

#endif
