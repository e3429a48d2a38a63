// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-user server: one device, one UNIX socket, one client at a time,
 * driven by the daemon's event loop.
 *
 * Data path: a read appends bytes to the connection's receive buffer;
 * every complete message in it is dispatched in order; replies are written
 * straight into the transmit buffer (a REGION_READ reads device data into
 * its reply in place) and sent with one write per batch.  When the socket
 * cannot take the replies, the server stops reading (EPOLLOUT only) until
 * they are gone, so a client that does not read cannot make it grow.
 * Both buffers start at VU_BUF_INITIAL when a client connects and grow
 * (rarely: for transfers larger than that, up to the negotiated maximum)
 * and are freed when it goes: small accesses allocate nothing and look
 * nothing up, connecting is cheap, and an idle device costs no buffer
 * memory.  The DMA table is sorted by address and grows with the maps.
 *
 * A second client is accepted and closed at once (it sees end-of-file);
 * the first keeps working.
 *
 * This file is the connection: the listening socket, accepting and
 * dropping the client, reading, flushing replies and the public API.
 * What a message means is dispatch.c's, and through it region.c's,
 * irq.c's and dma.c's.
 */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "vfio-user/accept_guard.h"
#include "vfio-user/server_internal.h"

const char *vu_errname(int err)
{
	const char *name = strerrorname_np(err);

	return name ? name : "EUNKNOWN";
}

void vu_log(const struct vu_server *s, enum vu_log_level level,
	    const char *command, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	if (!s->log)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	s->log(s->cb_arg, level, s->uuid, command, line);
}

void vu_why(struct vu_server *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->why, sizeof(s->why), fmt, ap);
	va_end(ap);
}

/* ---- connection lifetime ---- */

/* The connection's buffers: allocated at connect, freed at disconnect. */
static int vu_conn_alloc(struct vu_server *s)
{
	if (vu_rx_init(&s->rx, VU_BUF_INITIAL) ||
	    vu_tx_init(&s->tx, VU_BUF_INITIAL))
		return -ENOMEM;
	return 0;
}

static void vu_conn_free(struct vu_server *s)
{
	vu_rx_free(&s->rx);
	vu_tx_free(&s->tx);
	vu_dma_free(s);
}

/*
 * Drop the client.  Callers return right after: on_disconnect may act on
 * the server (e.g. ask for its removal), so nothing touches it afterwards.
 */
static void vu_drop_client(struct vu_server *s, const char *reason)
{
	if (s->fd < 0)
		return;
	s->loop->unwatch(s->loop_data, s->fd);
	close(s->fd);
	s->fd = -1;
	vu_dma_drop_all(s);
	vu_conn_free(s);
	mdev_device_close(s->mdev);
	vu_log(s, VU_LOG_INFO, "client", "disconnected (%s)", reason);
	if (s->on_disconnect)
		s->on_disconnect(s->cb_arg, s);
}

/* Cache what the hot path checks; 0 or -errno. */
static int vu_cache_device(struct vu_server *s)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	uint32_t i;
	int ret;

	ret = s->ops->get_info(s->mdev, &info);
	if (ret < 0)
		return ret;
	s->num_regions = info.num_regions;
	s->num_irqs = info.num_irqs;
	memset(s->region_size, 0, sizeof(s->region_size));
	memset(s->region_flags, 0, sizeof(s->region_flags));
	for (i = 0; i < info.num_regions && i < VU_MAX_REGIONS; i++) {
		struct vfio_region_info ri = { .argsz = sizeof(ri),
					       .index = i };

		if (s->ops->get_region_info(s->mdev, &ri) < 0)
			continue; /* an absent region: size 0 */
		s->region_size[i] = ri.size;
		s->region_flags[i] = ri.flags;
	}
	return 0;
}

static void vu_conn_event(void *arg, uint32_t revents);

static void vu_client_start(struct vu_server *s, int fd, pid_t pid)
{
	const char *step = "open";
	int ret;

	ret = mdev_device_open(s->mdev);
	if (ret < 0)
		goto refuse;
	step = "DEVICE_GET_INFO";
	ret = vu_cache_device(s);
	if (ret < 0)
		goto close_device;
	s->nr_dma = 0;
	step = "buffers";
	ret = vu_conn_alloc(s);
	if (ret < 0)
		goto free_conn;
	s->versioned = false;
	s->agreed = s->ours;
	s->max_msg = vu_max_msg_size(s->ours.max_data_xfer_size);
	s->events = EPOLLIN;
	step = "watch";
	ret = s->loop->watch(s->loop_data, fd, EPOLLIN, vu_conn_event, s);
	if (ret < 0)
		goto free_conn;
	s->fd = fd;
	s->client_pid = pid;
	vu_log(s, VU_LOG_INFO, "client", "connected (pid %d)", (int)pid);
	return;

free_conn:
	vu_conn_free(s);
close_device:
	mdev_device_close(s->mdev);
refuse:
	vu_log(s, VU_LOG_WARN, "client", "client (pid %d) refused: %s: %s",
	       (int)pid, step, vu_errname(-ret));
	close(fd);
}

