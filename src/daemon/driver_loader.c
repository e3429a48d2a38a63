// SPDX-License-Identifier: GPL-2.0-only
/*
 * driver_loader - enter vendor drivers through their umdev_driver_entry,
 * from umdevd itself or from shared objects, and take them out again.
 *
 * The parents a driver owns are the ones that appear in the core while its
 * init runs; unloading removes their devices through the daemon's removal
 * hook, so a client is asked to let go exactly as on "stop".  While devices
 * are pending, the unload resumes from the event loop (a timerfd), never
 * from inside the removal's own callback.
 */
#include "driver_loader.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <unistd.h>

/* How often an unload looks again at devices someone else is removing. */
#define DRIVER_LOADER_RETRY_NS 20000000u

struct driver_unload {
	driver_loader_unload_done done;
	void *arg;
	int timerfd;
	unsigned int pending; /* removals we asked for, not yet completed */
	int result;
};

struct loaded_driver {
	struct driver_loader *loader;
	char *name;
	char *path; /* NULL when built in */
	void *handle; /* dlopen handle, NULL when built in */
	struct umdev_driver_entry entry; /* umdev_driver_entry_copy() */
	void *priv;
	char **parents;
	unsigned int nr_parents;
	struct driver_unload *unload; /* non-NULL while unloading */
	struct loaded_driver *prev, *next;
};

struct driver_loader {
	struct driver_loader_config cfg;
	struct loaded_driver *head, *tail;
};

static void driver_loader_log(struct driver_loader *loader, bool error,
			      const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void driver_loader_log(struct driver_loader *loader, bool error,
			      const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (loader->cfg.host && loader->cfg.host->log)
		loader->cfg.host->log(loader->cfg.host_data, error, msg);
}

/* Format the refusal into @err and the log, and return @ret. */
static int driver_loader_refuse(struct driver_loader *loader, int ret,
				char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int driver_loader_refuse(struct driver_loader *loader, int ret,
				char *err, size_t errlen, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (err && errlen)
		snprintf(err, errlen, "%s", msg);
	driver_loader_log(loader, true, "%s", msg);
	return ret;
}

struct driver_loader *driver_loader_new(const struct driver_loader_config *cfg)
{
	struct driver_loader *loader;

	if (!cfg || !cfg->core) {
		errno = EINVAL;
		return NULL;
	}
	loader = calloc(1, sizeof(*loader));
	if (!loader)
		return NULL;
	loader->cfg = *cfg;
	return loader;
}

static struct loaded_driver *driver_loader_find(struct driver_loader *loader,
						const char *name)
{
	struct loaded_driver *drv;

	for (drv = loader->head; drv; drv = drv->next)
		if (!strcmp(drv->name, name))
			return drv;
	return NULL;
}

/* Names: 1..UMDEV_DRIVER_NAME_MAX of [A-Za-z0-9_.-] (they become ids). */
static bool driver_loader_name_valid(const char *name)
{
	size_t i, len;

	if (!name)
		return false;
	len = strnlen(name, UMDEV_DRIVER_NAME_MAX + 1);
	if (!len || len > UMDEV_DRIVER_NAME_MAX)
		return false;
	for (i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-' ||
		      c == '.'))
			return false;
	}
	return true;
}

/* The parents that exist now, to tell which ones init adds. */
static int driver_loader_snapshot(struct mdev_core *core,
				  struct mdev_parent ***out, unsigned int *nr)
{
	struct mdev_parent *p = NULL, **v = NULL, **nv;
	unsigned int n = 0;

	while ((p = mdev_core_next_parent(core, p))) {
		nv = realloc(v, (n + 1) * sizeof(*v));
		if (!nv) {
			free(v);
			return -ENOMEM;
		}
		v = nv;
		v[n++] = p;
	}
	*out = v;
	*nr = n;
	return 0;
}

static bool driver_loader_in(struct mdev_parent **v, unsigned int n,
			     struct mdev_parent *p)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (v[i] == p)
			return true;
	return false;
}

