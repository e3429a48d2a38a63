// SPDX-License-Identifier: GPL-2.0-only
/*
 * mdev core: device lifecycle.  Read top to bottom: create (checks, index,
 * probe, accounting), remove (ask an open client to leave, or unbind and
 * free), open/close by a transport, lookups, iteration and accessors.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"
#include "driver_abi.h"

bool mdev_uuid_valid(const char *s)
{
	size_t i;

	if (!s || strlen(s) != MDEV_UUID_STRLEN)
		return false;
	for (i = 0; i < MDEV_UUID_STRLEN; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
		} else if (!isxdigit((unsigned char)s[i])) {
			return false;
		}
	}
	return true;
}

/* Parse @uuid_str into @uuid; -EINVAL when malformed or @core is NULL. */
static int mdev_parse_uuid(const struct mdev_core *core, const char *uuid_str,
			   uuid_t uuid)
{
	if (!core || !mdev_uuid_valid(uuid_str) || uuid_parse(uuid_str, uuid))
		return -EINVAL;
	return 0;
}

/**
 * mdev_core_create() - create a device of @type_id on @parent_name.
 * @core:        the core
 * @uuid_str:    the device's UUID, any case (kept lowercase)
 * @parent_name: e.g. "mtty"
 * @type_id:     e.g. "mtty-2"
 * @out:         the new device, if not NULL
 *
 * Return: 0; -EINVAL for a malformed UUID; -ENODEV for an unknown parent;
 * -ENOENT for an unknown type; -EEXIST if the UUID is used anywhere in the
 * core; -EUSERS when no instance of the type is available; -ENOMEM; or the
 * driver's probe error.
 */
int mdev_core_create(struct mdev_core *core, const char *uuid_str,
		     const char *parent_name, const char *type_id,
		     struct mdev_device **out)
{
	struct mdev_parent *parent;
	struct mdev_device *mdev;
	struct mdev_type *type;
	uuid_t uuid;
	int ret;

	ret = mdev_parse_uuid(core, uuid_str, uuid);
	if (ret)
		return ret;
	parent = mdev_core_find_parent(core, parent_name);
	if (!parent)
		return -ENODEV;
	type = mdev_parent_find_type(parent, type_id);
	if (!type)
		return -ENOENT;
	if (uuid_index_find(&core->index, uuid))
		return -EEXIST;
	if (!mdev_type_available(type))
		return -EUSERS;

	mdev = calloc(1, sizeof(*mdev));
	if (!mdev)
		return -ENOMEM;
	memcpy(mdev->uuid, uuid, sizeof(uuid_t));
	uuid_unparse_lower(uuid, mdev->uuid_str);
	mdev->core = core;
	mdev->parent = parent;
	mdev->type = type;

	/* Index first: it is the only step besides probe that can fail. */
	ret = uuid_index_insert(&core->index, uuid, mdev);
	if (ret) {
		free(mdev);
		return ret;
	}
	ret = parent->drv.probe(mdev);
	if (ret) {
		uuid_index_remove(&core->index, uuid);
		mdev_timer_free_for_device(mdev);
		free(mdev);
		return ret < 0 ? ret : -EIO;
	}

	type->nr_devices++;
	core->nr_devices++;
	mdev->prev = core->devices_tail;
	if (core->devices_tail)
		core->devices_tail->next = mdev;
	else
		core->devices_head = mdev;
	core->devices_tail = mdev;
	if (out)
		*out = mdev;
	return 0;
}

/* Unbind the driver and free @mdev; the device has no client. */
void mdev_device_destroy(struct mdev_device *mdev)
{
	struct mdev_core *core = mdev->core;

	mdev->parent->drv.remove(mdev);
	mdev_timer_free_for_device(mdev);
	uuid_index_remove(&core->index, mdev->uuid);
	if (mdev->prev)
		mdev->prev->next = mdev->next;
	else
		core->devices_head = mdev->next;
	if (mdev->next)
		mdev->next->prev = mdev->prev;
	else
		core->devices_tail = mdev->prev;
	mdev->type->nr_devices--;
	core->nr_devices--;
	free(mdev);
}

