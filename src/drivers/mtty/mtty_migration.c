// SPDX-License-Identifier: GPL-2.0-only
/*
 * mtty driver: VFIO migration v2 (STOP_COPY, P2P, PRE_COPY) with the
 * model's versioned stream (mtty_model_save() / mtty_model_restore()).
 * The transport decomposes every request into single arcs; this file
 * takes one arc at a time (docs/migration.md has the whole picture).
 *
 * Saving.  Entering PRE_COPY(_P2P) or STOP_COPY saves the device into a
 * stream that MIG_DATA_READ hands out.  PRE_COPY reports the stream as
 * its initial bytes and, once the device has changed since, one stream's
 * size as dirty bytes.  On PRE_COPY_P2P -> STOP_COPY the device has
 * stopped: if it changed since the snapshot (or nothing of it was read)
 * a fresh full stream is what remains to be read, after any unread rest
 * of the snapshot's.  So a saving session is a sequence of full streams.
 *
 * Loading.  RESUMING collects that sequence; each stream's header says
 * its length, so the last complete one is known.  RESUMING -> STOP loads
 * it; a partial stream at the end, an empty sequence or a stream the
 * model refuses puts the device in ERROR (until reset) and the reason in
 * the daemon's log.
 *
 * While the device is stopped (STOP, STOP_COPY, RESUMING, ERROR) nothing
 * guest-visible changes: region access is refused (config reads aside),
 * interrupts and timer expiries are held back and replayed on the way
 * back to running (STOP -> RUNNING_P2P).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mtty_state.h"

#define S_ERROR VFIO_DEVICE_STATE_ERROR
#define S_STOP VFIO_DEVICE_STATE_STOP
#define S_RUNNING VFIO_DEVICE_STATE_RUNNING
#define S_STOP_COPY VFIO_DEVICE_STATE_STOP_COPY
#define S_RESUMING VFIO_DEVICE_STATE_RESUMING
#define S_RUNNING_P2P VFIO_DEVICE_STATE_RUNNING_P2P
#define S_PRE_COPY VFIO_DEVICE_STATE_PRE_COPY
#define S_PRE_COPY_P2P VFIO_DEVICE_STATE_PRE_COPY_P2P

static struct mdev_state *mtty_mig_state(struct mdev_device *mdev)
{
	return mdev_get_drvdata(mdev);
}

static bool mtty_mig_stopped(uint32_t s)
{
	return s == S_STOP || s == S_STOP_COPY || s == S_RESUMING ||
	       s == S_ERROR;
}

static bool mtty_mig_saving(uint32_t s)
{
	return s == S_PRE_COPY || s == S_PRE_COPY_P2P || s == S_STOP_COPY;
}

static void mtty_mig_drop_stream(struct mtty_mig *mig)
{
	free(mig->buf);
	mig->buf = NULL;
	mig->cap = mig->len = mig->pos = mig->snap_at = 0;
	mig->last_len = mig->cur_len = 0;
	mig->bad = NULL;
}

/* A new saving stream: one full save of the device. */
static int mtty_mig_start_saving(struct mdev_state *state)
{
	struct mtty_mig *mig = &state->mig;
	size_t size = mtty_model_migration_size(&state->model);
	long n;

	mtty_mig_drop_stream(mig);
	/* Room for the unread rest of a snapshot and one more stream. */
	mig->buf = malloc(2 * size);
	if (!mig->buf)
		return -ENOMEM;
	mig->cap = 2 * size;
	n = mtty_model_save(&state->model, mig->buf, size);
	if (n < 0) {
		mtty_mig_drop_stream(mig);
		return (int)n;
	}
	mig->len = (size_t)n;
	return 0;
}

/* Has the device changed since the latest snapshot? */
static bool mtty_mig_changed(struct mdev_state *state, uint8_t *scratch,
			     size_t size)
{
	struct mtty_mig *mig = &state->mig;
	long n = mtty_model_save(&state->model, scratch, size);

	return n < 0 || (size_t)n != mig->len - mig->snap_at ||
	       memcmp(scratch, mig->buf + mig->snap_at, (size_t)n) != 0;
}

/* PRE_COPY_P2P -> STOP_COPY: what remains to read ends with the state now. */
static int mtty_mig_final_stream(struct mdev_state *state)
{
	struct mtty_mig *mig = &state->mig;
	size_t size = mtty_model_migration_size(&state->model);
	uint8_t *fresh = malloc(size);
	long n;

	if (!fresh)
		return -ENOMEM;
	if (mig->pos == 0) {
		/* Nothing read yet: the state now is all there is to send. */
		n = mtty_model_save(&state->model, mig->buf, size);
		mig->len = n < 0 ? 0 : (size_t)n;
		mig->snap_at = 0;
	} else if (mtty_mig_changed(state, fresh, size)) {
		/* Keep the unread rest; then one more full stream. */
		memmove(mig->buf, mig->buf + mig->pos, mig->len - mig->pos);
		mig->len -= mig->pos;
		mig->pos = 0;
		n = mtty_model_save(&state->model, mig->buf + mig->len, size);
		if (n >= 0) {
			mig->snap_at = mig->len;
			mig->len += (size_t)n;
		}
	} else {
		n = 0; /* unchanged: the snapshot is the final state */
	}
	free(fresh);
	return n < 0 ? (int)n : 0;
}