/*
 * A client that closed its socket may not have been noticed yet when the
 * next one connects (both events arrive in one epoll round, the listening
 * socket's first): a VMM that reconnects at once must not be refused.
 */
static bool vu_client_hung_up(struct vu_server *s)
{
	struct pollfd pfd = { .fd = s->fd, .events = POLLRDHUP };

	return poll(&pfd, 1, 0) == 1 &&
	       (pfd.revents & (POLLRDHUP | POLLHUP | POLLERR));
}

/* Serve what the departed client left buffered, until its end-of-file. */
static void vu_client_finish(struct vu_server *s)
{
	unsigned int rounds;

	for (rounds = 0; s->fd >= 0 && rounds < 1024; rounds++)
		vu_conn_event(s, EPOLLIN | EPOLLRDHUP);
	if (s->fd >= 0)
		vu_drop_client(s, "closed by client");
}

static void vu_listen_event(void *arg, uint32_t revents)
{
	struct vu_server *s = arg;
	struct ucred cred;
	socklen_t len = sizeof(cred);
	int fd;

	fd = accept_guard_accept(s->listen_fd, NULL, 0);
	if (fd == -EMFILE || fd == -ENFILE) {
		vu_log(s, VU_LOG_WARN, "client",
		       "client refused: %s: out of file descriptors",
		       vu_errname(-fd));
		return;
	}
	if (fd < 0)
		return; /* EAGAIN, or the peer already left */
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) {
		vu_log(s, VU_LOG_WARN, "client",
		       "client refused: SO_PEERCRED: %s", vu_errname(errno));
		close(fd);
		return;
	}
	if (cred.uid != 0 && cred.uid != geteuid()) {
		vu_log(s, VU_LOG_WARN, "client",
		       "client (pid %d uid %u) refused: not uid %u or root",
		       (int)cred.pid, cred.uid, geteuid());
		close(fd);
		return;
	}
	if (s->fd >= 0 && vu_client_hung_up(s))
		vu_client_finish(s);
	if (s->fd >= 0) {
		vu_log(s, VU_LOG_WARN, "client",
		       "second client (pid %d) refused: device in use",
		       (int)cred.pid);
		close(fd);
		return;
	}
	vu_client_start(s, fd, cred.pid);
}

/* ---- reading, dispatching, flushing ---- */

/* Send queued replies; watch EPOLLOUT while some remain.  0 or -errno. */
static int vu_flush(struct vu_server *s)
{
	ssize_t left = vu_tx_flush(&s->tx, s->fd);
	uint32_t want;

	if (left < 0)
		return (int)left;
	want = left ? EPOLLOUT : EPOLLIN;
	if (want != s->events) {
		int ret = s->loop->modify(s->loop_data, s->fd, want);

		if (ret < 0)
			return ret;
		s->events = want;
	}
	return 0;
}

/*
 * Room the reply to @m may need: a REGION_READ's or MIG_DATA_READ's
 * carries its data; every other reply (VERSION's JSON included) is small.
 */
static size_t vu_reply_bound(const struct vu_server *s, const struct vu_msg *m)
{
	struct vu_region_rw rw;
	struct vu_mig_data mig;

	if (m->hdr.command == VU_CMD_MIG_DATA_READ &&
	    m->payload_len == sizeof(mig)) {
		memcpy(&mig, m->payload, sizeof(mig));
		if (mig.size <= s->agreed.max_data_xfer_size)
			return VU_HDR_SIZE + sizeof(mig) + mig.size;
	}

	if (m->hdr.command == VU_CMD_REGION_READ &&
	    m->payload_len == sizeof(rw)) {
		memcpy(&rw, m->payload, sizeof(rw));
		if (rw.count <= s->agreed.max_data_xfer_size)
			return VU_HDR_SIZE + sizeof(rw) + rw.count;
	}
	return 1024;
}

/*
 * Where the reply to @m goes: flush first if it does not fit, grow the
 * buffer only once it is empty.  NULL: wait for EPOLLOUT, or the client
 * is gone (nothing may touch the connection then).
 */
static uint8_t *vu_reply_room(struct vu_server *s, const struct vu_msg *m)
{
	size_t need = vu_reply_bound(s, m);
	uint8_t *out = vu_tx_room(&s->tx, need);
	int ret;

	if (out)
		return out;
	ret = vu_flush(s);
	if (!ret && !s->tx.len)
		ret = vu_tx_reserve(&s->tx, need);
	if (ret < 0) {
		vu_drop_client(s, vu_errname(-ret));
		return NULL;
	}
	return vu_tx_room(&s->tx, need);
}

