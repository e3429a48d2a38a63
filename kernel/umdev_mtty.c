// SPDX-License-Identifier: GPL-2.0-only
/*
 * umdev_mtty - the umdev mtty device model on the Linux kernel's own mdev
 * core and VFIO.
 *
 * Registers a parent named "mtty" with the types mtty-1 and mtty-2, as the
 * kernel's samples/vfio-mdev/mtty.c does, but the device itself is umdev's
 * freestanding model (src/model/mtty/), compiled into this module from the
 * same .c files the userspace daemon uses.  This file is only the glue:
 * VFIO device ops, eventfd triggers, timers, migration files, capacity.
 *
 * Locking: one mutex per device (state->lock) protects the model, the IRQ
 * triggers and the migration state.  The model calls back into
 * umdev_mtty_raise_irq()/umdev_mtty_set_timer() with that lock held.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/anon_inodes.h>
#include <linux/device.h>
#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/mdev.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/version.h>
#include <linux/vfio.h>
#include <linux/workqueue.h>

#include "mtty_model.h"

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "umdev_mtty needs Linux 6.1 or newer (mdev_register_parent)"
#endif

#define UMDEV_MTTY_NAME "mtty"
#define UMDEV_MTTY_TOTAL_PORTS 24
#define UMDEV_MTTY_OFFSET_SHIFT 40
#define UMDEV_MTTY_OFFSET_MASK ((1ULL << UMDEV_MTTY_OFFSET_SHIFT) - 1)
#define UMDEV_MTTY_INDEX_TO_OFFSET(i) ((u64)(i) << UMDEV_MTTY_OFFSET_SHIFT)

/* Ports left for new devices, shared by both types (like the sample). */
static atomic_t umdev_mtty_avail_ports = ATOMIC_INIT(UMDEV_MTTY_TOTAL_PORTS);

struct umdev_mtty_type {
	struct mdev_type type;
	unsigned int nr_ports;
};

static struct umdev_mtty_type umdev_mtty_types[] = {
	{ .type.sysfs_name = "1",
	  .type.pretty_name = "Single port serial",
	  .nr_ports = 1 },
	{ .type.sysfs_name = "2",
	  .type.pretty_name = "Dual port serial",
	  .nr_ports = 2 },
};

static struct mdev_type *umdev_mtty_type_list[] = {
	&umdev_mtty_types[0].type,
	&umdev_mtty_types[1].type,
};

/* One migration data file: the whole stream is built or collected here. */
struct umdev_mtty_migf {
	struct file *filp;
	struct mutex lock;
	struct umdev_mtty_state *state;
	size_t len; /* bytes valid in buf */
	size_t cap;
	bool disabled; /* the device left the data state: EOF/refuse */
	u8 buf[];
};

struct umdev_mtty_port_timer {
	struct delayed_work work;
	struct umdev_mtty_state *state;
	unsigned int port;
	ktime_t deadline; /* 0 = not armed; under state->lock */
};

/* Per-device state: everything the interrupt path needs is right here. */
struct umdev_mtty_state {
	struct vfio_device vdev;
	struct mdev_device *mdev;
	unsigned int nr_ports;
	struct mutex lock;
	struct mtty_model model;
	struct eventfd_ctx *intx_trigger;
	struct eventfd_ctx *msi_trigger;
	struct eventfd_ctx *req_trigger;
	struct umdev_mtty_port_timer timer[MTTY_MAX_PORTS];
	enum vfio_device_mig_state mig_state;
	struct umdev_mtty_migf *saving;
	struct umdev_mtty_migf *resuming;
};

/*
 * The parent device lives in a class named "mtty": the mdev core names the
 * type directories "<class>-<type>", which gives mtty-1 and mtty-2.
 */
static struct class umdev_mtty_class = {
	.name = UMDEV_MTTY_NAME,
};
static struct device *umdev_mtty_parent_dev;
static struct mdev_parent umdev_mtty_parent;

static void umdev_mtty_signal(struct eventfd_ctx *ctx)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
	eventfd_signal(ctx);
#else
	eventfd_signal(ctx, 1);
#endif
}

/* Model callback: deliver one interrupt, straight from the device state. */
static void umdev_mtty_raise_irq(void *opaque, enum mtty_irq_mode mode)
{
	struct umdev_mtty_state *state = opaque;
	struct eventfd_ctx *ctx = NULL;

	if (mode == MTTY_IRQ_INTX)
		ctx = state->intx_trigger;
	else if (mode == MTTY_IRQ_MSI)
		ctx = state->msi_trigger;
	/* No trigger installed: the interrupt goes nowhere, as on a bus
	 * with the line not wired; never an error. */
	if (ctx)
		umdev_mtty_signal(ctx);
}

