// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-user server: regions.  REGION_READ, REGION_WRITE and
 * REGION_WRITE_MULTI are the hot path: they are checked against the region
 * facts cached at connect (no driver query, no allocation, no lookup) and
 * a read's data goes straight into its reply.  GET_REGION_INFO (framed by
 * dispatch.c) and GET_REGION_IO_FDS answer for the driver's regions.
 */
#include <errno.h>
#include <string.h>

#include "vfio-user/server_internal.h"

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

int vu_region_read(struct vu_server *s, struct vu_msg *m, uint8_t *out)
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

int vu_region_write(struct vu_server *s, struct vu_msg *m, uint8_t *out)
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

int vu_region_write_multi(struct vu_server *s, struct vu_msg *m, uint8_t *out)
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

/* The driver's region info, minus what cannot travel in this reply. */
int vu_region_info(struct vu_server *s, void *buf)
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

/* No region has I/O fds: the answer is an empty sub-region array. */
int vu_get_region_io_fds(struct vu_server *s, struct vu_msg *m, uint8_t *out)
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