/* Dispatch every complete buffered message, then flush. */
static void vu_process(struct vu_server *s)
{
	struct vu_msg m;
	uint8_t *out;
	int ret;

	for (;;) {
		ret = vu_rx_next(&s->rx, &m, s->max_msg);
		if (ret == 0)
			break;
		if (ret < 0) {
			struct vu_hdr h;

			memcpy(&h, s->rx.buf + s->rx.start, sizeof(h));
			vu_log(s, VU_LOG_WARN, vu_cmd_name(h.command),
			       "%s: message size %u, closing", vu_errname(-ret),
			       h.size);
			vu_drop_client(s, "unframeable message");
			return;
		}
		out = vu_reply_room(s, &m);
		if (!out)
			return; /* the message stays buffered (or all is gone) */
		vu_dispatch(s, &m, out);
		vu_rx_consume(&s->rx, &m);
	}
	ret = vu_flush(s);
	if (ret < 0)
		vu_drop_client(s, vu_errname(-ret));
}

static void vu_conn_event(void *arg, uint32_t revents)
{
	struct vu_server *s = arg;
	ssize_t n;

	if (s->fd < 0)
		return;
	if (s->events & EPOLLOUT) {
		/* Replies pending: no reading until they are gone. */
		int ret = vu_flush(s);

		if (ret < 0) {
			vu_drop_client(s, vu_errname(-ret));
			return;
		}
		if (s->events & EPOLLOUT)
			return;
		vu_process(s); /* what stayed buffered meanwhile */
		return;
	}
	n = vu_rx_fill(&s->rx, s->fd);
	if (n == -EAGAIN)
		return;
	if (n == 0) {
		vu_drop_client(s, "closed by client");
		return;
	}
	if (n < 0) {
		vu_drop_client(s, vu_errname((int)-n));
		return;
	}
	vu_process(s);
}

/* ---- public API ---- */

static int vu_listen(struct vu_server *s)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(s->path) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	strcpy(sun.sun_path, s->path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (unlink(s->path) < 0 && errno != ENOENT)
		goto fail;
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0)
		goto fail;
	/* umask is process-wide; set the mode on the file instead. */
	if (chmod(s->path, 0600) < 0 || listen(fd, 4) < 0) {
		int err = errno;

		unlink(s->path);
		close(fd);
		return -err;
	}
	s->listen_fd = fd;
	return 0;
fail:;
	int err = errno;

	close(fd);
	return -err;
}

struct vu_server *vu_server_new(const struct vu_server_config *cfg)
{
	struct vu_server *s;
	int ret = -EINVAL;

	if (!cfg || !cfg->socket_path || !cfg->mdev || !cfg->loop ||
	    !cfg->loop->watch || !cfg->loop->modify || !cfg->loop->unwatch ||
	    !mdev_device_ops(cfg->mdev)) {
		errno = EINVAL;
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		errno = ENOMEM;
		return NULL;
	}
	s->fd = -1;
	s->listen_fd = -1;
	s->mdev = cfg->mdev;
	s->uuid = mdev_uuid_str(cfg->mdev);
	s->ops = mdev_device_ops(cfg->mdev);
	s->loop = cfg->loop;
	s->loop_data = cfg->loop_data;
	s->on_disconnect = cfg->on_disconnect;
	s->log = cfg->log;
	s->cb_arg = cfg->cb_arg;
	s->ours.max_msg_fds = VU_MAX_MSG_FDS;
	s->ours.max_data_xfer_size = VU_MAX_DATA_XFER;
	s->ours.pgsizes = VU_PGSIZES;
	s->ours.max_dma_maps = cfg->max_dma_maps && cfg->max_dma_maps <
							    VU_MAX_DMA_MAPS ?
				       cfg->max_dma_maps :
				       VU_MAX_DMA_MAPS;
	s->ours.write_multiple = true;
	s->ours.migration = vu_migration_offered(s);
	s->ours.present = VU_CAP_ALL;
	ret = accept_guard_init();
	if (ret < 0)
		goto fail;
	s->path = strdup(cfg->socket_path);
	if (!s->path)
		goto nomem;
	ret = vu_listen(s);
	if (ret < 0)
		goto fail;
	ret = s->loop->watch(s->loop_data, s->listen_fd, EPOLLIN,
			     vu_listen_event, s);
	if (ret < 0) {
		close(s->listen_fd);
		unlink(s->path);
		goto fail;
	}
	return s;
nomem:
	ret = -ENOMEM;
fail:
	vu_rx_free(&s->rx);
	vu_tx_free(&s->tx);
	free(s->path);
	free(s);
	errno = -ret;
	return NULL;
}

int vu_server_has_client(const struct vu_server *server)
{
	return server->fd >= 0;
}

pid_t vu_server_client_pid(const struct vu_server *server)
{
	return server->fd >= 0 ? server->client_pid : 0;
}

void vu_server_disconnect(struct vu_server *server)
{
	vu_drop_client(server, "dropped by server");
}

void vu_server_free(struct vu_server *server)
{
	if (!server)
		return;
	/* No callback from here: the owner is tearing the server down. */
	server->on_disconnect = NULL;
	vu_drop_client(server, "server shut down");
	server->loop->unwatch(server->loop_data, server->listen_fd);
	close(server->listen_fd);
	unlink(server->path);
	vu_rx_free(&server->rx);
	vu_tx_free(&server->tx);
	free(server->path);
	free(server);
}
