/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * umdev/toolkit.h - the plumbing every vendor driver needs, so that a
 * driver is its device logic and little else: interrupt triggers with the
 * SET_IRQS rules of vfio-pci, region and device info, and a PCI
 * configuration space with write masks (BAR sizing as hardware does it).
 *
 * The rules live in freestanding files (src/toolkit/) that umdev_mtty.ko
 * compiles too, so a driver behaves alike in both hosts.  Not thread-safe:
 * call from the daemon's loop, as every driver callback is.
 *
 * Added in ABI 1.1 (version node UMDEV_1.1 of libumdev.so).
 */
#ifndef UMDEV_TOOLKIT_H
#define UMDEV_TOOLKIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/vfio.h>

#include <umdev/export.h>
#include <umdev/vfio_device.h>

#ifdef __cplusplus
extern "C" {
#endif

UMDEV_ABI_BEGIN

/* ---- interrupts ---- */

struct umdev_irqs;

/*
 * What an index's enable/disable/mask/unmask mean for the device; every
 * callback is optional.  @dev is the pointer given to umdev_irqs_new().
 */
struct umdev_irq_ops {
	/* sizeof(struct umdev_irq_ops) as the driver was built: members
	 * added later count as absent for an older driver. */
	size_t size;
	/* @index got a (new) trigger.  0, or -EINVAL to refuse it (e.g. MSI
	 * while INTx is enabled): the previous trigger is kept. */
	int (*enable)(void *dev, uint32_t index);
	/* @index lost its trigger (removed, or the client left). */
	void (*disable)(void *dev, uint32_t index);
	/* ACTION_MASK / ACTION_UNMASK on an index reported MASKABLE. */
	void (*mask)(void *dev, uint32_t index);
	void (*unmask)(void *dev, uint32_t index);
};

/**
 * umdev_irqs_new() - the interrupt state of one device, no trigger set.
 * @info: @nr_indices entries; entry i is GET_IRQ_INFO's answer for IRQ
 *        index i (flags and count, 0 or 1; argsz and index are ignored)
 * @nr_indices: the device's IRQ indices (VFIO_PCI_NUM_IRQS for vfio-pci),
 *              at most 8
 * @ops: NULL, or callbacks (copied: it need not outlive the call)
 * @dev: passed to @ops
 *
 * Triggers are eventfds only; signalling one never blocks (a counter at its
 * maximum stays saturated, as the kernel's eventfd_signal() does).
 * Return: the state, or NULL with errno EINVAL (a count above 1, too many
 * indices, @ops->size too small) or ENOMEM.
 */
struct umdev_irqs *umdev_irqs_new(const struct vfio_irq_info *info,
				  unsigned int nr_indices,
				  const struct umdev_irq_ops *ops, void *dev);

/** umdev_irqs_free() - release every trigger (closing it), free. NULL ok. */
void umdev_irqs_free(struct umdev_irqs *irqs);

/**
 * umdev_irqs_get_info() - VFIO_DEVICE_GET_IRQ_INFO for @info->index.
 * Return: 0, or -EINVAL for an index the device does not have.
 */
int umdev_irqs_get_info(const struct umdev_irqs *irqs,
			struct vfio_irq_info *info);

/**
 * umdev_irqs_set() - VFIO_DEVICE_SET_IRQS, as a driver's set_irqs
 * callback receives it (<umdev/vfio_device.h>).
 *
 * ACTION_TRIGGER: DATA_EVENTFD installs the trigger (fd >= 0, which must
 * be an eventfd; the same fd again is kept) or removes it (fd -1);
 * DATA_NONE, or DATA_BOOL true, signals the trigger once (test interrupt);
 * count 0 with DATA_NONE removes it.  ACTION_MASK / UNMASK with DATA_NONE
 * or DATA_BOOL (false: nothing) on an index reported MASKABLE.
 *
 * On success the fd installed is owned (and closed when replaced, removed
 * or freed); on failure nothing changed and the caller still owns it.
 * Return: 0; -EINVAL for an index with no vectors, start other than 0,
 * count above 1 (or 0 other than TRIGGER + DATA_NONE), an unsupported
 * action or data type, a negative fd other than -1, an fd that is not an
 * eventfd, or the refusal of @ops->enable.
 */
int umdev_irqs_set(struct umdev_irqs *irqs, const struct vfio_irq_set *set,
		   const void *data);

/**
 * umdev_irq_trigger() - signal @index's trigger once (an interrupt, or a
 * device request on VFIO_PCI_REQ_IRQ_INDEX).  No trigger: nothing.
 * Never blocks.
 */
void umdev_irq_trigger(struct umdev_irqs *irqs, uint32_t index);

/**
 * umdev_irqs_release_all() - the client left: disable every index and
 * close every trigger (for a driver's close callback).
 */
void umdev_irqs_release_all(struct umdev_irqs *irqs);

/* ---- device and region info ---- */

/**
 * umdev_pci_device_info() - VFIO_DEVICE_GET_INFO of a vfio-pci device
 * that supports reset: flags PCI | RESET, VFIO_PCI_NUM_REGIONS regions,
 * VFIO_PCI_NUM_IRQS IRQ indices.
 */
void umdev_pci_device_info(struct vfio_device_info *info);

/**
 * umdev_region_info_set() - VFIO_DEVICE_GET_REGION_INFO of a region of
 * @size bytes at file offset @offset, read and write through the transport
 * (a size-0 region reports no flags).  info->index is left as it is.
 */
void umdev_region_info_set(struct vfio_region_info *info, uint64_t size,
			   uint64_t offset);

/* ---- PCI configuration space ---- */

/* 256 bytes with a mask of writable bits; opaque. */
struct umdev_pci_config;

/**
 * umdev_pci_config_new() - a type 0 header with @vendor, @device,
 * @class_code (base << 16 | subclass << 8 | programming interface) and
 * @revision; everything else 0 and read-only until set below.
 * Return: the space, or NULL with errno ENOMEM.
 */
struct umdev_pci_config *umdev_pci_config_new(uint16_t vendor, uint16_t device,
					      uint32_t class_code,
					      uint8_t revision);
/** umdev_pci_config_free() - NULL is fine. */
void umdev_pci_config_free(struct umdev_pci_config *cfg);

/**
 * umdev_pci_config_set() - power-on value of the @width-byte (1, 2, 4)
 * register at @offset, and the bits of it a guest may change (e.g.
 * PCI_COMMAND with the command bits the device implements).
 * Return: 0, or -EINVAL for another width, a register not naturally
 * aligned, or one past the 256 bytes.
 */
int umdev_pci_config_set(struct umdev_pci_config *cfg, unsigned int offset,
			 unsigned int width, uint32_t value, uint32_t writable);

/**
 * umdev_pci_config_set_bar() - BAR @bar (0-5) decodes @size bytes of I/O
 * space (@io true) or 32-bit memory space: sizing (writing all ones) reads
 * back the size, address bits below it stay 0.
 * Return: 0, or -EINVAL for @bar above 5 or a @size that is not a power of
 * two of at least 4 (I/O) or 16 (memory) bytes, or above 2 GiB.
 */
int umdev_pci_config_set_bar(struct umdev_pci_config *cfg, unsigned int bar,
			     uint32_t size, bool io);

/**
 * umdev_pci_config_read() / umdev_pci_config_write() - a guest's access
 * to the config region: @count bytes at @offset, any width and alignment;
 * a write changes only the writable bits.
 * Return: @count, or -EINVAL for an empty range or one past 256 bytes.
 */
long umdev_pci_config_read(const struct umdev_pci_config *cfg, uint64_t offset,
			   void *buf, uint32_t count);
long umdev_pci_config_write(struct umdev_pci_config *cfg, uint64_t offset,
			    const void *buf, uint32_t count);

/**
 * umdev_pci_config_reset() - back to the power-on values (those given to
 * umdev_pci_config_new(), _set() and _set_bar()).
 */
void umdev_pci_config_reset(struct umdev_pci_config *cfg);

/* ---- a whole vfio-pci device ---- */

/*
 * What a simple PCI device is made of, for umdev_pci_device_init(): the
 * toolkit then serves config space, device/region/IRQ info, SET_IRQS,
 * close (triggers released) and request (REQ signalled) through
 * umdev_pci_device_ops, and the driver writes only its BARs' registers.
 */
struct umdev_pci_device_desc {
	/* sizeof(struct umdev_pci_device_desc) as the driver was built. */
	size_t size;
	uint16_t vendor_id;
	uint16_t device_id;
	uint32_t class_code; /* base << 16 | subclass << 8 | prog. interface */
	uint8_t revision;
	/* PCI_COMMAND bits a guest may change (e.g. PCI_COMMAND_MEMORY). */
	uint16_t command_writable;
	/* BAR n decodes bar_size[n] bytes (0: no BAR), of I/O space if bit n
	 * of bar_io is set, else of 32-bit memory space. */
	uint32_t bar_size[6];
	uint8_t bar_io;
	/* GET_IRQ_INFO per IRQ index, VFIO_PCI_NUM_IRQS entries (as for
	 * umdev_irqs_new()), and its optional ops; their dev is the priv
	 * pointer of umdev_pci_device_init(). */
	const struct vfio_irq_info *irqs;
	const struct umdev_irq_ops *irq_ops;
	/* An access to BAR @bar that lies inside it (@count >= 1).  Return
	 * @count or -errno (-EINVAL for an access the registers refuse). */
	long (*bar_read)(void *priv, uint32_t bar, uint64_t offset, void *buf,
			 uint32_t count);
	long (*bar_write)(void *priv, uint32_t bar, uint64_t offset,
			  const void *buf, uint32_t count);
	/* Optional: VFIO_DEVICE_RESET, after config space went back to its
	 * power-on values.  0 or -errno. */
	int (*reset)(void *priv);
};

/**
 * umdev_pci_device_init() - make @mdev (in the driver's probe) a PCI device
 * described by @desc (copied), with @priv handed to the callbacks; the
 * device's drvdata is the toolkit's from now on (umdev_pci_device_priv()
 * gives @priv back).  Use umdev_pci_device_ops as the driver's device_ops.
 * Return: 0; -EINVAL for a @desc that is too short, a bad BAR size (see
 * umdev_pci_config_set_bar()), missing BAR callbacks or IRQ table; -ENOMEM.
 */
int umdev_pci_device_init(struct mdev_device *mdev,
			  const struct umdev_pci_device_desc *desc, void *priv);
/** umdev_pci_device_fini() - undo init (the driver's remove): triggers
 * closed, drvdata NULL.  Nothing for a device without init. */
void umdev_pci_device_fini(struct mdev_device *mdev);
/** umdev_pci_device_priv() - the @priv of umdev_pci_device_init(). */
void *umdev_pci_device_priv(const struct mdev_device *mdev);
/** umdev_pci_device_irqs() - the device's triggers, for umdev_irq_trigger(). */
struct umdev_irqs *umdev_pci_device_irqs(const struct mdev_device *mdev);

/* The device ops of every device made with umdev_pci_device_init(). */
extern const struct umdev_device_ops umdev_pci_device_ops;

UMDEV_ABI_END

#ifdef __cplusplus
}
#endif

#endif
