// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_dispatch - the vfio-user server's framing, decoding and dispatch,
 * in process, against a real mtty device (core + mtty driver + model).
 *
 * The server listens on a socket in a temporary directory and lives in a
 * tiny loop here (struct vu_loop_ops over poll()).  Each iteration connects
 * a client, negotiates a valid VERSION, sends the input as a sequence of
 * messages, reads whatever comes back, and disconnects; the device is then
 * restored to its power-on state (through its migration stream) so that
 * every input runs against the same device.  An iteration must leave no
 * fd behind (checked here) and no memory (LeakSanitizer).  The device's
 * own fds live as long as it does (mtty makes a port's timer, a timerfd,
 * the first time the model arms it): those are counted from the device,
 * and once it is removed, at exit, every fd it made must be gone.
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

#include "fuzz_util.h"
#include "mtty_driver.h"
#include "mtty_state.h"
#include "vfio-user/server.h"
#include "vfio-user/wire.h"
#include <umdev/mdev_host.h>

#define FUZZ_UUID "f0d15000-0000-4000-8000-000000000001"
#define FUZZ_MAX_WATCH 4
#define FUZZ_MAX_RECORD 4096
#define FUZZ_QEMU_CAPS                                       \
	"{\"capabilities\":{\"migration\":{\"pgsize\":4096," \
	"\"max_bitmap_size\":268435456},\"max_msg_fds\":16," \
	"\"max_data_xfer_size\":1048576,\"pgsizes\":4096,"   \
	"\"max_dma_maps\":65535,\"write_multiple\":true}}"

/* ---- a tiny event loop for the server ---- */

struct fuzz_watch {
	int fd;
	uint32_t events;
	void (*cb)(void *arg, uint32_t revents);
	void *arg;
};

static struct fuzz_watch watches[FUZZ_MAX_WATCH];

static int fuzz_loop_watch(void *loop, int fd, uint32_t events,
			   void (*cb)(void *arg, uint32_t revents), void *arg)
{
	for (int i = 0; i < FUZZ_MAX_WATCH; i++) {
		FUZZ_ASSERT(!watches[i].cb || watches[i].fd != fd);
		if (!watches[i].cb) {
			watches[i] = (struct fuzz_watch){ fd, events, cb, arg };
			return 0;
		}
	}
	FUZZ_ASSERT(!"server watches more fds than it should");
	return -ENOSPC;
}

static int fuzz_loop_modify(void *loop, int fd, uint32_t events)
{
	for (int i = 0; i < FUZZ_MAX_WATCH; i++) {
		if (watches[i].cb && watches[i].fd == fd) {
			watches[i].events = events;
			return 0;
		}
	}
	FUZZ_ASSERT(!"modify of an fd that is not watched");
	return -ENOENT;
}

static void fuzz_loop_unwatch(void *loop, int fd)
{
	for (int i = 0; i < FUZZ_MAX_WATCH; i++) {
		if (watches[i].cb && watches[i].fd == fd) {
			watches[i].cb = NULL;
			return;
		}
	}
	FUZZ_ASSERT(!"unwatch of an fd that is not watched");
}

static const struct vu_loop_ops fuzz_loop = {
	.watch = fuzz_loop_watch,
	.modify = fuzz_loop_modify,
	.unwatch = fuzz_loop_unwatch,
};

/*
 * Run every ready callback once.  Return: how many ran.  Callbacks may
 * unwatch (and so change the table): take a snapshot first.
 */
static int fuzz_loop_once(void)
{
	struct fuzz_watch ready[FUZZ_MAX_WATCH];
	struct pollfd pfd[FUZZ_MAX_WATCH];
	int n = 0, ran = 0;

	for (int i = 0; i < FUZZ_MAX_WATCH; i++) {
		if (!watches[i].cb)
			continue;
		ready[n] = watches[i];
		pfd[n].fd = watches[i].fd;
		pfd[n].events = (watches[i].events & EPOLLIN ? POLLIN : 0) |
				(watches[i].events & EPOLLOUT ? POLLOUT : 0);
		n++;
	}
	if (poll(pfd, n, 0) <= 0)
		return 0;
	for (int i = 0; i < n; i++) {
		uint32_t rev = 0;
		bool still = false;

		if (!pfd[i].revents)
			continue;
		/* Skip a watch an earlier callback removed. */
		for (int j = 0; j < FUZZ_MAX_WATCH; j++)
			still |= watches[j].cb == ready[i].cb &&
				 watches[j].fd == ready[i].fd;
		if (!still)
			continue;
		rev |= pfd[i].revents & POLLIN ? EPOLLIN : 0;
		rev |= pfd[i].revents & POLLOUT ? EPOLLOUT : 0;
		rev |= pfd[i].revents & POLLHUP ? EPOLLHUP : 0;
		rev |= pfd[i].revents & POLLERR ? EPOLLERR : 0;
		ready[i].cb(ready[i].arg, rev);
		ran++;
	}
	return ran;
}

/* ---- the device and its server ---- */

