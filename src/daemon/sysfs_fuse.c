// SPDX-License-Identifier: GPL-2.0-only
/*
 * sysfs_fuse - the sysfs-compatible tree (sysfs_fuse.h), with libfuse3's
 * low-level API driven from the daemon's epoll loop.
 *
 * Inodes name paths: each path looked up once gets a number for the
 * daemon's lifetime, and every request resolves its path against the live
 * state again, so a removed device is gone at once (entry and attribute
 * timeouts are 0, files are direct_io).  Rules live in the management
 * service; this file only maps paths and writes onto it.
 */
#define FUSE_USE_VERSION 34
#include "sysfs_fuse.h"

#include <errno.h>
#include <fcntl.h>
#include <fuse_lowlevel.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "management/service.h"

#define SYSFS_MAX_DEPTH 8
#define SYSFS_INO_BUCKETS 1024
/* sysfs reports this size for every attribute file. */
#define SYSFS_FILE_SIZE 4096

enum sysfs_kind {
	SYSFS_DIR,
	SYSFS_LINK,
	SYSFS_FILE_RO,
	SYSFS_FILE_WO,
	SYSFS_FILE_RW,
};

/* What a path names. */
enum sysfs_what {
	SYSFS_ROOT,
	SYSFS_CLASS,
	SYSFS_CLASS_MDEV_BUS,
	SYSFS_BUS,
	SYSFS_BUS_MDEV,
	SYSFS_BUS_DEVICES,
	SYSFS_DEVICES,
	SYSFS_PARENT,
	SYSFS_TYPES,
	SYSFS_TYPE,
	SYSFS_TYPE_DEVICES,
	SYSFS_TYPE_NAME,
	SYSFS_TYPE_DESCRIPTION,
	SYSFS_TYPE_DEVICE_API,
	SYSFS_TYPE_AVAILABLE,
	SYSFS_TYPE_CREATE,
	SYSFS_DEVICE,
	SYSFS_DEVICE_REMOVE,
	SYSFS_DEVICE_ATTR,
	SYSFS_SYMLINK,
};

struct sysfs_node {
	enum sysfs_kind kind;
	enum sysfs_what what;
	struct mdev_parent *parent;
	struct mdev_type *type;
	struct daemon_device *dev;
	const char *attr;
	char target[512]; /* SYSFS_LINK */
};

struct sysfs_ino {
	char *path; /* "" for the root */
	fuse_ino_t ino;
	struct sysfs_ino *hash_next;
};

struct sysfs_fuse {
	struct fuse_session *se;
	struct event_loop *loop;
	struct mdev_core *core;
	struct device_sockets *devices;
	struct mgmt_service *mgmt;
	int fd;
	bool mounted;
	struct fuse_buf buf;
	struct sysfs_ino **inos; /* by number - 1 */
	size_t nr_inos, cap_inos;
	struct sysfs_ino *hash[SYSFS_INO_BUCKETS];
	struct timespec born;
};

/* A pending `remove` write: answered when the removal completes. */
struct sysfs_remove {
	fuse_req_t req;
	size_t size;
};

/* ---- inode numbers ---- */

static unsigned int sysfs_hash(const char *s)
{
	unsigned int h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h % SYSFS_INO_BUCKETS;
}

/* The inode of @path, made on first use.  0 when out of memory. */
static fuse_ino_t sysfs_intern(struct sysfs_fuse *fs, const char *path)
{
	unsigned int h = sysfs_hash(path);
	struct sysfs_ino *i;

	for (i = fs->hash[h]; i; i = i->hash_next)
		if (!strcmp(i->path, path))
			return i->ino;
	if (fs->nr_inos == fs->cap_inos) {
		size_t cap = fs->cap_inos ? fs->cap_inos * 2 : 256;
		struct sysfs_ino **p = realloc(fs->inos, cap * sizeof(*p));

		if (!p)
			return 0;
		fs->inos = p;
		fs->cap_inos = cap;
	}
	i = calloc(1, sizeof(*i));
	if (!i || !(i->path = strdup(path))) {
		free(i);
		return 0;
	}
	fs->inos[fs->nr_inos++] = i;
	i->ino = fs->nr_inos; /* the root, interned first, is 1 */
	i->hash_next = fs->hash[h];
	fs->hash[h] = i;
	return i->ino;
}

static const char *sysfs_path_of(struct sysfs_fuse *fs, fuse_ino_t ino)
{
	if (ino < 1 || ino > fs->nr_inos)
		return NULL;
	return fs->inos[ino - 1]->path;
}

