// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_set_irqs - VFIO_DEVICE_SET_IRQS as an ioctl would deliver it:
 * umdev_vfio_irq_set_validate(), then, when it accepts, the mtty driver's
 * set_irqs on a real device (core + mtty driver + toolkit + model).  Eventfds are
 * created for the fds the request names and closed when the driver refuses
 * them; at the end the client "leaves" and every trigger must be gone.
 *
 * Input: a sequence of records, each the 20-byte struct vfio_irq_set
 * header, one byte n, then n (<= 15) data bytes.  After each request the
 * toolkit's trigger fds must be open (or -1), distinct, and consistent with
 * the model's interrupt mode; the device is then made to raise an
 * interrupt, which writes to whatever trigger is installed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "fuzz_util.h"
#include "mtty_driver.h"
#include "mtty_state.h"
#include "toolkit/eventfd_trigger.h"
#include "toolkit/umdev_toolkit_internal.h"
#include <umdev/mdev_host.h>

#define FUZZ_UUID "f0220000-0000-4000-8000-000000000001"
#define FUZZ_IRQ_SET_HDR 20 /* argsz, flags, index, start, count */
#define FUZZ_MAX_DATA 15

static struct mdev_core *core;

static void fuzz_setup(void)
{
	core = mdev_core_new(NULL, NULL);
	FUZZ_ASSERT(core);
	FUZZ_ASSERT(mtty_driver_register(core) == 0);
}

static bool fuzz_fd_open(int fd)
{
	return fcntl(fd, F_GETFD) >= 0;
}

/* The eventfd installed as @index's trigger, or -1. */
static int fuzz_trigger_fd(const struct mdev_state *st, uint32_t index)
{
	const struct vfio_irq_state *irqs = umdev_irqs_state(st->irqs);

	return irqs->trigger[index] ? eventfd_trigger_fd(irqs->trigger[index]) :
				      -1;
}

static void fuzz_check_state(const struct mdev_state *st)
{
	const int fds[3] = {
		fuzz_trigger_fd(st, VFIO_PCI_INTX_IRQ_INDEX),
		fuzz_trigger_fd(st, VFIO_PCI_MSI_IRQ_INDEX),
		fuzz_trigger_fd(st, VFIO_PCI_REQ_IRQ_INDEX),
	};

	for (int i = 0; i < 3; i++) {
		FUZZ_ASSERT(fds[i] >= -1);
		if (fds[i] < 0)
			continue;
		FUZZ_ASSERT(fuzz_fd_open(fds[i]));
		for (int j = i + 1; j < 3; j++)
			FUZZ_ASSERT(fds[i] != fds[j]);
	}
	/* A mode is only entered with its trigger installed. */
	if (st->model.irq_mode == MTTY_IRQ_INTX)
		FUZZ_ASSERT(fds[0] >= 0);
	if (st->model.irq_mode == MTTY_IRQ_MSI)
		FUZZ_ASSERT(fds[1] >= 0);
}

/* One SET_IRQS request from the input; false when the input ran out. */
static bool fuzz_one_request(struct mdev_device *mdev,
			     const struct umdev_device_ops *ops,
			     struct fuzz_input *in)
{
	struct vfio_irq_set set;
	struct vfio_irq_info info = { .argsz = sizeof(info) };
	uint8_t payload[FUZZ_MAX_DATA];
	int32_t fds[FUZZ_MAX_DATA];
	const void *data = NULL;
	const uint8_t *hdr, *bytes;
	size_t got, n, data_size = 0, i, nr_fds = 0;
	uint32_t num_irqs = 0;
	int ret;

	hdr = fuzz_bytes(in, FUZZ_IRQ_SET_HDR, &got);
	if (got < FUZZ_IRQ_SET_HDR)
		return false;
	memcpy(&set, hdr, FUZZ_IRQ_SET_HDR);
	bytes = fuzz_bytes(in, fuzz_u8(in) & FUZZ_MAX_DATA, &n);
	memcpy(payload, bytes, n);
	/* argsz can claim less than was passed, never more. */
	if (set.argsz > FUZZ_IRQ_SET_HDR + n)
		set.argsz = FUZZ_IRQ_SET_HDR + n;