/* Model callback: arm (or cancel with 0) the character-timeout timer. */
static void umdev_mtty_set_timer(void *opaque, unsigned int port, u64 delay)
{
	struct umdev_mtty_state *state = opaque;
	struct umdev_mtty_port_timer *t;

	if (port >= MTTY_MAX_PORTS)
		return;
	t = &state->timer[port];
	if (!delay) {
		t->deadline = 0;
		/* Not _sync: the work may be waiting for state->lock. It
		 * re-checks the deadline, so a late run does nothing. */
		cancel_delayed_work(&t->work);
		return;
	}
	t->deadline = ktime_add_ns(ktime_get(), delay);
	mod_delayed_work(system_wq, &t->work, nsecs_to_jiffies(delay) + 1);
}

static void umdev_mtty_timer_work(struct work_struct *work)
{
	struct umdev_mtty_port_timer *t = container_of(
		to_delayed_work(work), struct umdev_mtty_port_timer, work);
	struct umdev_mtty_state *state = t->state;
	ktime_t now;

	mutex_lock(&state->lock);
	now = ktime_get();
	if (t->deadline && ktime_before(now, t->deadline)) {
		/* Jiffies ran ahead of the clock: wait for the rest. */
		mod_delayed_work(system_wq, &t->work,
				 nsecs_to_jiffies(ktime_to_ns(
					 ktime_sub(t->deadline, now))) +
					 1);
	} else if (t->deadline) {
		t->deadline = 0;
		mtty_model_timer_expired(&state->model, t->port);
	}
	mutex_unlock(&state->lock);
}

static const struct mtty_model_host_ops umdev_mtty_host_ops = {
	.raise_irq = umdev_mtty_raise_irq,
	.set_timer = umdev_mtty_set_timer,
};

static void umdev_mtty_cancel_timers(struct umdev_mtty_state *state)
{
	unsigned int i;

	mutex_lock(&state->lock);
	for (i = 0; i < MTTY_MAX_PORTS; i++)
		state->timer[i].deadline = 0;
	mutex_unlock(&state->lock);
	for (i = 0; i < MTTY_MAX_PORTS; i++)
		cancel_delayed_work_sync(&state->timer[i].work);
}

static void umdev_mtty_put_trigger(struct eventfd_ctx **ctx)
{
	if (*ctx) {
		eventfd_ctx_put(*ctx);
		*ctx = NULL;
	}
}

/* ---- migration (VFIO migration v2, STOP_COPY + P2P) ---- */

static void umdev_mtty_migf_disable(struct umdev_mtty_migf *migf)
{
	mutex_lock(&migf->lock);
	migf->disabled = true;
	migf->len = 0;
	mutex_unlock(&migf->lock);
}

/* Let go of the device's reference to the stream in *@slot, if any. */
static void umdev_mtty_migf_drop(struct umdev_mtty_migf **slot)
{
	if (*slot) {
		umdev_mtty_migf_disable(*slot);
		fput((*slot)->filp);
		*slot = NULL;
	}
}

static void umdev_mtty_mig_cleanup(struct umdev_mtty_state *state)
{
	umdev_mtty_migf_drop(&state->saving);
	umdev_mtty_migf_drop(&state->resuming);
}

static int umdev_mtty_migf_release(struct inode *inode, struct file *filp)
{
	struct umdev_mtty_migf *migf = filp->private_data;

	mutex_destroy(&migf->lock);
	kvfree(migf);
	return 0;
}

static ssize_t umdev_mtty_save_read(struct file *filp, char __user *buf,
				    size_t len, loff_t *pos)
{
	struct umdev_mtty_migf *migf = filp->private_data;
	ssize_t ret;

	if (pos)
		return -ESPIPE;
	pos = &filp->f_pos;
	mutex_lock(&migf->lock);
	if (migf->disabled) {
		ret = -ENODEV;
		goto out;
	}
	if (*pos >= migf->len) {
		ret = 0;
		goto out;
	}
	len = min_t(size_t, len, migf->len - *pos);
	if (copy_to_user(buf, migf->buf + *pos, len)) {
		ret = -EFAULT;
		goto out;
	}
	*pos += len;
	ret = len;
out:
	mutex_unlock(&migf->lock);
	return ret;
}

