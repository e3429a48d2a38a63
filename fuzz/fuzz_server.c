// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_server - what the targets that talk vfio-user share (fuzz_server.h):
 * a real mtty-2 device (core + mtty driver + model) served by the real
 * vfio-user server on a socket in a temporary directory, in a tiny loop
 * (struct vu_loop_ops over poll()), and the client side of that socket.
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
#include "mtty_driver.h"
#include "mtty_state.h"
#include "vfio-user/wire.h"
#include <umdev/mdev_host.h>

#define FUZZ_MAX_WATCH 4

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
int fuzz_loop_once(void)
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

struct mdev_core *core;
struct mdev_device *mdev;
struct vu_server *server;
static char dir[64], sock_path[128];
static uint8_t power_on[4096];
static int power_on_len;
static uint8_t rxbuf[1 << 16];

static int fds_before_setup;

int fuzz_device_fds(void)
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

void fuzz_setup(void)
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
bool fuzz_drain(int fd)
{
	for (;;) {
		ssize_t n = recv(fd, rxbuf, sizeof(rxbuf), MSG_DONTWAIT);

		if (n > 0)
			continue;
		return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
	}
}

/* Let the server work until it has nothing left to do. */
void fuzz_pump(int fd)
{
	do
		fuzz_drain(fd);
	while (fuzz_loop_once());
}

/* Send all of @buf (with @fds on its first byte); false if the peer left. */
bool fuzz_send(int fd, const void *buf, size_t len, const int *fds,
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

bool fuzz_send_msg(int fd, uint16_t id, uint16_t cmd, uint32_t flags,
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
	if (len)
		memcpy(msg + VU_HDR_SIZE, payload, len);
	return fuzz_send(fd, msg, VU_HDR_SIZE + len, fds, nr_fds);
}

int fuzz_connect(void)
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

bool fuzz_negotiate(int fd)
{
	static const char caps[] = FUZZ_QEMU_CAPS;
	uint8_t payload[4 + sizeof(caps)] = { 0, 0, 0, 0 };

	memcpy(payload + 4, caps, sizeof(caps));
	return fuzz_send_msg(fd, 0, VU_CMD_VERSION, 0, payload, sizeof(payload),
			     NULL, 0);
}

/* Read one whole message into @buf (header first); its size, or -1. */
int fuzz_recv_msg(int fd, uint8_t *buf, size_t cap)
{
	size_t got = 0, want = VU_HDR_SIZE;
	struct vu_hdr hdr;

	for (int idle = 0; idle < 100;) {
		ssize_t n = recv(fd, buf + got, want - got, MSG_DONTWAIT);

		if (n > 0) {
			got += (size_t)n;
			idle = 0;
			if (got == VU_HDR_SIZE && want == VU_HDR_SIZE) {
				memcpy(&hdr, buf, sizeof(hdr));
				if (hdr.size < VU_HDR_SIZE || hdr.size > cap)
					return -1;
				want = hdr.size;
			}
			if (got == want)
				return (int)got;
			continue;
		}
		if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
			return -1;
		if (!fuzz_loop_once())
			idle++;
	}
	return -1;
}

/*
 * Disconnect @fd, check the server let go of the device, and bring the
 * device back to its power-on state (migration state included: the reset
 * ends any migration), so that every input meets the same device.
 */
void fuzz_end(int fd)
{
	close(fd);
	for (int spins = 0; vu_server_has_client(server) && spins < 100;
	     spins++)
		fuzz_loop_once();
	FUZZ_ASSERT(!vu_server_has_client(server));
	FUZZ_ASSERT(!mdev_is_open(mdev));
	FUZZ_ASSERT(mdev_device_open(mdev) == 0);
	FUZZ_ASSERT(mdev_device_ops(mdev)->reset(mdev) == 0);
	mdev_device_close(mdev);
	FUZZ_ASSERT(mtty_driver_restore(mdev, power_on, power_on_len, NULL) ==
		    0);
}
