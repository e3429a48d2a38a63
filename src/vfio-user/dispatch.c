// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-user server: command dispatch.  Each complete message is checked
 * for what every command must satisfy (a command, its fds, VERSION first),
 * run by its handler (here for the device-wide commands, in region.c,
 * irq.c and dma.c for the others), and answered with a reply header built
 * here: a handler's -errno becomes the reply's error field.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "vfio-user/server_internal.h"

/* ---- argument checks, for every handler ---- */

/*
 * Copy the fixed @len-byte part of an argsz-led request into @req and
 * check its argsz (the first u32) covers at least that much: what every
 * such request is checked for first.  0 or -EINVAL.
 */
int vu_take_args(struct vu_server *s, const struct vu_msg *m, void *req,
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

/* ---- device-wide commands ---- */

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

/*
 * The kernel's checks of VFIO_DEVICE_FEATURE, then the feature: only
 * migration's (migration.c), for a device that has it.
 */
static int vu_device_feature(struct vu_server *s, struct vu_msg *m,
			     uint8_t *out)
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
	return vu_migration_feature(s, m, &req, out);
}

/* ---- the command table ---- */

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
		return vu_region_write_multi(s, m, out);
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
		return vu_device_feature(s, m, out);
	case VU_CMD_MIG_DATA_READ:
		return vu_mig_data_read(s, m, out);
	case VU_CMD_MIG_DATA_WRITE:
		return vu_mig_data_write(s, m);
	default:
		vu_why(s, "command %u not supported", cmd);
		return -ENOTSUP;
	}
}

/* Dispatch one message and queue its reply (unless it is posted). */
void vu_dispatch(struct vu_server *s, struct vu_msg *m, uint8_t *out)
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
		/* The client's mistake, answered with the errno: not ours. */
		vu_log(s, VU_LOG_INFO, vu_cmd_name(m->hdr.command), "%s%s%s%s",
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
