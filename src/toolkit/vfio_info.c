// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio_info - device and region info (see vfio_info.h).
 */
#include "vfio_info.h"

void vfio_info_pci_device(struct vfio_device_info *info)
{
	info->flags = VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET;
	info->num_regions = VFIO_PCI_NUM_REGIONS;
	info->num_irqs = VFIO_PCI_NUM_IRQS;
}

void vfio_info_region(struct vfio_region_info *info, uint64_t size,
		      uint64_t offset)
{
	info->size = size;
	info->offset = offset;
	info->flags = size ? VFIO_REGION_INFO_FLAG_READ |
				      VFIO_REGION_INFO_FLAG_WRITE :
			     0;
	info->cap_offset = 0;
}
