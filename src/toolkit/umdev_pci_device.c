// SPDX-License-Identifier: GPL-2.0-only
/*
 * umdev_pci_device - a whole vfio-pci device from a description
 * (<umdev/toolkit.h>): config space, info, interrupts and request are the
 * toolkit's; BAR registers and reset are the driver's callbacks.  The
 * device's drvdata is a struct umdev_pci_device, which keeps the driver's
 * priv pointer.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/pci_regs.h>
#include <umdev/mdev.h>
#include <umdev/toolkit.h>

#define UMDEV_PCI_CONFIG_SIZE 256

struct umdev_pci_device {
	struct umdev_pci_device_desc desc; /* full size, unknown members 0 */
	struct umdev_pci_config *config;
	struct umdev_irqs *irqs;
	void *priv;
};

static struct umdev_pci_device *
umdev_pci_device_of(const struct mdev_device *mdev)
{
	return mdev_get_drvdata(mdev);
}

static void umdev_pci_device_free(struct umdev_pci_device *dev)
{
	umdev_irqs_free(dev->irqs);
	umdev_pci_config_free(dev->config);
	free(dev);
}

static int umdev_pci_device_build(struct umdev_pci_device *dev)
{
	const struct umdev_pci_device_desc *d = &dev->desc;
	unsigned int bar;
	int ret;

	dev->config = umdev_pci_config_new(d->vendor_id, d->device_id,
					   d->class_code, d->revision);
	dev->irqs = umdev_irqs_new(d->irqs, VFIO_PCI_NUM_IRQS, d->irq_ops,
				   dev->priv);
	if (!dev->config || !dev->irqs)
		return -errno;
	ret = umdev_pci_config_set(dev->config, PCI_COMMAND, 2, 0,
				   d->command_writable);
	for (bar = 0; !ret && bar < 6; bar++)
		if (d->bar_size[bar])
			ret = umdev_pci_config_set_bar(dev->config, bar,
						       d->bar_size[bar],
						       d->bar_io & (1u << bar));
	return ret;
}

int umdev_pci_device_init(struct mdev_device *mdev,
			  const struct umdev_pci_device_desc *desc, void *priv)
{
	struct umdev_pci_device *dev;
	int ret;

	/* The struct came with 1.1: every driver has at least that much. */
	if (!desc ||
	    desc->size < offsetof(struct umdev_pci_device_desc, reset) +
				 sizeof(desc->reset) ||
	    !desc->irqs || !desc->bar_read || !desc->bar_write)
		return -EINVAL;
	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return -ENOMEM;
	memcpy(&dev->desc, desc,
	       desc->size < sizeof(dev->desc) ? desc->size : sizeof(dev->desc));
	dev->priv = priv;
	ret = umdev_pci_device_build(dev);
	if (ret) {
		umdev_pci_device_free(dev);
		return ret;
	}
	mdev_set_drvdata(mdev, dev);
	return 0;
}

void umdev_pci_device_fini(struct mdev_device *mdev)
{
	struct umdev_pci_device *dev = umdev_pci_device_of(mdev);

	if (!dev)
		return;
	mdev_set_drvdata(mdev, NULL);
	umdev_pci_device_free(dev);
}

void *umdev_pci_device_priv(const struct mdev_device *mdev)
{
	return umdev_pci_device_of(mdev)->priv;
}

struct umdev_irqs *umdev_pci_device_irqs(const struct mdev_device *mdev)
{
	return umdev_pci_device_of(mdev)->irqs;
}

static int umdev_pci_device_open(struct mdev_device *mdev)
{
	return 0;
}

/* The client is gone: its triggers go with it, the device state stays. */
static void umdev_pci_device_close(struct mdev_device *mdev)
{
	umdev_irqs_release_all(umdev_pci_device_irqs(mdev));
}

static int umdev_pci_device_get_info(struct mdev_device *mdev,
				     struct vfio_device_info *info)
{
	umdev_pci_device_info(info);
	return 0;
}

