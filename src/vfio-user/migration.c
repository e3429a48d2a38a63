// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-user server: VFIO migration v2 (QEMU's docs/interop/vfio-user.rst,
 * <linux/vfio.h>).  DEVICE_FEATURE MIGRATION (GET: the driver's
 * VFIO_MIGRATION_* flags) and MIG_DEVICE_STATE (GET; SET walks the state
 * machine one arc at a time, mig_fsm.c choosing the arcs), umdev's
 * PRECOPY_INFO feature, and the data commands MIG_DATA_READ / WRITE.
 * Only for a driver with the migration callbacks; any other device keeps
 * answering ENOTTY (features) and EINVAL (data commands).
 */
#include <errno.h>
#include <string.h>

#include <umdev/client.h>

#include "vfio-user/mig_fsm.h"
#include "vfio-user/server_internal.h"

bool vu_migration_offered(const struct vu_server *s)
{
	return s->ops->migration_get_flags != NULL;
}

static uint64_t vu_mig_flags(struct vu_server *s)
{
	uint64_t flags = 0;

	if (s->ops->migration_get_flags(s->mdev, &flags) < 0)
		return 0;
	return flags;
}

/*
 * Walk from the current state to @target, one driver arc at a time.  The
 * driver leaves its state where the failing arc left it (ERROR when it
 * cannot go on).
 */
static int vu_mig_set_state(struct vu_server *s, uint32_t target)
{
	uint64_t flags = vu_mig_flags(s);
	uint32_t cur, next;
	unsigned int steps;
	int ret;

	ret = s->ops->migration_get_state(s->mdev, &cur);
	if (ret < 0)
		return ret;
	/* ERROR is never asked for, and only a reset leaves it. */
	if (!vu_mig_state_supported(flags, target) ||
	    cur == VFIO_DEVICE_STATE_ERROR) {
		vu_why(s, "%s -> %s: not a request", vu_mig_state_name(cur),
		       vu_mig_state_name(target));
		return -EINVAL;
	}
	/* Every path is shorter than the number of states. */
	for (steps = 0; cur != target && steps < VU_MIG_NR_STATES; steps++) {
		ret = vu_mig_next_state(flags, cur, target, &next);
		if (ret) {
			vu_why(s, "no arc from %s to %s",
			       vu_mig_state_name(cur),
			       target < VU_MIG_NR_STATES ?
				       vu_mig_state_name(target) :
				       "an unknown state");
			return ret;
		}
		ret = s->ops->migration_set_state(s->mdev, next);
		if (ret < 0) {
			vu_why(s, "driver refused %s -> %s",
			       vu_mig_state_name(cur), vu_mig_state_name(next));
			return ret;
		}
		vu_log(s, VU_LOG_DEBUG, "DEVICE_FEATURE", "migration: %s -> %s",
		       vu_mig_state_name(cur), vu_mig_state_name(next));
		cur = next;
	}
	return cur == target ? 0 : -EIO;
}

/* The reply of a GET: the request's header with argsz, then @data. */
static int vu_feature_reply(const struct vfio_device_feature *req, uint8_t *out,
			    const void *data, uint32_t len)
{
	struct vfio_device_feature hdr = *req;

	hdr.argsz = (uint32_t)sizeof(hdr) + len;
	memcpy(out, &hdr, sizeof(hdr));
	memcpy(out + sizeof(hdr), data, len);
	return (int)(sizeof(hdr) + len);
}

/* GET needs room for @len data bytes in argsz (the kernel's check). */
static int vu_feature_need(struct vu_server *s,
			   const struct vfio_device_feature *req, uint32_t len)
{
	if (req->argsz < sizeof(*req) + len) {
		vu_why(s, "argsz %u < %zu", req->argsz, sizeof(*req) + len);
		return -EINVAL;
	}
	return 0;
}

/*
 * A feature that only has GET: PROBE answers for it; SET is EINVAL.
 * Return: 1 to go on with the GET, 0 (probed) or -EINVAL.
 */
