// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_mig_commands - VFIO migration over vfio-user: the server's
 * DEVICE_FEATURE (MIGRATION, MIG_DEVICE_STATE, PRECOPY_INFO), MIG_DATA_READ
 * and MIG_DATA_WRITE, in process against a real mtty-2 device
 * (fuzz_server.c), driven as a client would drive them so that the input
 * reaches deep states (a stream read from the device, damaged, written
 * back) rather than dying in the framing, which fuzz_dispatch covers.
 *
 * Input: records of an op byte and its arguments:
 *   op % 8 == 0  SET state: u8 s (s < 0xf8: s % 8, else a u16 out of range)
 *             1  GET state
 *             2  MIG_DATA_READ of u16 bytes (the data is kept, appended)
 *             3  MIG_DATA_WRITE of what was kept, in chunks of u8 (+1)
 *                bytes, after xoring byte u16 (mod length) with u8
 *             4  MIG_DATA_WRITE of u8 bytes of the input
 *             5  PRECOPY_INFO
 *             6  REGION_WRITE then REGION_READ of BAR0 register u8 % 8,
 *                value u8
 *             7  u8 even: DEVICE_RESET; odd: DEVICE_FEATURE with u8 bytes
 *                of the input as payload
 * Checked beyond "no crash", against a shadow of the state machine: a
 * successful SET lands in the state asked for; a refused one leaves the
 * state as it was, or ERROR when it was RESUMING (a refused load) and
 * only then; nothing leaves ERROR but a reset; region access, data reads
 * and PRECOPY_INFO succeed exactly in the states that allow them.
 */
#include <errno.h>
#include <linux/vfio.h>
#include <stdint.h>
#include <string.h>

#include "compat/vfio_precopy.h"
#include "fuzz_server.h"
#include "fuzz_util.h"
#include "vfio-user/wire.h"
#include <umdev/client.h>

#define FUZZ_KEEP 4096

struct fuzz_mig {
	int fd;
	uint16_t id;
	uint32_t state; /* the shadow */
	uint8_t kept[FUZZ_KEEP];
	size_t kept_len;
	uint8_t reply[VU_HDR_SIZE + FUZZ_MAX_RECORD + 64];
	struct vu_hdr hdr; /* of the last reply */
	const uint8_t *payload;
	size_t payload_len;
};

/* One request and its reply: the reply's errno (0 for success). */
static int fuzz_call(struct fuzz_mig *f, uint16_t cmd, const void *payload,
		     size_t len)
{
	uint16_t id = f->id++;
	int n;

	FUZZ_ASSERT(fuzz_send_msg(f->fd, id, cmd, 0, payload, len, NULL, 0));
	n = fuzz_recv_msg(f->fd, f->reply, sizeof(f->reply));
	FUZZ_ASSERT(n >= (int)VU_HDR_SIZE);
	memcpy(&f->hdr, f->reply, sizeof(f->hdr));
	FUZZ_ASSERT(f->hdr.msg_id == id && f->hdr.command == cmd);
	f->payload = f->reply + VU_HDR_SIZE;
	f->payload_len = (size_t)n - VU_HDR_SIZE;
	if (f->hdr.flags & VU_FLAG_ERROR) {
		FUZZ_ASSERT(f->hdr.error != 0 && f->payload_len == 0);
		return (int)f->hdr.error;
	}
	return 0;
}

static int fuzz_feature(struct fuzz_mig *f, uint32_t flags, const void *data,
			uint32_t data_len, uint32_t reply_data)
{
	uint8_t req[64];
	struct vfio_device_feature hdr = {
		.argsz = (uint32_t)sizeof(hdr) + reply_data,
		.flags = flags,
	};

	memcpy(req, &hdr, sizeof(hdr));
	if (data_len)
		memcpy(req + sizeof(hdr), data, data_len);
	return fuzz_call(f, VU_CMD_DEVICE_FEATURE, req, sizeof(hdr) + data_len);
}

