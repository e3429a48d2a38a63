// SPDX-License-Identifier: GPL-2.0-only
/*
 * backend_vfio_user - scenario backend on a vfio-user device socket, through
 * umdev's client library (include/umdev/client.h).
 */
#include <errno.h>

#include <umdev/client.h>

#include "scenario.h"

static int scn_vu_get_info(void *ctx, struct vfio_device_info *info)
{
	return umdev_client_get_info(ctx, info);
}

static int scn_vu_get_region_info(void *ctx, struct vfio_region_info *info)
{
	return umdev_client_get_region_info(ctx, info->index, info);
}

static int scn_vu_get_irq_info(void *ctx, struct vfio_irq_info *info)
{
	return umdev_client_get_irq_info(ctx, info->index, info);
}

static int scn_vu_set_irqs(void *ctx, uint32_t flags, uint32_t index,
			   uint32_t start, uint32_t count, const int *fds,
			   size_t nr_fds, const void *data, size_t data_len)
{
	return umdev_client_set_irqs(ctx, flags, index, start, count, fds,
				     nr_fds, data, data_len);
}

static int scn_vu_read(void *ctx, uint32_t index, uint64_t offset, void *buf,
		       uint32_t count)
{
	return umdev_client_read(ctx, index, offset, buf, count);
}

static int scn_vu_write(void *ctx, uint32_t index, uint64_t offset,
			const void *buf, uint32_t count)
{
	return umdev_client_write(ctx, index, offset, buf, count);
}

static int scn_vu_reset(void *ctx)
{
	return umdev_client_reset(ctx);
}

static void scn_vu_close(void *ctx)
{
	umdev_client_close(ctx);
}

static const struct scn_backend_ops scn_vu_ops = {
	.name = "vfio-user",
	.get_info = scn_vu_get_info,
	.get_region_info = scn_vu_get_region_info,
	.get_irq_info = scn_vu_get_irq_info,
	.set_irqs = scn_vu_set_irqs,
	.read = scn_vu_read,
	.write = scn_vu_write,
	.reset = scn_vu_reset,
	.close = scn_vu_close,
};

int scn_backend_vfio_user_open(const char *socket_path, struct scn_backend *be)
{
	struct umdev_client *c;
	int err = -EIO;

	c = umdev_client_connect(socket_path, &err);
	if (!c)
		return err;
	be->ops = &scn_vu_ops;
	be->ctx = c;
	return 0;
}