static ssize_t umdev_mtty_resume_write(struct file *filp,
				       const char __user *buf, size_t len,
				       loff_t *pos)
{
	struct umdev_mtty_migf *migf = filp->private_data;
	ssize_t ret;

	if (pos)
		return -ESPIPE;
	mutex_lock(&migf->lock);
	if (migf->disabled) {
		ret = -ENODEV;
		goto out;
	}
	/* A stream longer than ours is refused here; restore checks the
	 * rest. */
	if (len > migf->cap - migf->len) {
		ret = -EFBIG;
		goto out;
	}
	if (copy_from_user(migf->buf + migf->len, buf, len)) {
		ret = -EFAULT;
		goto out;
	}
	migf->len += len;
	filp->f_pos += len;
	ret = len;
out:
	mutex_unlock(&migf->lock);
	return ret;
}

static const struct file_operations umdev_mtty_save_fops = {
	.owner = THIS_MODULE,
	.read = umdev_mtty_save_read,
	.release = umdev_mtty_migf_release,
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 12, 0)
	.llseek = no_llseek, /* removed in 6.12: NULL means the same */
#endif
};

static const struct file_operations umdev_mtty_resume_fops = {
	.owner = THIS_MODULE,
	.write = umdev_mtty_resume_write,
	.release = umdev_mtty_migf_release,
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 12, 0)
	.llseek = no_llseek, /* removed in 6.12: NULL means the same */
#endif
};

static struct umdev_mtty_migf *
umdev_mtty_migf_new(struct umdev_mtty_state *state, bool save)
{
	size_t cap = mtty_model_migration_size(&state->model);
	struct umdev_mtty_migf *migf;
	long n;

	migf = kvzalloc(struct_size(migf, buf, cap), GFP_KERNEL);
	if (!migf)
		return ERR_PTR(-ENOMEM);
	mutex_init(&migf->lock);
	migf->state = state;
	migf->cap = cap;
	if (save) {
		n = mtty_model_save(&state->model, migf->buf, cap);
		if (n < 0) {
			kvfree(migf);
			return ERR_PTR(n);
		}
		migf->len = n;
	}
	migf->filp = anon_inode_getfile(
		save ? "umdev_mtty_save" : "umdev_mtty_resume",
		save ? &umdev_mtty_save_fops : &umdev_mtty_resume_fops, migf,
		save ? O_RDONLY : O_WRONLY);
	if (IS_ERR(migf->filp)) {
		long err = PTR_ERR(migf->filp);

		kvfree(migf);
		return ERR_PTR(err);
	}
	stream_open(migf->filp->f_inode, migf->filp);
	return migf;
}

/*
 * Open a save (@save) or resume stream, keep the device's reference in
 * *@slot and return the file for the user (a second reference).
 */
static struct file *umdev_mtty_open_stream(struct umdev_mtty_state *state,
					   bool save,
					   struct umdev_mtty_migf **slot)
{
	struct umdev_mtty_migf *migf = umdev_mtty_migf_new(state, save);

	if (IS_ERR(migf))
		return ERR_CAST(migf);
	get_file(migf->filp);
	*slot = migf;
	return migf->filp;
}

/* One arc of the migration FSM; the VFIO core splits longer moves. */
static struct file *umdev_mtty_step(struct umdev_mtty_state *state,
				    enum vfio_device_mig_state next)
{
	enum vfio_device_mig_state cur = state->mig_state;
	struct umdev_mtty_migf *migf;
	const char *why = NULL;
	int ret;

	if (cur == VFIO_DEVICE_STATE_STOP &&
	    next == VFIO_DEVICE_STATE_STOP_COPY)
		return umdev_mtty_open_stream(state, true, &state->saving);
	if (cur == VFIO_DEVICE_STATE_STOP_COPY &&
	    next == VFIO_DEVICE_STATE_STOP) {
		umdev_mtty_mig_cleanup(state);
		return NULL;
	}
	if (cur == VFIO_DEVICE_STATE_STOP && next == VFIO_DEVICE_STATE_RESUMING)
		return umdev_mtty_open_stream(state, false, &state->resuming);
	if (cur == VFIO_DEVICE_STATE_RESUMING &&
	    next == VFIO_DEVICE_STATE_STOP) {
		migf = state->resuming;
		mutex_lock(&migf->lock);
		ret = mtty_model_restore(&state->model, migf->buf, migf->len,
					 &why);
		mutex_unlock(&migf->lock);
		umdev_mtty_mig_cleanup(state);
		if (ret) {
			dev_warn(mdev_dev(state->mdev),
				 "migration: restore refused: %s (%d)\n",
				 why ? why : "?", ret);
			/* The device is untouched; the uAPI's way out of a
			 * failed load is ERROR, left by VFIO_DEVICE_RESET. */
			state->mig_state = VFIO_DEVICE_STATE_ERROR;
			return ERR_PTR(ret);
		}
		return NULL;
	}
	/* RUNNING <-> RUNNING_P2P <-> STOP: an emulated device with no DMA
	 * has nothing to quiesce. */
	if ((cur == VFIO_DEVICE_STATE_RUNNING &&
	     next == VFIO_DEVICE_STATE_RUNNING_P2P) ||
	    (cur == VFIO_DEVICE_STATE_RUNNING_P2P &&
	     (next == VFIO_DEVICE_STATE_RUNNING ||
	      next == VFIO_DEVICE_STATE_STOP)) ||
	    (cur == VFIO_DEVICE_STATE_STOP &&
	     next == VFIO_DEVICE_STATE_RUNNING_P2P))
		return NULL;
	return ERR_PTR(-EINVAL);
}