	info.index = set.index;
	if (set.index < VFIO_PCI_NUM_IRQS) {
		FUZZ_ASSERT(ops->get_irq_info(mdev, &info) == 0);
		num_irqs = info.count;
	} else {
		FUZZ_ASSERT(ops->get_irq_info(mdev, &info) == -EINVAL);
	}
	ret = umdev_vfio_irq_set_validate(&set, num_irqs, VFIO_PCI_NUM_IRQS,
					  &data_size);
	if (ret) {
		FUZZ_ASSERT(ret == -EINVAL);
		return true;
	}
	/* What validation accepted is within bounds. */
	FUZZ_ASSERT(set.index < VFIO_PCI_NUM_IRQS);
	FUZZ_ASSERT((uint64_t)set.start + set.count <= num_irqs);
	FUZZ_ASSERT(data_size <= set.argsz - FUZZ_IRQ_SET_HDR);

	switch (set.flags & VFIO_IRQ_SET_DATA_TYPE_MASK) {
	case VFIO_IRQ_SET_DATA_NONE:
		FUZZ_ASSERT(data_size == 0);
		break;
	case VFIO_IRQ_SET_DATA_BOOL:
		FUZZ_ASSERT(data_size == set.count);
		data = payload;
		break;
	case VFIO_IRQ_SET_DATA_EVENTFD:
		FUZZ_ASSERT(data_size == set.count * sizeof(int32_t));
		memcpy(fds, payload, data_size);
		/* -1 and other negatives go as they are; others get an fd. */
		for (i = 0; i < set.count; i++) {
			if (fds[i] < 0)
				continue;
			fds[i] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
			FUZZ_ASSERT(fds[i] >= 0);
			nr_fds++;
		}
		data = fds;
		break;
	default:
		FUZZ_ASSERT(!"validation let two data types through");
	}

	ret = ops->set_irqs(mdev, &set, data);
	FUZZ_ASSERT(ret == 0 || ret == -EINVAL);
	if (ret && nr_fds) /* refused: they are still ours */
		for (i = 0; i < set.count; i++)
			if (fds[i] >= 0)
				close(fds[i]);
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { .p = data, .left = size };
	const struct umdev_device_ops *ops;
	struct mdev_device *mdev;
	struct mdev_state *st;
	uint8_t iir;

	if (!core)
		fuzz_setup();
	fuzz_check_fds("setup", 0);
	FUZZ_ASSERT(mdev_core_create(core, FUZZ_UUID, "mtty", "mtty-2",
				     &mdev) == 0);
	ops = mdev_device_ops(mdev);
	st = mdev_get_drvdata(mdev);
	FUZZ_ASSERT(mdev_device_open(mdev) == 0);

	while (fuzz_one_request(mdev, ops, &in)) {
		fuzz_check_state(st);
		/* THR-empty interrupt on port 0: fires the active trigger. */
		FUZZ_ASSERT(ops->write(mdev, VFIO_PCI_BAR0_REGION_INDEX, 1,
				       "\x02", 1) == 1);
		FUZZ_ASSERT(ops->read(mdev, VFIO_PCI_BAR0_REGION_INDEX, 2, &iir,
				      1) == 1);
		FUZZ_ASSERT(ops->write(mdev, VFIO_PCI_BAR0_REGION_INDEX, 1,
				       "\x00", 1) == 1);
		fuzz_check_state(st);
	}

	/* The client left: every trigger is dropped, the mode left. */
	mdev_device_close(mdev);
	FUZZ_ASSERT(fuzz_trigger_fd(st, VFIO_PCI_INTX_IRQ_INDEX) == -1 &&
		    fuzz_trigger_fd(st, VFIO_PCI_MSI_IRQ_INDEX) == -1 &&
		    fuzz_trigger_fd(st, VFIO_PCI_REQ_IRQ_INDEX) == -1);
	FUZZ_ASSERT(st->model.irq_mode == MTTY_IRQ_NONE);
	FUZZ_ASSERT(mdev_core_remove(core, FUZZ_UUID) == 0);
	fuzz_check_fds("iteration", 0);
	return 0;
}