/* ---- resolving a path against the live state ---- */

static struct mdev_type *sysfs_find_type(struct mdev_parent *parent,
					 const char *id)
{
	return mdev_parent_find_type(parent, id);
}

/* The device @uuid if it is on @parent (and of @type, if not NULL). */
static struct daemon_device *sysfs_find_dev(struct sysfs_fuse *fs,
					    const char *uuid,
					    struct mdev_parent *parent,
					    struct mdev_type *type)
{
	struct daemon_device *dev;

	/* Only the lowercase names exist, as in sysfs. */
	if (strlen(uuid) != MDEV_UUID_STRLEN)
		return NULL;
	dev = device_sockets_find(fs->devices, uuid);
	if (!dev || strcmp(dev->uuid, uuid))
		return NULL;
	if (parent && mdev_parent_of(dev->mdev) != parent)
		return NULL;
	if (type && mdev_type_of(dev->mdev) != type)
		return NULL;
	return dev;
}

static void sysfs_link(struct sysfs_node *n, const char *fmt, const char *a,
		       const char *b)
{
	n->kind = SYSFS_LINK;
	n->what = SYSFS_SYMLINK;
	snprintf(n->target, sizeof(n->target), fmt, a, b);
}

static int sysfs_dir(struct sysfs_node *n, enum sysfs_what what)
{
	n->kind = SYSFS_DIR;
	n->what = what;
	return 0;
}

static int sysfs_file(struct sysfs_node *n, enum sysfs_what what,
		      enum sysfs_kind kind)
{
	n->kind = kind;
	n->what = what;
	return 0;
}

static int sysfs_resolve_type(struct sysfs_fuse *fs, char **c, int depth,
			      struct sysfs_node *n)
{
	static const struct {
		const char *name;
		enum sysfs_what what;
		enum sysfs_kind kind;
	} files[] = {
		{ "name", SYSFS_TYPE_NAME, SYSFS_FILE_RO },
		{ "description", SYSFS_TYPE_DESCRIPTION, SYSFS_FILE_RO },
		{ "device_api", SYSFS_TYPE_DEVICE_API, SYSFS_FILE_RO },
		{ "available_instances", SYSFS_TYPE_AVAILABLE, SYSFS_FILE_RO },
		{ "create", SYSFS_TYPE_CREATE, SYSFS_FILE_WO },
	};
	size_t i;

	n->type = sysfs_find_type(n->parent, c[3]);
	if (!n->type)
		return -ENOENT;
	if (depth == 4)
		return sysfs_dir(n, SYSFS_TYPE);
	if (!strcmp(c[4], "devices")) {
		if (depth == 5)
			return sysfs_dir(n, SYSFS_TYPE_DEVICES);
		if (depth != 6 ||
		    !(n->dev = sysfs_find_dev(fs, c[5], n->parent, n->type)))
			return -ENOENT;
		sysfs_link(n, "../../../%s%s", n->dev->uuid, "");
		return 0;
	}
	if (depth != 5)
		return -ENOENT;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		if (strcmp(c[4], files[i].name))
			continue;
		if (files[i].what == SYSFS_TYPE_DESCRIPTION &&
		    !mdev_type_description(n->type))
			return -ENOENT;
		return sysfs_file(n, files[i].what, files[i].kind);
	}
	return -ENOENT;
}

static int sysfs_resolve_device(struct sysfs_fuse *fs, char **c, int depth,
				struct sysfs_node *n)
{
	const struct mgmt_def *rec;
	size_t i;

	n->dev = sysfs_find_dev(fs, c[2], n->parent, NULL);
	if (!n->dev)
		return -ENOENT;
	if (depth == 3)
		return sysfs_dir(n, SYSFS_DEVICE);
	if (depth != 4)
		return -ENOENT;
	n->type = mdev_type_of(n->dev->mdev);
	if (!strcmp(c[3], "mdev_type")) {
		sysfs_link(n, "../mdev_supported_types/%s%s",
			   mdev_type_id(n->type), "");
		return 0;
	}
	if (!strcmp(c[3], "remove"))
		return sysfs_file(n, SYSFS_DEVICE_REMOVE, SYSFS_FILE_WO);
	rec = mgmt_service_device_attrs(fs->mgmt, n->dev->uuid);
	for (i = 0; rec && i < rec->nr_attrs; i++) {
		if (!strcmp(c[3], rec->attrs[i].name)) {
			n->attr = rec->attrs[i].name;
			return sysfs_file(n, SYSFS_DEVICE_ATTR, SYSFS_FILE_RW);
		}
	}
	return -ENOENT;
}

