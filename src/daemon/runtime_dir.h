/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * runtime_dir - where umdevd keeps its sockets, shared by umdevd and
 * umdevctl so that both resolve the same directory the same way.
 */
#ifndef UMDEV_DAEMON_RUNTIME_DIR_H
#define UMDEV_DAEMON_RUNTIME_DIR_H

#include <stddef.h>

#define RUNTIME_DIR_CONTROL_SOCKET "control.sock"
#define RUNTIME_DIR_DEFAULT_ROOT "/run/umdev"

/**
 * runtime_dir_resolve() - the runtime directory: @override if not NULL,
 * else $UMDEV_RUNTIME_DIR, else /run/umdev for root, else
 * $XDG_RUNTIME_DIR/umdev.
 * Return: 0; -ENOENT when no rule applies (not root and no
 * $XDG_RUNTIME_DIR); -ENAMETOOLONG when it does not fit @len.
 */
int runtime_dir_resolve(const char *override, char *buf, size_t len);

/**
 * runtime_dir_prepare() - create @dir (its parent must exist) with mode
 * 0700, or accept an existing one.  No symlink is ever followed: @dir is
 * opened with O_NOFOLLOW and checked through that fd.  An existing
 * directory must be owned by the effective uid and writable by nobody
 * else; one that is only readable by others is tightened to 0700.
 * @why (@len bytes, may be NULL) receives a message naming the path and
 * its owner when refused.
 * Return: 0; -ELOOP if @dir is a symlink; -ENOTDIR if not a directory;
 * -EPERM if another user owns it or group/others may write it; or the
 * -errno of mkdir/open/fchmod.
 */
int runtime_dir_prepare(const char *dir, char *why, size_t len);

/** runtime_dir_create() - runtime_dir_prepare() without a message. */
int runtime_dir_create(const char *dir);

/**
 * runtime_dir_socket_path() - "<dir>/<name>" for a UNIX socket.
 * Return: 0; -ENAMETOOLONG if it does not fit @len or sun_path.
 */
int runtime_dir_socket_path(const char *dir, const char *name, char *buf,
			    size_t len);

/**
 * runtime_dir_device_socket() - "<dir>/<uuid>.sock".
 * Return: as runtime_dir_socket_path(); -EINVAL if @uuid is not a UUID
 * (mdev_uuid_valid()).
 */
int runtime_dir_device_socket(const char *dir, const char *uuid, char *buf,
			      size_t len);

/**
 * runtime_dir_clean_stale() - unlink every <uuid>.sock socket in @dir: left
 * by a umdevd that was killed (call only once no other umdevd serves @dir).
 * Return: how many were removed, or the -errno of opendir.
 */
int runtime_dir_clean_stale(const char *dir);

#endif
