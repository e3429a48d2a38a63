// SPDX-License-Identifier: GPL-2.0-only
/*
 * device_sockets - create a device in the core and serve it over vfio-user;
 * find it by UUID (the core's uuid_index: O(1), grows with the number of
 * devices); destroy it with its socket.
 */
#include "device_sockets.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/uuid_index.h"
#include "log.h"
#include "runtime_dir.h"

struct device_sockets {
	struct mdev_core *core;
	struct event_loop *loop;
	char runtime_dir[4096];
	unsigned int remove_timeout_ms;
	unsigned int max_dma_maps;
	unsigned int count;
	struct daemon_device *first, *last;
	struct uuid_index index; /* uuid -> struct daemon_device * */
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
	uuid_index_init(&devs->index);
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

unsigned int device_sockets_count(const struct device_sockets *devs)
{
	return devs->count;
}

static void device_sockets_lower(char *dst, const char *src)
{
	size_t i;

	for (i = 0; i < MDEV_UUID_STRLEN && src[i]; i++)
		dst[i] = (char)tolower((unsigned char)src[i]);
	dst[i] = '\0';
}

struct daemon_device *device_sockets_find(struct device_sockets *devs,
					  const char *uuid)
{
	uuid_t key;

	if (!runtime_dir_uuid_valid(uuid) || uuid_parse(uuid, key))
		return NULL;
	return uuid_index_find(&devs->index, key);
}

struct daemon_device *device_sockets_next(struct device_sockets *devs,
					  struct daemon_device *prev)
{
	return prev ? prev->next : devs->first;
}

static int device_sockets_insert(struct device_sockets *devs,
				 struct daemon_device *dev)
{
	int ret = uuid_index_insert(&devs->index, mdev_uuid(dev->mdev), dev);

	if (ret)
		return ret;
	dev->prev = devs->last;
	if (devs->last)
		devs->last->next = dev;
	else
		devs->first = dev;
	devs->last = dev;
	devs->count++;
	return 0;
}

static void device_sockets_unlink(struct device_sockets *devs,
				  struct daemon_device *dev)
{
	uuid_index_remove(&devs->index, mdev_uuid(dev->mdev));
	if (dev->prev)
		dev->prev->next = dev->next;
	else
		devs->first = dev->next;
	if (dev->next)
		dev->next->prev = dev->prev;
	else
		devs->last = dev->prev;
	devs->count--;
}

static void device_sockets_on_disconnect(void *arg, struct vu_server *server)
{
	struct daemon_device *dev = arg;

	log_device(LOG_LEVEL_DEBUG, dev->uuid, "client", "disconnected");
	if (dev->removal)
		device_removal_client_gone(dev->removal);
}

int device_sockets_start(struct device_sockets *devs, const char *uuid,
			 const char *parent, const char *type,
			 struct daemon_device **out)
{
	struct vu_server_config cfg = { 0 };
	struct daemon_device *dev;
	int ret;

	if (!runtime_dir_uuid_valid(uuid))
		return -EINVAL;
	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return -ENOMEM;
	dev->owner = devs;
	device_sockets_lower(dev->uuid, uuid);
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
	ret = device_sockets_insert(devs, dev);
	if (ret) {
		vu_server_free(dev->server);
		goto err_remove;
	}
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

	device_sockets_unlink(devs, dev);
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
	if (!devs)
		return;
	while (devs->first) {
		struct daemon_device *dev = devs->first;

		if (dev->removal)
			device_removal_abort(dev->removal, -ECANCELED);
		else
			device_sockets_destroy(dev);
	}
	uuid_index_fini(&devs->index);
	free(devs);
}
