/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Private to the mtty driver: per-parent and per-device state.
 */
#ifndef UMDEV_DRIVERS_MTTY_STATE_H
#define UMDEV_DRIVERS_MTTY_STATE_H

#include <stdbool.h>
#include <umdev/mdev.h>
#include <umdev/toolkit.h>

#include "model/mtty/mtty_model.h"
#include "mtty_migration.h"

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
	/* IRQ triggers the client installed (the toolkit's, in libumdev). */
	struct umdev_irqs *irqs;
	struct mtty_port_timer timers[MTTY_MAX_PORTS];
	struct mtty_mig mig; /* VFIO migration (mtty_migration.c) */
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
/* The device's interrupt state, no trigger set; NULL with errno. */
struct umdev_irqs *mtty_irqs_new(struct mdev_state *state);

#endif
