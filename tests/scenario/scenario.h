/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scenario - a tiny line-based test language for mtty devices, run against
 * any backend that can do the VFIO device operations (see README.md).
 * The engine is shared; a backend is a small ops table: the Linux VFIO
 * ioctls (backend_vfio.c) or a vfio-user socket (backend_vfio_user.c).
 */
#ifndef UMDEV_SCENARIO_H
#define UMDEV_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/vfio.h>

/*
 * Every op returns 0 (or a byte count) on success, -errno on failure.
 * The info ops take the struct as the VFIO ioctl does: the caller sets
 * argsz (and index) and clears the rest.
 */
struct scn_backend_ops {
	const char *name;
	int (*get_info)(void *ctx, struct vfio_device_info *info);
	/* info->index selects the region. */
	int (*get_region_info)(void *ctx, struct vfio_region_info *info);
	/* info->index selects the IRQ index. */
	int (*get_irq_info)(void *ctx, struct vfio_irq_info *info);
	/* As VFIO_DEVICE_SET_IRQS; @fds for DATA_EVENTFD, @data for BOOL. */
	int (*set_irqs)(void *ctx, uint32_t flags, uint32_t index,
			uint32_t start, uint32_t count, const int *fds,
			size_t nr_fds, const void *data, size_t data_len);
	/* One access of @count bytes at @offset of region @index. */
	int (*read)(void *ctx, uint32_t index, uint64_t offset, void *buf,
		    uint32_t count);
	int (*write)(void *ctx, uint32_t index, uint64_t offset,
		     const void *buf, uint32_t count);
	int (*reset)(void *ctx);
	/*
	 * Optional (NULL: not supported): VFIO migration v2, set the device
	 * state; *@data_fd gets the data fd the state transfers through
	 * (-1 if none).
	 */
	int (*mig_set_state)(void *ctx, uint32_t state, int *data_fd);
	/*
	 * Optional: VFIO_DEVICE_FEATURE_MIGRATION's flags; an error (the
	 * device has no migration) makes "requires migration" skip a file.
	 */
	int (*mig_flags)(void *ctx, uint64_t *flags);
	/* Optional: VFIO_MIG_GET_PRECOPY_INFO on a PRE_COPY data fd. */
	int (*mig_precopy_info)(void *ctx, int data_fd, uint64_t *initial,
				uint64_t *dirty);
	void (*close)(void *ctx);
};

struct scn_backend {
	const struct scn_backend_ops *ops;
	void *ctx;
};

struct scn_options {
	/* Differential mode: skip "umdev-only" steps and report actual
	 * values only; expectations are still checked and reported. */
	bool diff;
	FILE *out;
};

/**
 * scn_run_file() - run the scenario in @path against @be.
 * Prints one line per step and a TAP line "ok N - NAME" (N = @number).
 * Return: 0 when every expectation held, 1 when one failed, -errno when the
 * file could not be read or parsed.
 */
int scn_run_file(const char *path, struct scn_backend *be, unsigned int number,
		 const struct scn_options *opt);

/** scn_backend_vfio_open() - Linux VFIO (container/group API) by UUID. */
int scn_backend_vfio_open(const char *uuid, struct scn_backend *be);

#ifdef SCN_HAVE_VFIO_USER
/** scn_backend_vfio_user_open() - connect to a vfio-user device socket. */
int scn_backend_vfio_user_open(const char *socket_path, struct scn_backend *be);
#endif

#endif
