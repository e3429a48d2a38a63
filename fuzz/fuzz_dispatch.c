// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_dispatch - the vfio-user server's framing, decoding and dispatch,
 * in process, against a real mtty device (core + mtty driver + model).
 *
 * The server listens on a socket in a temporary directory and lives in a
 * tiny loop here (struct vu_loop_ops over poll()).  Each iteration connects
 * a client, negotiates a valid VERSION, sends the input as a sequence of
 * messages, reads whatever comes back, and disconnects; the device is then
 * reset and restored to its power-on state (through its migration stream)
 * so that every input runs against the same device (fuzz_server.c has the
 * device, the server and the loop).  An iteration must leave no
 * fd behind (checked here) and no memory (LeakSanitizer).  The device's
 * own fds live as long as it does (mtty makes a port's timer, a timerfd,
 * the first time the model arms it): those are counted from the device
 * (fuzz_device_fds()), and once it is removed, at exit, every fd it made
 * must be gone.
 *
 * Input: records of one control byte c, a u16 length n (little-endian) and
 * n bytes:
 *   c & 0x80      the n bytes go on the wire as they are (framing, raw
 *                 headers, partial messages);
 *   otherwise     a message with command c & 0x1f, the n bytes as payload,
 *                 the no-reply flag if c & 0x20, and, if c & 0x40, one or
 *                 two eventfds (SCM_RIGHTS), as SET_IRQS and DMA_MAP take.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "fuzz_server.h"
#include "fuzz_util.h"
#include "vfio-user/wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { .p = data, .left = size };
	uint16_t id = 1;
	bool alive;
	int fd;

	if (!core)
		fuzz_setup();
	fuzz_check_fds("setup", fuzz_device_fds());

	fd = fuzz_connect();
	alive = fuzz_negotiate(fd);
	fuzz_pump(fd);
	while (alive && in.left && vu_server_has_client(server)) {
		uint8_t c = fuzz_u8(&in);
		size_t want = fuzz_u16(&in), len;
		const uint8_t *bytes;
		int fds[2] = { -1, -1 };
		size_t nr_fds = 0;

		if (want > FUZZ_MAX_RECORD)
			want = FUZZ_MAX_RECORD;
		bytes = fuzz_bytes(&in, want, &len);
		if (c & 0x80) {
			alive = fuzz_send(fd, bytes, len, NULL, 0);
		} else {
			if (c & 0x40) {
				nr_fds = len && (bytes[0] & 1) ? 2 : 1;
				for (size_t i = 0; i < nr_fds; i++) {
					fds[i] = eventfd(0, EFD_CLOEXEC);
					FUZZ_ASSERT(fds[i] >= 0);
				}
			}
			alive = fuzz_send_msg(fd, id++, c & 0x1f,
					      c & 0x20 ? VU_FLAG_NO_REPLY : 0,
					      bytes, len, fds, nr_fds);
			/* The server has its own copies (or none). */
			for (size_t i = 0; i < nr_fds; i++)
				close(fds[i]);
		}
		fuzz_pump(fd);
	}

	fuzz_end(fd);
	fuzz_check_fds("iteration", fuzz_device_fds());
	return 0;
}
