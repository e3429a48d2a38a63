// SPDX-License-Identifier: GPL-2.0-only
/*
 * mtty_port_socket - a port on a UNIX stream socket umdevd listens on
 * ("socket:PATH").  One peer at a time: a second one is accepted and
 * closed at once.  PATH is absolute and resolved without following any
 * symlink (openat2 RESOLVE_NO_SYMLINKS on its directory; the socket is
 * bound through that directory fd), so a link planted on the way cannot
 * make umdevd create or remove a socket elsewhere.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "mtty_ports.h"
#include "mtty_state.h"

static int mtty_socket_open_dir(const char *dir)
{
	struct open_how how = {
		.flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
		.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	long fd = syscall(SYS_openat2, AT_FDCWD, dir, &how, sizeof(how));

	return fd < 0 ? -errno : (int)fd;
}

/* The socket's name in its directory (p->path is absolute). */
static const char *mtty_socket_base(const struct mtty_port *p)
{
	return strrchr(p->path, '/') + 1;
}

/* Remove an old socket at the path; refuse anything else there. */
static int mtty_socket_clear(int dir_fd, const char *base)
{
	struct stat st;

	if (fstatat(dir_fd, base, &st, AT_SYMLINK_NOFOLLOW))
		return errno == ENOENT ? 0 : -errno;
	if (S_ISLNK(st.st_mode))
		return -ELOOP;
	if (!S_ISSOCK(st.st_mode))
		return -EEXIST;
	return unlinkat(dir_fd, base, 0) ? -errno : 0;
}

int mtty_socket_listen(struct mtty_port *p, const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct epoll_event ev = { .events = EPOLLIN };
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX];
	int fd, n, ret;

	if (path[0] != '/' || !slash[1] || strlen(path) >= sizeof(p->path))
		return -EINVAL;
	snprintf(p->path, sizeof(p->path), "%s", path);
	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	p->dir_fd = mtty_socket_open_dir(dir[0] ? dir : "/");
	if (p->dir_fd < 0)
		return p->dir_fd;
	n = snprintf(addr.sun_path, sizeof(addr.sun_path),
		     "/proc/self/fd/%d/%s", p->dir_fd, slash + 1);
	if (n < 0 || (size_t)n >= sizeof(addr.sun_path))
		return -EINVAL;
	ret = mtty_socket_clear(p->dir_fd, slash + 1);
	if (ret)
		return ret;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		ret = -errno;
		close(fd);
		return ret;
	}
	p->listen_fd = fd; /* bound: the name is ours to remove */
	/* As the device sockets: only umdevd's uid (and root) may connect. */
	if (fchmodat(p->dir_fd, slash + 1, 0600, 0))
		return -errno;
	if (listen(fd, 4))
		return -errno;
	p->spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	ev.data.fd = p->listen_fd;
	if (epoll_ctl(p->epfd, EPOLL_CTL_ADD, p->listen_fd, &ev))
		return -errno;
	return 0;
}

void mtty_socket_accept(struct mtty_port *p)
{
	int fd =
		accept4(p->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

	if (fd < 0 && (errno == EMFILE || errno == ENFILE) &&
	    p->spare_fd >= 0) {
		/* Out of fds: the pending peer would keep the listening socket
		 * readable forever.  Take it with the spare fd, refuse it. */
		close(p->spare_fd);
		fd = accept4(p->listen_fd, NULL, NULL, SOCK_CLOEXEC);
		if (fd >= 0)
			close(fd);
		p->spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
		return;
	}
	if (fd < 0)
		return; /* EAGAIN, or the peer already gave up */
	if (p->connected) {
		close(fd); /* one peer at a time */
		return;
	}
	mtty_port_connected(p, fd);
}

void mtty_socket_close(struct mtty_port *p)
{
	p->want_in = false;
	p->want_out = false;
	mtty_port_update_interest(p);
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
	p->connected = false;
	if (p->listen_fd >= 0) {
		close(p->listen_fd);
		p->listen_fd = -1;
		if (p->dir_fd >= 0 && p->path[0])
			mtty_socket_clear(p->dir_fd, mtty_socket_base(p));
	}
	if (p->dir_fd >= 0)
		close(p->dir_fd);
	p->dir_fd = -1;
	if (p->spare_fd >= 0)
		close(p->spare_fd);
	p->spare_fd = -1;
}
