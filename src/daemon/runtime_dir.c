// SPDX-License-Identifier: GPL-2.0-only
/*
 * runtime_dir - resolve and create the runtime directory; build socket paths.
 */
#include "runtime_dir.h"

#include <dirent.h>
#include <fcntl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <umdev/mdev_host.h>

static int runtime_dir_copy(char *buf, size_t len, const char *a, const char *b)
{
	int n = snprintf(buf, len, "%s%s", a, b);

	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	return 0;
}

int runtime_dir_resolve(const char *override, char *buf, size_t len)
{
	const char *env;

	if (override && *override)
		return runtime_dir_copy(buf, len, override, "");
	env = getenv("UMDEV_RUNTIME_DIR");
	if (env && *env)
		return runtime_dir_copy(buf, len, env, "");
	if (geteuid() == 0)
		return runtime_dir_copy(buf, len, RUNTIME_DIR_DEFAULT_ROOT, "");
	env = getenv("XDG_RUNTIME_DIR");
	if (env && *env)
		return runtime_dir_copy(buf, len, env, "/umdev");
	return -ENOENT;
}

int runtime_dir_create(const char *dir)
{
	struct stat st;

	if (mkdir(dir, 0700) == 0)
		return 0;
	if (errno != EEXIST)
		return -errno;
	if (stat(dir, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	/* Sockets inside are protected by the directory: it must be ours. */
	if (st.st_uid != geteuid())
		return -EPERM;
	if ((st.st_mode & 07777) != 0700 && chmod(dir, 0700) < 0)
		return -errno;
	return 0;
}

int runtime_dir_socket_path(const char *dir, const char *name, char *buf,
			    size_t len)
{
	struct sockaddr_un sun;
	int n = snprintf(buf, len, "%s/%s", dir, name);

	if (n < 0 || (size_t)n >= len || (size_t)n >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	return 0;
}

int runtime_dir_device_socket(const char *dir, const char *uuid, char *buf,
			      size_t len)
{
	char name[64];

	if (!mdev_uuid_valid(uuid))
		return -EINVAL;
	snprintf(name, sizeof(name), "%s.sock", uuid);
	return runtime_dir_socket_path(dir, name, buf, len);
}

int runtime_dir_clean_stale(const char *dir)
{
	char name[37];
	struct dirent *e;
	struct stat st;
	int n = 0;
	DIR *d;

	d = opendir(dir);
	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);

		if (len != 36 + 5 || strcmp(e->d_name + 36, ".sock"))
			continue;
		memcpy(name, e->d_name, 36);
		name[36] = '\0';
		if (!mdev_uuid_valid(name) ||
		    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) ||
		    !S_ISSOCK(st.st_mode))
			continue;
		if (!unlinkat(dirfd(d), e->d_name, 0))
			n++;
	}
	closedir(d);
	return n;
}
