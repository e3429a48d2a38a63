// SPDX-License-Identifier: GPL-2.0-only
/*
 * service - the management layer (service.h): definitions in memory and on
 * disk, autostart, and every rule about starting, stopping, defining and
 * modifying devices.
 */
#include "service.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <umdev/mdev_host.h>

#include "daemon/log.h"
#include "definition_store.h"

/* A parent seen registered, so its auto definitions ran once. */
struct mgmt_seen_parent {
	char *name;
	struct mgmt_seen_parent *next;
};

/* A malformed file already reported (with this reason). */
struct mgmt_reported {
	char *what; /* "<path>: <why>" */
	struct mgmt_reported *next;
};

struct mgmt_service {
	struct mdev_core *core;
	struct device_sockets *devices;
	char *config_dir;
	struct mgmt_def *defs; /* sorted by parent, uuid */
	/* Running devices started here, with the attributes applied. */
	struct mgmt_def *running;
	struct mgmt_seen_parent *seen;
	struct mgmt_reported *reported;
	unsigned int nr_running;
};

static int mgmt_fail(struct mgmt_err *err, int ret, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int mgmt_fail(struct mgmt_err *err, int ret, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return ret;
}

struct mgmt_service *mgmt_service_new(const struct mgmt_service_config *cfg)
{
	struct mgmt_service *svc = calloc(1, sizeof(*svc));

	if (!svc)
		return NULL;
	svc->core = cfg->core;
	svc->devices = cfg->devices;
	svc->config_dir = strdup(cfg->config_dir);
	if (!svc->config_dir) {
		free(svc);
		errno = ENOMEM;
		return NULL;
	}
	return svc;
}

static void mgmt_def_list_free(struct mgmt_def *d)
{
	while (d) {
		struct mgmt_def *next = d->next;

		mgmt_def_free(d);
		d = next;
	}
}

void mgmt_service_free(struct mgmt_service *svc)
{
	if (!svc)
		return;
	mgmt_def_list_free(svc->defs);
	mgmt_def_list_free(svc->running);
	while (svc->seen) {
		struct mgmt_seen_parent *s = svc->seen;

		svc->seen = s->next;
		free(s->name);
		free(s);
	}
	while (svc->reported) {
		struct mgmt_reported *r = svc->reported;

		svc->reported = r->next;
		free(r->what);
		free(r);
	}
	free(svc->config_dir);
	free(svc);
}

const char *mgmt_service_config_dir(const struct mgmt_service *svc)
{
	return svc->config_dir;
}

/* Each malformed file is logged once per reason, not at every re-read. */
static void mgmt_report_malformed(void *arg, const char *path, const char *why)
{
	struct mgmt_service *svc = arg;
	struct mgmt_reported *r;
	char *what;

	if (asprintf(&what, "%s: %s", path, why) < 0)
		return;
	for (r = svc->reported; r; r = r->next) {
		if (!strcmp(r->what, what)) {
			free(what);
			return;
		}
	}
	log_msg(LOG_LEVEL_WARN,
		"definition %s skipped: %s (file left as it is)", path, why);
	r = calloc(1, sizeof(*r));
	if (!r) {
		free(what);
		return;
	}
	r->what = what;
	r->next = svc->reported;
	svc->reported = r;
}

/*
 * Re-read the definitions: mdevctl (or an editor) may have changed them
 * since, and a device defined with `mdevctl define` must be one umdevd
 * knows.  On a read error the definitions in memory stay.
 */
static int mgmt_refresh(struct mgmt_service *svc)
{
	struct mgmt_def *fresh = NULL;
	int ret = mgmt_store_load(svc->config_dir, &fresh,
				  mgmt_report_malformed, svc);

	if (ret < 0 && ret != -ENOENT) {
		mgmt_def_list_free(fresh);
		return ret;
	}
	mgmt_def_list_free(svc->defs);
	svc->defs = fresh;
	return ret;
}

int mgmt_service_load(struct mgmt_service *svc)
{
	int ret = mgmt_refresh(svc);

	if (ret == -ENOENT) {
		log_msg(LOG_LEVEL_INFO,
			"no definitions: %s does not exist (created on the first define)",
			svc->config_dir);
		return 0;
	}
	if (ret < 0) {
		log_msg(LOG_LEVEL_ERROR, "definitions in %s: %s",
			svc->config_dir, strerror(-ret));
		return ret;
	}
	log_msg(LOG_LEVEL_INFO, "%d definition%s loaded from %s", ret,
		ret == 1 ? "" : "s", svc->config_dir);
	return ret;
}

/* ---- finding things ---- */

static struct mgmt_def *mgmt_find_def(struct mgmt_service *svc,
				      const char *uuid, const char *parent)
{
	struct mgmt_def *d;

	for (d = svc->defs; d; d = d->next)
		if (!strcmp(d->uuid, uuid) &&
		    (!parent || !strcmp(d->parent, parent)))
			return d;
	return NULL;
}

/*
 * The one definition of @uuid (on @parent if given).  -ENOENT none,
 * -EINVAL several (parent needed).
 */
static int mgmt_unique_def(struct mgmt_service *svc, const char *uuid_in,
			   const char *parent, struct mgmt_def **out,
			   struct mgmt_err *err)
{
	char uuid[MDEV_UUID_STRLEN + 1], names[256] = "";
	struct mgmt_def *d, *found = NULL;
	unsigned int n = 0;

	if (mgmt_uuid_normalize(uuid_in, uuid))
		return mgmt_fail(err, -EINVAL, "not a UUID: '%s'", uuid_in);
	for (d = svc->defs; d; d = d->next) {
		if (strcmp(d->uuid, uuid) ||
		    (parent && strcmp(d->parent, parent)))
			continue;
		if (n++)
			strncat(names, ", ", sizeof(names) - strlen(names) - 1);
		strncat(names, d->parent, sizeof(names) - strlen(names) - 1);
		found = d;
	}
	if (!n) {
		if (parent)
			return mgmt_fail(err, -ENOENT,
					 "no definition of %s on parent '%s'",
					 uuid, parent);
		return mgmt_fail(err, -ENOENT, "no definition of %s", uuid);
	}
	if (n > 1)
		return mgmt_fail(
			err, -EINVAL,
			"%s is defined on several parents (%s): name one with -p",
			uuid, names);
	*out = found;
	return 0;
}

bool mgmt_service_is_defined(struct mgmt_service *svc, const char *uuid,
			     const char *parent)
{
	mgmt_refresh(svc);
	return mgmt_find_def(svc, uuid, parent) != NULL;
}

const struct mgmt_def *mgmt_service_next_def(struct mgmt_service *svc,
					     const struct mgmt_def *prev)
{
	if (!prev)
		mgmt_refresh(svc);
	return prev ? prev->next : svc->defs;
}

/*
 * Running records: only devices started with attributes have one, so a
 * start without attributes costs nothing here whatever the number of
 * devices.  A record outlives its device until the UUID starts again, a
 * lookup finds it stale, or the list has grown past twice the devices
 * (then it is pruned whole: amortised O(1) per start).
 */
static bool mgmt_record_live(struct mgmt_service *svc, const struct mgmt_def *d)
{
	struct daemon_device *dev = device_sockets_find(svc->devices, d->uuid);

	return dev && dev->mdev == d->mdev;
}

static void mgmt_drop_records(struct mgmt_service *svc, const char *uuid,
			      bool stale_only)
{
	struct mgmt_def **p = &svc->running;

	while (*p) {
		struct mgmt_def *d = *p;

		if ((uuid && strcmp(d->uuid, uuid)) ||
		    (stale_only && mgmt_record_live(svc, d))) {
			p = &d->next;
			continue;
		}
		*p = d->next;
		mgmt_def_free(d);
		svc->nr_running--;
	}
}

const struct mgmt_def *mgmt_service_device_attrs(struct mgmt_service *svc,
						 const char *uuid)
{
	char lower[MDEV_UUID_STRLEN + 1];
	struct mgmt_def *d;

	if (!svc->running || mgmt_uuid_normalize(uuid, lower))
		return NULL;
	for (d = svc->running; d; d = d->next) {
		if (strcmp(d->uuid, lower))
			continue;
		if (mgmt_record_live(svc, d))
			return d;
		mgmt_drop_records(svc, lower, false);
		return NULL;
	}
	return NULL;
}

/* "mtty-1, mtty-2": the types of @parent, for messages. */
static void mgmt_type_names(struct mdev_parent *parent, char *buf, size_t len)
{
	struct mdev_type *t = NULL;

	buf[0] = '\0';
	while ((t = mdev_parent_next_type(parent, t))) {
		if (buf[0])
			strncat(buf, ", ", len - strlen(buf) - 1);
		strncat(buf, mdev_type_id(t), len - strlen(buf) - 1);
	}
}

static void mgmt_parent_names(struct mdev_core *core, char *buf, size_t len)
{
	struct mdev_parent *p = NULL;

	buf[0] = '\0';
	while ((p = mdev_core_next_parent(core, p))) {
		if (buf[0])
			strncat(buf, ", ", len - strlen(buf) - 1);
		strncat(buf, mdev_parent_name(p), len - strlen(buf) - 1);
	}
	if (!buf[0])
		snprintf(buf, len, "none");
}

/* ---- start / stop ---- */

/*
 * Check that the driver of @parent accepts every attribute of @spec.  No
 * driver has an attribute hook yet (see docs/umdevctl.md): an attribute
 * is refused by name, before anything is created.
 */
static int mgmt_check_attrs(struct mdev_parent *parent,
			    const struct mgmt_def *spec, struct mgmt_err *err)
{
	if (!spec->nr_attrs)
		return 0;
	return mgmt_fail(err, -EINVAL,
			 "parent '%s' has no attribute '%s': nothing started",
			 mdev_parent_name(parent), spec->attrs[0].name);
}

int mgmt_service_start(struct mgmt_service *svc, const struct mgmt_def *spec,
		       struct daemon_device **out, struct mgmt_err *err)
{
	struct mdev_parent *parent;
	struct daemon_device *dev;
	struct mgmt_def *record;
	char names[256];
	int ret;

	parent = mdev_core_find_parent(svc->core, spec->parent);
	if (!parent) {
		mgmt_parent_names(svc->core, names, sizeof(names));
		return mgmt_fail(err, -ENODEV,
				 "no such parent '%s' (parents: %s)",
				 spec->parent, names);
	}
	if (!spec->type || !mdev_parent_find_type(parent, spec->type)) {
		mgmt_type_names(parent, names, sizeof(names));
		return mgmt_fail(err, -ENOENT,
				 "no such type '%s' on parent '%s' (types: %s)",
				 spec->type ? spec->type : "", spec->parent,
				 names);
	}
	if (device_sockets_find(svc->devices, spec->uuid))
		return mgmt_fail(err, -EEXIST, "device %s already exists",
				 spec->uuid);
	ret = mgmt_check_attrs(parent, spec, err);
	if (ret)
		return ret;
	record = spec->nr_attrs ? mgmt_def_copy(spec) : NULL;
	if (spec->nr_attrs && !record)
		return mgmt_fail(err, -ENOMEM, "out of memory");
	ret = device_sockets_start(svc->devices, spec->uuid, spec->parent,
				   spec->type, &dev);
	if (ret) {
		mgmt_def_free(record);
		switch (ret) {
		case -EEXIST:
			return mgmt_fail(err, ret, "device %s already exists",
					 spec->uuid);
		case -EUSERS:
			return mgmt_fail(
				err, ret,
				"no instance of %s is available on parent '%s'",
				spec->type, spec->parent);
		default:
			return mgmt_fail(err, ret, "%s: %s", spec->uuid,
					 strerror(-ret));
		}
	}
	/* An earlier device of this UUID: its record is stale. */
	if (svc->running)
		mgmt_drop_records(svc, dev->uuid, false);
	if (record) {
		record->mdev = dev->mdev;
		record->next = svc->running;
		svc->running = record;
		if (++svc->nr_running >
		    2 * mdev_core_nr_devices(svc->core) + 16)
			mgmt_drop_records(svc, NULL, true);
	}
	if (out)
		*out = dev;
	return 0;
}

int mgmt_service_start_defined(struct mgmt_service *svc, const char *uuid,
			       const char *parent, const char *type,
			       struct daemon_device **out, struct mgmt_err *err)
{
	struct mgmt_def *def;
	int ret;

	mgmt_refresh(svc);
	ret = mgmt_unique_def(svc, uuid, parent, &def, err);
	if (ret)
		return ret;
	if (type && strcmp(type, def->type))
		return mgmt_fail(err, -EINVAL,
				 "%s is defined with type '%s', not '%s'",
				 def->uuid, def->type, type);
	return mgmt_service_start(svc, def, out, err);
}

/* Start one auto definition; failures are logged (once per call). */
static int mgmt_autostart_one(struct mgmt_service *svc,
			      const struct mgmt_def *d, struct mgmt_err *err)
{
	int ret;

	if (device_sockets_find(svc->devices, d->uuid))
		return 0; /* running (maybe from another parent's definition) */
	ret = mgmt_service_start(svc, d, NULL, err);
	if (ret)
		log_device(LOG_LEVEL_WARN, d->uuid, "autostart",
			   "definition %s/%s/%s not started: %s (kept; "
			   "tried again when the parent registers again)",
			   svc->config_dir, d->parent, d->uuid, err->msg);
	else
		log_device(LOG_LEVEL_INFO, d->uuid, "autostart",
			   "started from %s/%s/%s", svc->config_dir, d->parent,
			   d->uuid);
	return ret;
}

int mgmt_service_start_parent(struct mgmt_service *svc, const char *parent,
			      struct mgmt_err *err)
{
	struct mgmt_err one;
	struct mgmt_def *d;
	int failed = 0;

	if (!mdev_core_find_parent(svc->core, parent))
		return mgmt_fail(err, -ENODEV, "no such parent '%s'", parent);
	mgmt_refresh(svc);
	for (d = svc->defs; d; d = d->next) {
		if (!d->autostart || strcmp(d->parent, parent))
			continue;
		if (mgmt_autostart_one(svc, d, &one)) {
			failed++;
			if (err)
				*err = one;
		}
	}
	return failed;
}

static bool mgmt_seen(struct mgmt_service *svc, const char *name)
{
	struct mgmt_seen_parent *s;

	for (s = svc->seen; s; s = s->next)
		if (!strcmp(s->name, name))
			return true;
	return false;
}

void mgmt_service_parents_changed(struct mgmt_service *svc)
{
	struct mgmt_seen_parent *s, **p = &svc->seen;
	struct mdev_parent *parent = NULL;

	/* Forget parents that went away: re-registering autostarts again. */
	while (*p) {
		s = *p;
		if (!mdev_core_find_parent(svc->core, s->name)) {
			*p = s->next;
			free(s->name);
			free(s);
		} else {
			p = &s->next;
		}
	}
	while ((parent = mdev_core_next_parent(svc->core, parent))) {
		const char *name = mdev_parent_name(parent);

		if (mgmt_seen(svc, name))
			continue;
		s = calloc(1, sizeof(*s));
		if (!s || !(s->name = strdup(name))) {
			free(s);
			log_msg(LOG_LEVEL_ERROR,
				"autostart of parent %s: out of memory", name);
			continue;
		}
		s->next = svc->seen;
		svc->seen = s;
		mgmt_service_start_parent(svc, name, NULL);
	}
}

int mgmt_service_force_stop(struct mgmt_service *svc, const char *uuid,
			    struct mgmt_err *err)
{
	int ret = device_sockets_force_stop(svc->devices, uuid);

	if (ret == -ENODEV)
		return mgmt_fail(err, ret, "no such device: %s", uuid);
	if (ret < 0)
		return mgmt_fail(err, ret, "%s: %s", uuid, strerror(-ret));
	return 0;
}

int mgmt_service_stop(struct mgmt_service *svc, const char *uuid,
		      device_removal_done done, void *arg,
		      struct device_removal **removal, struct mgmt_err *err)
{
	int ret = device_sockets_stop(svc->devices, uuid, done, arg, removal);

	switch (ret) {
	case 0:
	case 1:
		return ret;
	case -ENODEV:
		return mgmt_fail(err, ret, "no such device: %s", uuid);
	case -EBUSY:
		return mgmt_fail(
			err, ret,
			"a removal of %s is already in progress (its client is being asked to let go)",
			uuid);
	case -EINVAL:
		return mgmt_fail(err, ret, "not a UUID: '%s'", uuid);
	default:
		return mgmt_fail(err, ret, "%s: %s", uuid, strerror(-ret));
	}
}

int mgmt_service_set_attr(struct mgmt_service *svc, const char *uuid,
			  const char *name, const char *value,
			  struct mgmt_err *err)
{
	struct daemon_device *dev = device_sockets_find(svc->devices, uuid);

	if (!dev)
		return mgmt_fail(err, -ENODEV, "no such device: %s", uuid);
	return mgmt_fail(err, -EINVAL, "parent '%s' has no attribute '%s'",
			 mdev_parent_name(mdev_parent_of(dev->mdev)), name);
}

/* ---- definitions ---- */

/* Write @def and put it in the list in place of @old (may be NULL). */
static int mgmt_commit_def(struct mgmt_service *svc, struct mgmt_def *def,
			   struct mgmt_def *old, struct mgmt_err *err)
{
	struct mgmt_def **p;
	int ret = mgmt_store_write(svc->config_dir, def);

	if (ret) {
		mgmt_fail(err, ret, "cannot write %s/%s/%s: %s",
			  svc->config_dir, def->parent, def->uuid,
			  strerror(-ret));
		mgmt_def_free(def);
		return ret;
	}
	if (old) {
		for (p = &svc->defs; *p != old; p = &(*p)->next)
			;
		*p = old->next;
		mgmt_def_free(old);
	}
	mgmt_def_list_insert(&svc->defs, def);
	return 0;
}

int mgmt_service_define(struct mgmt_service *svc, const struct mgmt_def *spec,
			struct mgmt_err *err)
{
	const char *parent = spec->parent, *type = spec->type;
	struct daemon_device *dev;
	struct mgmt_def *def;
	size_t i;

	if (!type) {
		dev = device_sockets_find(svc->devices, spec->uuid);
		if (!dev)
			return mgmt_fail(
				err, -ENODEV,
				"%s is not running: give -p PARENT and -t TYPE",
				spec->uuid);
		if (parent &&
		    strcmp(parent, mdev_parent_name(mdev_parent_of(dev->mdev))))
			return mgmt_fail(
				err, -EINVAL,
				"%s runs on parent '%s', not '%s'", spec->uuid,
				mdev_parent_name(mdev_parent_of(dev->mdev)),
				parent);
		parent = mdev_parent_name(mdev_parent_of(dev->mdev));
		type = mdev_type_id(mdev_type_of(dev->mdev));
	}
	if (!parent)
		return mgmt_fail(err, -EINVAL, "define needs a parent");
	mgmt_refresh(svc);
	if (mgmt_find_def(svc, spec->uuid, parent))
		return mgmt_fail(err, -EEXIST,
				 "%s is already defined on parent '%s'",
				 spec->uuid, parent);
	def = mgmt_def_new(spec->uuid, parent, type);
	if (!def)
		return mgmt_fail(err, -errno, "bad parent or type name");
	def->autostart = spec->autostart;
	for (i = 0; i < spec->nr_attrs; i++) {
		if (mgmt_def_attr_insert(def, SIZE_MAX, spec->attrs[i].name,
					 spec->attrs[i].value)) {
			mgmt_def_free(def);
			return mgmt_fail(err, -ENOMEM, "out of memory");
		}
	}
	return mgmt_commit_def(svc, def, NULL, err);
}

int mgmt_service_undefine(struct mgmt_service *svc, const char *uuid_in,
			  const char *parent, struct mgmt_err *err)
{
	char uuid[MDEV_UUID_STRLEN + 1];
	struct mgmt_def **p = &svc->defs;
	int n = 0, ret;

	if (mgmt_uuid_normalize(uuid_in, uuid))
		return mgmt_fail(err, -EINVAL, "not a UUID: '%s'", uuid_in);
	mgmt_refresh(svc);
	while (*p) {
		struct mgmt_def *d = *p;

		if (strcmp(d->uuid, uuid) ||
		    (parent && strcmp(d->parent, parent))) {
			p = &d->next;
			continue;
		}
		ret = mgmt_store_remove(svc->config_dir, d);
		if (ret && ret != -ENOENT)
			return mgmt_fail(err, ret, "cannot delete %s/%s/%s: %s",
					 svc->config_dir, d->parent, d->uuid,
					 strerror(-ret));
		*p = d->next;
		mgmt_def_free(d);
		n++;
	}
	if (!n)
		return mgmt_fail(err, -ENOENT, "no definition of %s%s%s%s",
				 uuid, parent ? " on parent '" : "",
				 parent ? parent : "", parent ? "'" : "");
	return n;
}

int mgmt_service_modify(struct mgmt_service *svc, const char *uuid,
			const char *parent, const struct mgmt_modify *m,
			struct mgmt_err *err)
{
	struct mgmt_def *old, *def;
	size_t i;
	int ret;

	mgmt_refresh(svc);
	ret = mgmt_unique_def(svc, uuid, parent, &old, err);
	if (ret)
		return ret;
	if (!m->type && m->autostart < 0 && !m->addattr && !m->delattr &&
	    !m->replace)
		return mgmt_fail(err, -EINVAL, "nothing to modify");
	if (m->addattr && m->delattr)
		return mgmt_fail(err, -EINVAL,
				 "--addattr and --delattr are exclusive");
	if (m->addattr && !m->value)
		return mgmt_fail(err, -EINVAL, "--addattr needs --value");
	def = mgmt_def_copy(old);
	if (!def)
		return mgmt_fail(err, -ENOMEM, "out of memory");
	if (m->replace) {
		ret = mgmt_def_set_type(def, m->replace->type);
		def->autostart = m->replace->autostart;
		while (!ret && def->nr_attrs)
			mgmt_def_attr_delete(def, SIZE_MAX);
		for (i = 0; !ret && i < m->replace->nr_attrs; i++)
			ret = mgmt_def_attr_insert(def, SIZE_MAX,
						   m->replace->attrs[i].name,
						   m->replace->attrs[i].value);
		if (ret)
			goto err;
	}
	if (m->type) {
		ret = mgmt_def_set_type(def, m->type);
		if (ret) {
			mgmt_def_free(def);
			return mgmt_fail(err, ret, "not a type name: '%s'",
					 m->type);
		}
	}
	if (m->autostart >= 0)
		def->autostart = m->autostart;
	if (m->addattr) {
		ret = mgmt_def_attr_insert(
			def, m->index < 0 ? SIZE_MAX : (size_t)m->index,
			m->addattr, m->value);
		if (ret) {
			mgmt_def_free(def);
			return mgmt_fail(err, ret,
					 "not an attribute name: '%s'",
					 m->addattr);
		}
	}
	if (m->delattr) {
		ret = mgmt_def_attr_delete(
			def, m->index < 0 ? SIZE_MAX : (size_t)m->index);
		if (ret) {
			mgmt_def_free(def);
			return mgmt_fail(err, ret,
					 "%s has no attribute at index %ld",
					 old->uuid, m->index);
		}
	}
	return mgmt_commit_def(svc, def, old, err);
err:
	mgmt_def_free(def);
	return mgmt_fail(err, ret, "%s", strerror(-ret));
}

int mgmt_service_device_info(struct mgmt_service *svc, const char *uuid,
			     struct mgmt_device_info *out, struct mgmt_err *err)
{
	struct daemon_device *dev = device_sockets_find(svc->devices, uuid);
	const struct umdev_device_ops *ops;
	unsigned int i;
	int ret;

	if (!dev)
		return mgmt_fail(err, -ENODEV, "no such device: %s", uuid);
	ops = mdev_device_ops(dev->mdev);
	memset(out, 0, sizeof(*out));
	out->client = vu_server_has_client(dev->server);
	out->client_pid = (int)vu_server_client_pid(dev->server);
	snprintf(out->socket, sizeof(out->socket), "%s", dev->socket_path);
	if (!ops->get_info || !ops->get_region_info || !ops->get_irq_info ||
	    !ops->read)
		return mgmt_fail(err, -EOPNOTSUPP,
				 "%s: its driver does not describe the device",
				 uuid);
	out->info.argsz = sizeof(out->info);
	ret = ops->get_info(dev->mdev, &out->info);
	if (ret)
		return mgmt_fail(err, ret, "%s: device info: %s", uuid,
				 strerror(-ret));
	out->nr_regions = out->info.num_regions < MGMT_INFO_MAX_INDEX ?
				  out->info.num_regions :
				  MGMT_INFO_MAX_INDEX;
	out->nr_irqs = out->info.num_irqs < MGMT_INFO_MAX_INDEX ?
			       out->info.num_irqs :
			       MGMT_INFO_MAX_INDEX;
	for (i = 0; i < out->nr_regions; i++) {
		out->regions[i].info.argsz = sizeof(out->regions[i].info);
		out->regions[i].info.index = i;
		out->regions[i].ret =
			ops->get_region_info(dev->mdev, &out->regions[i].info);
	}
	for (i = 0; i < out->nr_irqs; i++) {
		out->irqs[i].info.argsz = sizeof(out->irqs[i].info);
		out->irqs[i].info.index = i;
		out->irqs[i].ret =
			ops->get_irq_info(dev->mdev, &out->irqs[i].info);
	}
	/* Dword reads, as a VMM's config cycles. */
	for (i = 0; i < MGMT_INFO_CONFIG_SIZE; i += 4) {
		long n = ops->read(dev->mdev, VFIO_PCI_CONFIG_REGION_INDEX, i,
				   out->config + i, 4);

		if (n != 4) {
			out->config_ret = n < 0 ? (int)n : -EIO;
			break;
		}
	}
	return 0;
}