static struct file *umdev_mtty_set_state(struct vfio_device *vdev,
					 enum vfio_device_mig_state new_state)
{
	struct umdev_mtty_state *state =
		container_of(vdev, struct umdev_mtty_state, vdev);
	enum vfio_device_mig_state next;
	struct file *res = NULL;
	int ret;

	mutex_lock(&state->lock);
	/* Only VFIO_DEVICE_RESET leaves ERROR (the core's FSM table has no
	 * arcs from it and warns if asked). */
	if (state->mig_state == VFIO_DEVICE_STATE_ERROR)
		res = ERR_PTR(-EINVAL);
	while (!IS_ERR(res) && state->mig_state != new_state) {
		ret = vfio_mig_get_next_state(vdev, state->mig_state, new_state,
					      &next);
		if (ret) {
			res = ERR_PTR(ret);
			break;
		}
		res = umdev_mtty_step(state, next);
		if (IS_ERR(res))
			break;
		state->mig_state = next;
		if (WARN_ON(res && new_state != next)) {
			fput(res);
			res = ERR_PTR(-EINVAL);
			break;
		}
	}
	mutex_unlock(&state->lock);
	return res;
}

static int umdev_mtty_get_state(struct vfio_device *vdev,
				enum vfio_device_mig_state *cur)
{
	struct umdev_mtty_state *state =
		container_of(vdev, struct umdev_mtty_state, vdev);

