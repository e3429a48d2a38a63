/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mtty_model - the whole mtty device: PCI config space, one 16550A per port,
 * the device's interrupt logic (INTx with automask, MSI) and the migration
 * stream.  Freestanding (see model_base.h): the host gives it callbacks to
 * raise the interrupt and to run one timer per port; the model never knows
 * about eventfds, sockets or kernels.
 *
 * Region access uses VFIO's PCI region indices: config (7), BAR0 (0), BAR1 (1).
 */
#ifndef UMDEV_MODEL_MTTY_MODEL_H
#define UMDEV_MODEL_MTTY_MODEL_H

#include "model_base.h"
#include "pci_config.h"
#include "uart16550.h"

#define MTTY_MAX_PORTS 2

/* VFIO PCI region indices (the same numbers as <linux/vfio.h>'s). */
#define MTTY_REGION_BAR0 0
#define MTTY_REGION_BAR1 1
#define MTTY_REGION_CONFIG 7

/* Migration stream header (the kernel sample's magic and version 1.0). */
#define MTTY_MIGRATION_MAGIC 0x7e9d09898c3e2c4eULL
#define MTTY_MIGRATION_MAJOR 1
#define MTTY_MIGRATION_MINOR 0
/* Bytes of the stream header: magic, major, minor, nr_ports, flags, length. */
#define MTTY_MIGRATION_HEADER_SIZE 24

enum mtty_irq_mode {
	MTTY_IRQ_NONE = 0,
	MTTY_IRQ_INTX,
	MTTY_IRQ_MSI,
};

/* What the host provides.  @opaque is the host's per-device state. */
struct mtty_model_host_ops {
	/* Deliver one interrupt in the current mode (INTx or MSI). */
	void (*raise_irq)(void *opaque, enum mtty_irq_mode mode);
	/* Arm port @port's timer to fire once after @delay_ns (re-arming
	 * replaces the previous deadline); delay_ns == 0 cancels it.  Called
	 * when a wait starts or must end sooner, not per byte: the model keeps
	 * the deadline itself and re-checks it on expiry. */
	void (*set_timer)(void *opaque, unsigned int port, uint64_t delay_ns);
	/* The host's monotonic clock in nanoseconds (the clock set_timer
	 * counts in). */
	uint64_t (*now_ns)(void *opaque);
};

struct mtty_model {
	unsigned int nr_ports; /* 1 or 2 */
	struct pci_config config;
	struct uart16550 uart[MTTY_MAX_PORTS];
	enum mtty_irq_mode irq_mode;
	bool intx_masked;
	uint8_t last_iir[MTTY_MAX_PORTS]; /* cause seen at the last update */
	const struct mtty_model_host_ops *ops;
	void *opaque;
};

/**
 * mtty_model_init() - power-on state for a device with @nr_ports (1 or 2).
 * Return: 0, or -EINVAL for a bad port count or missing ops.
 */
int mtty_model_init(struct mtty_model *m, unsigned int nr_ports,
		    const struct mtty_model_host_ops *ops, void *opaque);

/** mtty_model_region_size() - bytes in region @index (0 if absent). */
uint64_t mtty_model_region_size(const struct mtty_model *m, unsigned int index);

/**
 * mtty_model_read() - read @count bytes at @offset of region @index.
 * BAR accesses touch one UART register per byte.
 * Return: @count, or -EINVAL for an absent region, count 0, or a range that
 * runs past the region's end.
 */
int mtty_model_read(struct mtty_model *m, unsigned int index, uint64_t offset,
		    void *buf, unsigned int count);

/** mtty_model_write() - as mtty_model_read(), for writes. */
int mtty_model_write(struct mtty_model *m, unsigned int index, uint64_t offset,
		     const void *buf, unsigned int count);

/**
 * mtty_model_reset() - VFIO_DEVICE_RESET: every UART register, FIFO and the
 * INTx mask back to power-on state; timers cancelled.  Config space and the
 * IRQ mode are kept (they belong to the VMM's setup, as on real hardware
 * after a function-level reset the VMM restores them).
 */
void mtty_model_reset(struct mtty_model *m);

/**
 * mtty_model_set_irq_mode() - which interrupt the host has a trigger for.
 * Entering or leaving INTx clears the INTx mask (as the kernel's INTx
 * disable does); causes already pending are not replayed.
 * Return: 0, or -EINVAL when switching between INTx and MSI without first
 * disabling (MTTY_IRQ_NONE), as the kernel's SET_IRQS requires, or for an
 * unknown mode.
 */
int mtty_model_set_irq_mode(struct mtty_model *m, enum mtty_irq_mode mode);

/** mtty_model_intx_mask() - VFIO_IRQ_SET_ACTION_MASK on INTx. */
void mtty_model_intx_mask(struct mtty_model *m);

/**
 * mtty_model_intx_unmask() - VFIO_IRQ_SET_ACTION_UNMASK on INTx: re-evaluates
 * the line and fires (masking again) if a cause is still pending.
 */
void mtty_model_intx_unmask(struct mtty_model *m);

/**
 * mtty_model_timer_expired() - the host's timer for @port fired.  If FIFO
 * activity moved the deadline since the timer was armed, the model arms it
 * again for the rest of the wait.  An expiry for a timer the model no
 * longer has armed (cancelled or replaced) is
 * ignored, as is an out-of-range @port.
 */
void mtty_model_timer_expired(struct mtty_model *m, unsigned int port);

/**
 * mtty_model_migration_size() - exact size of the stream mtty_model_save()
 * writes for this device.
 */
size_t mtty_model_migration_size(const struct mtty_model *m);

/**
 * mtty_model_stream_length() - the total length (header included) a stream
 * whose first MTTY_MIGRATION_HEADER_SIZE bytes are @hdr says it has: the
 * header plus its payload length field.  Nothing else is checked (that is
 * mtty_model_restore()'s): for a reader that must find where one stream
 * ends in a sequence of them.
 */
uint64_t mtty_model_stream_length(const void *hdr);

/**
 * mtty_model_save() - write the device state to @buf: header (magic,
 * version, nr_ports, flags, length) then every field, little-endian.
 * Return: bytes written, or -ENOSPC if @len is too small.
 */
long mtty_model_save(const struct mtty_model *m, void *buf, size_t len);

/**
 * mtty_model_restore() - load a stream written by mtty_model_save().
 * The stream is fully validated before anything changes; on refusal the
 * device is untouched and *@why (if @why is not NULL) points to a short
 * static reason for logs ("wrong magic", "truncated stream", ...).
 * Return: 0; -EINVAL for wrong magic, a truncated or oversized stream, a
 * field out of range, non-zero header flags, a payload length other than
 * this format's or a port count different from this device's;
 * -EPROTONOSUPPORT for an unknown major version.  Any minor version of
 * major 1 is accepted.  The IRQ mode is not part of the stream (the VMM
 * replays SET_IRQS); after a successful restore every port's timer is set
 * (or cancelled) through set_timer as its state requires.  No interrupt is
 * raised by a restore.
 */
int mtty_model_restore(struct mtty_model *m, const void *buf, size_t len,
		       const char **why);

#endif
