/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * device_sockets - the daemon's devices: each mdev of the core paired with
 * the vfio-user server that serves it on <runtime>/<uuid>.sock, plus the
 * removal of a device whose client may still be attached (removal.c).
 */
#ifndef UMDEV_DAEMON_DEVICE_SOCKETS_H
#define UMDEV_DAEMON_DEVICE_SOCKETS_H

#include <stdbool.h>

#include <umdev/mdev_host.h>
#include "event_loop.h"
#include "vfio-user/server.h"

struct device_sockets;
struct device_removal;

/* remove_timeout_ms: never force; wait for the client (the default). */
#define DEVICE_REMOVE_WAIT_FOREVER 0xffffffffu
/* While waiting, the client is asked again this often (the kernel: 10 s). */
#define DEVICE_REMOVAL_REQ_INTERVAL_MS 10000

/* One device the daemon serves: the host data of its mdev. */
struct daemon_device {
	char uuid[MDEV_UUID_STRLEN + 1]; /* lowercase */
	char socket_path[108];
	struct mdev_device *mdev;
	struct vu_server *server;
	struct device_removal *removal; /* non-NULL while being removed */
	struct device_sockets *owner;
};

struct device_sockets_config {
	struct mdev_core *core;
	struct event_loop *loop;
	const char *runtime_dir;
	/*
	 * How long a removal waits for an attached client to let go before
	 * forcing it off; DEVICE_REMOVE_WAIT_FOREVER: until it does.
	 */
	unsigned int remove_timeout_ms;
	/* Most DMA maps per vfio-user client (see vu_server_config). */
	unsigned int max_dma_maps;
};

/** device_sockets_new() - no devices yet; NULL with errno on failure. */
struct device_sockets *
device_sockets_new(const struct device_sockets_config *cfg);

/**
 * device_sockets_free() - remove every device now (clients are dropped,
 * pending removals complete with -ECANCELED), unlinking their sockets.
 */
void device_sockets_free(struct device_sockets *devs);

/**
 * device_sockets_start() - create device @uuid of @type on @parent and
 * serve it on its socket.
 * Return: 0 (*@out set if not NULL); -EINVAL for a malformed UUID;
 * -EEXIST, -ENODEV (unknown parent), -ENOENT (unknown type), -EUSERS (no
 * capacity) from the core; the server's -errno if the socket fails.
 */
int device_sockets_start(struct device_sockets *devs, const char *uuid,
			 const char *parent, const char *type,
			 struct daemon_device **out);

/** device_sockets_find() - the device named @uuid (any case), or NULL. */
struct daemon_device *device_sockets_find(struct device_sockets *devs,
					  const char *uuid);

/** device_sockets_next() - iterate in creation order; NULL starts/ends. */
struct daemon_device *device_sockets_next(struct device_sockets *devs,
					  struct daemon_device *prev);

/* ---- removal (removal.c) ---- */

/*
 * Called once when a removal has finished: @result is 0 or -errno, @forced
 * tells whether an attached client had to be disconnected.
 */
typedef void (*device_removal_done)(void *arg, const char *uuid, int result,
				    bool forced);

/**
 * device_sockets_stop() - remove device @uuid.  Without a client it is
 * removed at once.  With one, the driver asks the client to let go (its REQ
 * eventfd) and the removal completes when the client disconnects or after
 * the configured timeout, when the client is forced off.
 * Return: 0 when removed now (@done is not called); 1 when pending (@done
 * is called later unless device_removal_forget() is called first);
 * -EINVAL malformed UUID; -ENODEV unknown device; -EBUSY a removal of that
 * device is already pending.
 */
int device_sockets_stop(struct device_sockets *devs, const char *uuid,
			device_removal_done done, void *arg,
			struct device_removal **out);

/**
 * device_sockets_force_stop() - remove device @uuid now, disconnecting its
 * client: the operator's explicit choice.  A pending removal completes
 * (its requester is answered, "forced") from the loop.
 * Return: 0 removed; 1 a pending removal completes in a moment; -EINVAL;
 * -ENODEV.
 */
int device_sockets_force_stop(struct device_sockets *devs, const char *uuid);

/**
 * device_removal_forget() - whoever asked for @removal went away: complete
 * it as planned, but call nobody.
 */
void device_removal_forget(struct device_removal *removal);

/* Internal to device_sockets.c / removal.c. */
struct mdev_core *device_sockets_core(struct device_sockets *devs);
struct event_loop *device_sockets_loop(struct device_sockets *devs);
unsigned int device_sockets_remove_timeout_ms(struct device_sockets *devs);
/* Unlink @dev from the registry, stop its server, remove the mdev, free. */
int device_sockets_destroy(struct daemon_device *dev);
/* The server said the client has gone (removal.c reacts if pending). */
void device_removal_client_gone(struct device_removal *removal);
/* Complete @removal now (daemon shutdown); @done gets @result. */
void device_removal_abort(struct device_removal *removal, int result);

#endif
