// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-user framing: header checks, SCM_RIGHTS send/receive, and the
 * receive/transmit buffers of a connection.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "vfio-user/wire.h"

static const char *const vu_cmd_names[] = {
	[VU_CMD_VERSION] = "VERSION",
	[VU_CMD_DMA_MAP] = "DMA_MAP",
	[VU_CMD_DMA_UNMAP] = "DMA_UNMAP",
	[VU_CMD_DEVICE_GET_INFO] = "DEVICE_GET_INFO",
	[VU_CMD_DEVICE_GET_REGION_INFO] = "DEVICE_GET_REGION_INFO",
	[VU_CMD_DEVICE_GET_REGION_IO_FDS] = "DEVICE_GET_REGION_IO_FDS",
	[VU_CMD_DEVICE_GET_IRQ_INFO] = "DEVICE_GET_IRQ_INFO",
	[VU_CMD_DEVICE_SET_IRQS] = "SET_IRQS",
	[VU_CMD_REGION_READ] = "REGION_READ",
	[VU_CMD_REGION_WRITE] = "REGION_WRITE",
	[VU_CMD_DEVICE_RESET] = "DEVICE_RESET",
	[VU_CMD_REGION_WRITE_MULTI] = "REGION_WRITE_MULTI",
	[VU_CMD_DEVICE_FEATURE] = "DEVICE_FEATURE",
};

const char *vu_cmd_name(unsigned int command)
{
	if (command < sizeof(vu_cmd_names) / sizeof(vu_cmd_names[0]) &&
	    vu_cmd_names[command])
		return vu_cmd_names[command];
	return "UNKNOWN";
}

int vu_hdr_check_size(const struct vu_hdr *hdr, size_t max_size)
{
	if (hdr->size < VU_HDR_SIZE)
		return -EBADMSG;
	if (hdr->size > max_size)
		return -EMSGSIZE;
	return 0;
}

int vu_hdr_check_command(const struct vu_hdr *hdr)
{
	if ((hdr->flags & VU_FLAG_TYPE_MASK) != VU_TYPE_COMMAND)
		return -EINVAL;
	/* The error bit only means something in a reply. */
	if (hdr->flags & ~(VU_FLAG_TYPE_MASK | VU_FLAG_NO_REPLY))
		return -EINVAL;
	return 0;
}

int vu_hdr_check_reply(const struct vu_hdr *hdr, uint16_t id, uint16_t cmd)
{
	if ((hdr->flags & VU_FLAG_TYPE_MASK) != VU_TYPE_REPLY ||
	    (hdr->flags & ~(VU_FLAG_TYPE_MASK | VU_FLAG_ERROR)) ||
	    hdr->msg_id != id || hdr->command != cmd)
		return -EPROTO;
	return 0;
}

ssize_t vu_wire_send(int fd, const void *buf, size_t len, const int *fds,
		     size_t nr_fds, int flags)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int) * VU_RX_MAX_FDS)];
	} ctrl;
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	if (nr_fds > VU_RX_MAX_FDS)
		return -EINVAL;
	if (nr_fds) {
		struct cmsghdr *cm;

		memset(&ctrl, 0, sizeof(ctrl));
		mh.msg_control = ctrl.buf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * nr_fds);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int) * nr_fds);
		memcpy(CMSG_DATA(cm), fds, sizeof(int) * nr_fds);
	}
	do
		n = sendmsg(fd, &mh, MSG_NOSIGNAL | flags);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	return n;
}

