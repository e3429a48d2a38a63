// SPDX-License-Identifier: GPL-2.0-only
/*
 * backend_vfio - scenario backend on the Linux VFIO ioctls, legacy
 * container/group API (an mdev needs no hardware IOMMU: TYPE1v2 works).
 * Built static for the test guest, so it uses nothing but libc.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "scenario.h"

struct scn_vfio {
	int container;
	int group;
	int device;
	/* Region offsets, looked up once (index -> file offset). */
	uint64_t offset[VFIO_PCI_NUM_REGIONS];
	bool have_offset[VFIO_PCI_NUM_REGIONS];
};

static int scn_vfio_get_info(void *ctx, struct vfio_device_info *info)
{
	struct scn_vfio *v = ctx;

	return ioctl(v->device, VFIO_DEVICE_GET_INFO, info) ? -errno : 0;
}

static int scn_vfio_get_region_info(void *ctx, struct vfio_region_info *info)
{
	struct scn_vfio *v = ctx;

	return ioctl(v->device, VFIO_DEVICE_GET_REGION_INFO, info) ? -errno : 0;
}

static int scn_vfio_get_irq_info(void *ctx, struct vfio_irq_info *info)
{
	struct scn_vfio *v = ctx;

	return ioctl(v->device, VFIO_DEVICE_GET_IRQ_INFO, info) ? -errno : 0;
}

static int scn_vfio_set_irqs(void *ctx, uint32_t flags, uint32_t index,
			     uint32_t start, uint32_t count, const int *fds,
			     size_t nr_fds, const void *data, size_t data_len)
{
	struct scn_vfio *v = ctx;
	size_t payload = nr_fds * sizeof(int) + data_len;
	struct vfio_irq_set *set;
	int ret;

	set = calloc(1, sizeof(*set) + payload);
	if (!set)
		return -ENOMEM;
	set->argsz = sizeof(*set) + payload;
	set->flags = flags;
	set->index = index;
	set->start = start;
	set->count = count;
	if (nr_fds)
		memcpy(set->data, fds, nr_fds * sizeof(int));
	if (data_len)
		memcpy(set->data + nr_fds * sizeof(int), data, data_len);
	ret = ioctl(v->device, VFIO_DEVICE_SET_IRQS, set) ? -errno : 0;
	free(set);
	return ret;
}

static int scn_vfio_offset(struct scn_vfio *v, uint32_t index, uint64_t *off)
{
	struct vfio_region_info info = { .argsz = sizeof(info),
					 .index = index };
	int ret;

	if (index >= VFIO_PCI_NUM_REGIONS)
		return -EINVAL;
	if (!v->have_offset[index]) {
		ret = scn_vfio_get_region_info(v, &info);
		if (ret)
			return ret;
		v->offset[index] = info.offset;
		v->have_offset[index] = true;
	}
	*off = v->offset[index];
	return 0;
}

/* One access through the device fd: read into @rbuf or write @wbuf. */
static int scn_vfio_access(struct scn_vfio *v, uint32_t index, uint64_t offset,
			   void *rbuf, const void *wbuf, uint32_t count)
{
	uint64_t base;
	ssize_t n;
	int ret;

	ret = scn_vfio_offset(v, index, &base);
	if (ret)
		return ret;
	n = rbuf ? pread(v->device, rbuf, count, (off_t)(base + offset)) :
		   pwrite(v->device, wbuf, count, (off_t)(base + offset));
	if (n < 0)
		return -errno;
	return n == (ssize_t)count ? (int)n : -EIO;
}

static int scn_vfio_read(void *ctx, uint32_t index, uint64_t offset, void *buf,
			 uint32_t count)
{
	return scn_vfio_access(ctx, index, offset, buf, NULL, count);
}

static int scn_vfio_write(void *ctx, uint32_t index, uint64_t offset,
			  const void *buf, uint32_t count)
{
	return scn_vfio_access(ctx, index, offset, NULL, buf, count);
}

static int scn_vfio_reset(void *ctx)
{
	struct scn_vfio *v = ctx;

	return ioctl(v->device, VFIO_DEVICE_RESET) ? -errno : 0;
}

static int scn_vfio_mig_set_state(void *ctx, uint32_t state, int *data_fd)
{
	struct scn_vfio *v = ctx;
	uint8_t buf[sizeof(struct vfio_device_feature) +
		    sizeof(struct vfio_device_feature_mig_state)]
		__attribute__((aligned(8))) = { 0 };
	struct vfio_device_feature *f = (void *)buf;
	struct vfio_device_feature_mig_state *ms = (void *)f->data;

	f->argsz = sizeof(buf);
	f->flags = VFIO_DEVICE_FEATURE_SET |
		   VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE;
	ms->device_state = state;
	ms->data_fd = -1;
	if (ioctl(v->device, VFIO_DEVICE_FEATURE, f))
		return -errno;
	*data_fd = ms->data_fd;
	return 0;
}

