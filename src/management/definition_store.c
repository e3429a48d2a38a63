// SPDX-License-Identifier: GPL-2.0-only
/*
 * definition_store - definitions in <config>/<parent>/<uuid>
 * (definition_store.h).
 */
#include "definition_store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json_pretty.h"

/* A definition file larger than this is not one mdevctl wrote. */
#define MGMT_STORE_MAX_FILE (1024 * 1024)

int mgmt_store_resolve(const char *override, char *buf, size_t len)
{
	const char *dir = override;

	if (!dir || !dir[0])
		dir = getenv("UMDEV_CONFIG_DIR");
	if (!dir || !dir[0])
		dir = MGMT_CONFIG_DIR_DEFAULT;
	if (strlen(dir) >= len)
		return -ENAMETOOLONG;
	strcpy(buf, dir);
	return 0;
}

static int mgmt_def_cmp(const struct mgmt_def *a, const struct mgmt_def *b)
{
	int c = strcmp(a->parent, b->parent);

	return c ? c : strcmp(a->uuid, b->uuid);
}

void mgmt_def_list_insert(struct mgmt_def **head, struct mgmt_def *def)
{
	while (*head && mgmt_def_cmp(*head, def) < 0)
		head = &(*head)->next;
	def->next = *head;
	*head = def;
}

/* Read all of @fd (at most MGMT_STORE_MAX_FILE bytes). */
static int mgmt_read_all(int fd, char **out)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap + 1), *p;
	ssize_t n;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(buf);
			return -errno;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len == cap) {
			if (cap >= MGMT_STORE_MAX_FILE) {
				free(buf);
				return -EFBIG;
			}
			cap *= 2;
			p = realloc(buf, cap + 1);
			if (!p) {
				free(buf);
				return -ENOMEM;
			}
			buf = p;
		}
	}
	buf[len] = '\0';
	*out = buf;
	return (int)len;
}

static struct mgmt_def *mgmt_store_load_file(int dirfd, const char *parent,
					     const char *uuid, char *why,
					     size_t whylen)
{
	struct json_tokener *tok;
	struct mgmt_def *def;
	json_object *obj;
	char *text = NULL;
	struct stat st;
	int fd, len;

	/* A FIFO or a device must not block the daemon (docs/security.md). */
	fd = openat(dirfd, uuid,
		    O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0) {
		snprintf(why, whylen, "%s", strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(why, whylen, "not a regular file");
		close(fd);
		return NULL;
	}
	len = mgmt_read_all(fd, &text);
	close(fd);
	if (len < 0) {
		snprintf(why, whylen, "%s", strerror(-len));
		return NULL;
	}
	tok = json_tokener_new();
	obj = tok ? json_tokener_parse_ex(tok, text, len) : NULL;
	if (!obj || json_tokener_get_parse_end(tok) != (size_t)len) {
		/* Trailing whitespace is fine; anything else is not. */
		size_t end = tok ? json_tokener_get_parse_end(tok) : 0;

		while (obj && end < (size_t)len && strchr(" \t\r\n", text[end]))
			end++;
		if (!obj || end != (size_t)len) {
			snprintf(why, whylen, "not valid JSON");
			json_object_put(obj);
			json_tokener_free(tok);
			free(text);
			return NULL;
		}
	}
	json_tokener_free(tok);
	free(text);
	def = mgmt_def_new(uuid, parent, NULL);
	if (!def) {
		snprintf(why, whylen, "%s", strerror(errno));
		json_object_put(obj);
		return NULL;
	}
	if (mgmt_def_parse_config(def, obj, false, why, whylen)) {
		mgmt_def_free(def);
		def = NULL;
	}
	json_object_put(obj);
	return def;
}

static void mgmt_store_load_parent(const char *dir, int topfd,
				   const char *parent, struct mgmt_def **out,
				   int *count, mgmt_store_report report,
				   void *arg)
{
	char why[256], path[PATH_MAX];
	struct dirent *e;
	struct mgmt_def *def;
	char lower[MDEV_UUID_STRLEN + 1];
	int fd;
	DIR *d;

	fd = openat(topfd, parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return; /* a plain file beside the parents: not ours */
	}
	while ((e = readdir(d))) {
		/* ".<uuid>.tmp": ours, from a write a crash interrupted. */
		if (e->d_name[0] == '.' &&
		    strlen(e->d_name) == MDEV_UUID_STRLEN + 5 &&
		    !strcmp(e->d_name + MDEV_UUID_STRLEN + 1, ".tmp")) {
			unlinkat(dirfd(d), e->d_name, 0);
			continue;
		}
		if (mgmt_uuid_normalize(e->d_name, lower))
			continue; /* editor backups, ... */
		def = mgmt_store_load_file(dirfd(d), parent, e->d_name, why,
					   sizeof(why));
		if (!def) {
			snprintf(path, sizeof(path), "%s/%s/%s", dir, parent,
				 e->d_name);
			if (report)
				report(arg, path, why);
			continue;
		}
		mgmt_def_list_insert(out, def);
		(*count)++;
	}
	closedir(d);
}

int mgmt_store_load(const char *dir, struct mgmt_def **out,
		    mgmt_store_report report, void *arg)
{
	struct dirent *e;
	int count = 0;
	DIR *d;

	d = opendir(dir);
	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || !strcmp(e->d_name, "scripts.d") ||
		    !mgmt_name_valid(e->d_name))
			continue;
		mgmt_store_load_parent(dir, dirfd(d), e->d_name, out, &count,
				       report, arg);
	}
	closedir(d);
	return count;
}