/* A new loading stream: room for the last complete stream and one more. */
static int mtty_mig_start_loading(struct mdev_state *state)
{
	struct mtty_mig *mig = &state->mig;
	/* Larger than any mtty stream (a 2-port one included), so that a
	 * stream of another type reaches the model, which says why. */
	size_t size = 2 * mtty_model_migration_size(&state->model);

	mtty_mig_drop_stream(mig);
	mig->buf = malloc(2 * size);
	if (!mig->buf)
		return -ENOMEM;
	mig->cap = 2 * size;
	return 0;
}

static void mtty_mig_log(struct mdev_state *state, const char *what,
			 const char *why, int err)
{
	fprintf(stderr, "umdev mtty %s: migration: %s: %s (%s)\n",
		mdev_uuid_str(state->mdev), what, why, strerror(-err));
}

/* RESUMING -> STOP: load the last complete stream. */
static int mtty_mig_load(struct mdev_state *state)
{
	struct mtty_mig *mig = &state->mig;
	const char *why = mig->bad;
	int ret = -EINVAL;

	if (!why && mig->cur_len)
		why = "truncated stream";
	else if (!why && !mig->last_len)
		why = "no stream received";
	if (!why)
		ret = mtty_model_restore(&state->model, mig->buf, mig->last_len,
					 &why);
	mtty_mig_drop_stream(mig);
	if (ret) {
		mtty_mig_log(state, "stream refused", why ? why : "?", ret);
		/* The device is untouched; only a reset leaves ERROR. */
		mig->state = S_ERROR;
	}
	return ret;
}

/* STOP -> RUNNING_P2P: deliver what was held back while stopped. */
static void mtty_mig_restart(struct mdev_state *state)
{
	struct mtty_mig *mig = &state->mig;
	enum mtty_irq_mode mode = mig->irq_held;
	unsigned int port;

	mig->irq_held = MTTY_IRQ_NONE;
	for (port = 0; port < MTTY_MAX_PORTS; port++) {
		if (mig->timer_held[port]) {
			mig->timer_held[port] = false;
			mtty_model_timer_expired(&state->model, port);
		}
	}
	if (mode != MTTY_IRQ_NONE)
		mtty_model_host.raise_irq(state, mode);
}

int mtty_mig_get_flags(struct mdev_device *mdev, uint64_t *flags)
{
	*flags = VFIO_MIGRATION_STOP_COPY | VFIO_MIGRATION_P2P |
		 VFIO_MIGRATION_PRE_COPY;
	return 0;
}

int mtty_mig_get_state(struct mdev_device *mdev, uint32_t *state)
{
	*state = mtty_mig_state(mdev)->mig.state;
	return 0;
}

/* One arc: the action it takes, 0 or -errno; -ENOENT if it is none. */
static int mtty_mig_arc(struct mdev_state *state, uint32_t from, uint32_t to)
{
	switch (from) {
	case S_RUNNING:
		if (to == S_RUNNING_P2P)
			return 0;
		if (to == S_PRE_COPY)
			return mtty_mig_start_saving(state);
		break;
	case S_RUNNING_P2P:
		if (to == S_RUNNING || to == S_STOP)
			return 0; /* no DMA, no peer to quiesce */
		if (to == S_PRE_COPY_P2P)
			return mtty_mig_start_saving(state);
		break;
	case S_STOP:
		if (to == S_RUNNING_P2P) {
			/* Running again before the replay, or it is held. */
			state->mig.state = S_RUNNING_P2P;
			mtty_mig_restart(state);
			return 0;
		}
		if (to == S_STOP_COPY)
			return mtty_mig_start_saving(state);
		if (to == S_RESUMING)
			return mtty_mig_start_loading(state);
		break;
	case S_STOP_COPY:
		if (to == S_STOP) {
			mtty_mig_drop_stream(&state->mig);
			return 0;
		}
		break;
	case S_RESUMING:
		if (to == S_STOP)
			return mtty_mig_load(state);
		break;
	case S_PRE_COPY:
		if (to == S_RUNNING) {
			mtty_mig_drop_stream(&state->mig);
			return 0;
		}
		if (to == S_PRE_COPY_P2P)
			return 0;
		break;
	case S_PRE_COPY_P2P:
		if (to == S_RUNNING_P2P) {
			mtty_mig_drop_stream(&state->mig);
			return 0;
		}
		if (to == S_PRE_COPY)
			return 0;
		if (to == S_STOP_COPY)
			return mtty_mig_final_stream(state);
		break;
	}
	return -ENOENT;
}

