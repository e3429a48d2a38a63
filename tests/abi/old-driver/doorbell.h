/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * doorbell - register map of the example vendor driver's device, shared
 * with its clients.  BAR0 is 4 KiB of 32-bit registers; writing DOORBELL
 * raises the device's one MSI vector.
 */
#ifndef DOORBELL_H
#define DOORBELL_H

#define DOORBELL_PARENT "doorbell"
#define DOORBELL_TYPE "doorbell-1" /* "<parent>-<name>" */

#define DOORBELL_VENDOR_ID 0x1234
#define DOORBELL_DEVICE_ID 0xdb01
#define DOORBELL_BAR0_SIZE 4096

#define DOORBELL_REG_ID 0x00 /* RO: DOORBELL_ID */
#define DOORBELL_REG_SCRATCH 0x04 /* RW */
#define DOORBELL_REG_DOORBELL 0x08 /* WO: ring; value kept in LAST */
#define DOORBELL_REG_STATUS 0x0c /* RW1C: bit 0 = rung since cleared */
#define DOORBELL_REG_LAST 0x10 /* RO: last value written to DOORBELL */
#define DOORBELL_REG_COUNT 0x14 /* RO: rings since reset */

#define DOORBELL_ID 0x44424c31u /* "DBL1" */
#define DOORBELL_STATUS_RUNG 0x1u

#endif