/* Record the parents that are new since @before as @drv's. */
static int driver_loader_claim(struct loaded_driver *drv,
			       struct mdev_parent **before, unsigned int nr)
{
	struct mdev_core *core = drv->loader->cfg.core;
	struct mdev_parent *p = NULL;
	char **nv;

	while ((p = mdev_core_next_parent(core, p))) {
		if (driver_loader_in(before, nr, p))
			continue;
		nv = realloc(drv->parents, (drv->nr_parents + 1) * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		drv->parents = nv;
		nv[drv->nr_parents] = strdup(mdev_parent_name(p));
		if (!nv[drv->nr_parents])
			return -ENOMEM;
		drv->nr_parents++;
	}
	return 0;
}

/* Unregister whatever parents of @drv are still there. */
static void driver_loader_drop_parents(struct loaded_driver *drv)
{
	struct mdev_core *core = drv->loader->cfg.core;
	struct mdev_parent *p;
	unsigned int i;

	for (i = 0; i < drv->nr_parents; i++) {
		p = mdev_core_find_parent(core, drv->parents[i]);
		if (p)
			mdev_unregister_parent(p);
	}
}

/* Unregister parents that appeared since @before (a failed init's). */
static void driver_loader_drop_new(struct mdev_core *core,
				   struct mdev_parent **before, unsigned int nr)
{
	struct mdev_parent *p = NULL, *next;