static uint32_t fuzz_get_state(struct fuzz_mig *f)
{
	struct vfio_device_feature_mig_state st;

	FUZZ_ASSERT(fuzz_feature(f,
				 VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE |
					 VFIO_DEVICE_FEATURE_GET,
				 NULL, 0, sizeof(st)) == 0);
	FUZZ_ASSERT(f->payload_len ==
		    sizeof(struct vfio_device_feature) + sizeof(st));
	memcpy(&st, f->payload + sizeof(struct vfio_device_feature),
	       sizeof(st));
	FUZZ_ASSERT(st.device_state <= VFIO_DEVICE_STATE_PRE_COPY_P2P);
	return st.device_state;
}

static bool fuzz_stopped(uint32_t s)
{
	return s == VFIO_DEVICE_STATE_STOP ||
	       s == VFIO_DEVICE_STATE_STOP_COPY ||
	       s == VFIO_DEVICE_STATE_RESUMING || s == VFIO_DEVICE_STATE_ERROR;
}

static bool fuzz_saving(uint32_t s)
{
	return s == VFIO_DEVICE_STATE_STOP_COPY ||
	       s == VFIO_DEVICE_STATE_PRE_COPY ||
	       s == VFIO_DEVICE_STATE_PRE_COPY_P2P;
}

static void fuzz_set(struct fuzz_mig *f, struct fuzz_input *in)
{
	struct vfio_device_feature_mig_state st = { .data_fd = -1 };
	uint8_t s = fuzz_u8(in);
	uint32_t before = f->state, now;
	int err;

	st.device_state = s < 0xf8 ? s % 8u : 0x100u + s;
	err = fuzz_feature(f,
			   VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE |
				   VFIO_DEVICE_FEATURE_SET,
			   &st, sizeof(st), sizeof(st));
	now = fuzz_get_state(f);
	if (!err) {
		FUZZ_ASSERT(before != VFIO_DEVICE_STATE_ERROR);
		FUZZ_ASSERT(now == st.device_state);
	} else {
		FUZZ_ASSERT(err == EINVAL || err == EPROTONOSUPPORT);
		FUZZ_ASSERT(now == before ||
			    (now == VFIO_DEVICE_STATE_ERROR &&
			     before == VFIO_DEVICE_STATE_RESUMING));
	}
	f->state = now;
}

static void fuzz_read(struct fuzz_mig *f, struct fuzz_input *in)
{
	struct vu_mig_data req;
	uint16_t size = fuzz_u16(in) % FUZZ_MAX_RECORD;
	int err;

	req.argsz = (uint32_t)sizeof(req) + size;
	req.size = size;
	err = fuzz_call(f, VU_CMD_MIG_DATA_READ, &req, sizeof(req));
	FUZZ_ASSERT(!err == fuzz_saving(f->state));
	if (err)
		return;
	memcpy(&req, f->payload, sizeof(req));
	FUZZ_ASSERT(req.size <= size && req.argsz == f->payload_len &&
		    f->payload_len == sizeof(req) + req.size);
	if (req.size > FUZZ_KEEP - f->kept_len)
		req.size = (uint32_t)(FUZZ_KEEP - f->kept_len);
	memcpy(f->kept + f->kept_len, f->payload + sizeof(req), req.size);
	f->kept_len += req.size;
}

static int fuzz_write(struct fuzz_mig *f, const uint8_t *data, size_t len)
{
	static uint8_t msg[sizeof(struct vu_mig_data) + FUZZ_MAX_RECORD];
	struct vu_mig_data req = { .argsz = sizeof(req),
				   .size = (uint32_t)len };
	int err;

	memcpy(msg, &req, sizeof(req));
	if (len)
		memcpy(msg + sizeof(req), data, len);
	err = fuzz_call(f, VU_CMD_MIG_DATA_WRITE, msg, sizeof(req) + len);
	if (f->state != VFIO_DEVICE_STATE_RESUMING)
		FUZZ_ASSERT(err == EINVAL);
	else
		FUZZ_ASSERT(err == 0 || err == EINVAL || err == EFBIG);
	return err;
}

static void fuzz_write_kept(struct fuzz_mig *f, struct fuzz_input *in)
{
	size_t chunk = (size_t)fuzz_u8(in) + 1, at = fuzz_u16(in), done = 0;
	uint8_t flip = fuzz_u8(in);
	static uint8_t copy[FUZZ_KEEP];

	memcpy(copy, f->kept, f->kept_len);
	if (f->kept_len)
		copy[at % f->kept_len] ^= flip;
	while (done < f->kept_len) {
		size_t n = f->kept_len - done < chunk ? f->kept_len - done :
							chunk;

		if (fuzz_write(f, copy + done, n))
			break;
		done += n;
	}
}