	mutex_lock(&state->lock);
	*cur = state->mig_state;
	mutex_unlock(&state->lock);
	return 0;
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
static int umdev_mtty_get_data_size(struct vfio_device *vdev,
				    unsigned long *stop_copy_length)
{
	struct umdev_mtty_state *state =
		container_of(vdev, struct umdev_mtty_state, vdev);

	*stop_copy_length = mtty_model_migration_size(&state->model);
	return 0;
}
#endif

static const struct vfio_migration_ops umdev_mtty_mig_ops = {
	.migration_set_state = umdev_mtty_set_state,
	.migration_get_state = umdev_mtty_get_state,
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
	.migration_get_data_size = umdev_mtty_get_data_size,
#endif
};

/* ---- VFIO device ops ---- */

static int umdev_mtty_init_dev(struct vfio_device *vdev)
{
	struct umdev_mtty_state *state =
		container_of(vdev, struct umdev_mtty_state, vdev);
	struct mdev_device *mdev = to_mdev_device(vdev->dev);
	struct umdev_mtty_type *type =
		container_of(mdev->type, struct umdev_mtty_type, type);
	int avail = atomic_read(&umdev_mtty_avail_ports);
	unsigned int i;
	int ret;

	do {
		if (avail < (int)type->nr_ports)
			return -ENOSPC;
	} while (!atomic_try_cmpxchg(&umdev_mtty_avail_ports, &avail,
				     avail - type->nr_ports));

	state->mdev = mdev;
	state->nr_ports = type->nr_ports;
	mutex_init(&state->lock);
	for (i = 0; i < MTTY_MAX_PORTS; i++) {
		state->timer[i].state = state;
		state->timer[i].port = i;
		INIT_DELAYED_WORK(&state->timer[i].work, umdev_mtty_timer_work);
	}
	ret = mtty_model_init(&state->model, type->nr_ports,
			      &umdev_mtty_host_ops, state);
	if (ret) {
		mutex_destroy(&state->lock);
		atomic_add(type->nr_ports, &umdev_mtty_avail_ports);
		return ret;
	}
	state->mig_state = VFIO_DEVICE_STATE_RUNNING;
	vdev->migration_flags = VFIO_MIGRATION_STOP_COPY | VFIO_MIGRATION_P2P;
	vdev->mig_ops = &umdev_mtty_mig_ops;
	return 0;
}

static void umdev_mtty_release_dev(struct vfio_device *vdev)
{
	struct umdev_mtty_state *state =
		container_of(vdev, struct umdev_mtty_state, vdev);

	atomic_add(state->nr_ports, &umdev_mtty_avail_ports);
	mutex_destroy(&state->lock);
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
	vfio_free_device(vdev);
#endif
}

static int umdev_mtty_open_device(struct vfio_device *vdev)
{
	struct umdev_mtty_state *state =
		container_of(vdev, struct umdev_mtty_state, vdev);

	mutex_lock(&state->lock);
	state->mig_state = VFIO_DEVICE_STATE_RUNNING;
	mutex_unlock(&state->lock);
	return 0;
}

/* Last fd closed: drop every trigger and timer the user left behind. */
static void umdev_mtty_close_device(struct vfio_device *vdev)
{
	struct umdev_mtty_state *state =
		container_of(vdev, struct umdev_mtty_state, vdev);

	mutex_lock(&state->lock);
	mtty_model_set_irq_mode(&state->model, MTTY_IRQ_NONE);
	umdev_mtty_put_trigger(&state->intx_trigger);
	umdev_mtty_put_trigger(&state->msi_trigger);
	umdev_mtty_put_trigger(&state->req_trigger);
	umdev_mtty_mig_cleanup(state);
	state->mig_state = VFIO_DEVICE_STATE_RUNNING;
	mutex_unlock(&state->lock);
	umdev_mtty_cancel_timers(state);
}

static int umdev_mtty_decode_pos(struct umdev_mtty_state *state, loff_t pos,
				 size_t count, unsigned int *index, u64 *offset)
{
	u64 size;

	*index = (u64)pos >> UMDEV_MTTY_OFFSET_SHIFT;
	*offset = (u64)pos & UMDEV_MTTY_OFFSET_MASK;
	if (*index >= VFIO_PCI_NUM_REGIONS)
		return -EINVAL;
	size = mtty_model_region_size(&state->model, *index);
	if (!count || *offset >= size || count > size - *offset)
		return -EINVAL;
	return 0;
}

static ssize_t umdev_mtty_read(struct vfio_device *vdev, char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	struct umdev_mtty_state *state =
		container_of(vdev, struct umdev_mtty_state, vdev);
	u8 buf[PCI_CONFIG_SIZE];
	unsigned int index;
	u64 offset;
	int ret;

	ret = umdev_mtty_decode_pos(state, *ppos, count, &index, &offset);
	if (ret)
		return ret;
	/* decode_pos bounded count by the region size (<= 256). */
	mutex_lock(&state->lock);
	ret = mtty_model_read(&state->model, index, offset, buf, count);
	mutex_unlock(&state->lock);
	if (ret < 0)
		return ret;
	if (copy_to_user(ubuf, buf, count))
		return -EFAULT;
	*ppos += count;
	return count;
}

static ssize_t umdev_mtty_write(struct vfio_device *vdev,
				const char __user *ubuf, size_t count,
				loff_t *ppos)
{
	struct umdev_mtty_state *state =
		container_of(vdev, struct umdev_mtty_state, vdev);
	u8 buf[PCI_CONFIG_SIZE];
	unsigned int index;
	u64 offset;
	int ret;

	ret = umdev_mtty_decode_pos(state, *ppos, count, &index, &offset);
	if (ret)
		return ret;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	mutex_lock(&state->lock);
	ret = mtty_model_write(&state->model, index, offset, buf, count);
	mutex_unlock(&state->lock);
	if (ret < 0)
		return ret;
	*ppos += count;
	return count;
}

static int umdev_mtty_irq_count(unsigned int index)
{
	switch (index) {
	case VFIO_PCI_INTX_IRQ_INDEX:
	case VFIO_PCI_MSI_IRQ_INDEX:
	case VFIO_PCI_REQ_IRQ_INDEX:
		return 1;
	default:
		return 0;
	}
}

/* Install (fd >= 0) or remove (fd == -1) the trigger in *@slot. */
static int umdev_mtty_set_trigger(struct eventfd_ctx **slot, int fd)
{
	struct eventfd_ctx *ctx;

	if (fd < 0) {
		umdev_mtty_put_trigger(slot);
		return 0;
	}
	ctx = eventfd_ctx_fdget(fd);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	umdev_mtty_put_trigger(slot);
	*slot = ctx;
	return 0;
}

/* DATA_NONE, or DATA_BOOL with a true byte: "do it" for count 1. */
static bool umdev_mtty_irq_data_true(u32 flags, const u8 *data)
{
	if (flags & VFIO_IRQ_SET_DATA_NONE)
		return true;
	return (flags & VFIO_IRQ_SET_DATA_BOOL) && data && data[0];
}

static int umdev_mtty_set_irq_trigger(struct umdev_mtty_state *state,
				      unsigned int index, u32 flags, u32 count,
				      const u8 *data)
{
	struct eventfd_ctx **slot = index == VFIO_PCI_INTX_IRQ_INDEX ?
					    &state->intx_trigger :
					    &state->msi_trigger;
	enum mtty_irq_mode mode =
		index == VFIO_PCI_INTX_IRQ_INDEX ? MTTY_IRQ_INTX : MTTY_IRQ_MSI;
	int fd = -1, ret;

	if (count && !(flags & VFIO_IRQ_SET_DATA_EVENTFD)) {
		/* Loopback test interrupt. */
		if (umdev_mtty_irq_data_true(flags, data) && *slot)
			umdev_mtty_signal(*slot);
		return 0;
	}
	if (count)
		memcpy(&fd, data, sizeof(fd));
	if (fd < 0) {
		/* count 0, or eventfd -1: disable the index. */
		if (state->model.irq_mode == mode)
			mtty_model_set_irq_mode(&state->model, MTTY_IRQ_NONE);
		umdev_mtty_put_trigger(slot);
		return 0;
	}
	/* Check the mode switch before taking the fd. */
	if (state->model.irq_mode != MTTY_IRQ_NONE &&
	    state->model.irq_mode != mode)
		return -EINVAL;
	ret = umdev_mtty_set_trigger(slot, fd);
	if (ret)
		return ret;
	return mtty_model_set_irq_mode(&state->model, mode);
}

static int umdev_mtty_set_irqs(struct umdev_mtty_state *state,
			       struct vfio_irq_set *hdr, const u8 *data)
{
	u32 action = hdr->flags & VFIO_IRQ_SET_ACTION_TYPE_MASK;
	int fd;