	for (p = mdev_core_next_parent(core, NULL); p; p = next) {
		next = mdev_core_next_parent(core, p);
		if (!driver_loader_in(before, nr, p))
			mdev_unregister_parent(p);
	}
}

static void loaded_driver_free(struct loaded_driver *drv)
{
	unsigned int i;

	for (i = 0; i < drv->nr_parents; i++)
		free(drv->parents[i]);
	free(drv->parents);
	free(drv->name);
	free(drv->path);
	free(drv);
}

/*
 * Check @entry and run its init.  @what names the driver in messages (its
 * file, or "built-in").  On success the driver takes @handle.
 */
static int driver_loader_enter(struct driver_loader *loader,
			       const struct umdev_driver_entry *given,
			       const char *what, const char *path, void *handle,
			       char *err, size_t errlen)
{
	struct mdev_core *core = loader->cfg.core;
	struct umdev_driver_entry copy;
	const struct umdev_driver_entry *entry = &copy;
	struct mdev_parent **before = NULL;
	struct loaded_driver *drv;
	unsigned int nr_before = 0;
	int ret;

	/* From here on only the copy is read (docs/driver-abi.md). */
	if (umdev_driver_entry_copy(given, &copy))
		return driver_loader_refuse(
			loader, -EPROTONOSUPPORT, err, errlen,
			"driver %s: refused: built for driver ABI %u.%u, umdevd has %u.%u (the major must match)",
			what, given->abi_major, given->abi_minor,
			UMDEV_DRIVER_ABI_MAJOR, UMDEV_DRIVER_ABI_MINOR);
	if (!driver_loader_name_valid(entry->name) || !entry->init)
		return driver_loader_refuse(
			loader, -EINVAL, err, errlen,
			"driver %s: refused: malformed entry point (%s)", what,
			entry->init ? "name must be 1-63 of A-Z a-z 0-9 _ . -" :
				      "no init function");
	if (driver_loader_find(loader, entry->name) ||
	    mdev_core_find_parent(core, entry->name))
		return driver_loader_refuse(
			loader, -EEXIST, err, errlen,
			"driver %s: refused: a driver or parent named \"%s\" is already registered",
			what, entry->name);

	drv = calloc(1, sizeof(*drv));
	if (!drv)
		return driver_loader_refuse(loader, -ENOMEM, err, errlen,
					    "driver %s: out of memory", what);
	drv->loader = loader;
	drv->entry = copy;
	drv->handle = handle;
	drv->name = strdup(entry->name);
	drv->path = path ? strdup(path) : NULL;
	ret = driver_loader_snapshot(core, &before, &nr_before);
	if (!drv->name || (path && !drv->path) || ret) {
		free(before);
		loaded_driver_free(drv);
		return driver_loader_refuse(loader, -ENOMEM, err, errlen,
					    "driver %s: out of memory", what);
	}

	ret = entry->init(core, &drv->priv);
	if (ret > 0)
		ret = -EINVAL; /* init must return 0 or -errno */
	if (!ret)
		ret = driver_loader_claim(drv, before, nr_before);
	if (ret) {
		/* Leave nothing behind that the driver's code backs. */
		driver_loader_drop_new(core, before, nr_before);
		free(before);
		loaded_driver_free(drv);
		return driver_loader_refuse(
			loader, ret, err, errlen,
			"driver %s: refused: init of \"%s\" failed: %s", what,
			entry->name, strerror(-ret));
	}
	free(before);

	drv->prev = loader->tail;
	if (loader->tail)
		loader->tail->next = drv;
	else
		loader->head = drv;
	loader->tail = drv;
	driver_loader_log(loader, false,
			  "driver %s: loaded \"%s\" (ABI %u.%u, %u parent%s)",
			  what, drv->name, entry->abi_major, entry->abi_minor,
			  drv->nr_parents, drv->nr_parents == 1 ? "" : "s");
	return 0;
}

int driver_loader_add_builtin(struct driver_loader *loader,
			      const struct umdev_driver_entry *entry, char *err,
			      size_t errlen)
{
	return driver_loader_enter(loader, entry, "built-in", NULL, NULL, err,
				   errlen);
}

/* The entry symbol of @handle itself, not of a library it pulls in. */
static const struct umdev_driver_entry *driver_loader_entry_of(void *handle)
{
	struct link_map *self = NULL, *owner = NULL;
	Dl_info info;
	void *sym;

	sym = dlsym(handle, UMDEV_DRIVER_ENTRY_SYMBOL);
	if (!sym)
		return NULL;
	if (dlinfo(handle, RTLD_DI_LINKMAP, &self) ||
	    !dladdr1(sym, &info, (void **)&owner, RTLD_DL_LINKMAP) ||
	    owner != self)
		return NULL;
	return sym;
}

/*
 * @path must be a regular file: dlopen() of a FIFO or a device would block
 * the daemon (or read forever).  Checked on an fd opened without blocking
 * and without taking a controlling terminal; *@st gets what was checked.
 */
static int driver_loader_regular(struct driver_loader *loader, const char *path,
				 struct stat *st, char *err, size_t errlen)
{
	int fd, ret;

	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		return driver_loader_refuse(loader, ret, err, errlen,
					    "driver %s: refused: %s", path,
					    strerror(-ret));
	}
	ret = fstat(fd, st) < 0 ? -errno : 0;
	close(fd);
	if (ret)
		return driver_loader_refuse(loader, ret, err, errlen,
					    "driver %s: refused: %s", path,
					    strerror(-ret));
	if (!S_ISREG(st->st_mode))
		return driver_loader_refuse(
			loader, -EINVAL, err, errlen,
			"driver %s: refused: not a regular file", path);
	return 0;
}

/*
 * The object dlopen() mapped is the file that was checked (not one swapped
 * in meanwhile, which dlopen() may also have found already loaded).
 */
static bool driver_loader_same_file(void *handle, const struct stat *want)
{
	struct link_map *map = NULL;
	struct stat st;

	if (dlinfo(handle, RTLD_DI_LINKMAP, &map) || !map || !map->l_name ||
	    stat(map->l_name, &st) < 0)
		return false;
	return st.st_dev == want->st_dev && st.st_ino == want->st_ino;
}