/* Fill @n for @path.  Return: 0 or -ENOENT. */
static int sysfs_resolve(struct sysfs_fuse *fs, const char *path,
			 struct sysfs_node *n)
{
	char copy[1024], *c[SYSFS_MAX_DEPTH], *save = NULL, *tok;
	int depth = 0;

	memset(n, 0, sizeof(*n));
	if (strlen(path) >= sizeof(copy))
		return -ENOENT;
	strcpy(copy, path);
	for (tok = strtok_r(copy, "/", &save); tok;
	     tok = strtok_r(NULL, "/", &save)) {
		if (depth == SYSFS_MAX_DEPTH)
			return -ENOENT;
		c[depth++] = tok;
	}
	if (!depth)
		return sysfs_dir(n, SYSFS_ROOT);
	if (!strcmp(c[0], "class")) {
		if (depth == 1)
			return sysfs_dir(n, SYSFS_CLASS);
		if (strcmp(c[1], "mdev_bus"))
			return -ENOENT;
		if (depth == 2)
			return sysfs_dir(n, SYSFS_CLASS_MDEV_BUS);
		n->parent = mdev_core_find_parent(fs->core, c[2]);
		if (depth != 3 || !n->parent)
			return -ENOENT;
		sysfs_link(n, "../../devices/%s%s", c[2], "");
		return 0;
	}
	if (!strcmp(c[0], "bus")) {
		if (depth == 1)
			return sysfs_dir(n, SYSFS_BUS);
		if (strcmp(c[1], "mdev"))
			return -ENOENT;
		if (depth == 2)
			return sysfs_dir(n, SYSFS_BUS_MDEV);
		if (strcmp(c[2], "devices"))
			return -ENOENT;
		if (depth == 3)
			return sysfs_dir(n, SYSFS_BUS_DEVICES);
		n->dev = depth == 4 ? sysfs_find_dev(fs, c[3], NULL, NULL) :
				      NULL;
		if (!n->dev)
			return -ENOENT;
		sysfs_link(n, "../../../devices/%s/%s",
			   mdev_parent_name(mdev_parent_of(n->dev->mdev)),
			   n->dev->uuid);
		return 0;
	}
	if (strcmp(c[0], "devices"))
		return -ENOENT;
	if (depth == 1)
		return sysfs_dir(n, SYSFS_DEVICES);
	n->parent = mdev_core_find_parent(fs->core, c[1]);
	if (!n->parent)
		return -ENOENT;
	if (depth == 2)
		return sysfs_dir(n, SYSFS_PARENT);
	if (!strcmp(c[2], "mdev_supported_types")) {
		if (depth == 3)
			return sysfs_dir(n, SYSFS_TYPES);
		return sysfs_resolve_type(fs, c, depth, n);
	}
	return sysfs_resolve_device(fs, c, depth, n);
}

static int sysfs_resolve_ino(struct sysfs_fuse *fs, fuse_ino_t ino,
			     struct sysfs_node *n)
{
	const char *path = sysfs_path_of(fs, ino);

	return path ? sysfs_resolve(fs, path, n) : -ENOENT;
}

static void sysfs_stat(struct sysfs_fuse *fs, fuse_ino_t ino,
		       const struct sysfs_node *n, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_ino = ino;
	st->st_uid = getuid();
	st->st_gid = getgid();
	st->st_atim = st->st_mtim = st->st_ctim = fs->born;
	switch (n->kind) {
	case SYSFS_DIR:
		st->st_mode = S_IFDIR | 0755;
		st->st_nlink = 2;
		break;
	case SYSFS_LINK:
		st->st_mode = S_IFLNK | 0777;
		st->st_nlink = 1;
		st->st_size = (off_t)strlen(n->target);
		break;
	case SYSFS_FILE_RO:
		st->st_mode = S_IFREG | 0444;
		st->st_nlink = 1;
		st->st_size = SYSFS_FILE_SIZE;
		break;
	case SYSFS_FILE_WO:
		st->st_mode = S_IFREG | 0200;
		st->st_nlink = 1;
		st->st_size = SYSFS_FILE_SIZE;
		break;
	case SYSFS_FILE_RW:
		st->st_mode = S_IFREG | 0644;
		st->st_nlink = 1;
		st->st_size = SYSFS_FILE_SIZE;
		break;
	}
}

