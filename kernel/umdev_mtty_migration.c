// SPDX-License-Identifier: GPL-2.0-only
/*
 * umdev_mtty migration: VFIO migration v2 (STOP_COPY + P2P).  The model
 * saves itself into one buffer; a save file hands it out on read, a resume
 * file collects it on write and the model checks it on RESUMING -> STOP.
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/version.h>
#include <linux/vfio.h>

#include "umdev_mtty.h"

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
	struct umdev_mtty_state *state = umdev_mtty_vdev_to_state(vdev);
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
	struct umdev_mtty_state *state = umdev_mtty_vdev_to_state(vdev);

	mutex_lock(&state->lock);
	*cur = state->mig_state;
	mutex_unlock(&state->lock);
	return 0;
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
static int umdev_mtty_get_data_size(struct vfio_device *vdev,
				    unsigned long *stop_copy_length)
{
	struct umdev_mtty_state *state = umdev_mtty_vdev_to_state(vdev);

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

/**
 * umdev_mtty_mig_init() - advertise migration v2 on a new device
 * @state: the device, its vfio_device not yet registered
 */
void umdev_mtty_mig_init(struct umdev_mtty_state *state)
{
	state->mig_state = VFIO_DEVICE_STATE_RUNNING;
	state->vdev.migration_flags = VFIO_MIGRATION_STOP_COPY |
				      VFIO_MIGRATION_P2P;
	state->vdev.mig_ops = &umdev_mtty_mig_ops;
}

/**
 * umdev_mtty_mig_reset() - end any migration in progress, back to RUNNING
 * @state: the device, state->lock held
 *
 * Also the only way out of ERROR (VFIO_DEVICE_RESET, or the last close).
 */
void umdev_mtty_mig_reset(struct umdev_mtty_state *state)
{
	umdev_mtty_mig_cleanup(state);
	state->mig_state = VFIO_DEVICE_STATE_RUNNING;
}