static int mgmt_fsync_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int ret = 0;

	if (fd < 0)
		return -errno;
	if (fsync(fd) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static int mgmt_write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int mgmt_store_write(const char *dir, const struct mgmt_def *def)
{
	char pdir[PATH_MAX], path[PATH_MAX], tmp[PATH_MAX];
	json_object *obj;
	char *text;
	int fd, ret;

	if (snprintf(pdir, sizeof(pdir), "%s/%s", dir, def->parent) >=
		    (int)sizeof(pdir) ||
	    snprintf(path, sizeof(path), "%s/%s", pdir, def->uuid) >=
		    (int)sizeof(path) ||
	    snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", pdir, def->uuid) >=
		    (int)sizeof(tmp))
		return -ENAMETOOLONG;
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return -errno;
	if (mkdir(pdir, 0755) < 0) {
		if (errno != EEXIST)
			return -errno;
	} else {
		ret = mgmt_fsync_dir(dir);
		if (ret)
			return ret;
	}
	obj = mgmt_def_config_json(def, true);
	text = obj ? json_pretty(obj) : NULL;
	json_object_put(obj);
	if (!text)
		return -ENOMEM;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
		  0644);
	if (fd < 0) {
		ret = -errno;
		free(text);
		return ret;
	}
	ret = mgmt_write_all(fd, text, strlen(text));
	free(text);
	if (!ret && fsync(fd) < 0)
		ret = -errno;
	if (close(fd) < 0 && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path) < 0)
		ret = -errno;
	if (ret) {
		unlink(tmp);
		return ret;
	}
	return mgmt_fsync_dir(pdir);
}

int mgmt_store_remove(const char *dir, const struct mgmt_def *def)
{
	char pdir[PATH_MAX], path[PATH_MAX];

	if (snprintf(pdir, sizeof(pdir), "%s/%s", dir, def->parent) >=
		    (int)sizeof(pdir) ||
	    snprintf(path, sizeof(path), "%s/%s", pdir, def->uuid) >=
		    (int)sizeof(path))
		return -ENAMETOOLONG;
	if (unlink(path) < 0)
		return -errno;
	/* An empty <parent> dir stays, as mdevctl leaves it. */
	return mgmt_fsync_dir(pdir);
}
