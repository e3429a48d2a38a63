/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vfio-user wire format: the 16-byte header, the payloads the server and the
 * client library use, message framing over a stream socket and SCM_RIGHTS
 * file-descriptor passing.  Layouts follow QEMU's docs/interop/vfio-user.rst;
 * everything is host-endian.  Private to libumdev.
 */
#ifndef UMDEV_VFIO_USER_WIRE_H
#define UMDEV_VFIO_USER_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <umdev/client.h>

/*
 * Commands (header "command" field) that umdev sends or serves, with the
 * numbers of <umdev/client.h>.  The spec has more (DMA_READ/DMA_WRITE
 * 11-12): each gets its constant with its implementation; until then it is
 * refused with ENOTSUP, like any unknown command.
 */
enum vu_command {
	VU_CMD_VERSION = UMDEV_VU_CMD_VERSION,
	VU_CMD_DMA_MAP = UMDEV_VU_CMD_DMA_MAP,
	VU_CMD_DMA_UNMAP = UMDEV_VU_CMD_DMA_UNMAP,
	VU_CMD_DEVICE_GET_INFO = UMDEV_VU_CMD_DEVICE_GET_INFO,
	VU_CMD_DEVICE_GET_REGION_INFO = UMDEV_VU_CMD_DEVICE_GET_REGION_INFO,
	VU_CMD_DEVICE_GET_REGION_IO_FDS = UMDEV_VU_CMD_DEVICE_GET_REGION_IO_FDS,
	VU_CMD_DEVICE_GET_IRQ_INFO = UMDEV_VU_CMD_DEVICE_GET_IRQ_INFO,
	VU_CMD_DEVICE_SET_IRQS = UMDEV_VU_CMD_DEVICE_SET_IRQS,
	VU_CMD_REGION_READ = UMDEV_VU_CMD_REGION_READ,
	VU_CMD_REGION_WRITE = UMDEV_VU_CMD_REGION_WRITE,
	VU_CMD_DEVICE_RESET = UMDEV_VU_CMD_DEVICE_RESET,
	VU_CMD_REGION_WRITE_MULTI = UMDEV_VU_CMD_REGION_WRITE_MULTI,
	VU_CMD_DEVICE_FEATURE = UMDEV_VU_CMD_DEVICE_FEATURE,
	VU_CMD_MIG_DATA_READ = UMDEV_VU_CMD_MIG_DATA_READ,
	VU_CMD_MIG_DATA_WRITE = UMDEV_VU_CMD_MIG_DATA_WRITE,
};

/* Header flags (<umdev/client.h>). */
#define VU_FLAG_TYPE_MASK UMDEV_VU_FLAG_TYPE_MASK
#define VU_TYPE_COMMAND UMDEV_VU_TYPE_COMMAND
#define VU_TYPE_REPLY UMDEV_VU_TYPE_REPLY
#define VU_FLAG_NO_REPLY UMDEV_VU_FLAG_NO_REPLY
#define VU_FLAG_ERROR UMDEV_VU_FLAG_ERROR

/* Protocol version this implementation speaks. */
#define VU_VERSION_MAJOR 0
#define VU_VERSION_MINOR 0

/* What this implementation accepts (and proposes). */
#define VU_MAX_MSG_FDS 16 /* fds we receive in one message */
#define VU_MAX_DATA_XFER (1u << 20) /* bytes of data per read/write */
#define VU_DEFAULT_MSG_FDS 1 /* spec default when not negotiated */
#define VU_DEFAULT_DATA_XFER (1u << 20)
#define VU_PGSIZES 4096u
#define VU_MAX_DMA_MAPS 65535 /* the spec's default: absent key = this */
#define VU_WRITE_MULTI_MAX 200 /* entries per REGION_WRITE_MULTI */
#define VU_WRITE_MULTI_DATA 8 /* data bytes per entry */

struct vu_hdr {
	uint16_t msg_id;
	uint16_t command;
	uint32_t size; /* whole message, header included */
	uint32_t flags;
	uint32_t error; /* errno, valid in a reply with VU_FLAG_ERROR */
} __attribute__((packed));
_Static_assert(sizeof(struct vu_hdr) == 16, "vfio-user header is 16 bytes");

#define VU_HDR_SIZE ((uint32_t)sizeof(struct vu_hdr))

struct vu_version {
	uint16_t major;
	uint16_t minor;
	/* then NUL-terminated JSON (optional) */
} __attribute__((packed));
_Static_assert(sizeof(struct vu_version) == 4, "version payload");

