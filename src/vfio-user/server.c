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
 */
#include <errno.h>
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

#include "vfio-user/server.h"
#include "vfio-user/version.h"
#include "vfio-user/wire.h"

#define VU_MAX_REGIONS 16

struct vu_dma {
	uint64_t address;
	uint64_t size;
	uint64_t offset;
	uint32_t flags;
	int fd; /* -1 when the client sent none */
};

struct vu_server {
	char *path;
	struct mdev_device *mdev;
	const char *uuid;
	const struct umdev_device_ops *ops;
	const struct vu_loop_ops *loop;
	void *loop_data;
	void (*on_disconnect)(void *arg, struct vu_server *server);
	void *cb_arg;
	int listen_fd;

	/* The connected client (fd < 0: none). */
	int fd;
	uint32_t events; /* what the loop watches on fd */
	bool versioned;
	struct vu_caps ours;
	struct vu_caps agreed;
	size_t max_msg; /* largest message accepted now */
	struct vu_rx rx;
	struct vu_tx tx;
	char why[160]; /* detail of the current error, for the log */

	/* Device facts cached at connect, for the hot path. */
	uint32_t num_regions;
	uint32_t num_irqs;
	uint64_t region_size[VU_MAX_REGIONS];
	uint32_t region_flags[VU_MAX_REGIONS];

	struct vu_dma *dma; /* sorted by address, disjoint */
	unsigned int nr_dma;
	unsigned int dma_cap; /* entries allocated */
};

static const char *vu_errname(int err)
{
	const char *name = strerrorname_np(err);

	return name ? name : "EUNKNOWN";
}

static void __attribute__((format(printf, 2, 3)))
vu_log(const struct vu_server *s, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s: %s: %s\n", program_invocation_short_name, s->uuid,
		line);
}

static void __attribute__((format(printf, 2, 3)))
vu_why(struct vu_server *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->why, sizeof(s->why), fmt, ap);
	va_end(ap);
}

/* ---- connection lifetime ---- */

static void vu_dma_drop_all(struct vu_server *s)
{
	unsigned int i;

	for (i = 0; i < s->nr_dma; i++)
		if (s->dma[i].fd >= 0)
			close(s->dma[i].fd);
	s->nr_dma = 0;
}

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
	free(s->dma);
	s->dma = NULL;
	s->dma_cap = 0;
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
	vu_log(s, "client disconnected (%s)", reason);
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
	vu_log(s, "client connected (pid %d)", (int)pid);
	return;

free_conn:
	vu_conn_free(s);
close_device:
	mdev_device_close(s->mdev);
refuse:
	vu_log(s, "client (pid %d) refused: %s: %s", (int)pid, step,
	       vu_errname(-ret));
	close(fd);
}

static void vu_listen_event(void *arg, uint32_t revents)
{
	struct vu_server *s = arg;
	struct ucred cred;
	socklen_t len = sizeof(cred);
	int fd;

	fd = accept4(s->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return; /* EAGAIN, or the peer already left */
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) {
		vu_log(s, "client refused: SO_PEERCRED: %s", vu_errname(errno));
		close(fd);
		return;
	}
	if (cred.uid != 0 && cred.uid != geteuid()) {
		vu_log(s, "client (pid %d uid %u) refused: not uid %u or root",
		       (int)cred.pid, cred.uid, geteuid());
		close(fd);
		return;
	}
	if (s->fd >= 0) {
		vu_log(s, "second client (pid %d) refused: device in use",
		       (int)cred.pid);
		close(fd);
		return;
	}
	vu_client_start(s, fd, cred.pid);
}

/* ---- commands ---- */

/*
 * Copy the fixed @len-byte part of an argsz-led request into @req and
 * check its argsz (the first u32) covers at least that much: what every
 * such request is checked for first.  0 or -EINVAL.
 */