ssize_t vu_wire_recv(int fd, void *buf, size_t len, int *fds, size_t max_fds,
		     size_t *nr_fds, bool *truncated)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int) * VU_RX_MAX_FDS)];
	} ctrl;
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr mh = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = ctrl.buf,
		.msg_controllen = sizeof(ctrl.buf),
	};
	struct cmsghdr *cm;
	ssize_t n;

	*nr_fds = 0;
	*truncated = false;
	do
		n = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;

	for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		size_t i, count;

		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		count = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < count; i++) {
			int one;

			memcpy(&one, CMSG_DATA(cm) + i * sizeof(int),
			       sizeof(int));
			if (*nr_fds < max_fds) {
				fds[(*nr_fds)++] = one;
			} else {
				close(one);
				*truncated = true;
			}
		}
	}
	if (mh.msg_flags & MSG_CTRUNC)
		*truncated = true;
	return n;
}

int vu_rx_init(struct vu_rx *rx, size_t cap)
{
	memset(rx, 0, sizeof(*rx));
	rx->buf = malloc(cap);
	if (!rx->buf)
		return -ENOMEM;
	rx->cap = cap;
	return 0;
}

static void vu_rx_fds_close(struct vu_rx_fds *p)
{
	size_t i;

	for (i = 0; i < p->nr; i++)
		if (p->fds[i] >= 0)
			close(p->fds[i]);
	p->nr = 0;
	p->used = false;
	p->truncated = false;
}

void vu_rx_reset(struct vu_rx *rx)
{
	vu_rx_fds_close(&rx->pend[0]);
	vu_rx_fds_close(&rx->pend[1]);
	rx->start = rx->len = 0;
}

void vu_rx_free(struct vu_rx *rx)
{
	vu_rx_reset(rx);
	free(rx->buf);
	rx->buf = NULL;
	rx->cap = 0;
}

/*
 * The offset of the last message that starts in, or runs through, the
 * bytes up to rx->len: the owner of fds that came with the latest read.
 */
static size_t vu_rx_fd_owner(const struct vu_rx *rx)
{
	size_t s = rx->start;
	struct vu_hdr hdr;

	while (s + VU_HDR_SIZE <= rx->len) {
		memcpy(&hdr, rx->buf + s, sizeof(hdr));
		if (hdr.size < VU_HDR_SIZE || s + hdr.size >= rx->len)
			break;
		s += hdr.size;
	}
	return s;
}

static void vu_rx_attach_fds(struct vu_rx *rx, const int *fds, size_t nr,
			     bool truncated)
{
	size_t owner = vu_rx_fd_owner(rx);
	struct vu_rx_fds *p = NULL;
	size_t i;

	for (i = 0; i < 2; i++)
		if (rx->pend[i].used && rx->pend[i].owner == owner)
			p = &rx->pend[i];
	for (i = 0; !p && i < 2; i++)
		if (!rx->pend[i].used)
			p = &rx->pend[i];
	if (!p) {
		/* Cannot happen with a sane peer; keep no fd, fail a message. */
		for (i = 0; i < nr; i++)
			close(fds[i]);
		rx->pend[1].truncated = true;
		return;
	}
	p->used = true;
	p->owner = owner;
	p->truncated |= truncated;
	for (i = 0; i < nr; i++) {
		if (p->nr < VU_RX_MAX_FDS) {
			p->fds[p->nr++] = fds[i];
		} else {
			close(fds[i]);
			p->truncated = true;
		}
	}
}

/* Move the partial message to the front. */
static void vu_rx_compact(struct vu_rx *rx)
{
	size_t i;

	if (rx->start == 0)
		return;
	memmove(rx->buf, rx->buf + rx->start, rx->len - rx->start);
	for (i = 0; i < 2; i++)
		if (rx->pend[i].used)
			rx->pend[i].owner -= rx->start;
	rx->len -= rx->start;
	rx->start = 0;
}

/* Make room for a @size-byte message; doubling keeps growth rare. */
static int vu_rx_grow(struct vu_rx *rx, size_t size, size_t max_size)
{
	size_t cap = rx->cap * 2 > size ? rx->cap * 2 : size;
	uint8_t *buf;

	if (cap > max_size)
		cap = max_size;
	vu_rx_compact(rx);
	buf = realloc(rx->buf, cap);
	if (!buf)
		return -ENOMEM;
	rx->buf = buf;
	rx->cap = cap;
	return 0;
}

