// SPDX-License-Identifier: GPL-2.0-only
/*
 * A small blocking vfio-user client.  The socket is non-blocking and every
 * wait is a poll() bounded by the reply timeout, so a dead or stuck server
 * costs the caller at most that long.  After a timeout or a malformed
 * reply the stream cannot be trusted: the client refuses further requests
 * with -ENOTCONN.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <umdev/client.h>

#include "compat/vfio_precopy.h"
#include "vfio-user/version.h"
#include "vfio-user/wire.h"

struct umdev_client {
	int fd;
	int timeout_ms;
	unsigned int poll_us; /* busy-poll for a reply this long first */
	uint16_t next_id;
	bool broken;
	struct vu_caps server; /* the server's VERSION reply */
	struct vu_rx rx;
	struct vu_tx tx; /* one request at a time, grown on demand */
};

/* The largest message either side may send. */
#define VU_CLIENT_MAX_MSG vu_max_msg_size(VU_MAX_DATA_XFER)

static int64_t vu_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait for @events until @deadline; 0, -ETIMEDOUT or -errno. */
static int vu_client_wait(struct umdev_client *c, short events,
			  int64_t deadline)
{
	struct pollfd pfd = { .fd = c->fd, .events = events };
	int64_t left;
	int n;

	for (;;) {
		left = deadline - vu_now_ms();
		if (left < 0)
			left = 0;
		n = poll(&pfd, 1, (int)left);
		if (n > 0)
			return 0;
		if (n == 0)
			return -ETIMEDOUT;
		if (errno != EINTR)
			return -errno;
	}
}

static int vu_client_send_all(struct umdev_client *c, const uint8_t *buf,
			      size_t len, const int *fds, size_t nr_fds,
			      int64_t deadline)
{
	size_t off = 0;

	while (off < len) {
		ssize_t n = vu_wire_send(c->fd, buf + off, len - off,
					 off ? NULL : fds, off ? 0 : nr_fds,
					 MSG_DONTWAIT);

		if (n == -EAGAIN) {
			int ret = vu_client_wait(c, POLLOUT, deadline);

			if (ret < 0)
				return ret;
			continue;
		}
		if (n == -EPIPE)
			return -ECONNRESET;
		if (n < 0)
			return (int)n;
		off += n;
	}
	return 0;
}

/* Room for a @len-byte request in c->tx; 0, -EMSGSIZE or -ENOMEM. */
static int vu_client_tx_room(struct umdev_client *c, size_t len)
{
	if (len > VU_CLIENT_MAX_MSG)
		return -EMSGSIZE;
	vu_tx_reset(&c->tx);
	return vu_tx_reserve(&c->tx, len);
}

/*
 * The polling wait (umdev_client_set_poll_us()): try to read for up to
 * poll_us before sleeping in poll().  Bytes read, 0 at end of file,
 * -EAGAIN if nothing came in the window, or -errno.
 */
static ssize_t vu_client_poll_fill(struct umdev_client *c)
{
	struct timespec ts;
	uint64_t now, deadline;
	ssize_t n;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	deadline = now + (uint64_t)c->poll_us * 1000;
	do {
		n = vu_rx_fill(&c->rx, c->fd);
		if (n != -EAGAIN && n != -EINTR)
			return n;
		/* Let a server on this CPU run: it is what we wait for. */
		sched_yield();
		clock_gettime(CLOCK_MONOTONIC, &ts);
		now = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	} while (now < deadline);
	return -EAGAIN;
}

/* The next whole message from the server; 1, or -errno. */
static int vu_client_recv_msg(struct umdev_client *c, struct vu_msg *m,
			      int64_t deadline)
{
	for (;;) {
		int ret = vu_rx_next(&c->rx, m, VU_CLIENT_MAX_MSG);
		ssize_t n;

		if (ret > 0)
			return ret;
		if (ret < 0)
			return ret == -ENOMEM ? ret : -EPROTO;
		n = c->poll_us ? vu_client_poll_fill(c) : -EAGAIN;
		if (n == -EAGAIN) {
			/* A reply is rarely there already: wait, then read. */
			ret = vu_client_wait(c, POLLIN, deadline);
			if (ret < 0)
				return ret;
			n = vu_rx_fill(&c->rx, c->fd);
		}
		if (n == 0)
			return -ECONNRESET;
		if (n < 0 && n != -EAGAIN)
			return (int)n;
	}
}

