// SPDX-License-Identifier: GPL-2.0-only
/*
 * pci_config_space - config space behind a write mask (see the header).
 */
#include "pci_config_space.h"

#include <linux/pci_regs.h>

void pci_config_space_init(struct pci_config *cfg, uint16_t vendor,
			   uint16_t device, uint32_t class_code,
			   uint8_t revision)
{
	memset(cfg, 0, sizeof(*cfg));
	pci_config_space_set(cfg, PCI_VENDOR_ID, 2, vendor, 0);
	pci_config_space_set(cfg, PCI_DEVICE_ID, 2, device, 0);
	pci_config_space_set(cfg, PCI_REVISION_ID, 4,
			     (class_code & 0xffffff) << 8 | revision, 0);
}

int pci_config_space_set(struct pci_config *cfg, unsigned int offset,
			 unsigned int width, uint32_t value, uint32_t writable)
{
	unsigned int i;

	if ((width != 1 && width != 2 && width != 4) || offset % width ||
	    offset >= PCI_CONFIG_SIZE)
		return -EINVAL;
	for (i = 0; i < width; i++) {
		cfg->bytes[offset + i] = value >> (8 * i);
		cfg->wmask[offset + i] = writable >> (8 * i);
	}
	return 0;
}

int pci_config_space_set_bar(struct pci_config *cfg, unsigned int bar,
			     uint32_t size, bool io)
{
	uint32_t indicator = io ? PCI_BASE_ADDRESS_SPACE_IO :
				  PCI_BASE_ADDRESS_SPACE_MEMORY;

	if (bar >= PCI_CONFIG_NR_BARS || size < (io ? 4u : 16u) ||
	    size > 0x80000000u || (size & (size - 1)))
		return -EINVAL;
	return pci_config_space_set(cfg, PCI_BASE_ADDRESS_0 + 4 * bar, 4,
				    indicator, ~(size - 1));
}

static bool pci_config_range_ok(unsigned int offset, unsigned int count)
{
	return count && offset < PCI_CONFIG_SIZE &&
	       count <= PCI_CONFIG_SIZE - offset;
}

int pci_config_read(const struct pci_config *cfg, unsigned int offset,
		    void *buf, unsigned int count)
{
	if (!pci_config_range_ok(offset, count))
		return -EINVAL;
	memcpy(buf, cfg->bytes + offset, count);
	return count;
}

int pci_config_write(struct pci_config *cfg, unsigned int offset,
		     const void *buf, unsigned int count)
{
	const uint8_t *src = buf;
	unsigned int i;

	if (!pci_config_range_ok(offset, count))
		return -EINVAL;
	for (i = 0; i < count; i++) {
		uint8_t mask = cfg->wmask[offset + i];
		uint8_t *dst = &cfg->bytes[offset + i];

		*dst = (*dst & ~mask) | (src[i] & mask);
	}
	return count;
}

bool pci_config_space_read_only_equal(const struct pci_config *cfg,
				      const uint8_t *bytes)
{
	unsigned int i;

	for (i = 0; i < PCI_CONFIG_SIZE; i++) {
		uint8_t ro = ~cfg->wmask[i];

		if ((bytes[i] & ro) != (cfg->bytes[i] & ro))
			return false;
	}
	return true;
}