ssize_t vu_rx_fill(struct vu_rx *rx, int fd)
{
	int fds[VU_RX_MAX_FDS];
	bool truncated;
	size_t nr, i;
	ssize_t n;

	vu_rx_compact(rx);
	if (rx->len == rx->cap)
		return -ENOBUFS;
	n = vu_wire_recv(fd, rx->buf + rx->len, rx->cap - rx->len, fds,
			 VU_RX_MAX_FDS, &nr, &truncated);
	if (n <= 0) {
		for (i = 0; i < nr; i++)
			close(fds[i]);
		return n;
	}
	rx->len += n;
	if (nr || truncated)
		vu_rx_attach_fds(rx, fds, nr, truncated);
	return n;
}

int vu_rx_next(struct vu_rx *rx, struct vu_msg *msg, size_t max_size)
{
	size_t avail = rx->len - rx->start;
	int i, ret;

	if (avail < VU_HDR_SIZE)
		return 0;
	memcpy(&msg->hdr, rx->buf + rx->start, sizeof(msg->hdr));
	ret = vu_hdr_check_size(&msg->hdr, max_size);
	if (ret)
		return ret;
	if (avail < msg->hdr.size) {
		if (msg->hdr.size > rx->cap)
			return vu_rx_grow(rx, msg->hdr.size, max_size);
		return 0;
	}
	msg->payload = rx->buf + rx->start + VU_HDR_SIZE;
	msg->payload_len = msg->hdr.size - VU_HDR_SIZE;
	msg->fds = NULL;
	msg->nr_fds = 0;
	msg->fds_truncated = false;
	for (i = 0; i < 2; i++) {
		struct vu_rx_fds *p = &rx->pend[i];

		if (p->used && p->owner == rx->start) {
			msg->fds = p->fds;
			msg->nr_fds = p->nr;
			msg->fds_truncated = p->truncated;
		}
	}
	return 1;
}

void vu_rx_consume(struct vu_rx *rx, struct vu_msg *msg)
{
	int i;

	rx->start += msg->hdr.size;
	/* Close what the message did not take, and anything left behind. */
	for (i = 0; i < 2; i++)
		if (rx->pend[i].used && rx->pend[i].owner < rx->start)
			vu_rx_fds_close(&rx->pend[i]);
	if (rx->start == rx->len)
		rx->start = rx->len = 0;
	msg->fds = NULL;
	msg->nr_fds = 0;
}

int vu_tx_init(struct vu_tx *tx, size_t cap)
{
	tx->buf = malloc(cap);
	if (!tx->buf)
		return -ENOMEM;
	tx->cap = cap;
	tx->sent = tx->len = 0;
	return 0;
}

int vu_tx_reserve(struct vu_tx *tx, size_t len)
{
	size_t cap = tx->cap * 2;
	uint8_t *buf;

	if (tx->cap - tx->len >= len)
		return 0;
	if (cap < tx->len + len)
		cap = tx->len + len;
	buf = realloc(tx->buf, cap);
	if (!buf)
		return -ENOMEM;
	tx->buf = buf;
	tx->cap = cap;
	return 0;
}

void vu_tx_free(struct vu_tx *tx)
{
	free(tx->buf);
	tx->buf = NULL;
	tx->cap = tx->sent = tx->len = 0;
}

ssize_t vu_tx_flush(struct vu_tx *tx, int fd)
{
	while (tx->sent < tx->len) {
		ssize_t n = vu_wire_send(fd, tx->buf + tx->sent,
					 tx->len - tx->sent, NULL, 0,
					 MSG_DONTWAIT);

		if (n == -EAGAIN)
			break;
		if (n < 0)
			return n;
		tx->sent += n;
	}
	if (tx->sent == tx->len)
		tx->sent = tx->len = 0;
	return tx->len - tx->sent;
}
