// SPDX-License-Identifier: GPL-2.0-only
/*
 * device_sockets - create a device in the core and serve it over vfio-user;
 * destroy it with its socket.  There is one registry, the core's: each
 * served mdev carries its struct daemon_device as host data, so a lookup by
 * UUID is the core's O(1) index and listing is the core's creation order.
 * An mdev without host data (being created, or being destroyed) is not
 * served and is skipped.
 */
#include "device_sockets.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "runtime_dir.h"

struct device_sockets {
	struct mdev_core *core;
	struct event_loop *loop;
	char runtime_dir[4096];
	unsigned int remove_timeout_ms;
	unsigned int max_dma_maps;
};

struct device_sockets *
device_sockets_new(const struct device_sockets_config *cfg)
{
	struct device_sockets *devs = calloc(1, sizeof(*devs));

	if (!devs)
		return NULL;
	devs->core = cfg->core;
	devs->loop = cfg->loop;
	devs->remove_timeout_ms = cfg->remove_timeout_ms;
	devs->max_dma_maps = cfg->max_dma_maps;
	if (strlen(cfg->runtime_dir) >= sizeof(devs->runtime_dir)) {
		free(devs);
		errno = ENAMETOOLONG;
		return NULL;
	}
	strcpy(devs->runtime_dir, cfg->runtime_dir);
	return devs;
}

struct mdev_core *device_sockets_core(struct device_sockets *devs)
{
	return devs->core;
}

struct event_loop *device_sockets_loop(struct device_sockets *devs)
{
	return devs->loop;
}

unsigned int device_sockets_remove_timeout_ms(struct device_sockets *devs)
{
	return devs->remove_timeout_ms;
}

/* @mdev's daemon_device if @devs serves it, else NULL. */
static struct daemon_device *device_sockets_of(struct device_sockets *devs,
					       struct mdev_device *mdev)
{
	struct daemon_device *dev = mdev ? mdev_get_host_data(mdev) : NULL;

	return dev && dev->owner == devs ? dev : NULL;
}

struct daemon_device *device_sockets_find(struct device_sockets *devs,
					  const char *uuid)
{
	return device_sockets_of(devs, mdev_core_find_str(devs->core, uuid));
}

struct daemon_device *device_sockets_next(struct device_sockets *devs,
					  struct daemon_device *prev)
{
	struct mdev_device *mdev = prev ? prev->mdev : NULL;
	struct daemon_device *dev;

	do {
		mdev = mdev_core_next_device(devs->core, mdev);
		dev = device_sockets_of(devs, mdev);
	} while (mdev && !dev);
	return dev;
}

static void device_sockets_on_disconnect(void *arg, struct vu_server *server)
{
	struct daemon_device *dev = arg;

	if (dev->removal)
		device_removal_client_gone(dev->removal);
}

/* The server's lines go where the daemon's go, under -q / -v alike. */
static void device_sockets_server_log(void *arg, enum vu_log_level level,
				      const char *uuid, const char *command,
				      const char *msg)
{
	static const enum log_level levels[] = {
		[VU_LOG_ERROR] = LOG_LEVEL_ERROR,
		[VU_LOG_WARN] = LOG_LEVEL_WARN,
		[VU_LOG_INFO] = LOG_LEVEL_INFO,
		[VU_LOG_DEBUG] = LOG_LEVEL_DEBUG,
	};

	log_device(level <= VU_LOG_DEBUG ? levels[level] : LOG_LEVEL_DEBUG,
		   uuid, command, "%s", msg);
}

int device_sockets_start(struct device_sockets *devs, const char *uuid,
			 const char *parent, const char *type,
			 struct daemon_device **out)
{
	struct vu_server_config cfg = { 0 };
	struct daemon_device *dev;
	uuid_t key;
	int ret;

	if (!mdev_uuid_valid(uuid) || uuid_parse(uuid, key))
		return -EINVAL;
	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return -ENOMEM;
	dev->owner = devs;
	uuid_unparse_lower(key, dev->uuid); /* the core's spelling */
	ret = runtime_dir_device_socket(devs->runtime_dir, dev->uuid,
					dev->socket_path,
					sizeof(dev->socket_path));
	if (ret)
		goto err_free;
	ret = mdev_core_create(devs->core, dev->uuid, parent, type, &dev->mdev);
	if (ret)
		goto err_free;

	cfg.socket_path = dev->socket_path;
	cfg.mdev = dev->mdev;
	cfg.loop = &event_loop_vu_ops;
	cfg.loop_data = devs->loop;
	cfg.on_disconnect = device_sockets_on_disconnect;
	cfg.log = device_sockets_server_log;
	cfg.cb_arg = dev;
	cfg.max_dma_maps = devs->max_dma_maps;
	dev->server = vu_server_new(&cfg);
	if (!dev->server) {
		ret = errno ? -errno : -EIO;
		log_device(LOG_LEVEL_ERROR, dev->uuid, "start",
			   "cannot serve %s: %s", dev->socket_path,
			   strerror(-ret));
		goto err_remove;
	}
	/* From now on @dev is served: found and listed through the core. */
	mdev_set_host_data(dev->mdev, dev);
	log_device(LOG_LEVEL_INFO, dev->uuid, "start",
		   "%s on parent %s, socket %s", type, parent,
		   dev->socket_path);
	if (out)
		*out = dev;
	return 0;

err_remove:
	mdev_core_remove(devs->core, dev->uuid);
err_free:
	free(dev);
	return ret;
}

int device_sockets_destroy(struct daemon_device *dev)
{
	struct device_sockets *devs = dev->owner;
	int ret;

	/* No longer served: the core stops finding it for us. */
	mdev_set_host_data(dev->mdev, NULL);
	/* The server goes first: it closes the client's use of the mdev. */
	vu_server_free(dev->server);
	dev->server = NULL;
	ret = mdev_core_remove(devs->core, dev->uuid);
	if (ret)
		log_device(LOG_LEVEL_ERROR, dev->uuid, "stop",
			   "core refused removal: %s", strerror(-ret));
	else
		log_device(LOG_LEVEL_INFO, dev->uuid, "stop", "removed");
	free(dev);
	return ret;
}

void device_sockets_free(struct device_sockets *devs)
{
	struct daemon_device *dev;

	if (!devs)
		return;
	while ((dev = device_sockets_next(devs, NULL))) {
		if (dev->removal)
			device_removal_abort(dev->removal, -ECANCELED);
		else
			device_sockets_destroy(dev);
	}
	free(devs);
}