/**
 * mdev_core_remove() - remove the device @uuid_str.
 *
 * While a client holds the device, the driver's request() asks it to let
 * go (each call counts one more request) and -EBUSY is returned; the
 * caller waits a bounded time, forces the client off and calls again.
 *
 * Return: 0; -EINVAL for a malformed UUID; -ENODEV if no such device;
 * -EBUSY as above.
 */
int mdev_core_remove(struct mdev_core *core, const char *uuid_str)
{
	struct mdev_device *mdev;
	uuid_t uuid;
	int ret;

	ret = mdev_parse_uuid(core, uuid_str, uuid);
	if (ret)
		return ret;
	mdev = uuid_index_find(&core->index, uuid);
	if (!mdev)
		return -ENODEV;
	if (mdev->open) {
		const struct umdev_device_ops *ops = mdev_device_ops(mdev);

		mdev->request_count++;
		if (ops->request)
			ops->request(mdev, mdev->request_count);
		return -EBUSY;
	}
	mdev_device_destroy(mdev);
	return 0;
}

/**
 * mdev_device_open() - a transport's client arrived.
 * Return: 0; -EBUSY if a client already has the device; or the driver's
 * open error.
 */
int mdev_device_open(struct mdev_device *mdev)
{
	const struct umdev_device_ops *ops = mdev_device_ops(mdev);
	int ret;

	if (mdev->open)
		return -EBUSY;
	if (ops->open) {
		ret = ops->open(mdev);
		if (ret)
			return ret;
	}
	mdev->open = true;
	mdev->request_count = 0;
	return 0;
}

/** mdev_device_close() - the client left; no-op when not open. */
void mdev_device_close(struct mdev_device *mdev)
{
	const struct umdev_device_ops *ops = mdev_device_ops(mdev);

	if (!mdev->open)
		return;
	if (ops->close)
		ops->close(mdev);
	mdev->open = false;
}

struct mdev_device *mdev_core_find(struct mdev_core *core, const uuid_t uuid)
{
	if (!core || !uuid)
		return NULL;
	return uuid_index_find(&core->index, uuid);
}

struct mdev_device *mdev_core_find_str(struct mdev_core *core,
				       const char *uuid_str)
{
	uuid_t uuid;

	if (mdev_parse_uuid(core, uuid_str, uuid))
		return NULL;
	return uuid_index_find(&core->index, uuid);
}

size_t mdev_core_nr_devices(const struct mdev_core *core)
{
	return core->nr_devices;
}

struct mdev_device *mdev_core_next_device(struct mdev_core *core,
					  struct mdev_device *prev)
{
	return prev ? prev->next : core->devices_head;
}

const uint8_t *mdev_uuid(const struct mdev_device *mdev)
{
	return mdev->uuid;
}

const char *mdev_uuid_str(const struct mdev_device *mdev)
{
	return mdev->uuid_str;
}

void *mdev_get_drvdata(const struct mdev_device *mdev)
{
	return mdev->drvdata;
}

void mdev_set_drvdata(struct mdev_device *mdev, void *data)
{
	mdev->drvdata = data;
}

void *mdev_get_host_data(const struct mdev_device *mdev)
{
	return mdev->host_data;
}

void mdev_set_host_data(struct mdev_device *mdev, void *data)
{
	mdev->host_data = data;
}

struct mdev_parent *mdev_parent_of(const struct mdev_device *mdev)
{
	return mdev->parent;
}

struct mdev_type *mdev_type_of(const struct mdev_device *mdev)
{
	return mdev->type;
}

bool mdev_is_open(const struct mdev_device *mdev)
{
	return mdev->open;
}

const struct umdev_device_ops *mdev_device_ops(const struct mdev_device *mdev)
{
	return &mdev->parent->ops;
}

bool mdev_device_has_migration(const struct mdev_device *mdev)
{
	return umdev_device_ops_migrate(&mdev->parent->ops);
}
