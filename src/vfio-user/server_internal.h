/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vfio-user server, private: the server context and what its modules
 * (server.c: connection; dispatch.c: commands; region.c, irq.c, dma.c: one
 * protocol concern each) call of each other.  Nothing here is exported.
 *
 * Every command handler takes the request @m, writes its reply payload to
 * @out (the reply header is the dispatcher's) and returns the payload
 * length or -errno; on error it may leave a detail for the log with
 * vu_why().
 */
#ifndef UMDEV_VFIO_USER_SERVER_INTERNAL_H
#define UMDEV_VFIO_USER_SERVER_INTERNAL_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <umdev/mdev_host.h>

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
	void (*log)(void *arg, enum vu_log_level level, const char *uuid,
		    const char *command, const char *msg);
	void *cb_arg;
	int listen_fd;

	/* The connected client (fd < 0: none) and its pid (SO_PEERCRED). */
	int fd;
	pid_t client_pid;
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

/*
 * server.c: logging, for every module, through the host's log callback:
 * one line at @level about @command ("client" for the connection).
 */
const char *vu_errname(int err);
void __attribute__((format(printf, 4, 5)))
vu_log(const struct vu_server *s, enum vu_log_level level, const char *command,
       const char *fmt, ...);
void __attribute__((format(printf, 2, 3)))
vu_why(struct vu_server *s, const char *fmt, ...);

/* dispatch.c: run @m and queue its reply at @out (unless it is posted). */
void vu_dispatch(struct vu_server *s, struct vu_msg *m, uint8_t *out);

/* dispatch.c: the argument check the command handlers share. */
int vu_take_args(struct vu_server *s, const struct vu_msg *m, void *req,
		 uint32_t len);

/*
 * Is @index below @limit?  0 or -EINVAL.  Inline: every region access
 * passes it.
 */
static inline int vu_check_index(struct vu_server *s, const char *what,
				 uint32_t index, uint32_t limit)
{
	if (index < limit)
		return 0;
	vu_why(s, "%s %u >= %u", what, index, limit);
	return -EINVAL;
}

/*
 * region.c: region access and region queries.  vu_region_info() fills @info
 * (a struct vfio_region_info) for GET_REGION_INFO's reply.
 */
int vu_region_read(struct vu_server *s, struct vu_msg *m, uint8_t *out);
int vu_region_write(struct vu_server *s, struct vu_msg *m, uint8_t *out);
int vu_region_write_multi(struct vu_server *s, struct vu_msg *m, uint8_t *out);
int vu_region_info(struct vu_server *s, void *info);
int vu_get_region_io_fds(struct vu_server *s, struct vu_msg *m, uint8_t *out);

/*
 * irq.c: interrupt queries and SET_IRQS.  vu_irq_info() fills @info (a
 * struct vfio_irq_info) for GET_IRQ_INFO's reply.
 */
int vu_irq_info(struct vu_server *s, void *info);
int vu_set_irqs(struct vu_server *s, struct vu_msg *m);

/*
 * migration.c: VFIO migration v2.  vu_migration_offered(): the driver has
 * the migration callbacks.  vu_migration_feature() answers DEVICE_FEATURE
 * @req (flags checked) for every feature index (ENOTTY for those it does
 * not know, and for all when the device has no migration).
 */
bool vu_migration_offered(const struct vu_server *s);
int vu_migration_feature(struct vu_server *s, struct vu_msg *m,
			 const struct vfio_device_feature *req, uint8_t *out);
int vu_mig_data_read(struct vu_server *s, struct vu_msg *m, uint8_t *out);
int vu_mig_data_write(struct vu_server *s, struct vu_msg *m);

/* dma.c: the client's DMA map table. */
int vu_dma_map(struct vu_server *s, struct vu_msg *m);
int vu_dma_unmap(struct vu_server *s, struct vu_msg *m, uint8_t *out);
void vu_dma_drop_all(struct vu_server *s);
void vu_dma_free(struct vu_server *s);

#endif