static void fuzz_region(struct fuzz_mig *f, struct fuzz_input *in)
{
	struct {
		struct vu_region_rw rw;
		uint8_t val;
	} __attribute__((packed)) w = {
		.rw = { .offset = fuzz_u8(in) % 8u, .region = 0, .count = 1 },
	};
	int err;

	w.val = fuzz_u8(in);
	err = fuzz_call(f, VU_CMD_REGION_WRITE, &w, sizeof(w));
	FUZZ_ASSERT(fuzz_stopped(f->state) ? err == EBUSY : err == 0);
	err = fuzz_call(f, VU_CMD_REGION_READ, &w.rw, sizeof(w.rw));
	FUZZ_ASSERT(fuzz_stopped(f->state) ? err == EBUSY : err == 0);
}

static void fuzz_other(struct fuzz_mig *f, struct fuzz_input *in)
{
	uint8_t arg = fuzz_u8(in);
	const uint8_t *bytes;
	size_t len;

	if (!(arg & 1)) {
		FUZZ_ASSERT(fuzz_call(f, VU_CMD_DEVICE_RESET, NULL, 0) == 0);
		f->state = fuzz_get_state(f);
		FUZZ_ASSERT(f->state == VFIO_DEVICE_STATE_RUNNING);
		return;
	}
	bytes = fuzz_bytes(in, arg >> 1, &len);
	fuzz_call(f, VU_CMD_DEVICE_FEATURE, bytes, len);
	/* Whatever it was, it is one request: the state is where GET says. */
	f->state = fuzz_get_state(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fuzz_mig f;
	struct fuzz_input in = { .p = data, .left = size };
	uint64_t initial, dirty;
	const uint8_t *bytes;
	size_t len;

	if (!core)
		fuzz_setup();
	fuzz_check_fds("setup", fuzz_device_fds());
	f.fd = fuzz_connect();
	f.id = 1;
	f.kept_len = 0;
	FUZZ_ASSERT(fuzz_negotiate(f.fd));
	FUZZ_ASSERT(fuzz_recv_msg(f.fd, f.reply, sizeof(f.reply)) > 0);
	f.state = fuzz_get_state(&f);
	FUZZ_ASSERT(f.state == VFIO_DEVICE_STATE_RUNNING);

	while (in.left) {
		switch (fuzz_u8(&in) % 8) {
		case 0:
			fuzz_set(&f, &in);
			break;
		case 1:
			FUZZ_ASSERT(fuzz_get_state(&f) == f.state);
			break;
		case 2:
			fuzz_read(&f, &in);
			break;
		case 3:
			fuzz_write_kept(&f, &in);
			break;
		case 4:
			bytes = fuzz_bytes(&in, fuzz_u8(&in), &len);
			fuzz_write(&f, bytes, len);
			break;
		case 5:
			if (fuzz_feature(&f,
					 UMDEV_VU_FEATURE_MIG_PRECOPY_INFO |
						 VFIO_DEVICE_FEATURE_GET,
					 NULL, 0,
					 sizeof(struct vfio_precopy_info)) ==
			    0) {
				FUZZ_ASSERT(
					f.state == VFIO_DEVICE_STATE_PRE_COPY ||
					f.state ==
						VFIO_DEVICE_STATE_PRE_COPY_P2P);
				memcpy(&initial,
				       f.payload +
					       sizeof(struct vfio_device_feature) +
					       8,
				       8);
				memcpy(&dirty,
				       f.payload +
					       sizeof(struct vfio_device_feature) +
					       16,
				       8);
				FUZZ_ASSERT(initial <= FUZZ_KEEP &&
					    dirty <= FUZZ_KEEP);
			} else {
				FUZZ_ASSERT(
					f.state != VFIO_DEVICE_STATE_PRE_COPY &&
					f.state !=
						VFIO_DEVICE_STATE_PRE_COPY_P2P);
			}
			break;
		case 6:
			fuzz_region(&f, &in);
			break;
		default:
			fuzz_other(&f, &in);
			break;
		}
	}
	fuzz_end(f.fd);
	fuzz_check_fds("iteration", fuzz_device_fds());
	return 0;
}
