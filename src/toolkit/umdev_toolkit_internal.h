/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What is behind <umdev/toolkit.h>'s opaque handles, for libumdev's own
 * checks (the fuzz targets); never installed, never exported.
 */
#ifndef UMDEV_TOOLKIT_INTERNAL_H
#define UMDEV_TOOLKIT_INTERNAL_H

#include <umdev/toolkit.h>

#include "vfio_irq_state.h"

/** umdev_irqs_state() - the freestanding state behind @irqs (read only). */
const struct vfio_irq_state *umdev_irqs_state(const struct umdev_irqs *irqs);

#endif