static struct mdev_core *core;
static struct mdev_device *mdev;
static struct vu_server *server;
static char dir[64], sock_path[128];
static uint8_t power_on[4096];
static int power_on_len;
static uint8_t rxbuf[1 << 16];
static int fds_before_setup;

/* Fds the device holds for its life: the port timers made so far. */
static int fuzz_device_fds(void)
{
	const struct mdev_state *st = mdev_get_drvdata(mdev);
	int n = 0;

	for (unsigned int i = 0; i < st->model.nr_ports; i++)
		n += st->timers[i].timer != NULL;
	return n;
}

static void fuzz_cleanup(void)
{
	vu_server_free(server);
	mdev_core_free(core);
	rmdir(dir);
	/* The server and the device are gone: so is every fd they made. */
	if (fuzz_fd_count() != fds_before_setup) {
		fuzz_list_fds();
		fuzz_fail("FUZZ: fd leak: fds outlived the device and server");
	}
}

static void fuzz_setup(void)
{
	struct vu_server_config cfg = { 0 };

	fds_before_setup = fuzz_fd_count();
	core = mdev_core_new(NULL, NULL);
	FUZZ_ASSERT(core);
	FUZZ_ASSERT(mtty_driver_register(core) == 0);
	FUZZ_ASSERT(mdev_core_create(core, FUZZ_UUID, "mtty", "mtty-2",
				     &mdev) == 0);
	power_on_len = mtty_driver_save(mdev, power_on, sizeof(power_on));
	FUZZ_ASSERT(power_on_len > 0);

	snprintf(dir, sizeof(dir), "/tmp/umdev-fuzz-XXXXXX");
	FUZZ_ASSERT(mkdtemp(dir));
	snprintf(sock_path, sizeof(sock_path), "%s/%s.sock", dir, FUZZ_UUID);
	cfg.socket_path = sock_path;
	cfg.mdev = mdev;
	cfg.loop = &fuzz_loop;
	server = vu_server_new(&cfg);
	FUZZ_ASSERT(server);
	atexit(fuzz_cleanup);
}

/* ---- the client side ---- */

/* Read and drop whatever the server sent; false once it closed. */
static bool fuzz_drain(int fd)
{
	for (;;) {
		ssize_t n = recv(fd, rxbuf, sizeof(rxbuf), MSG_DONTWAIT);

		if (n > 0)
			continue;
		return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
	}
}

/* Let the server work until it has nothing left to do. */
static void fuzz_pump(int fd)
{
	do
		fuzz_drain(fd);
	while (fuzz_loop_once());
}

/* Send all of @buf (with @fds on its first byte); false if the peer left. */
static bool fuzz_send(int fd, const void *buf, size_t len, const int *fds,
		      size_t nr_fds)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t n = vu_wire_send(fd, p, len, fds, nr_fds, MSG_DONTWAIT);

		if (n == -EAGAIN) {
			/* Socket full: the server must take some. */
			if (!fuzz_loop_once() && !vu_server_has_client(server))
				return false;
			fuzz_drain(fd);
			continue;
		}
		if (n < 0)
			return false;
		p += n;
		len -= n;
		nr_fds = 0;
	}
	return true;
}

static bool fuzz_send_msg(int fd, uint16_t id, uint16_t cmd, uint32_t flags,
			  const void *payload, size_t len, const int *fds,
			  size_t nr_fds)
{
	static uint8_t msg[VU_HDR_SIZE + FUZZ_MAX_RECORD];
	struct vu_hdr hdr = {
		.msg_id = id,
		.command = cmd,
		.size = VU_HDR_SIZE + len,
		.flags = flags,
	};

	memcpy(msg, &hdr, sizeof(hdr));
	memcpy(msg + VU_HDR_SIZE, payload, len);
	return fuzz_send(fd, msg, VU_HDR_SIZE + len, fds, nr_fds);
}

static int fuzz_connect(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	FUZZ_ASSERT(fd >= 0);
	strcpy(sun.sun_path, sock_path);
	FUZZ_ASSERT(connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0);
	fuzz_loop_once(); /* the server accepts */
	FUZZ_ASSERT(vu_server_has_client(server));
	return fd;
}

static bool fuzz_negotiate(int fd)
{
	static const char caps[] = FUZZ_QEMU_CAPS;
	uint8_t payload[4 + sizeof(caps)] = { 0, 0, 0, 0 };

	memcpy(payload + 4, caps, sizeof(caps));
	return fuzz_send_msg(fd, 0, VU_CMD_VERSION, 0, payload, sizeof(payload),
			     NULL, 0);
}

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

	/* Disconnect: the server notices end-of-file. */
	close(fd);
	for (int spins = 0; vu_server_has_client(server) && spins < 100;
	     spins++)
		fuzz_loop_once();
	FUZZ_ASSERT(!vu_server_has_client(server));
	FUZZ_ASSERT(!mdev_is_open(mdev));

	/* Every input meets the same device. */
	FUZZ_ASSERT(mtty_driver_restore(mdev, power_on, power_on_len, NULL) ==
		    0);
	fuzz_check_fds("iteration", fuzz_device_fds());
	return 0;
}