/* "<parent path>/<name>" (or "<name>" under the root). */
static int sysfs_child_path(struct sysfs_fuse *fs, fuse_ino_t parent,
			    const char *name, char *buf, size_t len)
{
	const char *p = sysfs_path_of(fs, parent);
	int n;

	if (!p)
		return -ENOENT;
	if (!strcmp(name, ".") || !strcmp(name, "..") || strchr(name, '/'))
		return -ENOENT;
	n = p[0] ? snprintf(buf, len, "%s/%s", p, name) :
		   snprintf(buf, len, "%s", name);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* ---- FUSE operations ---- */

static void sysfs_op_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct sysfs_fuse *fs = fuse_req_userdata(req);
	struct fuse_entry_param e = { 0 };
	struct sysfs_node n;
	char path[1024];
	int ret;

	ret = sysfs_child_path(fs, parent, name, path, sizeof(path));
	if (!ret)
		ret = sysfs_resolve(fs, path, &n);
	if (ret) {
		fuse_reply_err(req, -ret);
		return;
	}
	e.ino = sysfs_intern(fs, path);
	if (!e.ino) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	sysfs_stat(fs, e.ino, &n, &e.attr);
	e.attr_timeout = 0;
	e.entry_timeout = 0;
	fuse_reply_entry(req, &e);
}

static void sysfs_op_getattr(fuse_req_t req, fuse_ino_t ino,
			     struct fuse_file_info *fi)
{
	struct sysfs_fuse *fs = fuse_req_userdata(req);
	struct sysfs_node n;
	struct stat st;
	int ret = sysfs_resolve_ino(fs, ino, &n);

	if (ret) {
		fuse_reply_err(req, -ret);
		return;
	}
	sysfs_stat(fs, ino, &n, &st);
	fuse_reply_attr(req, &st, 0);
}

/* Truncation of a writable file succeeds (mdevctl opens with O_TRUNC). */
static void sysfs_op_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr,
			     int to_set, struct fuse_file_info *fi)
{
	struct sysfs_fuse *fs = fuse_req_userdata(req);
	struct sysfs_node n;
	struct stat st;
	int ret = sysfs_resolve_ino(fs, ino, &n);

	if (ret) {
		fuse_reply_err(req, -ret);
		return;
	}
	if (to_set & ~(FUSE_SET_ATTR_SIZE | FUSE_SET_ATTR_ATIME |
		       FUSE_SET_ATTR_MTIME | FUSE_SET_ATTR_ATIME_NOW |
		       FUSE_SET_ATTR_MTIME_NOW | FUSE_SET_ATTR_CTIME)) {
		fuse_reply_err(req, EPERM);
		return;
	}
	if ((to_set & FUSE_SET_ATTR_SIZE) && n.kind != SYSFS_FILE_WO &&
	    n.kind != SYSFS_FILE_RW) {
		fuse_reply_err(req, n.kind == SYSFS_DIR ? EISDIR : EACCES);
		return;
	}
	sysfs_stat(fs, ino, &n, &st);
	fuse_reply_attr(req, &st, 0);
}

static void sysfs_op_readlink(fuse_req_t req, fuse_ino_t ino)
{
	struct sysfs_fuse *fs = fuse_req_userdata(req);
	struct sysfs_node n;
	int ret = sysfs_resolve_ino(fs, ino, &n);

	if (!ret && n.kind != SYSFS_LINK)
		ret = -EINVAL;
	if (ret)
		fuse_reply_err(req, -ret);
	else
		fuse_reply_readlink(req, n.target);
}

static void sysfs_op_open(fuse_req_t req, fuse_ino_t ino,
			  struct fuse_file_info *fi)
{
	struct sysfs_fuse *fs = fuse_req_userdata(req);
	int acc = fi->flags & O_ACCMODE;
	struct sysfs_node n;
	int ret = sysfs_resolve_ino(fs, ino, &n);

	if (!ret && n.kind == SYSFS_DIR)
		ret = -EISDIR;
	else if (!ret && n.kind == SYSFS_FILE_RO && acc != O_RDONLY)
		ret = -EACCES;
	else if (!ret && n.kind == SYSFS_FILE_WO && acc != O_WRONLY)
		ret = -EACCES;
	if (ret) {
		fuse_reply_err(req, -ret);
		return;
	}
	fi->direct_io = 1;
	fi->keep_cache = 0;
	fuse_reply_open(req, fi);
}