int umdev_client_send(struct umdev_client *c, uint16_t cmd, uint32_t flags,
		      const void *payload, size_t len, const int *fds,
		      size_t nr_fds, uint16_t *msg_id)
{
	struct vu_hdr hdr = {
		.msg_id = c->next_id++,
		.command = cmd,
		.size = (uint32_t)(VU_HDR_SIZE + len),
		.flags = flags,
	};
	int ret;

	if (c->broken)
		return -ENOTCONN;
	if (nr_fds > VU_RX_MAX_FDS)
		return -EMSGSIZE;
	ret = vu_client_tx_room(c, VU_HDR_SIZE + len);
	if (ret)
		return ret;
	memcpy(c->tx.buf, &hdr, sizeof(hdr));
	if (len)
		memcpy(c->tx.buf + sizeof(hdr), payload, len);
	ret = vu_client_send_all(c, c->tx.buf, hdr.size, fds, nr_fds,
				 vu_now_ms() + c->timeout_ms);
	if (ret < 0) {
		c->broken = true;
		return ret;
	}
	if (msg_id)
		*msg_id = hdr.msg_id;
	return 0;
}

int umdev_client_recv_reply(struct umdev_client *c, uint16_t msg_id,
			    uint16_t cmd, void *reply, size_t reply_len,
			    uint32_t *reply_error)
{
	struct vu_msg m;
	size_t n;
	int ret;

	if (c->broken)
		return -ENOTCONN;
	ret = vu_client_recv_msg(c, &m, vu_now_ms() + c->timeout_ms);
	if (ret < 0) {
		c->broken = true;
		return ret;
	}
	if (vu_hdr_check_reply(&m.hdr, msg_id, cmd)) {
		vu_rx_consume(&c->rx, &m);
		c->broken = true;
		return -EPROTO;
	}
	n = m.payload_len < reply_len ? m.payload_len : reply_len;
	if (n)
		memcpy(reply, m.payload, n);
	if (reply_error) {
		*reply_error = 0;
		if (m.hdr.flags & VU_FLAG_ERROR)
			*reply_error = m.hdr.error ? m.hdr.error : EIO;
	}
	vu_rx_consume(&c->rx, &m); /* closes any fd the reply carried */
	return (int)n;
}

int umdev_client_request(struct umdev_client *c, uint16_t cmd, uint32_t flags,
			 const void *payload, size_t len, const int *fds,
			 size_t nr_fds, void *reply, size_t reply_len,
			 uint32_t *reply_error)
{
	uint16_t id;
	int ret;

	if (reply_error)
		*reply_error = 0;
	ret = umdev_client_send(c, cmd, flags, payload, len, fds, nr_fds, &id);
	if (ret < 0 || (flags & VU_FLAG_NO_REPLY))
		return ret;
	return umdev_client_recv_reply(c, id, cmd, reply, reply_len,
				       reply_error);
}

/* A request whose error reply becomes -errno. */
static int vu_client_call(struct umdev_client *c, uint16_t cmd,
			  const void *payload, size_t len, const int *fds,
			  size_t nr_fds, void *reply, size_t reply_len)
{
	uint32_t err;
	int ret;

	ret = umdev_client_request(c, cmd, 0, payload, len, fds, nr_fds, reply,
				   reply_len, &err);
	if (ret < 0)
		return ret;
	return err ? -(int)err : ret;
}

