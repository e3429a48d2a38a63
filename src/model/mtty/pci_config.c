// SPDX-License-Identifier: GPL-2.0-only
/*
 * pci_config - mtty's PCI configuration space.
 *
 * The identity bytes are the kernel sample's.  Writes go through a per-byte
 * mask of writable bits, so BAR sizing works the hardware way: the low
 * address bits of an 8-byte I/O BAR and its I/O indicator are read-only,
 * and writing all ones reads back the size (0xfffffff9).
 */
#include "pci_config.h"

#define PCI_COMMAND 0x04
#define PCI_STATUS 0x06
#define PCI_REVISION_ID 0x08
#define PCI_CLASS_PROG 0x09
#define PCI_CLASS_DEVICE 0x0a
#define PCI_BASE_ADDRESS_0 0x10
#define PCI_BASE_ADDRESS_1 0x14
#define PCI_SUBSYSTEM_VENDOR_ID 0x2c
#define PCI_SUBSYSTEM_ID 0x2e
#define PCI_INTERRUPT_LINE 0x3c
#define PCI_INTERRUPT_PIN 0x3d

#define PCI_COMMAND_IO 0x0001
#define PCI_COMMAND_PARITY 0x0040
#define PCI_COMMAND_SERR 0x0100
#define PCI_COMMAND_INTX_DISABLE 0x0400
/*
 * Command bits the guest may change.  Memory space and bus master stay 0:
 * the device has no memory BAR and does no DMA.
 */
#define MTTY_COMMAND_WRITABLE                                     \
	(PCI_COMMAND_IO | PCI_COMMAND_PARITY | PCI_COMMAND_SERR | \
	 PCI_COMMAND_INTX_DISABLE)
#define PCI_BASE_ADDRESS_SPACE_IO 0x01

static const char mtty_vendor_text[] = "PCI Serial/UART";

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = v & 0xff;
	p[1] = v >> 8;
}

/* Writable bits of config byte @offset for a device with @nr_io_bars. */
static uint8_t pci_config_write_mask(unsigned int offset,
				     unsigned int nr_io_bars)
{
	unsigned int bar;

	switch (offset) {
	case PCI_COMMAND:
		return MTTY_COMMAND_WRITABLE & 0xff;
	case PCI_COMMAND + 1:
		return MTTY_COMMAND_WRITABLE >> 8;
	case PCI_INTERRUPT_LINE:
		return 0xff;
	}
	if (offset < PCI_BASE_ADDRESS_0 || offset >= PCI_BASE_ADDRESS_1 + 4)
		return 0;
	bar = (offset - PCI_BASE_ADDRESS_0) / 4;
	if (bar >= nr_io_bars)
		return 0; /* BAR1 of the 1-port type: reads 0, ignores writes */
	/* Bits 2:0 of an 8-byte I/O BAR: the indicator and size bits. */
	if ((offset & 3) == 0)
		return (uint8_t) ~(MTTY_BAR_SIZE - 1);
	return 0xff;
}

void pci_config_init(struct pci_config *cfg, unsigned int nr_ports)
{
	uint8_t *b = cfg->bytes;
	unsigned int i;

	memset(cfg, 0, sizeof(*cfg));
	cfg->nr_io_bars = nr_ports == 2 ? 2 : 1;
	put_le16(b, MTTY_PCI_VENDOR_ID);
	put_le16(b + 2, MTTY_PCI_DEVICE_ID);
	put_le16(b + PCI_COMMAND, PCI_COMMAND_IO);
	put_le16(b + PCI_STATUS, 0x0200);
	b[PCI_REVISION_ID] = 0x10;
	b[PCI_CLASS_PROG] = 0x02; /* 16550-compatible */
	b[PCI_CLASS_DEVICE] = 0x00; /* serial controller */
	b[PCI_CLASS_DEVICE + 1] = 0x07; /* simple communication controller */
	for (i = 0; i < cfg->nr_io_bars; i++)
		b[PCI_BASE_ADDRESS_0 + 4 * i] = PCI_BASE_ADDRESS_SPACE_IO;
	put_le16(b + PCI_SUBSYSTEM_VENDOR_ID, MTTY_PCI_VENDOR_ID);
	put_le16(b + PCI_SUBSYSTEM_ID, MTTY_PCI_DEVICE_ID);
	b[PCI_INTERRUPT_PIN] = 0x01; /* INTA# */
	/* Vendor-specific bytes, as the kernel sample fills them. */
	b[0x40] = 0x23;
	b[0x43] = 0x80;
	b[0x44] = 0x23;
	b[0x48] = 0x23;
	b[0x4c] = 0x23;
	memcpy(b + 0x60, mtty_vendor_text, sizeof(mtty_vendor_text) - 1);
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
		uint8_t mask =
			pci_config_write_mask(offset + i, cfg->nr_io_bars);
		uint8_t *dst = &cfg->bytes[offset + i];

		*dst = (*dst & ~mask) | (src[i] & mask);
	}
	return count;
}

bool pci_config_image_valid(const uint8_t *bytes, unsigned int nr_ports)
{
	struct pci_config ref;
	unsigned int i;

	pci_config_init(&ref, nr_ports);
	for (i = 0; i < PCI_CONFIG_SIZE; i++) {
		uint8_t ro = ~pci_config_write_mask(i, ref.nr_io_bars);

		if ((bytes[i] & ro) != (ref.bytes[i] & ro))
			return false;
	}
	return true;
}