	switch (hdr->index) {
	case VFIO_PCI_INTX_IRQ_INDEX:
		if (action == VFIO_IRQ_SET_ACTION_MASK) {
			if (hdr->count &&
			    umdev_mtty_irq_data_true(hdr->flags, data))
				mtty_model_intx_mask(&state->model);
			return hdr->flags & VFIO_IRQ_SET_DATA_EVENTFD ?
				       -EINVAL :
				       0;
		}
		if (action == VFIO_IRQ_SET_ACTION_UNMASK) {
			if (hdr->flags & VFIO_IRQ_SET_DATA_EVENTFD)
				return -EINVAL; /* no irqfd unmask here */
			if (hdr->count &&
			    umdev_mtty_irq_data_true(hdr->flags, data))
				mtty_model_intx_unmask(&state->model);
			return 0;
		}
		return umdev_mtty_set_irq_trigger(state, hdr->index, hdr->flags,
						  hdr->count, data);
	case VFIO_PCI_MSI_IRQ_INDEX:
		if (action != VFIO_IRQ_SET_ACTION_TRIGGER)
			return -EINVAL;
		return umdev_mtty_set_irq_trigger(state, hdr->index, hdr->flags,
						  hdr->count, data);
	case VFIO_PCI_REQ_IRQ_INDEX:
		if (action != VFIO_IRQ_SET_ACTION_TRIGGER)
			return -EINVAL;
		if (hdr->count == 0) {
			umdev_mtty_put_trigger(&state->req_trigger);
			return 0;
		}
		if (hdr->flags & VFIO_IRQ_SET_DATA_EVENTFD) {
			memcpy(&fd, data, sizeof(fd));
			return umdev_mtty_set_trigger(&state->req_trigger, fd);
		}
		if (umdev_mtty_irq_data_true(hdr->flags, data) &&
		    state->req_trigger)
			umdev_mtty_signal(state->req_trigger);
		return 0;
	default:
		return -EINVAL;
	}
}

static long umdev_mtty_ioctl_set_irqs(struct umdev_mtty_state *state,
				      unsigned long arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_set, count);
	struct vfio_irq_set hdr;
	size_t data_size = 0;
	u8 *data = NULL;
	int ret;

	if (copy_from_user(&hdr, (void __user *)arg, minsz))
		return -EFAULT;
	ret = vfio_set_irqs_validate_and_prepare(
		&hdr,
		hdr.index < VFIO_PCI_NUM_IRQS ?
			umdev_mtty_irq_count(hdr.index) :
			0,
		VFIO_PCI_NUM_IRQS, &data_size);
	if (ret)
		return ret;
	if (data_size) {
		data = memdup_user((void __user *)(arg + minsz), data_size);
		if (IS_ERR(data))
			return PTR_ERR(data);
	}
	mutex_lock(&state->lock);
	ret = umdev_mtty_set_irqs(state, &hdr, data);
	mutex_unlock(&state->lock);
	kfree(data);
	return ret;
}

