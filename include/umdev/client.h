/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * umdev/client.h - a small blocking vfio-user client: what umdevctl, the
 * tests and the benchmarks use to talk to a device socket.
 *
 * Every function returns 0 (or a byte count) on success and -errno on
 * failure: the errno the server put in its error reply, or a local one
 * (-ECONNRESET when the server closed, -EPROTO for a malformed reply,
 * -ETIMEDOUT when no reply came in time).
 */
#ifndef UMDEV_CLIENT_H
#define UMDEV_CLIENT_H

#include <stddef.h>
#include <stdint.h>
#include <linux/vfio.h>

#include <umdev/export.h>

#ifdef __cplusplus
extern "C" {
#endif

UMDEV_ABI_BEGIN

/*
 * vfio-user commands (the header's "command" field, QEMU's
 * docs/interop/vfio-user.rst): the @cmd of umdev_client_request() and
 * umdev_client_send(): those umdev sends or serves (src/vfio-user/wire.h
 * takes its numbers from here); a command gets its constant with its
 * implementation.
 */
enum umdev_vu_command {
	UMDEV_VU_CMD_VERSION = 1,
	UMDEV_VU_CMD_DMA_MAP = 2,
	UMDEV_VU_CMD_DMA_UNMAP = 3,
	UMDEV_VU_CMD_DEVICE_GET_INFO = 4,
	UMDEV_VU_CMD_DEVICE_GET_REGION_INFO = 5,
	UMDEV_VU_CMD_DEVICE_GET_REGION_IO_FDS = 6,
	UMDEV_VU_CMD_DEVICE_GET_IRQ_INFO = 7,
	UMDEV_VU_CMD_DEVICE_SET_IRQS = 8,
	UMDEV_VU_CMD_REGION_READ = 9,
	UMDEV_VU_CMD_REGION_WRITE = 10,
	UMDEV_VU_CMD_DEVICE_RESET = 13,
	UMDEV_VU_CMD_REGION_WRITE_MULTI = 15,
	UMDEV_VU_CMD_DEVICE_FEATURE = 16,
	UMDEV_VU_CMD_MIG_DATA_READ = 17, /* added in UMDEV_1.1 */
	UMDEV_VU_CMD_MIG_DATA_WRITE = 18, /* added in UMDEV_1.1 */
};

/*
 * umdev's own DEVICE_FEATURE index (a vendor extension; docs/migration.md):
 * GET answers VFIO_MIG_GET_PRECOPY_INFO's struct vfio_precopy_info, which
 * <linux/vfio.h> asks of a data fd that vfio-user does not have.  Outside
 * PRE_COPY(_P2P): EINVAL.  Added in UMDEV_1.1.
 */
#define UMDEV_VU_FEATURE_MIG_PRECOPY_INFO 0xf001u

/*
 * vfio-user header flags: the @flags of umdev_client_request() and
 * umdev_client_send() (a message type, optionally NO_REPLY), and what a
 * reply's flags carry (REPLY, with ERROR when *@reply_error is set).
 */
#define UMDEV_VU_FLAG_TYPE_MASK 0x0fu
#define UMDEV_VU_TYPE_COMMAND 0x0u
#define UMDEV_VU_TYPE_REPLY 0x1u
#define UMDEV_VU_FLAG_NO_REPLY 0x10u
#define UMDEV_VU_FLAG_ERROR 0x20u

struct umdev_client;

/* The reply timeout a new client starts with (connect and VERSION too). */
#define UMDEV_CLIENT_TIMEOUT_MS 5000
/*
 * The most regions and IRQ indices the client believes a device has: a
 * vfio-pci device has 9 regions and 5 IRQ indices, plus a few
 * device-specific ones.  A server reporting more is refused (-E2BIG), so
 * that no caller loops over billions of indices.
 */
#define UMDEV_CLIENT_MAX_REGIONS 64
#define UMDEV_CLIENT_MAX_IRQS 64

/**
 * umdev_client_connect() - connect to @socket_path and negotiate VERSION
 * (proposing write_multiple and max_msg_fds 16).
 * Return: the client, or NULL with *@err (if not NULL) = -errno.
 */
struct umdev_client *umdev_client_connect(const char *socket_path, int *err);
/** umdev_client_close() - close the socket and free @c (NULL is fine). */
void umdev_client_close(struct umdev_client *c);
/** umdev_client_fd() - the socket, for poll()ing. */
int umdev_client_fd(const struct umdev_client *c);
/**
 * umdev_client_set_timeout_ms() - reply timeout (default
 * UMDEV_CLIENT_TIMEOUT_MS): the longest any one call waits for the server.
 */
void umdev_client_set_timeout_ms(struct umdev_client *c, int ms);

/**
 * umdev_client_get_info() - DEVICE_GET_INFO into @info (flags, num_regions,
 * num_irqs).  Return: 0; -E2BIG (with @info filled) when the device
 * reports more than UMDEV_CLIENT_MAX_REGIONS regions or
 * UMDEV_CLIENT_MAX_IRQS IRQ indices; or -errno (see the top of this file).
 */
int umdev_client_get_info(struct umdev_client *c,
			  struct vfio_device_info *info);
/**
 * umdev_client_get_region_info() - DEVICE_GET_REGION_INFO for @index.
 * Return: 0; -EINVAL from the server for an index >= num_regions; or as
 * at the top of this file.
 */
int umdev_client_get_region_info(struct umdev_client *c, uint32_t index,
				 struct vfio_region_info *info);
/**
 * umdev_client_get_irq_info() - DEVICE_GET_IRQ_INFO for @index.
 * Return: 0; -EINVAL from the server for an index >= num_irqs; or as at
 * the top of this file.
 */
int umdev_client_get_irq_info(struct umdev_client *c, uint32_t index,
			      struct vfio_irq_info *info);
/**
 * umdev_client_set_irqs() - SET_IRQS; @fds (nr_fds of them) travel as
 * SCM_RIGHTS for DATA_EVENTFD; @data (data_len bytes) follows the header
 * for DATA_BOOL.
 */
int umdev_client_set_irqs(struct umdev_client *c, uint32_t flags,
			  uint32_t index, uint32_t start, uint32_t count,
			  const int *fds, size_t nr_fds, const void *data,
			  size_t data_len);
/**
 * umdev_client_read() - REGION_READ of @count bytes at @offset of region
 * @index into @buf.  Return: @count; -EINVAL from the server for a bad
 * index, count 0 or a range past the region; -EMSGSIZE locally if @count
 * exceeds the negotiated max_data_xfer_size; or as at the top of this file.
 */
int umdev_client_read(struct umdev_client *c, uint32_t index, uint64_t offset,
		      void *buf, uint32_t count);
/**
 * umdev_client_write() - REGION_WRITE, waiting for the reply.
 * Return: @count, or -errno as umdev_client_read().
 */
int umdev_client_write(struct umdev_client *c, uint32_t index, uint64_t offset,
		       const void *buf, uint32_t count);
/**
 * umdev_client_write_posted() - REGION_WRITE with the no-reply flag: returns
 * once the message is sent.  Errors on it are not reported by the server.
 */
int umdev_client_write_posted(struct umdev_client *c, uint32_t index,
			      uint64_t offset, const void *buf, uint32_t count);
/** umdev_client_reset() - DEVICE_RESET.  Return: 0 or -errno. */
int umdev_client_reset(struct umdev_client *c);

/*
 * Convenience for byte-wide device registers (a UART's): one-byte
 * REGION_READ / REGION_WRITE.  Return: 0 or -errno as umdev_client_read().
 */
int umdev_client_read8(struct umdev_client *c, uint32_t index, uint64_t offset,
		       uint8_t *val);
int umdev_client_write8(struct umdev_client *c, uint32_t index, uint64_t offset,
			uint8_t val);

/**
 * umdev_client_request() - send any raw message and wait for its reply
 * (tests of malformed input).  @cmd/@flags go in the header as given;
 * @reply receives up to @reply_len payload bytes; *@reply_error the error
 * field.  Return: payload bytes received, or -errno for a local failure.
 */
int umdev_client_request(struct umdev_client *c, uint16_t cmd, uint32_t flags,
			 const void *payload, size_t len, const int *fds,
			 size_t nr_fds, void *reply, size_t reply_len,
			 uint32_t *reply_error);

/*
 * Additions for pipelining tests and tools: send a message without waiting,
 * then collect its reply.  Replies come back in request order; posted
 * (no-reply) messages get none.
 */
/**
 * umdev_client_send() - send a raw message; *@msg_id gets its id.
 * Return: 0 or -errno (-EMSGSIZE if it exceeds the negotiated size).
 */
int umdev_client_send(struct umdev_client *c, uint16_t cmd, uint32_t flags,
		      const void *payload, size_t len, const int *fds,
		      size_t nr_fds, uint16_t *msg_id);
/**
 * umdev_client_recv_reply() - wait for the reply to @msg_id/@cmd (the next
 * message must be it, else -EPROTO).  As umdev_client_request().
 */
int umdev_client_recv_reply(struct umdev_client *c, uint16_t msg_id,
			    uint16_t cmd, void *reply, size_t reply_len,
			    uint32_t *reply_error);
/**
 * umdev_client_set_poll_us() - wait for each reply by trying to read it for
 * up to @us microseconds before sleeping in poll() (0, the default: sleep
 * at once).  Spends CPU to save the wake-up when the server answers fast,
 * e.g. from another CPU.  Added in UMDEV_1.1.
 */
void umdev_client_set_poll_us(struct umdev_client *c, unsigned int us);
/** umdev_client_max_data_xfer() - the negotiated max_data_xfer_size. */
uint32_t umdev_client_max_data_xfer(const struct umdev_client *c);

/*
 * VFIO migration v2 over vfio-user (docs/migration.md).  Added in
 * UMDEV_1.1.  States are enum vfio_device_mig_state's values.
 */
/**
 * umdev_client_mig_get_flags() - DEVICE_FEATURE GET MIGRATION: the
 * device's VFIO_MIGRATION_* flags.  Return: 0; -ENOTTY when the device has
 * no migration; or as at the top of this file.
 */
int umdev_client_mig_get_flags(struct umdev_client *c, uint64_t *flags);
/**
 * umdev_client_mig_get_state() - DEVICE_FEATURE GET MIG_DEVICE_STATE.
 * Return: 0; -ENOTTY (no migration); or as at the top of this file.
 */
int umdev_client_mig_get_state(struct umdev_client *c, uint32_t *state);
/**
 * umdev_client_mig_set_state() - DEVICE_FEATURE SET MIG_DEVICE_STATE: move
 * to @state (the server takes every arc on the way).
 * Return: 0; -EINVAL for a state the device cannot reach from where it is
 * (it stays there) or a refused arc (e.g. RESUMING -> STOP with a bad
 * stream: the device is then in ERROR); -ENOTTY (no migration); or as at
 * the top of this file.
 */
int umdev_client_mig_set_state(struct umdev_client *c, uint32_t state);
/**
 * umdev_client_mig_precopy_info() - umdev's PRECOPY_INFO feature, the
 * answer VFIO_MIG_GET_PRECOPY_INFO gives: bytes of initial data still to
 * read and of dirty data.  Return: 0; -EINVAL outside PRE_COPY(_P2P);
 * -ENOTTY without PRE_COPY; or as at the top of this file.
 */
int umdev_client_mig_precopy_info(struct umdev_client *c,
				  uint64_t *initial_bytes,
				  uint64_t *dirty_bytes);
/**
 * umdev_client_mig_read() - MIG_DATA_READ of at most @len bytes (at most
 * umdev_client_max_data_xfer()) into @buf.
 * Return: bytes read, fewer than @len when the data ended (0: none left
 * now); -EINVAL outside PRE_COPY(_P2P) / STOP_COPY or for a bad @len; or
 * as at the top of this file.
 */
int umdev_client_mig_read(struct umdev_client *c, void *buf, uint32_t len);
/**
 * umdev_client_mig_write() - MIG_DATA_WRITE of @len bytes (at most
 * umdev_client_max_data_xfer()) from @buf.
 * Return: 0; -EINVAL outside RESUMING, for bytes that cannot be a
 * stream, or a bad @len; -EFBIG for a stream larger than the device
 * takes; or as at the top of this file.
 */
int umdev_client_mig_write(struct umdev_client *c, const void *buf,
			   uint32_t len);

UMDEV_ABI_END

#ifdef __cplusplus
}
#endif

#endif