/* REGION_READ / REGION_WRITE request and reply, before the data. */
struct vu_region_rw {
	uint64_t offset;
	uint32_t region;
	uint32_t count;
} __attribute__((packed));
_Static_assert(sizeof(struct vu_region_rw) == 16, "region rw payload");

struct vu_dma_map {
	uint32_t argsz;
	uint32_t flags;
	uint64_t offset;
	uint64_t address;
	uint64_t size;
} __attribute__((packed));
_Static_assert(sizeof(struct vu_dma_map) == 32, "dma map payload");

struct vu_dma_unmap {
	uint32_t argsz;
	uint32_t flags;
	uint64_t address;
	uint64_t size;
} __attribute__((packed));
_Static_assert(sizeof(struct vu_dma_unmap) == 24, "dma unmap payload");

struct vu_write_one {
	uint64_t offset;
	uint32_t region;
	uint32_t count;
	uint8_t data[VU_WRITE_MULTI_DATA];
} __attribute__((packed));
_Static_assert(sizeof(struct vu_write_one) == 24, "write multi entry");

/* REGION_WRITE_MULTI payload: u64 wr_cnt, then wr_cnt entries. */
#define VU_WRITE_MULTI_HDR ((uint32_t)sizeof(uint64_t))

/*
 * MIG_DATA_READ request (argsz: the most reply payload wanted; size: the
 * bytes wanted) and reply (argsz: the reply's size; size: the bytes that
 * follow, fewer than asked at the end of the data); MIG_DATA_WRITE request
 * (the data follows).
 */
struct vu_mig_data {
	uint32_t argsz;
	uint32_t size;
} __attribute__((packed));
_Static_assert(sizeof(struct vu_mig_data) == 8, "mig data payload");

/* VU_CMD_DEVICE_GET_REGION_IO_FDS request and reply, before sub-regions. */
struct vu_region_io_fds {
	uint32_t argsz;
	uint32_t flags;
	uint32_t index;
	uint32_t count;
} __attribute__((packed));
_Static_assert(sizeof(struct vu_region_io_fds) == 16, "io fds payload");

/*
 * Connection buffers start this big and grow on demand (rarely: only for
 * data transfers larger than this).  Every message that fits is accepted
 * whatever max_data_xfer_size was agreed, so a small transfer limit never
 * makes a REGION_WRITE_MULTI or SET_IRQS unframeable.
 */
#define VU_BUF_INITIAL (64u * 1024)

/*
 * Largest message a peer may send once @max_data_xfer is agreed: header,
 * the region read/write payload header, and the data (at least
 * VU_BUF_INITIAL).
 */
static inline size_t vu_max_msg_size(uint32_t max_data_xfer)
{
	size_t size = VU_HDR_SIZE + sizeof(struct vu_region_rw) + max_data_xfer;

	return size > VU_BUF_INITIAL ? size : VU_BUF_INITIAL;
}

/** vu_cmd_name() - "SET_IRQS" etc. for logs; "UNKNOWN" otherwise. */
const char *vu_cmd_name(unsigned int command);

/**
 * vu_hdr_check_size() - can this header be framed at all?
 * Return: 0; -EBADMSG if size < 16; -EMSGSIZE if size > @max_size.  Either
 * error means the stream cannot be resynchronised: close the connection.
 */
int vu_hdr_check_size(const struct vu_hdr *hdr, size_t max_size);

/**
 * vu_hdr_check_command() - is this a well-formed command message?
 * Return: 0; -EINVAL if its type is not "command" or it has unknown flags
 * (the message is answered with an error reply, the stream stays in sync).
 */
int vu_hdr_check_command(const struct vu_hdr *hdr);

/**
 * vu_hdr_check_reply() - is @hdr the reply to command @cmd with id @id?
 * Return: 0; -EPROTO otherwise.
 */
int vu_hdr_check_reply(const struct vu_hdr *hdr, uint16_t id, uint16_t cmd);

/**
 * vu_wire_send() - one sendmsg() of @len bytes with @nr_fds fds attached
 * (SCM_RIGHTS), never raising SIGPIPE.  @flags: extra MSG_* (MSG_DONTWAIT).
 * Return: bytes sent (possibly fewer than @len), or -errno (-EAGAIN when a
 * non-blocking socket is full, -EINVAL for too many fds).
 */
ssize_t vu_wire_send(int fd, const void *buf, size_t len, const int *fds,
		     size_t nr_fds, int flags);