static int vu_client_version(struct umdev_client *c)
{
	struct vu_caps ours = {
		.max_msg_fds = VU_MAX_MSG_FDS,
		.max_data_xfer_size = VU_MAX_DATA_XFER,
		.pgsizes = VU_PGSIZES,
		.max_dma_maps = 65535,
		.write_multiple = true,
		.present = VU_CAP_ALL,
	};
	uint8_t buf[512], reply[512];
	const char *why;
	uint16_t major, minor;
	int len, ret;

	len = vu_version_format(VU_VERSION_MAJOR, VU_VERSION_MINOR, &ours, buf,
				sizeof(buf));
	if (len < 0)
		return len;
	ret = vu_client_call(c, VU_CMD_VERSION, buf, len, NULL, 0, reply,
			     sizeof(reply) - 1);
	if (ret < 0)
		return ret;
	if (vu_version_parse(reply, ret, &major, &minor, &c->server, &why) ||
	    major != VU_VERSION_MAJOR || minor > VU_VERSION_MINOR)
		return -EPROTO;
	if (c->server.max_data_xfer_size > VU_MAX_DATA_XFER)
		c->server.max_data_xfer_size = VU_MAX_DATA_XFER;
	return 0;
}

struct umdev_client *umdev_client_connect(const char *socket_path, int *err)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = UMDEV_CLIENT_TIMEOUT_MS / 1000 };
	struct umdev_client *c;
	int ret;

	if (strlen(socket_path) >= sizeof(sun.sun_path)) {
		ret = -ENAMETOOLONG;
		goto out;
	}
	strcpy(sun.sun_path, socket_path);
	c = calloc(1, sizeof(*c));
	if (!c) {
		ret = -ENOMEM;
		goto out;
	}
	c->timeout_ms = UMDEV_CLIENT_TIMEOUT_MS;
	ret = -ENOMEM;
	if (vu_tx_init(&c->tx, VU_BUF_INITIAL) ||
	    vu_rx_init(&c->rx, VU_BUF_INITIAL))
		goto fail_free;
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0) {
		ret = -errno;
		goto fail_free;
	}
	/* A full backlog blocks connect() no longer than the timeout. */
	setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(c->fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
	    fcntl(c->fd, F_SETFL, O_NONBLOCK) < 0) {
		ret = errno == EINPROGRESS ? -ETIMEDOUT : -errno;
		goto fail_close;
	}
	ret = vu_client_version(c);
	if (ret < 0)
		goto fail_close;
	return c;

fail_close:
	close(c->fd);
fail_free:
	vu_rx_free(&c->rx);
	vu_tx_free(&c->tx);
	free(c);
out:
	if (err)
		*err = ret;
	return NULL;
}

void umdev_client_close(struct umdev_client *c)
{
	if (!c)
		return;
	close(c->fd);
	vu_rx_free(&c->rx);
	vu_tx_free(&c->tx);
	free(c);
}

int umdev_client_fd(const struct umdev_client *c)
{
	return c->fd;
}

void umdev_client_set_timeout_ms(struct umdev_client *c, int ms)
{
	c->timeout_ms = ms < 0 ? 0 : ms;
}

void umdev_client_set_poll_us(struct umdev_client *c, unsigned int us)
{
	c->poll_us = us;
}

uint32_t umdev_client_max_data_xfer(const struct umdev_client *c)
{
	return c->server.max_data_xfer_size;
}

int umdev_client_get_info(struct umdev_client *c, struct vfio_device_info *info)
{
	struct vfio_device_info req = { .argsz = 16 };
	int ret;

	ret = vu_client_call(c, VU_CMD_DEVICE_GET_INFO, &req, 16, NULL, 0, &req,
			     16);
	if (ret < 0)
		return ret;
	if (ret < 16)
		return -EPROTO;
	memset(info, 0, sizeof(*info));
	memcpy(info, &req, 16);
	/* Callers loop over these: absurd counts are refused here. */
	if (info->num_regions > UMDEV_CLIENT_MAX_REGIONS ||
	    info->num_irqs > UMDEV_CLIENT_MAX_IRQS)
		return -E2BIG;
	return 0;
}

int umdev_client_get_region_info(struct umdev_client *c, uint32_t index,
				 struct vfio_region_info *info)
{
	struct vfio_region_info req = { .argsz = sizeof(req), .index = index };
	int ret;

