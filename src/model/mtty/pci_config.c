// SPDX-License-Identifier: GPL-2.0-only
/*
 * pci_config - mtty's PCI configuration space.
 *
 * The identity bytes are the kernel sample's.  Writes go through the
 * toolkit's per-byte mask of writable bits, so BAR sizing works the
 * hardware way: the low address bits of an 8-byte I/O BAR and its I/O
 * indicator are read-only, and writing all ones reads back the size
 * (0xfffffff9).
 */
#include "pci_config.h"

#include <linux/pci_regs.h>

/*
 * Command bits the guest may change.  Memory space and bus master stay 0:
 * the device has no memory BAR and does no DMA.
 */
#define MTTY_COMMAND_WRITABLE                                     \
	(PCI_COMMAND_IO | PCI_COMMAND_PARITY | PCI_COMMAND_SERR | \
	 PCI_COMMAND_INTX_DISABLE)
/* Serial controller (7/0), 16550-compatible (2). */
#define MTTY_CLASS_CODE 0x070002

static const char mtty_vendor_text[] = "PCI Serial/UART";

void pci_config_init(struct pci_config *cfg, unsigned int nr_ports)
{
	unsigned int i, nr_io_bars = nr_ports == 2 ? 2 : 1;

	pci_config_space_init(cfg, MTTY_PCI_VENDOR_ID, MTTY_PCI_DEVICE_ID,
			      MTTY_CLASS_CODE, 0x10);
	pci_config_space_set(cfg, PCI_COMMAND, 2, PCI_COMMAND_IO,
			     MTTY_COMMAND_WRITABLE);
	pci_config_space_set(cfg, PCI_STATUS, 2, 0x0200, 0);
	for (i = 0; i < nr_io_bars; i++)
		pci_config_space_set_bar(cfg, i, MTTY_BAR_SIZE, true);
	pci_config_space_set(cfg, PCI_SUBSYSTEM_VENDOR_ID, 2,
			     MTTY_PCI_VENDOR_ID, 0);
	pci_config_space_set(cfg, PCI_SUBSYSTEM_ID, 2, MTTY_PCI_DEVICE_ID, 0);
	pci_config_space_set(cfg, PCI_INTERRUPT_LINE, 1, 0, 0xff);
	pci_config_space_set(cfg, PCI_INTERRUPT_PIN, 1, 0x01, 0); /* INTA# */
	/* Vendor-specific bytes, as the kernel sample fills them. */
	pci_config_space_set(cfg, 0x40, 4, 0x80000023, 0);
	pci_config_space_set(cfg, 0x44, 1, 0x23, 0);
	pci_config_space_set(cfg, 0x48, 1, 0x23, 0);
	pci_config_space_set(cfg, 0x4c, 1, 0x23, 0);
	memcpy(cfg->bytes + 0x60, mtty_vendor_text,
	       sizeof(mtty_vendor_text) - 1);
}

bool pci_config_image_valid(const uint8_t *bytes, unsigned int nr_ports)
{
	struct pci_config ref;

	pci_config_init(&ref, nr_ports);
	return pci_config_space_read_only_equal(&ref, bytes);
}
