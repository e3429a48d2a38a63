/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vfio_irq_state - the interrupt side of a VFIO device, as every vendor
 * driver needs it: one trigger per IRQ index (INTx, MSI, REQ, ...), what
 * GET_IRQ_INFO reports for each index, and the rules of SET_IRQS (actions
 * TRIGGER / MASK / UNMASK with DATA_NONE / BOOL / EVENTFD, enabling,
 * disabling, replacing a trigger, test interrupts).
 *
 * Freestanding (freestanding.h): the same file is compiled into libumdev
 * (where a trigger is an eventfd the client sent, eventfd_trigger.c)
 * and into umdev_mtty.ko (where it is a struct eventfd_ctx).  The host says
 * how to take, release and signal a trigger (struct vfio_irq_host_ops); the
 * device says what enabling, disabling, masking and unmasking an index
 * means for it (struct vfio_irq_device_ops) — for mtty, the model's INTx /
 * MSI mode with its automask.
 *
 * Every index has at most one vector (count 0 or 1), as vfio-pci's INTx,
 * MSI with NORESIZE and REQ have.  Not thread-safe: the host serialises
 * calls (the daemon's one loop; the kernel module's per-device mutex).
 */
#ifndef UMDEV_TOOLKIT_VFIO_IRQ_STATE_H
#define UMDEV_TOOLKIT_VFIO_IRQ_STATE_H

#include "freestanding.h"

#include <linux/vfio.h>

/* Most IRQ indices a device may have (vfio-pci has VFIO_PCI_NUM_IRQS). */
#define VFIO_IRQ_STATE_MAX_INDICES 8

/* What the host provides: the trigger (an eventfd in both hosts). */
struct vfio_irq_host_ops {
	/*
	 * Take @fd as a trigger: *@trigger is the host's handle of it, never
	 * NULL.  Taking the trigger that is already installed must give the
	 * same handle.  Return 0, or -errno (-EINVAL if @fd is not an
	 * eventfd, -EBADF if it is not open).
	 */
	int (*take)(void *host, int32_t fd, void **trigger);
	/* Give back a trigger take() returned that is not kept: the
	 * caller of SET_IRQS still owns its fd. */
	void (*give_back)(void *host, void *trigger);
	/* Drop a trigger that was installed (its fd is the host's now). */
	void (*release)(void *host, void *trigger);
	/* Signal the trigger once.  Must never block. */
	void (*signal)(void *host, void *trigger);
};

/*
 * What the device provides; every member is optional.  @index is a VFIO
 * IRQ index the device reports with count 1.
 */
struct vfio_irq_device_ops {
	/*
	 * @index got a trigger (or a new one): start delivering through it.
	 * Return 0, or -EINVAL to refuse (e.g. MSI while INTx is enabled);
	 * the previous trigger is then kept.
	 */
	int (*enable)(void *dev, uint32_t index);
	/* @index lost its trigger (removed, or the client left). */
	void (*disable)(void *dev, uint32_t index);
	/* ACTION_MASK / ACTION_UNMASK, for an index reported MASKABLE. */
	void (*mask)(void *dev, uint32_t index);
	void (*unmask)(void *dev, uint32_t index);
};

struct vfio_irq_state {
	unsigned int nr_indices;
	/* GET_IRQ_INFO's answer per index: count 0 (absent) or 1, flags. */
	struct vfio_irq_info info[VFIO_IRQ_STATE_MAX_INDICES];
	void *trigger[VFIO_IRQ_STATE_MAX_INDICES]; /* NULL: none installed */
	const struct vfio_irq_host_ops *host_ops;
	void *host;
	const struct vfio_irq_device_ops *dev_ops;
	void *dev;
};

/**
 * vfio_irq_state_init() - no trigger installed.
 * @info: @nr_indices entries (copied); entry i is GET_IRQ_INFO's answer
 *        (flags, count) for IRQ index i, whose own index field is ignored
 * @host_ops: take/give_back/release/signal, all required
 * @dev_ops: may be NULL (then nothing but the triggers changes)
 * Return: 0, or -EINVAL for more than VFIO_IRQ_STATE_MAX_INDICES, a count
 * above 1, or missing host ops.
 */
int vfio_irq_state_init(struct vfio_irq_state *irqs,
			const struct vfio_irq_info *info,
			unsigned int nr_indices,
			const struct vfio_irq_host_ops *host_ops, void *host,
			const struct vfio_irq_device_ops *dev_ops, void *dev);

/**
 * vfio_irq_state_get_info() - VFIO_DEVICE_GET_IRQ_INFO for @info->index:
 * sets count and flags.
 * Return: 0, or -EINVAL for an index the device does not have.
 */
int vfio_irq_state_get_info(const struct vfio_irq_state *irqs,
			    struct vfio_irq_info *info);

/**
 * vfio_irq_state_set() - VFIO_DEVICE_SET_IRQS, after the header was
 * checked as vfio_set_irqs_validate_and_prepare() does (so start + count
 * fit the index's count).  @data: NULL for DATA_NONE, uint8_t[count] for
 * DATA_BOOL, int32_t[count] for DATA_EVENTFD.
 *
 * ACTION_TRIGGER: DATA_EVENTFD installs the trigger (fd >= 0; the same
 * trigger again is kept) or removes it (fd -1); DATA_NONE, or DATA_BOOL
 * true, signals the installed trigger once (a test interrupt); count 0
 * with DATA_NONE removes it.  ACTION_MASK / UNMASK with DATA_NONE or
 * DATA_BOOL (false: nothing) on an index reported MASKABLE.
 *
 * On success a taken fd belongs to the host; on failure nothing changed.
 * Return: 0; -EINVAL for an index with no vectors, a start or count other
 * than the index allows (count 0 only with TRIGGER + DATA_NONE), an
 * unsupported action or data type, a negative fd other than -1, a trigger
 * that is not an eventfd, or the device's refusal; or the error of the
 * host's take().
 */
int vfio_irq_state_set(struct vfio_irq_state *irqs,
		       const struct vfio_irq_set *set, const void *data);

/**
 * vfio_irq_state_signal() - signal @index's trigger once, if it has one
 * (no trigger: the interrupt goes nowhere, as on an unwired line).
 */
void vfio_irq_state_signal(struct vfio_irq_state *irqs, uint32_t index);

/** vfio_irq_state_has_trigger() - true if @index has a trigger. */
bool vfio_irq_state_has_trigger(const struct vfio_irq_state *irqs,
				uint32_t index);

/**
 * vfio_irq_state_release_all() - the client is gone: disable every index
 * and release every trigger.  The device's own state stays.
 */
void vfio_irq_state_release_all(struct vfio_irq_state *irqs);

#endif