static long umdev_mtty_ioctl(struct vfio_device *vdev, unsigned int cmd,
			     unsigned long arg)
{
	struct umdev_mtty_state *state =
		container_of(vdev, struct umdev_mtty_state, vdev);
	unsigned long minsz;

	switch (cmd) {
	case VFIO_DEVICE_GET_INFO: {
		struct vfio_device_info info;

		minsz = offsetofend(struct vfio_device_info, num_irqs);
		if (copy_from_user(&info, (void __user *)arg, minsz))
			return -EFAULT;
		if (info.argsz < minsz)
			return -EINVAL;
		info.flags = VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET;
		info.num_regions = VFIO_PCI_NUM_REGIONS;
		info.num_irqs = VFIO_PCI_NUM_IRQS;
		return copy_to_user((void __user *)arg, &info, minsz) ?
			       -EFAULT :
			       0;
	}
	case VFIO_DEVICE_GET_REGION_INFO: {
		struct vfio_region_info info;

		minsz = offsetofend(struct vfio_region_info, offset);
		if (copy_from_user(&info, (void __user *)arg, minsz))
			return -EFAULT;
		if (info.argsz < minsz || info.index >= VFIO_PCI_NUM_REGIONS)
			return -EINVAL;
		info.size = mtty_model_region_size(&state->model, info.index);
		info.offset = UMDEV_MTTY_INDEX_TO_OFFSET(info.index);
		info.flags = info.size ? VFIO_REGION_INFO_FLAG_READ |
						 VFIO_REGION_INFO_FLAG_WRITE :
					 0;
		info.cap_offset = 0;
		return copy_to_user((void __user *)arg, &info, minsz) ?
			       -EFAULT :
			       0;
	}
	case VFIO_DEVICE_GET_IRQ_INFO: {
		struct vfio_irq_info info;

		minsz = offsetofend(struct vfio_irq_info, count);
		if (copy_from_user(&info, (void __user *)arg, minsz))
			return -EFAULT;
		if (info.argsz < minsz || info.index >= VFIO_PCI_NUM_IRQS)
			return -EINVAL;
		info.count = umdev_mtty_irq_count(info.index);
		info.flags = 0;
		if (info.index == VFIO_PCI_INTX_IRQ_INDEX)
			info.flags = VFIO_IRQ_INFO_EVENTFD |
				     VFIO_IRQ_INFO_MASKABLE |
				     VFIO_IRQ_INFO_AUTOMASKED;
		else if (info.count)
			info.flags = VFIO_IRQ_INFO_EVENTFD |
				     VFIO_IRQ_INFO_NORESIZE;
		return copy_to_user((void __user *)arg, &info, minsz) ?
			       -EFAULT :
			       0;
	}
	case VFIO_DEVICE_SET_IRQS:
		return umdev_mtty_ioctl_set_irqs(state, arg);
	case VFIO_DEVICE_RESET:
		mutex_lock(&state->lock);
		mtty_model_reset(&state->model);
		/* Reset also ends any migration in progress (and ERROR). */
		umdev_mtty_mig_cleanup(state);
		state->mig_state = VFIO_DEVICE_STATE_RUNNING;
		mutex_unlock(&state->lock);
		return 0;
	}
	return -ENOTTY;
}

/* The core wants the device back (removal): ask the user to let go. */
static void umdev_mtty_request(struct vfio_device *vdev, unsigned int count)
{
	struct umdev_mtty_state *state =
		container_of(vdev, struct umdev_mtty_state, vdev);

	mutex_lock(&state->lock);
	if (state->req_trigger) {
		if (!(count % 10))
			dev_notice_ratelimited(
				mdev_dev(state->mdev),
				"relaying device request to user (#%u)\n",
				count);
		umdev_mtty_signal(state->req_trigger);
	} else if (count == 0) {
		dev_notice(
			mdev_dev(state->mdev),
			"no device request channel registered, blocked until released by user\n");
	}
	mutex_unlock(&state->lock);
}

static const struct vfio_device_ops umdev_mtty_dev_ops = {
	.name = "vfio-umdev-mtty",
	.init = umdev_mtty_init_dev,
	.release = umdev_mtty_release_dev,
	.open_device = umdev_mtty_open_device,
	.close_device = umdev_mtty_close_device,
	.read = umdev_mtty_read,
	.write = umdev_mtty_write,
	.ioctl = umdev_mtty_ioctl,
	.request = umdev_mtty_request,
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
	.bind_iommufd = vfio_iommufd_emulated_bind,
	.unbind_iommufd = vfio_iommufd_emulated_unbind,
	.attach_ioas = vfio_iommufd_emulated_attach_ioas,
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
	.detach_ioas = vfio_iommufd_emulated_detach_ioas,
#endif
};

