/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vfio_info - the device and region info answers every vfio-pci driver
 * gives alike.  Freestanding (freestanding.h): libumdev and umdev_mtty.ko
 * compile the same file.
 */
#ifndef UMDEV_TOOLKIT_VFIO_INFO_H
#define UMDEV_TOOLKIT_VFIO_INFO_H

#include "freestanding.h"

#include <linux/vfio.h>

/**
 * vfio_info_pci_device() - VFIO_DEVICE_GET_INFO of a resettable vfio-pci
 * device: flags PCI | RESET, VFIO_PCI_NUM_REGIONS, VFIO_PCI_NUM_IRQS.
 */
void vfio_info_pci_device(struct vfio_device_info *info);

/**
 * vfio_info_region() - VFIO_DEVICE_GET_REGION_INFO for a region of @size
 * bytes at file offset @offset, readable and writable (a size-0 region,
 * absent, reports no flags); no capabilities.  info->index is kept.
 */
void vfio_info_region(struct vfio_region_info *info, uint64_t size,
		      uint64_t offset);

#endif
