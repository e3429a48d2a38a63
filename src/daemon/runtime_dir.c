// SPDX-License-Identifier: GPL-2.0-only
/*
 * runtime_dir - resolve and create the runtime directory; build socket paths.
 */
#include "runtime_dir.h"

#include <dirent.h>
#include <fcntl.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdarg.h>
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

/* Format a refusal into @why (may be NULL) and return @err. */
static int runtime_dir_refuse(int err, char *why, size_t len, const char *fmt,
			      ...) __attribute__((format(printf, 4, 5)));

static int runtime_dir_refuse(int err, char *why, size_t len, const char *fmt,
			      ...)
{
	va_list ap;

	if (why && len) {
		va_start(ap, fmt);
		vsnprintf(why, len, fmt, ap);
		va_end(ap);
	}
	return err;
}

static const char *runtime_dir_user(uid_t uid, char *buf, size_t len)
{
	struct passwd pw, *res = NULL;
	char pwbuf[1024];

	if (getpwuid_r(uid, &pw, pwbuf, sizeof(pwbuf), &res) || !res)
		snprintf(buf, len, "uid %u", (unsigned int)uid);
	else
		snprintf(buf, len, "uid %u (%s)", (unsigned int)uid,
			 res->pw_name);
	return buf;
}

int runtime_dir_prepare(const char *dir, char *why, size_t len)
{
	char owner[96], me[96];
	struct stat st;
	int fd, ret;

	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return runtime_dir_refuse(-errno, why, len,
					  "%s: cannot create it: %s", dir,
					  strerror(errno));
	/* O_NOFOLLOW: a symlink planted at @dir is refused, never followed. */
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		if (lstat(dir, &st) == 0 && S_ISLNK(st.st_mode))
			return runtime_dir_refuse(
				-ELOOP, why, len,
				"%s is a symbolic link (owned by %s): refused, a runtime directory is never followed through a link",
				dir,
				runtime_dir_user(st.st_uid, owner,
						 sizeof(owner)));
		if (ret == -ENOTDIR)
			return runtime_dir_refuse(ret, why, len,
						  "%s is not a directory", dir);
		return runtime_dir_refuse(ret, why, len, "%s: %s", dir,
					  strerror(-ret));
	}
	if (fstat(fd, &st) < 0) {
		ret = -errno;
		close(fd);
		return runtime_dir_refuse(ret, why, len, "%s: %s", dir,
					  strerror(-ret));
	}
	/* Sockets inside are protected by the directory: it must be ours. */
	if (st.st_uid != geteuid()) {
		close(fd);
		return runtime_dir_refuse(
			-EPERM, why, len,
			"%s is owned by %s, not by %s: refused (remove it or choose another --runtime-dir)",
			dir, runtime_dir_user(st.st_uid, owner, sizeof(owner)),
			runtime_dir_user(geteuid(), me, sizeof(me)));
	}
	/* Others could have put anything in a directory they may write. */
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		close(fd);
		return runtime_dir_refuse(
			-EPERM, why, len,
			"%s (owned by %s) has mode %04o: writable by others, refused (it must be 0700)",
			dir, runtime_dir_user(st.st_uid, owner, sizeof(owner)),
			(unsigned int)(st.st_mode & 07777));
	}
	/* Only readable by others: ours to tighten, through the fd. */
	if ((st.st_mode & 07777) != 0700 && fchmod(fd, 0700) < 0) {
		ret = -errno;
		close(fd);
		return runtime_dir_refuse(ret, why, len, "%s: chmod 0700: %s",
					  dir, strerror(-ret));
	}
	close(fd);
	return 0;
}

int runtime_dir_create(const char *dir)
{
	return runtime_dir_prepare(dir, NULL, 0);
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
