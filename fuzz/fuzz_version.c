// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_version - the VERSION payload parser and negotiator
 * (src/vfio-user/version.c).  The input is a VERSION payload: u16 major,
 * u16 minor, NUL-terminated JSON.
 *
 * Beyond "no crash, no leak": whatever parses must survive a round trip
 * through vu_version_format(), negotiation must agree with parsing, and
 * what is agreed must never exceed what the server offers.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "fuzz_util.h"
#include "vfio-user/version.h"
#include "vfio-user/wire.h"

static void fuzz_version_round_trip(uint16_t major, uint16_t minor,
				    const struct vu_caps *caps)
{
	struct vu_caps back;
	uint16_t major2, minor2;
	const char *why;
	char buf[1024];
	int len;

	len = vu_version_format(major, minor, caps, buf, sizeof(buf));
	FUZZ_ASSERT(len > 4 && (size_t)len <= sizeof(buf));
	FUZZ_ASSERT(vu_version_parse(buf, len, &major2, &minor2, &back, &why) ==
		    0);
	FUZZ_ASSERT(major2 == major && minor2 == minor);
	FUZZ_ASSERT(back.max_msg_fds == caps->max_msg_fds);
	FUZZ_ASSERT(back.max_data_xfer_size == caps->max_data_xfer_size);
	FUZZ_ASSERT(back.pgsizes == caps->pgsizes);
	FUZZ_ASSERT(back.max_dma_maps == caps->max_dma_maps);
	FUZZ_ASSERT(back.write_multiple == caps->write_multiple);
	/* "migration" is written exactly when the caps have it. */
	FUZZ_ASSERT(back.migration == caps->migration);

	/* Too small a buffer is refused, never overrun. */
	FUZZ_ASSERT(vu_version_format(major, minor, caps, buf, len - 1) ==
		    -ENOSPC);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vu_caps caps, ours, agreed;
	uint16_t major = 0, minor = 0, agreed_minor = 0;
	const char *why = NULL;
	int parsed, negotiated;

	parsed = vu_version_parse(data, size, &major, &minor, &caps, &why);
	FUZZ_ASSERT(parsed == 0 || parsed == -EINVAL || parsed == -ENOMEM);
	FUZZ_ASSERT(why != NULL);
	if (parsed == 0)
		fuzz_version_round_trip(major, minor, &caps);

	/* What the server offers (see vu_server_new()). */
	ours.present = VU_CAP_ALL;
	ours.max_msg_fds = VU_MAX_MSG_FDS;
	ours.max_data_xfer_size = VU_MAX_DATA_XFER;
	ours.pgsizes = VU_PGSIZES;
	ours.max_dma_maps = VU_MAX_DMA_MAPS;
	ours.write_multiple = true;
	/* A device with and without migration, input by input. */
	ours.migration = size & 1;
	negotiated = vu_version_negotiate(data, size, &ours, &agreed,
					  &agreed_minor, &why);
	FUZZ_ASSERT(why != NULL);
	if (parsed == -ENOMEM || negotiated == -ENOMEM)
		return 0;
	/* Refused only for a parse error, another major, or no page size
	 * in common. */
	FUZZ_ASSERT((negotiated == 0) ==
		    (parsed == 0 && major == VU_VERSION_MAJOR &&
		     (caps.pgsizes & ours.pgsizes) != 0));
	if (negotiated == 0) {
		FUZZ_ASSERT(agreed_minor <= VU_VERSION_MINOR &&
			    agreed_minor <= minor);
		FUZZ_ASSERT(agreed.max_data_xfer_size >= 1 &&
			    agreed.max_data_xfer_size <=
				    ours.max_data_xfer_size);
		FUZZ_ASSERT(agreed.max_dma_maps <= ours.max_dma_maps);
		FUZZ_ASSERT(!agreed.write_multiple || caps.write_multiple);
		/* Offered back only when both sides have it. */
		FUZZ_ASSERT(agreed.migration ==
			    (ours.migration && caps.migration));
		fuzz_version_round_trip(VU_VERSION_MAJOR, agreed_minor,
					&agreed);
	}
	return 0;
}
