// SPDX-License-Identifier: GPL-2.0-only
/*
 * mdev core: the core object, parent registration and the types a parent
 * offers.  Device lifecycle lives in device.c, timers in timer.c.
 *
 * Parents are few (one per vendor driver instance), so they sit on a list
 * that lookups by name walk; devices, which can be many, are found through
 * the UUID hash index only.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"
#include "driver_abi.h"

/**
 * mdev_core_new() - an empty core.
 * @host:      the host's event-loop hooks for timers, or NULL
 * @host_data: passed back to @host's callbacks
 *
 * Return: the core, or NULL with errno = ENOMEM.
 */
struct mdev_core *mdev_core_new(const struct mdev_host_ops *host,
				void *host_data)
{
	struct mdev_core *core = calloc(1, sizeof(*core));

	if (!core) {
		errno = ENOMEM;
		return NULL;
	}
	core->host = host;
	core->host_data = host_data;
	uuid_index_init(&core->index);
	return core;
}

/**
 * mdev_core_free() - remove every device (closing open ones) and every
 * parent (and with them every timer), then free the core.
 */
void mdev_core_free(struct mdev_core *core)
{
	if (!core)
		return;
	while (core->parents_head)
		mdev_unregister_parent(core->parents_head);
	mdev_driver_options_free(core);
	uuid_index_fini(&core->index);
	free(core);
}

static void mdev_parent_free(struct mdev_parent *parent)
{
	unsigned int i;

	for (i = 0; i < parent->nr_types; i++) {
		struct mdev_type *t = &parent->types[i];

		free(t->id);
		free(t->name);
		free(t->pretty_name);
		free(t->description);
		free(t->device_api);
	}
	free(parent->types);
	free(parent->name);
	free(parent);
}

static int mdev_type_init(struct mdev_type *type, struct mdev_parent *parent,
			  const struct mdev_type_desc *desc)
{
	int len;

	type->parent = parent;
	type->max_instances = desc->max_instances;
	type->driver_data = desc->driver_data;
	len = asprintf(&type->id, "%s-%s", parent->drv.name, desc->name);
	if (len < 0) {
		type->id = NULL;
		return -ENOMEM;
	}
	if (len >= MDEV_TYPE_ID_MAX)
		return -EINVAL;
	type->name = strdup(desc->name);
	type->pretty_name = strdup(desc->pretty_name);
	type->device_api = strdup(desc->device_api);
	if (desc->description)
		type->description = strdup(desc->description);
	if (!type->name || !type->pretty_name || !type->device_api ||
	    (desc->description && !type->description))
		return -ENOMEM;
	return 0;
}

/*
 * Type @i of the driver's array, whose elements are @stride bytes apart (the
 * driver's sizeof), copied into @desc by the rule of driver_abi.h.
 */
static void mdev_type_desc_at(const struct mdev_type_desc *types, size_t stride,
			      unsigned int i, struct mdev_type_desc *desc)
{
	umdev_abi_copy(desc, sizeof(*desc), (const char *)types + i * stride,
		       stride);
}

static int mdev_check_types(const struct mdev_type_desc *types,
			    unsigned int nr_types, size_t stride)
{
	struct mdev_type_desc t, u;
	unsigned int i, j;

	if (!types || !nr_types)
		return -EINVAL;
	for (i = 0; i < nr_types; i++) {
		mdev_type_desc_at(types, stride, i, &t);
		if (!t.name || !t.name[0] || !t.pretty_name || !t.device_api ||
		    strchr(t.name, '/'))
			return -EINVAL;
		for (j = 0; j < i; j++) {
			mdev_type_desc_at(types, stride, j, &u);
			if (!strcmp(t.name, u.name))
				return -EINVAL;
		}
	}
	return 0;
}

/*
 * Copy @drv and its device ops into @parent by the sizes the driver gave
 * (driver_abi.h) and check the copies.  Return: 0 or -EINVAL.
 */
static int mdev_parent_copy_driver(struct mdev_parent *parent,
				   const struct mdev_driver *drv,
				   const struct umdev_abi_sizes *sz)
{
	umdev_abi_copy(&parent->drv, sizeof(parent->drv), drv, sz->driver);
	if (!parent->drv.name || !parent->drv.name[0] ||
	    !parent->drv.device_ops || !parent->drv.probe ||
	    !parent->drv.remove)
		return -EINVAL;
	umdev_abi_copy(&parent->ops, sizeof(parent->ops),
		       parent->drv.device_ops, sz->device_ops);
	parent->drv.device_ops = &parent->ops;
	parent->registered_drv = drv;
	return umdev_device_ops_check(&parent->ops);
}

/**
 * mdev_register_parent_sized() - register parent @name served by @drv.
 * @core:        the core
 * @name:        parent name (unique in the core)
 * @drv:         the vendor driver; must have a name, device ops, probe and
 *               remove; copied with its device ops (sizes from @sizes)
 * @types:       @nr_types type descriptions, @sizes->type_desc bytes apart,
 *               copied (may live on the stack)
 * @nr_types:    at least 1
 * @parent_data: the driver's, see mdev_parent_get_data()
 * @out:         the new parent, if not NULL
 * @sizes:       the sizes of the driver's structs (UMDEV_ABI_SIZES)
 *
 * Return: 0; -EEXIST if a parent of that name exists; -EINVAL for missing
 * names/ops, no types, duplicate or malformed type names, a partial set of
 * migration callbacks, or sizes below those of ABI 1.0; -ENOMEM.
 */
