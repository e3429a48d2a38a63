/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pci_config_space - a 256-byte PCI configuration space with a per-byte
 * mask of writable bits, so that every rule hardware applies to a write is
 * data: read-only bits keep their value, a BAR's address bits below its
 * size are hard-wired (writing all ones reads back the size), the command
 * register takes only the bits the device implements.  Freestanding
 * (freestanding.h): mtty's model (both hosts) and libumdev's
 * <umdev/toolkit.h> use it.
 */
#ifndef UMDEV_TOOLKIT_PCI_CONFIG_SPACE_H
#define UMDEV_TOOLKIT_PCI_CONFIG_SPACE_H

#include "freestanding.h"

#define PCI_CONFIG_SIZE 256
#define PCI_CONFIG_NR_BARS 6

struct pci_config {
	uint8_t bytes[PCI_CONFIG_SIZE];
	uint8_t wmask[PCI_CONFIG_SIZE]; /* bits a write may change */
};

/**
 * pci_config_space_init() - an all-zero, read-only space with the type 0
 * header's identity: @vendor, @device, @class_code (base class << 16 |
 * subclass << 8 | programming interface) and @revision.  The rest is set
 * with pci_config_space_set() and pci_config_space_set_bar().
 */
void pci_config_space_init(struct pci_config *cfg, uint16_t vendor,
			   uint16_t device, uint32_t class_code,
			   uint8_t revision);

/**
 * pci_config_space_set() - set the @width-byte (1, 2 or 4) little-endian
 * register at @offset to @value, of which the bits in @writable a guest
 * may change.
 * Return: 0, or -EINVAL for another width, or a register that is not
 * naturally aligned or runs past the space.
 */
int pci_config_space_set(struct pci_config *cfg, unsigned int offset,
			 unsigned int width, uint32_t value, uint32_t writable);

/**
 * pci_config_space_set_bar() - BAR @bar (0-5) decodes @size bytes of I/O
 * space (@io) or of 32-bit memory space: its indicator bits are read-only
 * and its address bits below @size hard-wired to 0.
 * Return: 0, or -EINVAL for a @bar above 5 or a @size that is not a power
 * of two of at least 4 (I/O) or 16 (memory) bytes, or above 2 GiB.
 */
int pci_config_space_set_bar(struct pci_config *cfg, unsigned int bar,
			     uint32_t size, bool io);

/**
 * pci_config_read() - read @count bytes at @offset into @buf.
 * Return: @count, or -EINVAL if the range is empty or outside the space.
 */
int pci_config_read(const struct pci_config *cfg, unsigned int offset,
		    void *buf, unsigned int count);

/**
 * pci_config_write() - write @count bytes at @offset, every byte through
 * its write mask (any width and alignment).
 * Return: @count, or -EINVAL if the range is empty or outside the space.
 */
int pci_config_write(struct pci_config *cfg, unsigned int offset,
		     const void *buf, unsigned int count);

/**
 * pci_config_space_read_only_equal() - true when every read-only bit of
 * the 256 @bytes equals @cfg's: @bytes could be a later state of @cfg
 * (used to vet a migrated image).
 */
bool pci_config_space_read_only_equal(const struct pci_config *cfg,
				      const uint8_t *bytes);

#endif