int driver_loader_load_file(struct driver_loader *loader, const char *path,
			    char *err, size_t errlen)
{
	const struct umdev_driver_entry *entry;
	struct stat st;
	void *handle;
	int ret;

	if (!path || !*path)
		return driver_loader_refuse(loader, -EINVAL, err, errlen,
					    "driver: no file given");
	/* dlopen() searches the library path for names without a slash. */
	if (!strchr(path, '/'))
		return driver_loader_refuse(
			loader, -EINVAL, err, errlen,
			"driver %s: refused: give a path (with a '/')", path);
	ret = driver_loader_regular(loader, path, &st, err, errlen);
	if (ret)
		return ret;
	handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!handle) {
		const char *why = dlerror();

		return driver_loader_refuse(
			loader, access(path, F_OK) ? -ENOENT : -ENOEXEC, err,
			errlen, "driver %s: refused: cannot load it: %s", path,
			why ? why : "unknown error");
	}
	if (!driver_loader_same_file(handle, &st)) {
		dlclose(handle);
		return driver_loader_refuse(
			loader, -EAGAIN, err, errlen,
			"driver %s: refused: the file changed while it was loaded",
			path);
	}
	entry = driver_loader_entry_of(handle);
	if (!entry) {
		dlclose(handle);
		return driver_loader_refuse(
			loader, -ENOEXEC, err, errlen,
			"driver %s: refused: no entry point \"%s\" (define it with UMDEV_DRIVER_DEFINE())",
			path, UMDEV_DRIVER_ENTRY_SYMBOL);
	}
	ret = driver_loader_enter(loader, entry, path, path, handle, err,
				  errlen);
	if (ret)
		dlclose(handle);
	return ret;
}

static int driver_loader_so_filter(const struct dirent *d)
{
	size_t len = strlen(d->d_name);

	return len > 3 && d->d_name[0] != '.' &&
	       !strcmp(d->d_name + len - 3, ".so");
}

int driver_loader_load_dir(struct driver_loader *loader, const char *dir)
{
	struct dirent **names;
	char path[4096];
	int i, n, loaded = 0;

	n = scandir(dir, &names, driver_loader_so_filter, alphasort);
	if (n < 0) {
		if (errno == ENOENT) {
			driver_loader_log(loader, false,
					  "driver directory %s: none", dir);
			return 0;
		}
		n = -errno;
		driver_loader_log(loader, true, "driver directory %s: %s", dir,
				  strerror(-n));
		return n;
	}
	for (i = 0; i < n; i++) {
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
				     names[i]->d_name) >= sizeof(path))
			driver_loader_log(
				loader, true,
				"driver %s/%s: refused: path too long", dir,
				names[i]->d_name);
		else if (!driver_loader_load_file(loader, path, NULL, 0))
			loaded++;
		free(names[i]);
	}
	free(names);
	return loaded;
}

/* ---- unloading ---- */

static bool driver_owns(const struct loaded_driver *drv,
			struct mdev_parent *parent)
{
	const char *name = mdev_parent_name(parent);
	unsigned int i;

	for (i = 0; i < drv->nr_parents; i++)
		if (!strcmp(drv->parents[i], name))
			return true;
	return false;
}

static void driver_unload_free(struct driver_loader *loader,
			       struct driver_unload *u)
{
	if (u->timerfd >= 0) {
		if (loader->cfg.loop)
			loader->cfg.loop->unwatch_fd(loader->cfg.loop_data,
						     u->timerfd);
		close(u->timerfd);
	}
	free(u);
}

/* exit, leftover parents, dlclose, forget. */
static void driver_loader_finish(struct loaded_driver *drv)
{
	struct driver_loader *loader = drv->loader;

	if (drv->entry.exit)
		drv->entry.exit(loader->cfg.core, drv->priv);
	driver_loader_drop_parents(drv);
	if (drv->prev)
		drv->prev->next = drv->next;
	else
		loader->head = drv->next;
	if (drv->next)
		drv->next->prev = drv->prev;
	else
		loader->tail = drv->prev;
	driver_loader_log(loader, false, "driver %s: unloaded \"%s\"",
			  drv->path ? drv->path : "built-in", drv->name);
	if (drv->handle)
		dlclose(drv->handle);
	loaded_driver_free(drv);
}

static void driver_loader_removed_cb(void *arg, const char *uuid, int result,
				     bool forced);