static int vu_feature_get_only(struct vu_server *s, struct vu_msg *m,
			       const struct vfio_device_feature *req,
			       uint8_t *out, int *len)
{
	if (req->flags & VFIO_DEVICE_FEATURE_SET) {
		vu_why(s, "feature %u cannot be set",
		       req->flags & VFIO_DEVICE_FEATURE_MASK);
		return -EINVAL;
	}
	if (req->flags & VFIO_DEVICE_FEATURE_PROBE) {
		memcpy(out, m->payload, sizeof(*req));
		*len = sizeof(*req);
		return 0;
	}
	return 1;
}

static int vu_feature_migration(struct vu_server *s, struct vu_msg *m,
				const struct vfio_device_feature *req,
				uint8_t *out)
{
	struct vfio_device_feature_migration mig = { 0 };
	int ret, len;

	ret = vu_feature_get_only(s, m, req, out, &len);
	if (ret <= 0)
		return ret ? ret : len;
	ret = vu_feature_need(s, req, sizeof(mig));
	if (ret)
		return ret;
	mig.flags = vu_mig_flags(s);
	return vu_feature_reply(req, out, &mig, sizeof(mig));
}

static int vu_feature_precopy_info(struct vu_server *s, struct vu_msg *m,
				   const struct vfio_device_feature *req,
				   uint8_t *out)
{
	struct vfio_precopy_info info = { .argsz = sizeof(info) };
	uint64_t initial = 0, dirty = 0; /* the kernel's are __u64 */
	int ret, len;

	if (!(vu_mig_flags(s) & VFIO_MIGRATION_PRE_COPY) ||
	    !s->ops->migration_precopy_info) {
		vu_why(s, "no PRE_COPY");
		return -ENOTTY;
	}
	ret = vu_feature_get_only(s, m, req, out, &len);
	if (ret <= 0)
		return ret ? ret : len;
	ret = vu_feature_need(s, req, sizeof(info));
	if (ret)
		return ret;
	ret = s->ops->migration_precopy_info(s->mdev, &initial, &dirty);
	if (ret < 0) {
		vu_why(s, "not in PRE_COPY");
		return ret;
	}
	info.initial_bytes = initial;
	info.dirty_bytes = dirty;
	return vu_feature_reply(req, out, &info, sizeof(info));
}

static int vu_feature_mig_state(struct vu_server *s, struct vu_msg *m,
				const struct vfio_device_feature *req,
				uint8_t *out)
{
	struct vfio_device_feature_mig_state st = { .data_fd = -1 };
	const size_t need = sizeof(*req) + sizeof(st);
	int ret;

	if (req->flags & VFIO_DEVICE_FEATURE_PROBE) {
		memcpy(out, m->payload, sizeof(*req));
		return sizeof(*req);
	}
	ret = vu_feature_need(s, req, sizeof(st));
	if (ret)
		return ret;
	if (req->flags & VFIO_DEVICE_FEATURE_SET) {
		if (m->payload_len < need) {
			vu_why(s, "payload %zu < %zu", m->payload_len, need);
			return -EINVAL;
		}
		memcpy(&st, m->payload + sizeof(*req), sizeof(st));
		ret = vu_mig_set_state(s, st.device_state);
		if (ret < 0)
			return ret;
		/* The reply to a SET is its request (the spec). */
		memcpy(out, m->payload, need);
		return (int)need;
	}
	if (!(req->flags & VFIO_DEVICE_FEATURE_GET)) {
		vu_why(s, "neither GET nor SET");
		return -EINVAL;
	}
	ret = s->ops->migration_get_state(s->mdev, &st.device_state);
	if (ret < 0)
		return ret;
	st.data_fd = -1; /* vfio-user moves the data over the socket */
	return vu_feature_reply(req, out, &st, sizeof(st));
}