static int vu_take_args(struct vu_server *s, const struct vu_msg *m, void *req,
			uint32_t len)
{
	uint32_t argsz;

	if (m->payload_len < len) {
		vu_why(s, "payload %zu < %u", m->payload_len, len);
		return -EINVAL;
	}
	memcpy(req, m->payload, len);
	memcpy(&argsz, req, sizeof(argsz));
	if (argsz < len) {
		vu_why(s, "argsz %u < %u", argsz, len);
		return -EINVAL;
	}
	return 0;
}

/* Is @index below @limit?  0 or -EINVAL. */
static int vu_check_index(struct vu_server *s, const char *what, uint32_t index,
			  uint32_t limit)
{
	if (index < limit)
		return 0;
	vu_why(s, "%s %u >= %u", what, index, limit);
	return -EINVAL;
}

static int vu_version(struct vu_server *s, struct vu_msg *m, uint8_t *out,
		      size_t room)
{
	struct vu_caps agreed;
	const char *why = "";
	uint16_t minor;
	int ret;

	if (s->versioned) {
		vu_why(s, "already negotiated");
		return -EINVAL;
	}
	ret = vu_version_negotiate(m->payload, m->payload_len, &s->ours,
				   &agreed, &minor, &why);
	if (ret < 0) {
		vu_why(s, "%s", why);
		return ret;
	}
	ret = vu_version_format(VU_VERSION_MAJOR, minor, &agreed, out, room);
	if (ret < 0)
		return ret;
	s->agreed = agreed;
	s->max_msg = vu_max_msg_size(agreed.max_data_xfer_size);
	s->versioned = true;
	return ret;
}

static int vu_get_info(struct vu_server *s, struct vu_msg *m, uint8_t *out)
{
	struct vfio_device_info info;
	const uint32_t len = 16; /* argsz, flags, num_regions, num_irqs */
	int ret;

	ret = vu_take_args(s, m, &info, len);
	if (ret)
		return ret;
	memset(&info, 0, sizeof(info));
	info.argsz = sizeof(info);
	ret = s->ops->get_info(s->mdev, &info);
	if (ret < 0)
		return ret;
	info.argsz = len;
	info.flags &= VFIO_DEVICE_FLAGS_RESET | VFIO_DEVICE_FLAGS_PCI;
	memcpy(out, &info, len);
	return len;
}

/* The driver's region info, minus what cannot travel in this reply. */
static int vu_region_info(struct vu_server *s, void *buf)
{
	struct vfio_region_info *info = buf;
	int ret = s->ops->get_region_info(s->mdev, info);

	/*
	 * No mmap fd and no capability chain travel with this reply, so the
	 * full payload is the bare struct: argsz says so, whatever larger
	 * argsz the client offered.
	 */
	info->flags &=
		~(VFIO_REGION_INFO_FLAG_MMAP | VFIO_REGION_INFO_FLAG_CAPS);
	info->cap_offset = 0;
	return ret;
}

static int vu_irq_info(struct vu_server *s, void *buf)
{
	return s->ops->get_irq_info(s->mdev, buf);
}

/* Both info structs start with argsz, flags, index. */
union vu_index_info {
	struct vfio_region_info region;
	struct vfio_irq_info irq;
};
_Static_assert(offsetof(struct vfio_region_info, index) ==
		       offsetof(struct vfio_irq_info, index),
	       "region and irq info share their leading fields");

/*
 * GET_REGION_INFO and GET_IRQ_INFO: a @len-byte struct asked for by index
 * (below @limit), filled by @get; the reply is that struct.
 */
static int vu_get_index_info(struct vu_server *s, struct vu_msg *m,
			     uint8_t *out, uint32_t len, const char *what,
			     uint32_t limit,
			     int (*get)(struct vu_server *s, void *info))
{
	union vu_index_info req, info;
	uint32_t index;
	int ret;

	ret = vu_take_args(s, m, &req, len);
	if (ret)
		return ret;
	index = req.irq.index;
	ret = vu_check_index(s, what, index, limit);
	if (ret)
		return ret;
	memset(&info, 0, sizeof(info));
	info.irq.argsz = len;
	info.irq.index = index;
	ret = get(s, &info);
	if (ret < 0)
		return ret;
	info.irq.argsz = len;
	info.irq.index = index;
	memcpy(out, &info, len);
	return len;
}

