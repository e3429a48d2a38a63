/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pci_config - mtty's 256-byte PCI configuration space: its identity as the
 * kernel sample presents it, on the toolkit's write-masked config space
 * (toolkit/pci_config_space.h: pci_config_read(), pci_config_write(), BAR
 * sizing like hardware).  Freestanding (see uart16550.h).
 */
#ifndef UMDEV_MODEL_PCI_CONFIG_H
#define UMDEV_MODEL_PCI_CONFIG_H

#include "model_base.h"
#include "toolkit/pci_config_space.h"

#define MTTY_PCI_VENDOR_ID 0x4348
#define MTTY_PCI_DEVICE_ID 0x3253
#define MTTY_BAR_SIZE 8

/**
 * pci_config_init() - power-on config space for a device with @nr_ports:
 * one 8-byte I/O BAR per port (BAR1 of the 1-port type reads 0 and ignores
 * writes), command bits I/O, parity, SERR and INTx-disable writable,
 * interrupt line writable, pin INTA#.
 */
void pci_config_init(struct pci_config *cfg, unsigned int nr_ports);

/**
 * pci_config_image_valid() - true when @bytes (256 of them) could be the
 * config space of a device with @nr_ports: every read-only bit equals its
 * power-on value.  Used to vet a migration stream before loading it.
 */
bool pci_config_image_valid(const uint8_t *bytes, unsigned int nr_ports);

#endif
