/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mtty driver, private: VFIO migration v2 (mtty_migration.c).  The
 * device's migration state, its saving or loading stream, and what the
 * other parts of the driver ask of it: may the guest see a change now
 * (region access, interrupts, timers), and what was held back meanwhile.
 */
#ifndef UMDEV_DRIVERS_MTTY_MIGRATION_H
#define UMDEV_DRIVERS_MTTY_MIGRATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "compat/vfio_precopy.h"
#include "model/mtty/mtty_model.h"

struct mdev_device;
struct mdev_state;

struct mtty_mig {
	uint32_t state; /* a VFIO_DEVICE_STATE_*; RUNNING at probe */
	/*
	 * Saving: buf[pos..len) is still to be read; snap_at is where the
	 * latest full stream (the snapshot PRE_COPY compares against)
	 * starts.  Loading: buf[0..last_len) is the last complete stream
	 * written, buf[cap/2 ..cap/2 + cur_len) the one being written.
	 */
	uint8_t *buf;
	size_t cap, len, pos, snap_at;
	size_t last_len, cur_len;
	const char *bad; /* loading: why the bytes cannot be a stream */
	/* Held back while the device was stopped, replayed on restart. */
	enum mtty_irq_mode irq_held;
	bool timer_held[MTTY_MAX_PORTS];
};

/* The driver ABI's migration callbacks (struct umdev_device_ops). */
int mtty_mig_get_flags(struct mdev_device *mdev, uint64_t *flags);
int mtty_mig_get_state(struct mdev_device *mdev, uint32_t *state);
int mtty_mig_set_state(struct mdev_device *mdev, uint32_t new_state);
long mtty_mig_read_data(struct mdev_device *mdev, void *buf, size_t len);
long mtty_mig_write_data(struct mdev_device *mdev, const void *buf, size_t len);
int mtty_mig_precopy_info(struct mdev_device *mdev, uint64_t *initial_bytes,
			  uint64_t *dirty_bytes);

/*
 * May the client access region @index now?  In STOP, STOP_COPY, RESUMING
 * and ERROR the device must not change: only config space reads (they
 * have no side effect) are served.  0 or -EBUSY.
 */
int mtty_mig_check_access(const struct mdev_state *state, uint32_t index,
			  bool write);
/*
 * The model wants to raise an interrupt (@mode) or port @port's timer
 * fired: true when the device is stopped and it was held back instead.
 */
bool mtty_mig_hold_irq(struct mdev_state *state, enum mtty_irq_mode mode);
bool mtty_mig_hold_timer(struct mdev_state *state, unsigned int port);
/* VFIO_DEVICE_RESET: any migration ends, back to RUNNING. */
void mtty_mig_reset(struct mdev_state *state);
/* The device goes away: free the stream. */
void mtty_mig_free(struct mdev_state *state);

#endif