static int vu_set_irqs(struct vu_server *s, struct vu_msg *m)
{
	struct vfio_irq_set set, check;
	struct vfio_irq_info irq = { .argsz = sizeof(irq) };
	int32_t none[64], *deassign = NULL;
	const void *data = NULL;
	size_t data_size, i;
	uint32_t dtype;
	int ret;

	ret = vu_take_args(s, m, &set, sizeof(set));
	if (!ret)
		ret = vu_check_index(s, "index", set.index, s->num_irqs);
	if (ret)
		return ret;
	irq.index = set.index;
	ret = s->ops->get_irq_info(s->mdev, &irq);
	if (ret < 0)
		return ret;

	/*
	 * argsz as the kernel would see it: eventfds travel out of band
	 * (one int32 each), bool data inside the payload.
	 */
	check = set;
	dtype = set.flags & VFIO_IRQ_SET_DATA_TYPE_MASK;
	if (dtype == VFIO_IRQ_SET_DATA_EVENTFD)
		check.argsz = set.count <= (UINT32_MAX - sizeof(set)) / 4 ?
				      sizeof(set) + set.count * 4 :
				      UINT32_MAX;
	else
		check.argsz = m->payload_len;
	ret = umdev_vfio_irq_set_validate(&check, irq.count, s->num_irqs,
					  &data_size);
	if (ret < 0) {
		if ((uint64_t)set.start + set.count > irq.count)
			vu_why(s, "start %u + count %u > %u for index %u",
			       set.start, set.count, irq.count, set.index);
		else
			vu_why(s, "flags 0x%x start %u count %u for index %u",
			       set.flags, set.start, set.count, set.index);
		return ret;
	}

	if (dtype == VFIO_IRQ_SET_DATA_EVENTFD) {
		if (m->nr_fds == set.count) {
			data = m->fds;
		} else if (m->nr_fds == 0) {
			/* No fds: de-assign the range (spec). */
			deassign = set.count <= 64 ?
					   none :
					   malloc(set.count * sizeof(int32_t));
			if (!deassign)
				return -ENOMEM;
			for (i = 0; i < set.count; i++)
				deassign[i] = -1;
			data = deassign;
		} else {
			vu_why(s, "%zu fds for count %u", m->nr_fds, set.count);
			return -EINVAL;
		}
	} else {
		if (m->nr_fds) {
			vu_why(s, "%zu fds without DATA_EVENTFD", m->nr_fds);
			return -EINVAL;
		}
		if (dtype == VFIO_IRQ_SET_DATA_BOOL)
			data = m->payload + sizeof(set);
	}

	ret = s->ops->set_irqs(s->mdev, &set, data);
	if (deassign && deassign != none)
		free(deassign);
	if (ret < 0) {
		vu_why(s,
		       "driver refused flags 0x%x index %u start %u count %u",
		       set.flags, set.index, set.start, set.count);
		return ret;
	}
	if (data == m->fds)
		for (i = 0; i < m->nr_fds; i++)
			m->fds[i] = -1; /* the driver owns them now */
	return 0;
}

/* The checks every region access passes; 0 or -EINVAL. */
static inline int vu_region_check(struct vu_server *s, uint32_t region,
				  uint64_t offset, uint32_t count,
				  uint32_t need)
{
	uint64_t size;

	if (vu_check_index(s, "region", region,
			   s->num_regions < VU_MAX_REGIONS ? s->num_regions :
							     VU_MAX_REGIONS))
		return -EINVAL;
	if (!(s->region_flags[region] & need)) {
		vu_why(s, "region %u does not allow this access", region);
		return -EINVAL;
	}
	if (count == 0 || count > s->agreed.max_data_xfer_size) {
		vu_why(s, "count %u out of range", count);
		return -EINVAL;
	}
	size = s->region_size[region];
	if (offset > size || count > size - offset) {
		vu_why(s,
		       "offset 0x%llx + count %u beyond region %u size 0x%llx",
		       (unsigned long long)offset, count, region,
		       (unsigned long long)size);
		return -EINVAL;
	}
	return 0;
}

