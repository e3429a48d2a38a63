/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mtty_vfio_irqs - mtty's interrupts as VFIO sees them, the same in both
 * hosts: what GET_IRQ_INFO reports per index, and what enabling,
 * disabling, masking and unmasking an index means for the model (its INTx
 * or MSI mode, its INTx automask).  Each host hands these to its driver
 * toolkit (vfio_irq_state.h in the kernel, <umdev/toolkit.h> in
 * userspace) with @dev = the struct mtty_model.  Freestanding.
 */
#ifndef UMDEV_MODEL_MTTY_VFIO_IRQS_H
#define UMDEV_MODEL_MTTY_VFIO_IRQS_H

#include "mtty_model.h"

#include <linux/vfio.h>

/* GET_IRQ_INFO per vfio-pci IRQ index (count and flags). */
extern const struct vfio_irq_info mtty_vfio_irq_info[VFIO_PCI_NUM_IRQS];

/** mtty_vfio_irq_index() - the IRQ index of the model's @mode. */
uint32_t mtty_vfio_irq_index(enum mtty_irq_mode mode);

/**
 * mtty_vfio_irq_enable() - INTx or MSI got a trigger: enter its mode.
 * Return: 0 (also for REQ, which is no device interrupt), or -EINVAL for
 * MSI while INTx is enabled or the reverse.
 */
int mtty_vfio_irq_enable(void *model, uint32_t index);
/* INTx or MSI lost its trigger: leave its mode if it is the active one. */
void mtty_vfio_irq_disable(void *model, uint32_t index);
/* ACTION_MASK / UNMASK on INTx (the only index reported MASKABLE). */
void mtty_vfio_irq_mask(void *model, uint32_t index);
void mtty_vfio_irq_unmask(void *model, uint32_t index);

#endif