/* The text of a readable file. */
static int sysfs_content(struct sysfs_fuse *fs, const struct sysfs_node *n,
			 char *buf, size_t len)
{
	const struct mgmt_def *rec;
	size_t i;

	switch (n->what) {
	case SYSFS_TYPE_NAME:
		return snprintf(buf, len, "%s\n", mdev_type_name(n->type));
	case SYSFS_TYPE_DESCRIPTION:
		return snprintf(buf, len, "%s\n",
				mdev_type_description(n->type));
	case SYSFS_TYPE_DEVICE_API:
		return snprintf(buf, len, "%s\n",
				mdev_type_device_api(n->type));
	case SYSFS_TYPE_AVAILABLE:
		return snprintf(buf, len, "%u\n", mdev_type_available(n->type));
	case SYSFS_DEVICE_ATTR:
		rec = mgmt_service_device_attrs(fs->mgmt, n->dev->uuid);
		for (i = 0; rec && i < rec->nr_attrs; i++)
			if (!strcmp(rec->attrs[i].name, n->attr))
				return snprintf(buf, len, "%s\n",
						rec->attrs[i].value);
		return -ENOENT;
	default:
		return -EACCES;
	}
}

static void sysfs_op_read(fuse_req_t req, fuse_ino_t ino, size_t size,
			  off_t off, struct fuse_file_info *fi)
{
	struct sysfs_fuse *fs = fuse_req_userdata(req);
	char buf[SYSFS_FILE_SIZE];
	struct sysfs_node n;
	int ret = sysfs_resolve_ino(fs, ino, &n);

	if (!ret)
		ret = sysfs_content(fs, &n, buf, sizeof(buf));
	if (ret < 0) {
		fuse_reply_err(req, -ret);
		return;
	}
	if ((size_t)ret >= sizeof(buf))
		ret = sizeof(buf) - 1;
	if (off >= ret)
		fuse_reply_buf(req, NULL, 0);
	else
		fuse_reply_buf(req, buf + off,
			       (size_t)(ret - off) < size ?
				       (size_t)(ret - off) :
				       size);
}

/* The written text without one trailing newline, NUL-terminated. */
static int sysfs_written(const char *buf, size_t size, char *out, size_t len)
{
	if (size && buf[size - 1] == '\n')
		size--;
	if (size >= len || memchr(buf, '\0', size))
		return -EINVAL;
	memcpy(out, buf, size);
	out[size] = '\0';
	return 0;
}

static void sysfs_create(struct sysfs_fuse *fs, fuse_req_t req,
			 const struct sysfs_node *n, const char *text,
			 size_t size)
{
	struct mgmt_err err = { "" };
	struct mgmt_def *spec;
	int ret;

	spec = mgmt_def_new(text, mdev_parent_name(n->parent),
			    mdev_type_id(n->type));
	if (!spec) {
		fuse_reply_err(req, errno);
		return;
	}
	ret = mgmt_service_start(fs->mgmt, spec, NULL, &err);
	if (ret)
		log_device(LOG_LEVEL_WARN, spec->uuid, "sysfs create",
			   "refused: %s", err.msg);
	mgmt_def_free(spec);
	if (ret)
		fuse_reply_err(req, -ret);
	else
		fuse_reply_write(req, size);
}

static void sysfs_remove_done(void *arg, const char *uuid, int result,
			      bool forced)
{
	struct sysfs_remove *r = arg;

	if (result)
		fuse_reply_err(r->req, -result);
	else
		fuse_reply_write(r->req, r->size);
	free(r);
}