/*
 * The driver's answer to a region access: on success the reply header
 * (the request's, with the count done) goes to @out.  0 or -errno.
 */
static int vu_region_done(struct vu_server *s, struct vu_region_rw *rw, long n,
			  uint8_t *out)
{
	if (n < 0) {
		vu_why(s, "driver: region %u offset 0x%llx count %u",
		       rw->region, (unsigned long long)rw->offset, rw->count);
		return (int)n;
	}
	if (n > rw->count)
		return -EIO;
	rw->count = (uint32_t)n;
	memcpy(out, rw, sizeof(*rw));
	return 0;
}

static int vu_region_read(struct vu_server *s, struct vu_msg *m, uint8_t *out)
{
	struct vu_region_rw rw;
	long n;
	int ret;

	if (m->payload_len != sizeof(rw)) {
		vu_why(s, "payload %zu != %zu", m->payload_len, sizeof(rw));
		return -EINVAL;
	}
	memcpy(&rw, m->payload, sizeof(rw));
	ret = vu_region_check(s, rw.region, rw.offset, rw.count,
			      VFIO_REGION_INFO_FLAG_READ);
	if (ret)
		return ret;
	n = s->ops->read(s->mdev, rw.region, rw.offset, out + sizeof(rw),
			 rw.count);
	ret = vu_region_done(s, &rw, n, out);
	if (ret)
		return ret;
	return (int)(sizeof(rw) + rw.count);
}

static int vu_region_write(struct vu_server *s, struct vu_msg *m, uint8_t *out)
{
	struct vu_region_rw rw;
	long n;
	int ret;

	if (m->payload_len < sizeof(rw)) {
		vu_why(s, "payload %zu < %zu", m->payload_len, sizeof(rw));
		return -EINVAL;
	}
	memcpy(&rw, m->payload, sizeof(rw));
	if (rw.count != m->payload_len - sizeof(rw)) {
		vu_why(s, "count %u but %zu data bytes", rw.count,
		       m->payload_len - sizeof(rw));
		return -EINVAL;
	}
	ret = vu_region_check(s, rw.region, rw.offset, rw.count,
			      VFIO_REGION_INFO_FLAG_WRITE);
	if (ret)
		return ret;
	n = s->ops->write(s->mdev, rw.region, rw.offset,
			  m->payload + sizeof(rw), rw.count);
	ret = vu_region_done(s, &rw, n, out);
	if (ret)
		return ret;
	return sizeof(rw);
}

static int vu_write_multi(struct vu_server *s, struct vu_msg *m, uint8_t *out)
{
	struct vu_write_one w;
	uint64_t cnt, i;
	int ret;

	if (!s->agreed.write_multiple) {
		vu_why(s, "write_multiple not negotiated");
		return -ENOTSUP;
	}
	if (m->payload_len < VU_WRITE_MULTI_HDR) {
		vu_why(s, "payload %zu < 8", m->payload_len);
		return -EINVAL;
	}
	memcpy(&cnt, m->payload, sizeof(cnt));
	if (cnt == 0 || cnt > VU_WRITE_MULTI_MAX ||
	    m->payload_len != VU_WRITE_MULTI_HDR + cnt * sizeof(w)) {
		vu_why(s, "wr_cnt %llu with payload %zu",
		       (unsigned long long)cnt, m->payload_len);
		return -EINVAL;
	}
	/* Check every entry before doing any. */
	for (i = 0; i < cnt; i++) {
		memcpy(&w, m->payload + VU_WRITE_MULTI_HDR + i * sizeof(w),
		       sizeof(w));
		if (w.count > VU_WRITE_MULTI_DATA) {
			vu_why(s, "entry %llu: count %u > 8",
			       (unsigned long long)i, w.count);
			return -EINVAL;
		}
		ret = vu_region_check(s, w.region, w.offset, w.count,
				      VFIO_REGION_INFO_FLAG_WRITE);
		if (ret)
			return ret;
	}
	for (i = 0; i < cnt; i++) {
		long n;

		memcpy(&w, m->payload + VU_WRITE_MULTI_HDR + i * sizeof(w),
		       sizeof(w));
		n = s->ops->write(s->mdev, w.region, w.offset, w.data, w.count);
		if (n < 0) {
			vu_why(s, "driver: entry %llu region %u offset 0x%llx",
			       (unsigned long long)i, w.region,
			       (unsigned long long)w.offset);
			return (int)n;
		}
	}
	memcpy(out, &cnt, sizeof(cnt));
	return sizeof(cnt);
}

