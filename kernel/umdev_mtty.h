/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * umdev_mtty private header: the per-device state shared by the module's
 * files, and what each file offers the others.
 *
 *   umdev_mtty_main.c       module init/exit, parent, mdev driver, capacity
 *   umdev_mtty_ops.c        vfio_device_ops: open/close, read/write, ioctl
 *   umdev_mtty_irq.c        SET_IRQS, eventfd triggers, model callbacks
 *   toolkit/, mtty_vfio_irqs.c  rules shared with umdevd (src/toolkit,
 *                           src/model/mtty)
 *   umdev_mtty_migration.c  VFIO migration v2 and its stream files
 *
 * Locking: one mutex per device (state->lock) protects the model, the IRQ
 * triggers and the migration state.  The model calls back into the host
 * ops (umdev_mtty_irq.c) with that lock held.
 */
#ifndef UMDEV_MTTY_H
#define UMDEV_MTTY_H

#include <linux/eventfd.h>
#include <linux/mdev.h>
#include <linux/mutex.h>
#include <linux/version.h>
#include <linux/vfio.h>
#include <linux/workqueue.h>

#include "mtty_model.h"
#include "mtty_vfio_irqs.h"
#include "toolkit/vfio_irq_state.h"

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "umdev_mtty needs Linux 6.1 or newer (mdev_register_parent)"
#endif

struct umdev_mtty_migf;

struct umdev_mtty_port_timer {
	struct delayed_work work;
	struct umdev_mtty_state *state;
	unsigned int port;
	ktime_t deadline; /* 0 = not armed; under state->lock */
};

/* Per-device state: everything the interrupt path needs is right here. */
struct umdev_mtty_state {
	struct vfio_device vdev;
	struct mdev_device *mdev;
	unsigned int nr_ports;
	struct mutex lock;
	struct mtty_model model;
	struct vfio_irq_state irqs; /* triggers: struct eventfd_ctx */
	struct umdev_mtty_port_timer timer[MTTY_MAX_PORTS];
	enum vfio_device_mig_state mig_state;
	struct umdev_mtty_migf *saving;
	struct umdev_mtty_migf *resuming;
};

static inline struct umdev_mtty_state *
umdev_mtty_vdev_to_state(struct vfio_device *vdev)
{
	return container_of(vdev, struct umdev_mtty_state, vdev);
}

/* umdev_mtty_main.c */
int umdev_mtty_init_dev(struct vfio_device *vdev);
void umdev_mtty_release_dev(struct vfio_device *vdev);

/* umdev_mtty_ops.c */
extern const struct vfio_device_ops umdev_mtty_dev_ops;

/* umdev_mtty_irq.c */
extern const struct mtty_model_host_ops umdev_mtty_host_ops;
void umdev_mtty_signal(struct eventfd_ctx *ctx);
void umdev_mtty_timers_init(struct umdev_mtty_state *state);
void umdev_mtty_cancel_timers(struct umdev_mtty_state *state);
int umdev_mtty_irqs_init(struct umdev_mtty_state *state);
void umdev_mtty_irq_close(struct umdev_mtty_state *state);
long umdev_mtty_ioctl_set_irqs(struct umdev_mtty_state *state,
			       unsigned long arg);

/* umdev_mtty_migration.c */
void umdev_mtty_mig_init(struct umdev_mtty_state *state);
void umdev_mtty_mig_reset(struct umdev_mtty_state *state);

#endif /* UMDEV_MTTY_H */
