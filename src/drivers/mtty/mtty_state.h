/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Private to the mtty driver: per-parent and per-device state.
 */
#ifndef UMDEV_DRIVERS_MTTY_STATE_H
#define UMDEV_DRIVERS_MTTY_STATE_H

#include <stdbool.h>
#include <umdev/mdev.h>

#include "model/mtty/mtty_model.h"

/* Per parent: the ports its devices share. */
struct mtty_parent {
	unsigned int free_ports;
};

/* Per type (mdev_type_get_data()). */
struct mtty_type_info {
	unsigned int nr_ports;
};

struct mdev_state;

/* One per port: the model's character-timeout timer. */
struct mtty_port_timer {
	struct mdev_state *state;
	unsigned int port;
	struct mdev_timer *timer; /* NULL until first armed */
};

struct mdev_state {
	struct mdev_device *mdev;
	struct mtty_parent *parent;
	/* Also holds the port count, the IRQ mode and the INTx mask. */
	struct mtty_model model;
	/* IRQ triggers the client installed; -1 when none. */
	int intx_fd;
	int msi_fd;
	int req_fd;
	struct mtty_port_timer timers[MTTY_MAX_PORTS];
};

/*
 * mtty_driver.c: arm (@delay_ns > 0) or cancel (0) port timer @t, making
 * its mdev timer on first use.  0 or -errno (no timer could be made: the
 * model's character timeout is then late until a later arm succeeds).
 */
int mtty_port_timer_arm(struct mtty_port_timer *t, uint64_t delay_ns);

extern const struct umdev_device_ops mtty_device_ops;
extern const struct mtty_model_host_ops mtty_model_host;

/* mtty_irq.c */
int mtty_set_irqs(struct mdev_device *mdev, const struct vfio_irq_set *set,
		  const void *data);
int mtty_get_irq_info(struct mdev_device *mdev, struct vfio_irq_info *info);
/* Close every trigger and leave INTx/MSI mode (the client is gone). */
void mtty_irq_drop_all(struct mdev_state *state);
/* Write 1 to eventfd @fd if it is installed (>= 0). */
void mtty_signal_eventfd(int fd);

#endif