int vu_migration_feature(struct vu_server *s, struct vu_msg *m,
			 const struct vfio_device_feature *req, uint8_t *out)
{
	uint32_t feature = req->flags & VFIO_DEVICE_FEATURE_MASK;

	if (vu_migration_offered(s)) {
		switch (feature) {
		case VFIO_DEVICE_FEATURE_MIGRATION:
			return vu_feature_migration(s, m, req, out);
		case VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE:
			return vu_feature_mig_state(s, m, req, out);
		case UMDEV_VU_FEATURE_MIG_PRECOPY_INFO:
			return vu_feature_precopy_info(s, m, req, out);
		}
	}
	/* No such feature here (no DMA logging): as the kernel says. */
	vu_why(s, "feature %u not supported", feature);
	return -ENOTTY;
}

/* The request's fixed part, with its size checked against the limit. */
static int vu_mig_data_args(struct vu_server *s, const struct vu_msg *m,
			    struct vu_mig_data *req)
{
	if (!vu_migration_offered(s)) {
		vu_why(s, "device has no migration");
		return -EINVAL;
	}
	if (m->payload_len < sizeof(*req)) {
		vu_why(s, "payload %zu < %zu", m->payload_len, sizeof(*req));
		return -EINVAL;
	}
	memcpy(req, m->payload, sizeof(*req));
	if (req->size > s->agreed.max_data_xfer_size) {
		vu_why(s, "size %u > max_data_xfer_size %u", req->size,
		       s->agreed.max_data_xfer_size);
		return -EINVAL;
	}
	return 0;
}

int vu_mig_data_read(struct vu_server *s, struct vu_msg *m, uint8_t *out)
{
	struct vu_mig_data req, reply;
	size_t done = 0;
	long n;
	int ret;

	ret = vu_mig_data_args(s, m, &req);
	if (ret)
		return ret;
	if (m->payload_len != sizeof(req)) {
		vu_why(s, "payload %zu != %zu", m->payload_len, sizeof(req));
		return -EINVAL;
	}
	if (req.argsz < sizeof(req) + (uint64_t)req.size) {
		vu_why(s, "argsz %u < %zu", req.argsz,
		       sizeof(req) + (size_t)req.size);
		return -EINVAL;
	}
	/*
	 * Fill the reply: fewer bytes than asked means the data ended.  The
	 * driver is asked even for 0 bytes: it says whether it is saving.
	 */
	do {
		n = s->ops->migration_read_data(
			s->mdev, out + sizeof(reply) + done, req.size - done);
		if (n < 0) {
			vu_why(s, "driver: not in a saving state");
			return (int)n;
		}
		if ((size_t)n > req.size - done)
			return -EIO;
		done += (size_t)n;
	} while (n > 0 && done < req.size);
	reply.argsz = (uint32_t)(sizeof(reply) + done);
	reply.size = (uint32_t)done;
	memcpy(out, &reply, sizeof(reply));
	return (int)reply.argsz;
}

int vu_mig_data_write(struct vu_server *s, struct vu_msg *m)
{
	struct vu_mig_data req;
	const uint8_t *data = m->payload + sizeof(req);
	size_t done = 0;
	long n;
	int ret;

	ret = vu_mig_data_args(s, m, &req);
	if (ret)
		return ret;
	if (m->payload_len != sizeof(req) + (size_t)req.size) {
		vu_why(s, "payload %zu != 8 + size %u", m->payload_len,
		       req.size);
		return -EINVAL;
	}
	/* Even 0 bytes go to the driver: it says whether it is resuming. */
	do {
		n = s->ops->migration_write_data(s->mdev, data + done,
						 req.size - done);
		if (n < 0) {
			vu_why(s, "driver refused %u bytes", req.size);
			return (int)n;
		}
		if ((size_t)n > req.size - done || (n == 0 && done < req.size))
			return -EIO;
		done += (size_t)n;
	} while (done < req.size);
	return 0;
}
