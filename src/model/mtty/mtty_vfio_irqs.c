// SPDX-License-Identifier: GPL-2.0-only
/*
 * mtty_vfio_irqs - mtty's IRQ indices on top of the model's INTx/MSI mode.
 */
#include "mtty_vfio_irqs.h"

const struct vfio_irq_info mtty_vfio_irq_info[VFIO_PCI_NUM_IRQS] = {
	[VFIO_PCI_INTX_IRQ_INDEX] = {
		.flags = VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_MASKABLE |
			 VFIO_IRQ_INFO_AUTOMASKED,
		.count = 1,
	},
	[VFIO_PCI_MSI_IRQ_INDEX] = {
		.flags = VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE,
		.count = 1,
	},
	/* MSI-X and ERR: count 0, flags 0.  REQ as the 6.1 sample has it. */
	[VFIO_PCI_REQ_IRQ_INDEX] = {
		.flags = VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE,
		.count = 1,
	},
};

uint32_t mtty_vfio_irq_index(enum mtty_irq_mode mode)
{
	return mode == MTTY_IRQ_MSI ? VFIO_PCI_MSI_IRQ_INDEX :
				      VFIO_PCI_INTX_IRQ_INDEX;
}

static enum mtty_irq_mode mtty_vfio_irq_mode(uint32_t index)
{
	if (index == VFIO_PCI_INTX_IRQ_INDEX)
		return MTTY_IRQ_INTX;
	if (index == VFIO_PCI_MSI_IRQ_INDEX)
		return MTTY_IRQ_MSI;
	return MTTY_IRQ_NONE; /* REQ is not a device interrupt */
}

int mtty_vfio_irq_enable(void *model, uint32_t index)
{
	enum mtty_irq_mode mode = mtty_vfio_irq_mode(index);

	if (mode == MTTY_IRQ_NONE)
		return 0;
	return mtty_model_set_irq_mode(model, mode);
}

void mtty_vfio_irq_disable(void *model, uint32_t index)
{
	struct mtty_model *m = model;
	enum mtty_irq_mode mode = mtty_vfio_irq_mode(index);

	if (mode != MTTY_IRQ_NONE && m->irq_mode == mode)
		mtty_model_set_irq_mode(m, MTTY_IRQ_NONE);
}

void mtty_vfio_irq_mask(void *model, uint32_t index)
{
	mtty_model_intx_mask(model);
}

void mtty_vfio_irq_unmask(void *model, uint32_t index)
{
	mtty_model_intx_unmask(model);
}