int mdev_register_parent_sized(struct mdev_core *core, const char *name,
			       const struct mdev_driver *drv,
			       const struct mdev_type_desc *types,
			       unsigned int nr_types, void *parent_data,
			       struct mdev_parent **out,
			       const struct umdev_abi_sizes *sizes)
{
	struct mdev_type_desc desc;
	struct umdev_abi_sizes sz;
	struct mdev_parent *parent;
	unsigned int i;
	int ret;

	if (!core || !name || !name[0] || strchr(name, '/') || !drv ||
	    umdev_abi_sizes_read(sizes, &sz))
		return -EINVAL;
	parent = calloc(1, sizeof(*parent));
	if (!parent)
		return -ENOMEM;
	ret = mdev_parent_copy_driver(parent, drv, &sz);
	if (!ret)
		ret = mdev_check_types(types, nr_types, sz.type_desc);
	if (!ret && mdev_core_find_parent(core, name))
		ret = -EEXIST;
	if (ret) {
		free(parent);
		return ret;
	}

	parent->core = core;
	parent->parent_data = parent_data;
	parent->name = strdup(name);
	parent->types = calloc(nr_types, sizeof(*parent->types));
	if (!parent->name || !parent->types) {
		free(parent->types);
		free(parent->name);
		free(parent);
		return -ENOMEM;
	}
	for (i = 0; i < nr_types; i++) {
		parent->nr_types++;
		mdev_type_desc_at(types, sz.type_desc, i, &desc);
		ret = mdev_type_init(&parent->types[i], parent, &desc);
		if (ret) {
			mdev_parent_free(parent);
			return ret;
		}
	}

	parent->prev = core->parents_tail;
	if (core->parents_tail)
		core->parents_tail->next = parent;
	else
		core->parents_head = parent;
	core->parents_tail = parent;
	if (out)
		*out = parent;
	return 0;
}

/*
 * The 1.0 symbol, which drivers built against 1.0 headers call: their
 * structs have the 1.0 layout.  (<umdev/mdev.h> makes the name a macro that
 * calls mdev_register_parent_sized(); the real function is defined here.)
 */
#undef mdev_register_parent
int mdev_register_parent(struct mdev_core *core, const char *name,
			 const struct mdev_driver *drv,
			 const struct mdev_type_desc *types,
			 unsigned int nr_types, void *parent_data,
			 struct mdev_parent **out)
{
	return mdev_register_parent_sized(core, name, drv, types, nr_types,
					  parent_data, out,
					  &umdev_abi_sizes_1_0);
}

/**
 * mdev_unregister_parent() - remove the parent's devices (a device a client
 * still holds is closed first: the caller has had its chance to ask the
 * client to leave), call the driver's release_parent, free the parent.
 */
void mdev_unregister_parent(struct mdev_parent *parent)
{
	struct mdev_core *core;
	struct mdev_device *dev, *next;

	if (!parent)
		return;
	core = parent->core;
	for (dev = core->devices_head; dev; dev = next) {
		next = dev->next;
		if (dev->parent == parent) {
			mdev_device_close(dev);
			mdev_device_destroy(dev);
		}
	}
	if (parent->prev)
		parent->prev->next = parent->next;
	else
		core->parents_head = parent->next;
	if (parent->next)
		parent->next->prev = parent->prev;
	else
		core->parents_tail = parent->prev;
	if (parent->drv.release_parent)
		parent->drv.release_parent(parent);
	mdev_parent_free(parent);
}

struct mdev_parent *mdev_core_find_parent(struct mdev_core *core,
					  const char *name)
{
	struct mdev_parent *p;

	if (!core || !name)
		return NULL;
	for (p = core->parents_head; p; p = p->next)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

struct mdev_parent *mdev_core_next_parent(struct mdev_core *core,
					  struct mdev_parent *prev)
{
	return prev ? prev->next : core->parents_head;
}

struct mdev_type *mdev_parent_next_type(struct mdev_parent *parent,
					struct mdev_type *prev)
{
	size_t i = prev ? (size_t)(prev - parent->types) + 1 : 0;

	return i < parent->nr_types ? &parent->types[i] : NULL;
}

const char *mdev_parent_name(const struct mdev_parent *parent)
{
	return parent->name;
}

void *mdev_parent_get_data(const struct mdev_parent *parent)
{
	return parent->parent_data;
}

const struct mdev_driver *mdev_parent_driver(const struct mdev_parent *parent)
{
	return parent->registered_drv;
}

const char *mdev_type_id(const struct mdev_type *type)
{
	return type->id;
}

const char *mdev_type_name(const struct mdev_type *type)
{
	return type->pretty_name;
}

const char *mdev_type_description(const struct mdev_type *type)
{
	return type->description;
}

const char *mdev_type_device_api(const struct mdev_type *type)
{
	return type->device_api;
}

const void *mdev_type_get_data(const struct mdev_type *type)
{
	return type->driver_data;
}

struct mdev_parent *mdev_type_parent(const struct mdev_type *type)
{
	return type->parent;
}

/**
 * mdev_type_available() - instances of @type that could still be created:
 * the driver's get_available() when it has one, else max_instances less
 * the devices of the type that exist.
 */
unsigned int mdev_type_available(struct mdev_type *type)
{
	const struct mdev_driver *drv = &type->parent->drv;

	if (drv->get_available)
		return drv->get_available(type);
	if (type->nr_devices >= type->max_instances)
		return 0;
	return type->max_instances - type->nr_devices;
}

/**
 * mdev_parent_find_type() - the type of @parent whose id is @type_id.
 * Return: the type, or NULL (also for a NULL argument).
 */
struct mdev_type *mdev_parent_find_type(struct mdev_parent *parent,
					const char *type_id)
{
	unsigned int i;

	if (!parent || !type_id)
		return NULL;
	for (i = 0; i < parent->nr_types; i++)
		if (!strcmp(parent->types[i].id, type_id))
			return &parent->types[i];
	return NULL;
}