/* ---- mdev driver ---- */

static int umdev_mtty_probe(struct mdev_device *mdev)
{
	struct umdev_mtty_state *state;
	int ret;

	state = vfio_alloc_device(umdev_mtty_state, vdev, &mdev->dev,
				  &umdev_mtty_dev_ops);
	if (IS_ERR(state))
		return PTR_ERR(state);
	ret = vfio_register_emulated_iommu_dev(&state->vdev);
	if (ret) {
		vfio_put_device(&state->vdev);
		return ret;
	}
	dev_set_drvdata(&mdev->dev, state);
	return 0;
}

static void umdev_mtty_remove(struct mdev_device *mdev)
{
	struct umdev_mtty_state *state = dev_get_drvdata(&mdev->dev);

	/* Blocks (calling .request) until every user fd is closed. */
	vfio_unregister_group_dev(&state->vdev);
	vfio_put_device(&state->vdev);
}

static unsigned int umdev_mtty_get_available(struct mdev_type *mtype)
{
	struct umdev_mtty_type *type =
		container_of(mtype, struct umdev_mtty_type, type);

	return atomic_read(&umdev_mtty_avail_ports) / type->nr_ports;
}

static ssize_t umdev_mtty_show_description(struct mdev_type *mtype, char *buf)
{
	struct umdev_mtty_type *type =
		container_of(mtype, struct umdev_mtty_type, type);

	return sysfs_emit(buf, "virtual 16550A serial, %u port%s\n",
			  type->nr_ports, type->nr_ports > 1 ? "s" : "");
}

static struct mdev_driver umdev_mtty_driver = {
	.device_api = VFIO_DEVICE_API_PCI_STRING,
	.driver = {
		.name = "umdev_mtty",
		.owner = THIS_MODULE,
		.mod_name = KBUILD_MODNAME,
	},
	.probe = umdev_mtty_probe,
	.remove = umdev_mtty_remove,
	.get_available = umdev_mtty_get_available,
	.show_description = umdev_mtty_show_description,
};

static int __init umdev_mtty_init(void)
{
	int ret;

	ret = mdev_register_driver(&umdev_mtty_driver);
	if (ret)
		return ret;
	ret = class_register(&umdev_mtty_class);
	if (ret)
		goto err_driver;
	/* A device named "mtty" gives /sys/class/mdev_bus/mtty. */
	umdev_mtty_parent_dev = device_create(&umdev_mtty_class, NULL, 0, NULL,
					      UMDEV_MTTY_NAME);
	if (IS_ERR(umdev_mtty_parent_dev)) {
		ret = PTR_ERR(umdev_mtty_parent_dev);
		goto err_class;
	}
	ret = mdev_register_parent(&umdev_mtty_parent, umdev_mtty_parent_dev,
				   &umdev_mtty_driver, umdev_mtty_type_list,
				   ARRAY_SIZE(umdev_mtty_type_list));
	if (ret)
		goto err_dev;
	pr_info("registered parent %s (%d ports)\n", UMDEV_MTTY_NAME,
		UMDEV_MTTY_TOTAL_PORTS);
	return 0;

err_dev:
	device_unregister(umdev_mtty_parent_dev);
err_class:
	class_unregister(&umdev_mtty_class);
err_driver:
	mdev_unregister_driver(&umdev_mtty_driver);
	return ret;
}

static void __exit umdev_mtty_exit(void)
{
	/* Removes every device first (each remove waits for its users). */
	mdev_unregister_parent(&umdev_mtty_parent);
	device_unregister(umdev_mtty_parent_dev);
	class_unregister(&umdev_mtty_class);
	mdev_unregister_driver(&umdev_mtty_driver);
	if (atomic_read(&umdev_mtty_avail_ports) != UMDEV_MTTY_TOTAL_PORTS)
		pr_warn("leak: %d ports still accounted at unload\n",
			UMDEV_MTTY_TOTAL_PORTS -
				atomic_read(&umdev_mtty_avail_ports));
	pr_info("unloaded\n");
}

module_init(umdev_mtty_init);
module_exit(umdev_mtty_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("umdev mtty: virtual 16550A serial mdev (umdev model)");
MODULE_AUTHOR("umdev project");
MODULE_VERSION("0.1.0");