/*
 * Ask for the removal of every device of @drv.  Return: 0 none is left;
 * 1 some are on their way out (ours: *@ours is set; someone else's: not);
 * -errno a device cannot be removed.
 */
static int driver_loader_remove_devices(struct loaded_driver *drv, bool *ours)
{
	struct driver_loader *loader = drv->loader;
	const struct driver_loader_host *host = loader->cfg.host;
	struct mdev_device *mdev, *next;
	char uuid[MDEV_UUID_STRLEN + 1];
	int ret, status = 0;

	*ours = false;
	mdev = mdev_core_next_device(loader->cfg.core, NULL);
	for (; mdev; mdev = next) {
		next = mdev_core_next_device(loader->cfg.core, mdev);
		if (!driver_owns(drv, mdev_parent_of(mdev)))
			continue;
		if (!host || !host->remove_device)
			return -EBUSY;
		strcpy(uuid, mdev_uuid_str(mdev));
		/* @next may go with @mdev only if the host removed more. */
		ret = host->remove_device(loader->cfg.host_data, uuid,
					  driver_loader_removed_cb, drv);
		if (ret == 1) {
			drv->unload->pending++;
			*ours = true;
			status = 1;
		} else if (ret == -EBUSY) {
			status = status < 0 ? status : 1;
		} else if (ret) {
			driver_loader_log(
				loader, true,
				"driver %s: cannot remove device %s: %s",
				drv->name, uuid, strerror(-ret));
			status = ret;
		}
		if (ret == 0)
			next = mdev_core_next_device(loader->cfg.core, NULL);
	}
	return status;
}

static int driver_loader_arm(struct driver_loader *loader,
			     struct driver_unload *u, uint64_t ns)
{
	struct itimerspec its = { 0 };

	if (u->timerfd < 0)
		return -EBUSY;
	its.it_value.tv_sec = ns / 1000000000u;
	its.it_value.tv_nsec = ns % 1000000000u;
	if (timerfd_settime(u->timerfd, 0, &its, NULL) < 0)
		return -errno;
	return 0;
}

/* One pass of a pending unload: finish it, or wait some more. */
static void driver_loader_resume(struct loaded_driver *drv)
{
	struct driver_loader *loader = drv->loader;
	struct driver_unload *u = drv->unload;
	char name[UMDEV_DRIVER_NAME_MAX + 1];
	bool ours;
	int ret;

	if (u->pending)
		return;
	ret = driver_loader_remove_devices(drv, &ours);
	if (ret == 1) {
		if (!ours &&
		    driver_loader_arm(loader, u, DRIVER_LOADER_RETRY_NS))
			ret = -EBUSY;
		else
			return;
	}
	snprintf(name, sizeof(name), "%s", drv->name);
	drv->unload = NULL;
	if (ret < 0)
		driver_loader_log(
			loader, true,
			"driver \"%s\": unload failed, it stays loaded: %s",
			name, strerror(-ret));
	else
		driver_loader_finish(drv);
	if (u->done)
		u->done(u->arg, name, ret < 0 ? ret : 0);
	driver_unload_free(loader, u);
}

static void driver_loader_timer(void *arg)
{
	struct loaded_driver *drv = arg;
	uint64_t expirations;

	if (read(drv->unload->timerfd, &expirations, sizeof(expirations)) < 0)
		return;
	driver_loader_resume(drv);
}

static void driver_loader_removed_cb(void *arg, const char *uuid, int result,
				     bool forced)
{
	struct loaded_driver *drv = arg;
	struct driver_unload *u = drv->unload;

	if (!u || !u->pending)
		return;
	u->pending--;
	if (result)
		driver_loader_log(drv->loader, true,
				  "driver %s: removal of device %s: %s",
				  drv->name, uuid, strerror(-result));
	/* Go on from the loop, not from inside the removal. */
	if (!u->pending && driver_loader_arm(drv->loader, u, 1))
		driver_loader_log(drv->loader, true,
				  "driver %s: cannot resume the unload",
				  drv->name);
}