	ret = vu_client_call(c, VU_CMD_DEVICE_GET_REGION_INFO, &req,
			     sizeof(req), NULL, 0, info, sizeof(*info));
	if (ret < 0)
		return ret;
	return ret < (int)sizeof(*info) ? -EPROTO : 0;
}

int umdev_client_get_irq_info(struct umdev_client *c, uint32_t index,
			      struct vfio_irq_info *info)
{
	struct vfio_irq_info req = { .argsz = sizeof(req), .index = index };
	int ret;

	ret = vu_client_call(c, VU_CMD_DEVICE_GET_IRQ_INFO, &req, sizeof(req),
			     NULL, 0, info, sizeof(*info));
	if (ret < 0)
		return ret;
	return ret < (int)sizeof(*info) ? -EPROTO : 0;
}

int umdev_client_set_irqs(struct umdev_client *c, uint32_t flags,
			  uint32_t index, uint32_t start, uint32_t count,
			  const int *fds, size_t nr_fds, const void *data,
			  size_t data_len)
{
	struct vfio_irq_set set = {
		.flags = flags,
		.index = index,
		.start = start,
		.count = count,
	};
	uint8_t buf[sizeof(set) + 4096];
	int ret;

	if (data_len > sizeof(buf) - sizeof(set))
		return -EINVAL;
	/*
	 * argsz is the payload's size (spec): eventfds travel out of band,
	 * so they do not count, as QEMU's client sends it.
	 */
	set.argsz = sizeof(set) +
		    (flags & VFIO_IRQ_SET_DATA_EVENTFD ? 0 : data_len);
	memcpy(buf, &set, sizeof(set));
	if (data_len)
		memcpy(buf + sizeof(set), data, data_len);
	ret = vu_client_call(c, VU_CMD_DEVICE_SET_IRQS, buf,
			     sizeof(set) + data_len, fds, nr_fds, NULL, 0);
	return ret < 0 ? ret : 0;
}

static int vu_client_rw_check(struct umdev_client *c, uint32_t count)
{
	if (count == 0 || count > c->server.max_data_xfer_size)
		return -EINVAL;
	return 0;
}

/*
 * Send @cmd with @req and receive its reply in place into @m (no bounce
 * through a reply buffer).  Return: 1 with @m holding a successful reply,
 * which the caller checks and releases with vu_rx_consume(); or -errno
 * (the server's error, or -EPROTO / a receive error, which also mark the
 * connection broken) with nothing left to release.
 */
static int vu_client_call_in_place(struct umdev_client *c, uint16_t cmd,
				   const void *req, size_t req_len,
				   struct vu_msg *m)
{
	uint16_t id;
	int ret;

	ret = umdev_client_send(c, cmd, 0, req, req_len, NULL, 0, &id);
	if (ret < 0)
		return ret;
	ret = vu_client_recv_msg(c, m, vu_now_ms() + c->timeout_ms);
	if (ret < 0) {
		c->broken = true;
		return ret;
	}
	if (vu_hdr_check_reply(&m->hdr, id, cmd)) {
		ret = -EPROTO;
		c->broken = true;
	} else if (m->hdr.flags & VU_FLAG_ERROR) {
		ret = m->hdr.error ? -(int)m->hdr.error : -EIO;
	} else {
		return 1;
	}
	vu_rx_consume(&c->rx, m);
	return ret;
}

int umdev_client_read(struct umdev_client *c, uint32_t index, uint64_t offset,
		      void *buf, uint32_t count)
{
	struct vu_region_rw rw = {
		.offset = offset,
		.region = index,
		.count = count,
	};
	struct vu_msg m;
	int ret;

	ret = vu_client_rw_check(c, count);
	if (ret)
		return ret;
	ret = vu_client_call_in_place(c, VU_CMD_REGION_READ, &rw, sizeof(rw),
				      &m);
	if (ret < 0)
		return ret;
	memcpy(&rw, m.payload, m.payload_len < sizeof(rw) ? 0 : sizeof(rw));
	if (m.payload_len < sizeof(rw) || rw.count > count ||
	    m.payload_len != sizeof(rw) + rw.count) {
		ret = -EPROTO;
		c->broken = true;
	} else {
		memcpy(buf, m.payload + sizeof(rw), rw.count);
		ret = (int)rw.count;
	}
	vu_rx_consume(&c->rx, &m);
	return ret;
}