/* Bytes in region @index: a BAR, the config space, or nothing. */
static uint64_t umdev_pci_device_region_size(const struct umdev_pci_device *dev,
					     uint32_t index)
{
	if (index <= VFIO_PCI_BAR5_REGION_INDEX)
		return dev->desc.bar_size[index];
	if (index == VFIO_PCI_CONFIG_REGION_INDEX)
		return UMDEV_PCI_CONFIG_SIZE;
	return 0;
}

static int umdev_pci_device_get_region_info(struct mdev_device *mdev,
					    struct vfio_region_info *info)
{
	if (info->index >= VFIO_PCI_NUM_REGIONS)
		return -EINVAL;
	umdev_region_info_set(info,
			      umdev_pci_device_region_size(
				      umdev_pci_device_of(mdev), info->index),
			      0);
	return 0;
}

static int umdev_pci_device_get_irq_info(struct mdev_device *mdev,
					 struct vfio_irq_info *info)
{
	return umdev_irqs_get_info(umdev_pci_device_irqs(mdev), info);
}

static int umdev_pci_device_set_irqs(struct mdev_device *mdev,
				     const struct vfio_irq_set *set,
				     const void *data)
{
	return umdev_irqs_set(umdev_pci_device_irqs(mdev), set, data);
}

/* A BAR access must lie wholly inside the BAR and move a byte. */
static bool umdev_pci_device_bar_ok(const struct umdev_pci_device *dev,
				    uint32_t index, uint64_t offset,
				    uint32_t count)
{
	uint64_t size = index <= VFIO_PCI_BAR5_REGION_INDEX ?
				dev->desc.bar_size[index] :
				0;

	return size && count && offset < size && count <= size - offset;
}

static long umdev_pci_device_read(struct mdev_device *mdev, uint32_t index,
				  uint64_t offset, void *buf, uint32_t count)
{
	struct umdev_pci_device *dev = umdev_pci_device_of(mdev);

	if (index == VFIO_PCI_CONFIG_REGION_INDEX)
		return umdev_pci_config_read(dev->config, offset, buf, count);
	if (!umdev_pci_device_bar_ok(dev, index, offset, count))
		return -EINVAL;
	return dev->desc.bar_read(dev->priv, index, offset, buf, count);
}

static long umdev_pci_device_write(struct mdev_device *mdev, uint32_t index,
				   uint64_t offset, const void *buf,
				   uint32_t count)
{
	struct umdev_pci_device *dev = umdev_pci_device_of(mdev);

	if (index == VFIO_PCI_CONFIG_REGION_INDEX)
		return umdev_pci_config_write(dev->config, offset, buf, count);
	if (!umdev_pci_device_bar_ok(dev, index, offset, count))
		return -EINVAL;
	return dev->desc.bar_write(dev->priv, index, offset, buf, count);
}

static int umdev_pci_device_reset(struct mdev_device *mdev)
{
	struct umdev_pci_device *dev = umdev_pci_device_of(mdev);

	umdev_pci_config_reset(dev->config);
	return dev->desc.reset ? dev->desc.reset(dev->priv) : 0;
}

/* Removal is waiting for the client: ring its REQ eventfd, if any. */
static void umdev_pci_device_request(struct mdev_device *mdev,
				     unsigned int count)
{
	umdev_irq_trigger(umdev_pci_device_irqs(mdev), VFIO_PCI_REQ_IRQ_INDEX);
}

const struct umdev_device_ops umdev_pci_device_ops = {
	.open = umdev_pci_device_open,
	.close = umdev_pci_device_close,
	.get_info = umdev_pci_device_get_info,
	.get_region_info = umdev_pci_device_get_region_info,
	.get_irq_info = umdev_pci_device_get_irq_info,
	.set_irqs = umdev_pci_device_set_irqs,
	.read = umdev_pci_device_read,
	.write = umdev_pci_device_write,
	.reset = umdev_pci_device_reset,
	.request = umdev_pci_device_request,
};