int driver_loader_unload(struct driver_loader *loader, const char *name,
			 driver_loader_unload_done done, void *arg, char *err,
			 size_t errlen)
{
	struct loaded_driver *drv = name ? driver_loader_find(loader, name) :
					   NULL;
	struct driver_unload *u;
	bool ours;
	int ret;

	if (!drv)
		return driver_loader_refuse(loader, -ENOENT, err, errlen,
					    "unload: no driver named \"%s\"",
					    name ? name : "");
	if (!drv->handle)
		return driver_loader_refuse(
			loader, -EPERM, err, errlen,
			"unload: driver \"%s\" is built into umdevd", name);
	if (drv->unload)
		return driver_loader_refuse(
			loader, -EALREADY, err, errlen,
			"unload: driver \"%s\" is already being unloaded",
			name);
	u = calloc(1, sizeof(*u));
	if (!u)
		return -ENOMEM;
	u->done = done;
	u->arg = arg;
	u->timerfd = -1;
	if (loader->cfg.loop) {
		u->timerfd = timerfd_create(CLOCK_MONOTONIC,
					    TFD_NONBLOCK | TFD_CLOEXEC);
		if (u->timerfd < 0 || loader->cfg.loop->watch_fd(
					      loader->cfg.loop_data, u->timerfd,
					      driver_loader_timer, drv)) {
			if (u->timerfd >= 0)
				close(u->timerfd);
			free(u);
			return driver_loader_refuse(loader, -ENOMEM, err,
						    errlen,
						    "unload: \"%s\": no timer",
						    name);
		}
	}
	drv->unload = u;
	ret = driver_loader_remove_devices(drv, &ours);
	if (ret == 1 &&
	    (ours || !driver_loader_arm(loader, u, DRIVER_LOADER_RETRY_NS))) {
		driver_loader_log(
			loader, false,
			"driver \"%s\": waiting for its devices to be released",
			name);
		return 1;
	}
	if (ret == 1)
		ret = -EBUSY;
	if (ret < 0 && !u->pending) {
		drv->unload = NULL;
		driver_unload_free(loader, u);
		return driver_loader_refuse(
			loader, ret, err, errlen,
			"unload: driver \"%s\": a device could not be removed: %s",
			name, strerror(-ret));
	}
	if (ret < 0)
		return 1; /* ours still pending: resume() reports */
	drv->unload = NULL;
	driver_unload_free(loader, u);
	driver_loader_finish(drv);
	return 0;
}

void driver_loader_free(struct driver_loader *loader)
{
	struct loaded_driver *drv;

	if (!loader)
		return;
	/* Last loaded goes first: it may rely on earlier ones' parents. */
	while ((drv = loader->tail)) {
		if (drv->unload) {
			struct driver_unload *u = drv->unload;

			drv->unload = NULL;
			if (u->done)
				u->done(u->arg, drv->name, -ECANCELED);
			driver_unload_free(loader, u);
		}
		driver_loader_finish(drv);
	}
	free(loader);
}

struct loaded_driver *driver_loader_next(struct driver_loader *loader,
					 struct loaded_driver *prev)
{
	return prev ? prev->next : loader->head;
}

const char *loaded_driver_name(const struct loaded_driver *drv)
{
	return drv->name;
}

const char *loaded_driver_path(const struct loaded_driver *drv)
{
	return drv->path;
}

void loaded_driver_abi(const struct loaded_driver *drv, unsigned int *major,
		       unsigned int *minor)
{
	*major = drv->entry.abi_major;
	*minor = drv->entry.abi_minor;
}

unsigned int loaded_driver_nr_parents(const struct loaded_driver *drv)
{
	return drv->nr_parents;
}

const char *loaded_driver_parent(const struct loaded_driver *drv,
				 unsigned int i)
{
	return i < drv->nr_parents ? drv->parents[i] : NULL;
}

bool loaded_driver_unloading(const struct loaded_driver *drv)
{
	return drv->unload != NULL;
}