/* As the kernel's remove_store: a number; non-zero removes. */
static void sysfs_remove(struct sysfs_fuse *fs, fuse_req_t req,
			 const struct sysfs_node *n, const char *text,
			 size_t size)
{
	struct device_removal *removal = NULL;
	struct mgmt_err err = { "" };
	struct sysfs_remove *r;
	unsigned long val;
	char *end;
	int ret;

	errno = 0;
	val = strtoul(text, &end, 0);
	if (errno || end == text || *end || text[0] == '-') {
		fuse_reply_err(req, EINVAL);
		return;
	}
	if (!val) {
		fuse_reply_write(req, size);
		return;
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	r->req = req;
	r->size = size;
	ret = mgmt_service_stop(fs->mgmt, n->dev->uuid, sysfs_remove_done, r,
				&removal, &err);
	if (ret == 1)
		return; /* answered by sysfs_remove_done() */
	free(r);
	if (ret) {
		log_device(LOG_LEVEL_WARN, n->dev->uuid, "sysfs remove",
			   "refused: %s", err.msg);
		fuse_reply_err(req, -ret);
	} else {
		fuse_reply_write(req, size);
	}
}

static void sysfs_op_write(fuse_req_t req, fuse_ino_t ino, const char *buf,
			   size_t size, off_t off, struct fuse_file_info *fi)
{
	struct sysfs_fuse *fs = fuse_req_userdata(req);
	struct mgmt_err err = { "" };
	struct sysfs_node n;
	char text[SYSFS_FILE_SIZE];
	int ret = sysfs_resolve_ino(fs, ino, &n);

	if (!ret)
		ret = sysfs_written(buf, size, text, sizeof(text));
	if (ret) {
		fuse_reply_err(req, -ret);
		return;
	}
	switch (n.what) {
	case SYSFS_TYPE_CREATE:
		sysfs_create(fs, req, &n, text, size);
		return;
	case SYSFS_DEVICE_REMOVE:
		sysfs_remove(fs, req, &n, text, size);
		return;
	case SYSFS_DEVICE_ATTR:
		ret = mgmt_service_set_attr(fs->mgmt, n.dev->uuid, n.attr, text,
					    &err);
		if (ret)
			fuse_reply_err(req, -ret);
		else
			fuse_reply_write(req, size);
		return;
	default:
		fuse_reply_err(req, EACCES);
	}
}

/* An attribute file that does not exist cannot be made, as in sysfs. */
static void sysfs_op_create(fuse_req_t req, fuse_ino_t parent, const char *name,
			    mode_t mode, struct fuse_file_info *fi)
{
	fuse_reply_err(req, EACCES);
}

struct sysfs_dirbuf {
	char *data;
	size_t len;
	bool failed;
};

static void sysfs_dirbuf_add(struct sysfs_fuse *fs, fuse_req_t req,
			     struct sysfs_dirbuf *b, fuse_ino_t dir,
			     const char *name, enum sysfs_kind kind)
{
	char path[1024];
	struct stat st = { 0 };
	size_t need;
	char *p;

	if (b->failed)
		return;
	if (!strcmp(name, ".") || !strcmp(name, "..")) {
		st.st_ino = dir;
	} else {
		if (sysfs_child_path(fs, dir, name, path, sizeof(path)))
			return;
		st.st_ino = sysfs_intern(fs, path);
	}
	st.st_mode = kind == SYSFS_DIR	? S_IFDIR :
		     kind == SYSFS_LINK ? S_IFLNK :
					  S_IFREG;
	need = fuse_add_direntry(req, NULL, 0, name, NULL, 0);
	p = realloc(b->data, b->len + need);
	if (!p) {
		b->failed = true;
		return;
	}
	b->data = p;
	fuse_add_direntry(req, b->data + b->len, need, name, &st,
			  (off_t)(b->len + need));
	b->len += need;
}

static void sysfs_list_dir(struct sysfs_fuse *fs, fuse_req_t req,
			   fuse_ino_t ino, const struct sysfs_node *n,
			   struct sysfs_dirbuf *b)
{
	struct mdev_parent *p = NULL;
	struct mdev_type *t = NULL;
	struct daemon_device *d = NULL;
	const struct mgmt_def *rec;
	size_t i;

	sysfs_dirbuf_add(fs, req, b, ino, ".", SYSFS_DIR);
	sysfs_dirbuf_add(fs, req, b, ino, "..", SYSFS_DIR);
	switch (n->what) {
	case SYSFS_ROOT:
		sysfs_dirbuf_add(fs, req, b, ino, "bus", SYSFS_DIR);
		sysfs_dirbuf_add(fs, req, b, ino, "class", SYSFS_DIR);
		sysfs_dirbuf_add(fs, req, b, ino, "devices", SYSFS_DIR);
		break;
	case SYSFS_CLASS:
		sysfs_dirbuf_add(fs, req, b, ino, "mdev_bus", SYSFS_DIR);
		break;
	case SYSFS_BUS:
		sysfs_dirbuf_add(fs, req, b, ino, "mdev", SYSFS_DIR);
		break;
	case SYSFS_BUS_MDEV:
		sysfs_dirbuf_add(fs, req, b, ino, "devices", SYSFS_DIR);
		break;
	case SYSFS_CLASS_MDEV_BUS:
	case SYSFS_DEVICES:
		while ((p = mdev_core_next_parent(fs->core, p)))
			sysfs_dirbuf_add(fs, req, b, ino, mdev_parent_name(p),
					 n->what == SYSFS_DEVICES ? SYSFS_DIR :
								    SYSFS_LINK);
		break;
	case SYSFS_BUS_DEVICES:
		while ((d = device_sockets_next(fs->devices, d)))
			sysfs_dirbuf_add(fs, req, b, ino, d->uuid, SYSFS_LINK);
		break;
	case SYSFS_PARENT:
		sysfs_dirbuf_add(fs, req, b, ino, "mdev_supported_types",
				 SYSFS_DIR);
		while ((d = device_sockets_next(fs->devices, d)))
			if (mdev_parent_of(d->mdev) == n->parent)
				sysfs_dirbuf_add(fs, req, b, ino, d->uuid,
						 SYSFS_DIR);
		break;
	case SYSFS_TYPES:
		while ((t = mdev_parent_next_type(n->parent, t)))
			sysfs_dirbuf_add(fs, req, b, ino, mdev_type_id(t),
					 SYSFS_DIR);
		break;
	case SYSFS_TYPE:
		sysfs_dirbuf_add(fs, req, b, ino, "available_instances",
				 SYSFS_FILE_RO);
		sysfs_dirbuf_add(fs, req, b, ino, "create", SYSFS_FILE_WO);
		if (mdev_type_description(n->type))
			sysfs_dirbuf_add(fs, req, b, ino, "description",
					 SYSFS_FILE_RO);
		sysfs_dirbuf_add(fs, req, b, ino, "device_api", SYSFS_FILE_RO);
		sysfs_dirbuf_add(fs, req, b, ino, "devices", SYSFS_DIR);
		sysfs_dirbuf_add(fs, req, b, ino, "name", SYSFS_FILE_RO);
		break;
	case SYSFS_TYPE_DEVICES:
		while ((d = device_sockets_next(fs->devices, d)))
			if (mdev_type_of(d->mdev) == n->type)
				sysfs_dirbuf_add(fs, req, b, ino, d->uuid,
						 SYSFS_LINK);
		break;
	case SYSFS_DEVICE:
		sysfs_dirbuf_add(fs, req, b, ino, "mdev_type", SYSFS_LINK);
		sysfs_dirbuf_add(fs, req, b, ino, "remove", SYSFS_FILE_WO);
		rec = mgmt_service_device_attrs(fs->mgmt, n->dev->uuid);
		for (i = 0; rec && i < rec->nr_attrs; i++)
			sysfs_dirbuf_add(fs, req, b, ino, rec->attrs[i].name,
					 SYSFS_FILE_RW);
		break;
	default:
		break;
	}
}

static void sysfs_op_readdir(fuse_req_t req, fuse_ino_t ino, size_t size,
			     off_t off, struct fuse_file_info *fi)
{
	struct sysfs_fuse *fs = fuse_req_userdata(req);
	struct sysfs_dirbuf b = { 0 };
	struct sysfs_node n;
	int ret = sysfs_resolve_ino(fs, ino, &n);

	if (!ret && n.kind != SYSFS_DIR)
		ret = -ENOTDIR;
	if (ret) {
		fuse_reply_err(req, -ret);
		return;
	}
	sysfs_list_dir(fs, req, ino, &n, &b);
	if (b.failed)
		fuse_reply_err(req, ENOMEM);
	else if ((size_t)off < b.len)
		fuse_reply_buf(req, b.data + off,
			       b.len - (size_t)off < size ?
				       b.len - (size_t)off :
				       size);
	else
		fuse_reply_buf(req, NULL, 0);
	free(b.data);
}

static void sysfs_op_opendir(fuse_req_t req, fuse_ino_t ino,
			     struct fuse_file_info *fi)
{
	struct sysfs_fuse *fs = fuse_req_userdata(req);
	struct sysfs_node n;
	int ret = sysfs_resolve_ino(fs, ino, &n);

	if (!ret && n.kind != SYSFS_DIR)
		ret = -ENOTDIR;
	if (ret)
		fuse_reply_err(req, -ret);
	else
		fuse_reply_open(req, fi);
}

static const struct fuse_lowlevel_ops sysfs_ops = {
	.lookup = sysfs_op_lookup,
	.getattr = sysfs_op_getattr,
	.setattr = sysfs_op_setattr,
	.readlink = sysfs_op_readlink,
	.open = sysfs_op_open,
	.read = sysfs_op_read,
	.write = sysfs_op_write,
	.create = sysfs_op_create,
	.opendir = sysfs_op_opendir,
	.readdir = sysfs_op_readdir,
};

/* ---- the loop ---- */

static void sysfs_fuse_ready(void *arg, uint32_t revents)
{
	struct sysfs_fuse *fs = arg;
	int ret;

	ret = fuse_session_receive_buf(fs->se, &fs->buf);
	if (ret == -EAGAIN || ret == -EINTR)
		return;
	if (ret <= 0) {
		/* Unmounted under us (fusermount -u, umount): stop serving. */
		log_msg(LOG_LEVEL_WARN, "sysfs tree: %s; no longer served",
			ret ? strerror(-ret) : "unmounted");
		event_loop_unwatch(fs->loop, fs->fd);
		fs->fd = -1;
		return;
	}
	fuse_session_process_buf(fs->se, &fs->buf);
}

/* A mount of a killed umdevd answers ENOTCONN: detach it. */
static void sysfs_detach_stale(const char *mountpoint)
{
	struct stat st;

	if (stat(mountpoint, &st) < 0 && errno == ENOTCONN) {
		log_msg(LOG_LEVEL_INFO,
			"sysfs tree: detaching the stale mount at %s",
			mountpoint);
		umount2(mountpoint, MNT_DETACH);
	}
}

struct sysfs_fuse *sysfs_fuse_new(const struct sysfs_fuse_config *cfg)
{
	char *argv[] = { "umdevd", "-o", NULL, NULL };
	struct fuse_args args = FUSE_ARGS_INIT(3, argv);
	struct sysfs_fuse *fs;
	struct stat st;
	char opts[128];
	int err;

	sysfs_detach_stale(cfg->mountpoint);
	if (stat(cfg->mountpoint, &st) < 0)
		return NULL;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return NULL;
	}
	fs = calloc(1, sizeof(*fs));
	if (!fs)
		return NULL;
	fs->loop = cfg->loop;
	fs->core = cfg->core;
	fs->devices = cfg->devices;
	fs->mgmt = cfg->mgmt;
	fs->fd = -1;
	clock_gettime(CLOCK_REALTIME, &fs->born);
	if (sysfs_intern(fs, "") != FUSE_ROOT_ID)
		goto err_nomem;
	snprintf(opts, sizeof(opts), "fsname=umdev,subtype=umdev-sysfs%s",
		 geteuid() == 0 ? ",allow_other" : "");
	argv[2] = opts;
	fs->se = fuse_session_new(&args, &sysfs_ops, sizeof(sysfs_ops), fs);
	/* The session keeps what it parsed: the copies libfuse made go. */
	fuse_opt_free_args(&args);
	if (!fs->se) {
		errno = EINVAL;
		goto err_free;
	}
	if (fuse_session_mount(fs->se, cfg->mountpoint)) {
		errno = access("/dev/fuse", R_OK | W_OK) ? ENODEV : EPERM;
		goto err_free;
	}
	fs->mounted = true;
	fs->fd = fuse_session_fd(fs->se);
	if (fcntl(fs->fd, F_SETFL, fcntl(fs->fd, F_GETFL) | O_NONBLOCK) < 0)
		goto err_free;
	err = event_loop_watch(fs->loop, fs->fd, EPOLLIN, sysfs_fuse_ready, fs);
	if (err) {
		errno = -err;
		fs->fd = -1;
		goto err_free;
	}
	log_msg(LOG_LEVEL_INFO, "sysfs tree mounted at %s", cfg->mountpoint);
	return fs;

err_nomem:
	errno = ENOMEM;
err_free:
	err = errno;
	fs->fd = -1;
	sysfs_fuse_free(fs);
	errno = err;
	return NULL;
}

void sysfs_fuse_free(struct sysfs_fuse *fs)
{
	size_t i;

	if (!fs)
		return;
	if (fs->fd >= 0)
		event_loop_unwatch(fs->loop, fs->fd);
	if (fs->se) {
		if (fs->mounted)
			fuse_session_unmount(fs->se);
		fuse_session_destroy(fs->se);
	}
	for (i = 0; i < fs->nr_inos; i++) {
		free(fs->inos[i]->path);
		free(fs->inos[i]);
	}
	free(fs->inos);
	free(fs->buf.mem);
	free(fs);
}
