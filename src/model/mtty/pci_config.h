/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pci_config - mtty's 256-byte PCI configuration space: its identity as the
 * kernel sample presents it, BAR sizing like hardware, a write mask.
 * Freestanding (see uart16550.h).
 */
#ifndef UMDEV_MODEL_PCI_CONFIG_H
#define UMDEV_MODEL_PCI_CONFIG_H

#include "model_base.h"

#define PCI_CONFIG_SIZE 256
#define MTTY_PCI_VENDOR_ID 0x4348
#define MTTY_PCI_DEVICE_ID 0x3253
#define MTTY_BAR_SIZE 8

struct pci_config {
	uint8_t bytes[PCI_CONFIG_SIZE];
	unsigned int nr_io_bars; /* 1 or 2: BARs beyond read 0 */
};

/** pci_config_init() - power-on config space for a device with @nr_ports. */
void pci_config_init(struct pci_config *cfg, unsigned int nr_ports);

/**
 * pci_config_read() - read @count bytes at @offset into @buf.
 * Return: @count, or -EINVAL if the range is outside the 256 bytes.
 */
int pci_config_read(const struct pci_config *cfg, unsigned int offset,
		    void *buf, unsigned int count);

/**
 * pci_config_write() - write @count bytes; read-only bits are kept, BAR
 * addresses are masked to the BAR size (writing all ones sizes the BAR).
 * Return: @count, or -EINVAL if the range is outside the 256 bytes.
 */
int pci_config_write(struct pci_config *cfg, unsigned int offset,
		     const void *buf, unsigned int count);

/**
 * pci_config_image_valid() - true when @bytes (256 of them) could be the
 * config space of a device with @nr_ports: every read-only bit equals its
 * power-on value.  Used to vet a migration stream before loading it.
 */
bool pci_config_image_valid(const uint8_t *bytes, unsigned int nr_ports);

#endif