/**
 * vu_wire_recv() - one recvmsg() into @buf, receiving fds with
 * MSG_CMSG_CLOEXEC.  Up to @max_fds fds land in @fds and their number in
 * *@nr_fds; any others are closed and *@truncated is set (also when the
 * kernel had to drop fds for lack of control space).
 * Return: bytes read, 0 at end of stream, or -errno (-EAGAIN).
 */
ssize_t vu_wire_recv(int fd, void *buf, size_t len, int *fds, size_t max_fds,
		     size_t *nr_fds, bool *truncated);

/* Largest number of fds accepted in one read (more are dropped). */
#define VU_RX_MAX_FDS (2 * VU_MAX_MSG_FDS)

/*
 * Receive side of a connection: a byte buffer where messages are assembled
 * across reads (several may arrive in one read), plus the fds that came
 * with them.  The kernel attaches fds to the first byte of the sendmsg()
 * that carried them and ends a read right after that data, so fds from one
 * read belong to the last message that starts in (or runs through) it.
 */
struct vu_rx_fds {
	size_t owner; /* buffer offset of the message they belong to */
	size_t nr;
	bool used;
	bool truncated; /* some fds were lost: the message must fail */
	int fds[VU_RX_MAX_FDS];
};

struct vu_rx {
	uint8_t *buf;
	size_t cap;
	size_t start; /* first byte of the current (unconsumed) message */
	size_t len; /* bytes in buf */
	struct vu_rx_fds pend[2];
};

/* One complete message inside a struct vu_rx. */
struct vu_msg {
	struct vu_hdr hdr; /* aligned copy */
	uint8_t *payload;
	size_t payload_len;
	int *fds; /* entries set to -1 once taken */
	size_t nr_fds;
	bool fds_truncated;
};

/**
 * vu_rx_init() - allocate a @cap-byte buffer (it grows in vu_rx_next()).
 * Return: 0 or -ENOMEM.
 */
int vu_rx_init(struct vu_rx *rx, size_t cap);
/** vu_rx_free() - close pending fds and free the buffer. */
void vu_rx_free(struct vu_rx *rx);
/** vu_rx_reset() - drop buffered bytes and close pending fds. */
void vu_rx_reset(struct vu_rx *rx);
/**
 * vu_rx_fill() - one read from @fd into the free space.
 * Return: bytes read; 0 at end of stream; -EAGAIN; -ENOBUFS if the buffer
 * is full (cannot happen while messages fit); other -errno.
 */
ssize_t vu_rx_fill(struct vu_rx *rx, int fd);
/**
 * vu_rx_next() - the next complete message, if buffered.  A message larger
 * than the buffer (but not than @max_size) grows the buffer to hold it.
 * Return: 1 and *@msg; 0 if more bytes are needed; -EBADMSG or -EMSGSIZE
 * (see vu_hdr_check_size()) if the stream is broken; -ENOMEM if the
 * buffer could not grow.
 */
int vu_rx_next(struct vu_rx *rx, struct vu_msg *msg, size_t max_size);
/** vu_rx_consume() - done with @msg: close the fds it did not take. */
void vu_rx_consume(struct vu_rx *rx, struct vu_msg *msg);

/* Transmit side: replies queued until the socket takes them. */
struct vu_tx {
	uint8_t *buf;
	size_t cap;
	size_t sent;
	size_t len;
};

/** vu_tx_init() - allocate a @cap-byte buffer.  0 or -ENOMEM. */
int vu_tx_init(struct vu_tx *tx, size_t cap);
void vu_tx_free(struct vu_tx *tx);
/**
 * vu_tx_reserve() - grow the buffer so that @len more bytes fit after what
 * is queued.  Return: 0 or -ENOMEM (the buffer is unchanged).
 */
int vu_tx_reserve(struct vu_tx *tx, size_t len);
static inline void vu_tx_reset(struct vu_tx *tx)
{
	tx->sent = tx->len = 0;
}
/** vu_tx_room() - where the next @len bytes can be written, or NULL. */
static inline uint8_t *vu_tx_room(struct vu_tx *tx, size_t len)
{
	return tx->cap - tx->len >= len ? tx->buf + tx->len : NULL;
}
/**
 * vu_tx_flush() - send what is queued without blocking.
 * Return: bytes still queued (0 when empty), or -errno (not -EAGAIN).
 */
ssize_t vu_tx_flush(struct vu_tx *tx, int fd);

#endif
