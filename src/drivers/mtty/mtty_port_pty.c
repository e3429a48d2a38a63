// SPDX-License-Identifier: GPL-2.0-only
/*
 * mtty_port_pty - a port's pseudo-terminal.  umdevd keeps the master and
 * one fd of the slave of its own: with the slave always open, the raw mode
 * set here stays (Linux resets a pty slave's modes when it is first
 * opened) and the master never hangs up.  A host program (screen, picocom,
 * a test) opens the slave, whose name is linked as <runtime>/<uuid>.portN
 * so that it does not change between runs.  Peers are seen coming and
 * going through inotify on the slave (IN_OPEN, IN_CLOSE): the carrier is up
 * while a peer has it open.  A peer that opens the slave by another path
 * than /dev/pts (another devpts mount) is not seen.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <termios.h>
#include <unistd.h>

#include "mtty_ports.h"
#include "mtty_state.h"

/* Raw, 8N1, no echo: the slave passes bytes through until its user says
 * otherwise (a terminal program sets its own modes). */
static int mtty_pty_make_raw(int fd)
{
	struct termios t;

	if (tcgetattr(fd, &t))
		return -errno;
	cfmakeraw(&t);
	cfsetspeed(&t, B115200);
	return tcsetattr(fd, TCSANOW, &t) ? -errno : 0;
}

/* <runtime>/<uuid>.portN -> the slave; replaces a link left behind. */
static void mtty_pty_link(struct mtty_port *p)
{
	const char *dir = mdev_runtime_dir(p->state->mdev);
	char name[64];
	int dfd, n;

	p->link[0] = '\0';
	if (!dir)
		return;
	snprintf(name, sizeof(name), "%s.port%u", mdev_uuid_str(p->state->mdev),
		 p->index);
	n = snprintf(p->link, sizeof(p->link), "%s/%s", dir, name);
	dfd = open(dir, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (n < 0 || (size_t)n >= sizeof(p->link) || dfd < 0) {
		p->link[0] = '\0';
		if (dfd >= 0)
			close(dfd);
		return;
	}
	unlinkat(dfd, name, 0); /* only ever our own link: names are UUIDs */
	if (symlinkat(p->path, dfd, name))
		p->link[0] = '\0';
	close(dfd);
}

static int mtty_pty_watch(struct mtty_port *p)
{
	struct epoll_event ev = { .events = EPOLLIN };

	p->notify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (p->notify_fd < 0)
		return -errno;
	if (inotify_add_watch(p->notify_fd, p->path, IN_OPEN | IN_CLOSE) < 0)
		return -errno;
	ev.data.fd = p->notify_fd;
	return epoll_ctl(p->epfd, EPOLL_CTL_ADD, p->notify_fd, &ev) ? -errno :
								      0;
}

int mtty_pty_open(struct mtty_port *p)
{
	int ret;

	p->fd = posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (p->fd < 0)
		return -errno;
	if (grantpt(p->fd) || unlockpt(p->fd) ||
	    ptsname_r(p->fd, p->path, sizeof(p->path)))
		return errno ? -errno : -EIO;
	p->slave_fd = open(p->path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (p->slave_fd < 0)
		return -errno;
	ret = mtty_pty_make_raw(p->slave_fd);
	if (!ret)
		ret = mtty_pty_watch(p); /* after our own open: not a peer */
	if (ret)
		return ret;
	mtty_pty_link(p);
	return 0;
}

void mtty_pty_close(struct mtty_port *p)
{
	const char *slash;
	char dir[PATH_MAX];
	int dfd;

	p->want_in = false;
	p->want_out = false;
	mtty_port_update_interest(p);
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
	if (p->slave_fd >= 0)
		close(p->slave_fd);
	p->slave_fd = -1;
	if (p->notify_fd >= 0)
		close(p->notify_fd);
	p->notify_fd = -1;
	if (!p->link[0])
		return;
	slash = strrchr(p->link, '/');
	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - p->link), p->link);
	dfd = open(dir, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd >= 0) {
		unlinkat(dfd, slash + 1, 0);
		close(dfd);
	}
	p->link[0] = '\0';
}

void mtty_pty_notified(struct mtty_port *p)
{
	char buf[4096]
		__attribute__((aligned(__alignof__(struct inotify_event))));
	const struct inotify_event *e;
	ssize_t n;
	size_t off;

	while ((n = read(p->notify_fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off + sizeof(*e) <= (size_t)n;
		     off += sizeof(*e) + e->len) {
			e = (const struct inotify_event *)(buf + off);
			if (e->mask & IN_OPEN)
				p->peer_opens++;
			if ((e->mask & IN_CLOSE) && p->peer_opens > 0)
				p->peer_opens--;
		}
	}
	if (p->peer_opens > 0 && !p->connected)
		mtty_port_connected(p, p->fd);
	else if (!p->peer_opens && p->connected)
		mtty_port_disconnected(p);
}

void mtty_pty_peer_gone(struct mtty_port *p)
{
	/* The guest's bytes the peer left unread are not the next peer's. */
	if (p->slave_fd >= 0)
		tcflush(p->slave_fd, TCIFLUSH);
}