static int vu_client_write(struct umdev_client *c, uint32_t index,
			   uint64_t offset, const void *buf, uint32_t count,
			   uint32_t flags)
{
	struct vu_region_rw rw = {
		.offset = offset,
		.region = index,
		.count = count,
	};
	struct vu_hdr hdr = {
		.command = VU_CMD_REGION_WRITE,
		.size = (uint32_t)(VU_HDR_SIZE + sizeof(rw) + count),
		.flags = flags,
	};
	uint32_t err;
	int ret;

	if (c->broken)
		return -ENOTCONN;
	ret = vu_client_rw_check(c, count);
	if (ret)
		return ret;
	ret = vu_client_tx_room(c, hdr.size);
	if (ret)
		return ret;
	hdr.msg_id = c->next_id++;
	memcpy(c->tx.buf, &hdr, sizeof(hdr));
	memcpy(c->tx.buf + sizeof(hdr), &rw, sizeof(rw));
	memcpy(c->tx.buf + sizeof(hdr) + sizeof(rw), buf, count);
	ret = vu_client_send_all(c, c->tx.buf, hdr.size, NULL, 0,
				 vu_now_ms() + c->timeout_ms);
	if (ret < 0) {
		c->broken = true;
		return ret;
	}
	if (flags & VU_FLAG_NO_REPLY)
		return (int)count;
	ret = umdev_client_recv_reply(c, hdr.msg_id, VU_CMD_REGION_WRITE, &rw,
				      sizeof(rw), &err);
	if (ret < 0)
		return ret;
	if (err)
		return -(int)err;
	/* The server says how much it wrote: never more than was sent. */
	if (ret != sizeof(rw) || rw.count > count)
		return -EPROTO;
	return (int)rw.count;
}

int umdev_client_write(struct umdev_client *c, uint32_t index, uint64_t offset,
		       const void *buf, uint32_t count)
{
	return vu_client_write(c, index, offset, buf, count, 0);
}

int umdev_client_write_posted(struct umdev_client *c, uint32_t index,
			      uint64_t offset, const void *buf, uint32_t count)
{
	return vu_client_write(c, index, offset, buf, count, VU_FLAG_NO_REPLY);
}

int umdev_client_reset(struct umdev_client *c)
{
	int ret = vu_client_call(c, VU_CMD_DEVICE_RESET, NULL, 0, NULL, 0, NULL,
				 0);

	return ret < 0 ? ret : 0;
}

int umdev_client_read8(struct umdev_client *c, uint32_t index, uint64_t offset,
		       uint8_t *val)
{
	int ret = umdev_client_read(c, index, offset, val, 1);

	if (ret < 0)
		return ret;
	return ret == 1 ? 0 : -EIO;
}

int umdev_client_write8(struct umdev_client *c, uint32_t index, uint64_t offset,
			uint8_t val)
{
	int ret = umdev_client_write(c, index, offset, &val, 1);

	if (ret < 0)
		return ret;
	return ret == 1 ? 0 : -EIO;
}

/* ---- migration (UMDEV_1.1) ---- */

/*
 * DEVICE_FEATURE GET of @feature: @len data bytes into @data.  0 or
 * -errno (-EPROTO for a reply of another size).
 */
static int vu_client_feature_get(struct umdev_client *c, uint32_t feature,
				 void *data, uint32_t len)
{
	struct vfio_device_feature req = {
		.argsz = (uint32_t)sizeof(req) + len,
		.flags = feature | VFIO_DEVICE_FEATURE_GET,
	};
	uint8_t reply[sizeof(req) + 64];
	int ret;

	if (len > sizeof(reply) - sizeof(req))
		return -EINVAL;
	ret = vu_client_call(c, VU_CMD_DEVICE_FEATURE, &req, sizeof(req), NULL,
			     0, reply, sizeof(reply));
	if (ret < 0)
		return ret;
	if (ret != (int)(sizeof(req) + len))
		return -EPROTO;
	memcpy(data, reply + sizeof(req), len);
	return 0;
}