static int scn_vfio_mig_flags(void *ctx, uint64_t *flags)
{
	struct scn_vfio *v = ctx;
	uint8_t buf[sizeof(struct vfio_device_feature) +
		    sizeof(struct vfio_device_feature_migration)]
		__attribute__((aligned(8))) = { 0 };
	struct vfio_device_feature *f = (void *)buf;
	struct vfio_device_feature_migration *m = (void *)f->data;

	f->argsz = sizeof(buf);
	f->flags = VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_MIGRATION;
	if (ioctl(v->device, VFIO_DEVICE_FEATURE, f))
		return -errno;
	*flags = m->flags;
	return 0;
}

/* PRE_COPY came with Linux 6.2's <linux/vfio.h>. */
#ifdef VFIO_MIG_GET_PRECOPY_INFO
static int scn_vfio_mig_precopy_info(void *ctx, int data_fd, uint64_t *initial,
				     uint64_t *dirty)
{
	struct vfio_precopy_info info = { .argsz = sizeof(info) };

	(void)ctx;
	if (ioctl(data_fd, VFIO_MIG_GET_PRECOPY_INFO, &info))
		return -errno;
	*initial = info.initial_bytes;
	*dirty = info.dirty_bytes;
	return 0;
}
#endif

static void scn_vfio_close(void *ctx)
{
	struct scn_vfio *v = ctx;

	/* Device first: the kernel's remove waits for it to be closed. */
	if (v->device >= 0)
		close(v->device);
	if (v->group >= 0)
		close(v->group);
	if (v->container >= 0)
		close(v->container);
	free(v);
}

static const struct scn_backend_ops scn_vfio_ops = {
	.name = "vfio",
	.get_info = scn_vfio_get_info,
	.get_region_info = scn_vfio_get_region_info,
	.get_irq_info = scn_vfio_get_irq_info,
	.set_irqs = scn_vfio_set_irqs,
	.read = scn_vfio_read,
	.write = scn_vfio_write,
	.reset = scn_vfio_reset,
	.mig_set_state = scn_vfio_mig_set_state,
	.mig_flags = scn_vfio_mig_flags,
#ifdef VFIO_MIG_GET_PRECOPY_INFO
	.mig_precopy_info = scn_vfio_mig_precopy_info,
#endif
	.close = scn_vfio_close,
};

/* /sys/bus/mdev/devices/UUID/iommu_group -> ../../kernel/iommu_groups/N */
static int scn_vfio_group_path(const char *uuid, char *path, size_t len)
{
	char link[PATH_MAX], target[PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof(link), "/sys/bus/mdev/devices/%s/iommu_group",
		 uuid);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	snprintf(path, len, "/dev/vfio/%s", basename(target));
	return 0;
}

int scn_backend_vfio_open(const char *uuid, struct scn_backend *be)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	char path[PATH_MAX];
	struct scn_vfio *v;
	int ret, iommu;

	v = calloc(1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	v->container = v->group = v->device = -1;
	ret = scn_vfio_group_path(uuid, path, sizeof(path));
	if (ret)
		goto fail;
	v->container = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (v->container < 0)
		goto fail_errno;
	if (ioctl(v->container, VFIO_GET_API_VERSION) != VFIO_API_VERSION) {
		ret = -EPROTO;
		goto fail;
	}
	v->group = open(path, O_RDWR | O_CLOEXEC);
	if (v->group < 0)
		goto fail_errno;
	if (ioctl(v->group, VFIO_GROUP_GET_STATUS, &status))
		goto fail_errno;
	if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		ret = -EBUSY;
		goto fail;
	}
	if (ioctl(v->group, VFIO_GROUP_SET_CONTAINER, &v->container))
		goto fail_errno;
	iommu = ioctl(v->container, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) >
				0 ?
			VFIO_TYPE1v2_IOMMU :
			VFIO_TYPE1_IOMMU;
	if (ioctl(v->container, VFIO_SET_IOMMU, iommu))
		goto fail_errno;
	v->device = ioctl(v->group, VFIO_GROUP_GET_DEVICE_FD, uuid);
	if (v->device < 0)
		goto fail_errno;
	be->ops = &scn_vfio_ops;
	be->ctx = v;
	return 0;

fail_errno:
	ret = -errno;
fail:
	scn_vfio_close(v);
	return ret;
}