int mtty_mig_set_state(struct mdev_device *mdev, uint32_t new_state)
{
	struct mdev_state *state = mtty_mig_state(mdev);
	int ret;

	ret = mtty_mig_arc(state, state->mig.state, new_state);
	if (ret == -ENOENT)
		return -EINVAL; /* not one arc: nothing changed */
	/* On failure the state is the one it was, or ERROR (a refused load). */
	if (ret == 0)
		state->mig.state = new_state;
	return ret;
}

long mtty_mig_read_data(struct mdev_device *mdev, void *buf, size_t len)
{
	struct mtty_mig *mig = &mtty_mig_state(mdev)->mig;
	size_t n;

	if (!mtty_mig_saving(mig->state) || !mig->buf)
		return -EINVAL;
	n = mig->len - mig->pos;
	if (n > len)
		n = len;
	memcpy(buf, mig->buf + mig->pos, n);
	mig->pos += n;
	return (long)n;
}

long mtty_mig_write_data(struct mdev_device *mdev, const void *buf, size_t len)
{
	struct mtty_mig *mig = &mtty_mig_state(mdev)->mig;
	const uint8_t *in = buf;
	size_t half = mig->cap / 2, done = 0, want, n;
	uint64_t total;
	uint8_t *cur;

	if (mig->state != S_RESUMING || !mig->buf || mig->bad)
		return -EINVAL;
	cur = mig->buf + half;
	while (done < len) {
		/* The header first, then as much as it says. */
		want = MTTY_MIGRATION_HEADER_SIZE;
		if (mig->cur_len >= MTTY_MIGRATION_HEADER_SIZE) {
			total = mtty_model_stream_length(cur);
			if (total > half) {
				mig->bad = "stream longer than any mtty stream";
				return -EFBIG;
			}
			if (total == MTTY_MIGRATION_HEADER_SIZE) {
				mig->bad = "stream without payload";
				return -EINVAL;
			}
			want = (size_t)total;
		}
		n = want - mig->cur_len;
		if (n > len - done)
			n = len - done;
		memcpy(cur + mig->cur_len, in + done, n);
		mig->cur_len += n;
		done += n;
		if (mig->cur_len == want && want > MTTY_MIGRATION_HEADER_SIZE) {
			/* One complete stream: it becomes the last one. */
			memcpy(mig->buf, cur, want);
			mig->last_len = want;
			mig->cur_len = 0;
		}
	}
	return (long)len;
}

int mtty_mig_precopy_info(struct mdev_device *mdev, uint64_t *initial_bytes,
			  uint64_t *dirty_bytes)
{
	struct mdev_state *state = mtty_mig_state(mdev);
	struct mtty_mig *mig = &state->mig;
	size_t size = mtty_model_migration_size(&state->model);
	uint8_t *scratch;

	if ((mig->state != S_PRE_COPY && mig->state != S_PRE_COPY_P2P) ||
	    !mig->buf)
		return -EINVAL;
	scratch = malloc(size);
	if (!scratch)
		return -ENOMEM;
	*initial_bytes = mig->len - mig->pos;
	*dirty_bytes = mtty_mig_changed(state, scratch, size) ? size : 0;
	free(scratch);
	return 0;
}

int mtty_mig_check_access(const struct mdev_state *state, uint32_t index,
			  bool write)
{
	if (!mtty_mig_stopped(state->mig.state))
		return 0;
	if (index == VFIO_PCI_CONFIG_REGION_INDEX && !write)
		return 0;
	return -EBUSY;
}

bool mtty_mig_hold_irq(struct mdev_state *state, enum mtty_irq_mode mode)
{
	if (!mtty_mig_stopped(state->mig.state))
		return false;
	state->mig.irq_held = mode;
	return true;
}

bool mtty_mig_hold_timer(struct mdev_state *state, unsigned int port)
{
	if (!mtty_mig_stopped(state->mig.state) || port >= MTTY_MAX_PORTS)
		return false;
	state->mig.timer_held[port] = true;
	return true;
}

void mtty_mig_reset(struct mdev_state *state)
{
	struct mtty_mig *mig = &state->mig;
	unsigned int port;

	mtty_mig_drop_stream(mig);
	mig->irq_held = MTTY_IRQ_NONE;
	for (port = 0; port < MTTY_MAX_PORTS; port++)
		mig->timer_held[port] = false;
	mig->state = S_RUNNING;
}

void mtty_mig_free(struct mdev_state *state)
{
	mtty_mig_drop_stream(&state->mig);
}