static int vu_reset(struct vu_server *s, struct vu_msg *m)
{
	if (m->payload_len) {
		vu_why(s, "unexpected %zu-byte payload", m->payload_len);
		return -EINVAL;
	}
	if (!s->ops->reset)
		return -ENOTSUP;
	return s->ops->reset(s->mdev);
}

/* Index of the first map that ends above @address (the table is sorted). */
static unsigned int vu_dma_find(const struct vu_server *s, uint64_t address)
{
	unsigned int lo = 0, hi = s->nr_dma;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (s->dma[mid].address + s->dma[mid].size <= address)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Room for one more map, growing the table by doubling; 0 or -errno. */
static int vu_dma_reserve(struct vu_server *s)
{
	unsigned int cap = s->dma_cap ? 2 * s->dma_cap : 16;
	struct vu_dma *dma;

	if (s->nr_dma >= s->agreed.max_dma_maps) {
		vu_why(s, "%u maps already", s->nr_dma);
		return -ENOSPC;
	}
	if (s->nr_dma < s->dma_cap)
		return 0;
	if (cap > s->agreed.max_dma_maps)
		cap = s->agreed.max_dma_maps;
	dma = realloc(s->dma, cap * sizeof(*dma));
	if (!dma)
		return -ENOMEM;
	s->dma = dma;
	s->dma_cap = cap;
	return 0;
}

static int vu_dma_map(struct vu_server *s, struct vu_msg *m)
{
	struct vu_dma_map req;
	struct vu_dma *d;
	unsigned int i;
	int ret;

	ret = vu_take_args(s, m, &req, sizeof(req));
	if (ret)
		return ret;
	if ((req.flags & ~(VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE)) ||
	    req.size == 0 || req.address + req.size < req.address) {
		vu_why(s, "flags 0x%x address 0x%llx size 0x%llx", req.flags,
		       (unsigned long long)req.address,
		       (unsigned long long)req.size);
		return -EINVAL;
	}
	if (m->nr_fds > 1) {
		vu_why(s, "%zu fds", m->nr_fds);
		return -EINVAL;
	}
	i = vu_dma_find(s, req.address);
	if (i < s->nr_dma && s->dma[i].address < req.address + req.size) {
		d = &s->dma[i];
		vu_why(s, "0x%llx+0x%llx overlaps 0x%llx+0x%llx",
		       (unsigned long long)req.address,
		       (unsigned long long)req.size,
		       (unsigned long long)d->address,
		       (unsigned long long)d->size);
		return -EEXIST;
	}
	ret = vu_dma_reserve(s);
	if (ret)
		return ret;
	memmove(&s->dma[i + 1], &s->dma[i], (s->nr_dma - i) * sizeof(*d));
	s->nr_dma++;
	d = &s->dma[i];
	d->address = req.address;
	d->size = req.size;
	d->offset = req.offset;
	d->flags = req.flags;
	d->fd = -1;
	if (m->nr_fds) {
		d->fd = m->fds[0]; /* kept until unmap or disconnect */
		m->fds[0] = -1;
	}
	return 0;
}

static int vu_dma_unmap(struct vu_server *s, struct vu_msg *m, uint8_t *out)
{
	struct vu_dma_unmap req;
	unsigned int i;
	int ret;

	ret = vu_take_args(s, m, &req, sizeof(req));
	if (ret)
		return ret;
	if (req.flags & VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP) {
		vu_why(s, "dirty bitmaps not supported");
		return -ENOTSUP;
	}
	if (req.flags & ~VFIO_DMA_UNMAP_FLAG_ALL) {
		vu_why(s, "flags 0x%x", req.flags);
		return -EINVAL;
	}
	if (req.flags & VFIO_DMA_UNMAP_FLAG_ALL) {
		if (req.address || req.size) {
			vu_why(s, "UNMAP_ALL with address or size");
			return -EINVAL;
		}
		vu_dma_drop_all(s);
	} else {
		i = vu_dma_find(s, req.address);
		if (i == s->nr_dma || s->dma[i].address != req.address ||
		    s->dma[i].size != req.size) {
			vu_why(s, "no mapping 0x%llx+0x%llx",
			       (unsigned long long)req.address,
			       (unsigned long long)req.size);
			return -ENOENT;
		}
		if (s->dma[i].fd >= 0)
			close(s->dma[i].fd);
		s->nr_dma--;
		memmove(&s->dma[i], &s->dma[i + 1],
			(s->nr_dma - i) * sizeof(*s->dma));
	}
	/* The reply carries the request's entry back. */
	memcpy(out, &req, sizeof(req));
	return sizeof(req);
}

/* No region has I/O fds: the answer is an empty sub-region array. */
static int vu_get_region_io_fds(struct vu_server *s, struct vu_msg *m,
				uint8_t *out)
{
	struct vu_region_io_fds req;
	int ret;

	ret = vu_take_args(s, m, &req, sizeof(req));
	if (!ret)
		ret = vu_check_index(s, "region", req.index, s->num_regions);
	if (ret)
		return ret;
	if (req.flags || req.count) {
		vu_why(s, "flags 0x%x count %u (must be 0)", req.flags,
		       req.count);
		return -EINVAL;
	}
	req.argsz = sizeof(req);
	memcpy(out, &req, sizeof(req));
	return sizeof(req);
}

/* The kernel's checks of VFIO_DEVICE_FEATURE, then: no feature here. */
static int vu_device_feature(struct vu_server *s, struct vu_msg *m)
{
	const uint32_t known =
		VFIO_DEVICE_FEATURE_MASK | VFIO_DEVICE_FEATURE_GET |
		VFIO_DEVICE_FEATURE_SET | VFIO_DEVICE_FEATURE_PROBE;
	struct vfio_device_feature req;
	int ret;

	ret = vu_take_args(s, m, &req, sizeof(req));
	if (ret)
		return ret;
	if ((req.flags & ~known) || (!(req.flags & VFIO_DEVICE_FEATURE_PROBE) &&
				     (req.flags & VFIO_DEVICE_FEATURE_GET) &&
				     (req.flags & VFIO_DEVICE_FEATURE_SET))) {
		vu_why(s, "flags 0x%x", req.flags);
		return -EINVAL;
	}
	/* No migration, no DMA logging: as the kernel says. */
	vu_why(s, "feature %u not supported",
	       req.flags & VFIO_DEVICE_FEATURE_MASK);
	return -ENOTTY;
}

static bool vu_cmd_takes_fds(unsigned int cmd)
{
	return cmd == VU_CMD_DMA_MAP || cmd == VU_CMD_DEVICE_SET_IRQS;
}

/* Run one command; its reply payload goes to @out.  Length or -errno. */
static int vu_run(struct vu_server *s, struct vu_msg *m, uint8_t *out,
		  size_t room)
{
	unsigned int cmd = m->hdr.command;

	if (vu_hdr_check_command(&m->hdr)) {
		vu_why(s, "not a command: flags 0x%x", m->hdr.flags);
		return -EINVAL;
	}
	if (m->fds_truncated || m->nr_fds > s->ours.max_msg_fds) {
		vu_why(s, "too many fds");
		return -EINVAL;
	}
	if (m->nr_fds && !vu_cmd_takes_fds(cmd)) {
		vu_why(s, "%zu unexpected fds", m->nr_fds);
		return -EINVAL;
	}
	if (!s->versioned && cmd != VU_CMD_VERSION) {
		vu_why(s, "VERSION must come first");
		return -EINVAL;
	}

	switch (cmd) {
	case VU_CMD_REGION_READ:
		return vu_region_read(s, m, out);
	case VU_CMD_REGION_WRITE:
		return vu_region_write(s, m, out);
	case VU_CMD_REGION_WRITE_MULTI:
		return vu_write_multi(s, m, out);
	case VU_CMD_VERSION:
		return vu_version(s, m, out, room);
	case VU_CMD_DEVICE_GET_INFO:
		return vu_get_info(s, m, out);
	case VU_CMD_DEVICE_GET_REGION_INFO:
		return vu_get_index_info(s, m, out,
					 sizeof(struct vfio_region_info),
					 "region", s->num_regions,
					 vu_region_info);
	case VU_CMD_DEVICE_GET_IRQ_INFO:
		return vu_get_index_info(s, m, out,
					 sizeof(struct vfio_irq_info), "index",
					 s->num_irqs, vu_irq_info);
	case VU_CMD_DEVICE_SET_IRQS:
		return vu_set_irqs(s, m);
	case VU_CMD_DEVICE_RESET:
		return vu_reset(s, m);
	case VU_CMD_DMA_MAP:
		return vu_dma_map(s, m);
	case VU_CMD_DMA_UNMAP:
		return vu_dma_unmap(s, m, out);
	case VU_CMD_DEVICE_GET_REGION_IO_FDS:
		return vu_get_region_io_fds(s, m, out);
	case VU_CMD_DEVICE_FEATURE:
		return vu_device_feature(s, m);
	default:
		vu_why(s, "command %u not supported", cmd);
		return -ENOTSUP;
	}
}

/* Dispatch one message and queue its reply (unless it is posted). */
static void vu_dispatch(struct vu_server *s, struct vu_msg *m, uint8_t *out)
{
	size_t room = s->tx.cap - s->tx.len - VU_HDR_SIZE;
	struct vu_hdr reply = {
		.msg_id = m->hdr.msg_id,
		.command = m->hdr.command,
		.flags = VU_TYPE_REPLY,
	};
	int ret;

	s->why[0] = '\0';
	ret = vu_run(s, m, out + VU_HDR_SIZE, room);
	if (ret < 0) {
		vu_log(s, "%s: %s%s%s%s", vu_cmd_name(m->hdr.command),
		       vu_errname(-ret), s->why[0] ? ": " : "", s->why,
		       m->hdr.flags & VU_FLAG_NO_REPLY ? " (posted)" : "");
		reply.flags |= VU_FLAG_ERROR;
		reply.error = -ret;
		ret = 0;
	}
	if (m->hdr.flags & VU_FLAG_NO_REPLY)
		return;
	reply.size = VU_HDR_SIZE + ret;
	memcpy(out, &reply, sizeof(reply));
	s->tx.len += reply.size;
}

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
 * Room the reply to @m may need: a REGION_READ's carries its data; every
 * other reply (VERSION's JSON included) is small.
 */
static size_t vu_reply_bound(const struct vu_server *s, const struct vu_msg *m)
{
	struct vu_region_rw rw;

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
			vu_log(s, "%s: %s: message size %u, closing",
			       vu_cmd_name(h.command), vu_errname(-ret),
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
	s->cb_arg = cfg->cb_arg;
	s->ours.max_msg_fds = VU_MAX_MSG_FDS;
	s->ours.max_data_xfer_size = VU_MAX_DATA_XFER;
	s->ours.pgsizes = VU_PGSIZES;
	s->ours.max_dma_maps = VU_MAX_DMA_MAPS;
	s->ours.write_multiple = true;
	s->ours.present = VU_CAP_ALL;
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