int umdev_client_mig_get_flags(struct umdev_client *c, uint64_t *flags)
{
	struct vfio_device_feature_migration mig;
	int ret;

	ret = vu_client_feature_get(c, VFIO_DEVICE_FEATURE_MIGRATION, &mig,
				    sizeof(mig));
	if (ret == 0)
		*flags = mig.flags;
	return ret;
}

int umdev_client_mig_get_state(struct umdev_client *c, uint32_t *state)
{
	struct vfio_device_feature_mig_state st;
	int ret;

	ret = vu_client_feature_get(c, VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE,
				    &st, sizeof(st));
	if (ret == 0)
		*state = st.device_state;
	return ret;
}

int umdev_client_mig_set_state(struct umdev_client *c, uint32_t state)
{
	struct vfio_device_feature hdr = {
		.flags = VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE |
			 VFIO_DEVICE_FEATURE_SET,
	};
	struct vfio_device_feature_mig_state st = {
		.device_state = state,
		.data_fd = -1,
	};
	uint8_t req[sizeof(hdr) + sizeof(st)], reply[sizeof(req)];
	int ret;

	hdr.argsz = sizeof(req);
	memcpy(req, &hdr, sizeof(hdr));
	memcpy(req + sizeof(hdr), &st, sizeof(st));
	ret = vu_client_call(c, VU_CMD_DEVICE_FEATURE, req, sizeof(req), NULL,
			     0, reply, sizeof(reply));
	if (ret < 0)
		return ret;
	return ret == (int)sizeof(req) ? 0 : -EPROTO;
}

int umdev_client_mig_precopy_info(struct umdev_client *c,
				  uint64_t *initial_bytes,
				  uint64_t *dirty_bytes)
{
	struct vfio_precopy_info info;
	int ret;

	ret = vu_client_feature_get(c, UMDEV_VU_FEATURE_MIG_PRECOPY_INFO, &info,
				    sizeof(info));
	if (ret == 0) {
		*initial_bytes = info.initial_bytes;
		*dirty_bytes = info.dirty_bytes;
	}
	return ret;
}

int umdev_client_mig_read(struct umdev_client *c, void *buf, uint32_t len)
{
	struct vu_mig_data req = {
		.argsz = (uint32_t)sizeof(req) + len,
		.size = len,
	};
	struct vu_msg m;
	int ret;

	ret = vu_client_rw_check(c, len);
	if (ret)
		return ret;
	ret = vu_client_call_in_place(c, VU_CMD_MIG_DATA_READ, &req,
				      sizeof(req), &m);
	if (ret < 0)
		return ret;
	memcpy(&req, m.payload, m.payload_len < sizeof(req) ? 0 : sizeof(req));
	if (m.payload_len < sizeof(req) || req.size > len ||
	    m.payload_len != sizeof(req) + req.size ||
	    req.argsz != m.payload_len) {
		ret = -EPROTO;
		c->broken = true;
	} else {
		memcpy(buf, m.payload + sizeof(req), req.size);
		ret = (int)req.size;
	}
	vu_rx_consume(&c->rx, &m);
	return ret;
}

int umdev_client_mig_write(struct umdev_client *c, const void *buf,
			   uint32_t len)
{
	struct vu_mig_data req = { .argsz = sizeof(req), .size = len };
	uint8_t *msg;
	int ret;

	ret = vu_client_rw_check(c, len);
	if (ret)
		return ret;
	msg = malloc(sizeof(req) + len);
	if (!msg)
		return -ENOMEM;
	memcpy(msg, &req, sizeof(req));
	memcpy(msg + sizeof(req), buf, len);
	ret = vu_client_call(c, VU_CMD_MIG_DATA_WRITE, msg, sizeof(req) + len,
			     NULL, 0, NULL, 0);
	free(msg);
	return ret < 0 ? ret : 0;
}
