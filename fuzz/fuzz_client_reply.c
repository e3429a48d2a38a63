// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_client_reply - the client library (src/vfio-user/client.c) against
 * a hostile device server.  A thread of the target plays the server on a
 * real UNIX socket: for each request the client sends, it takes the next
 * record of the input and answers with it.  Record: a control byte, a u16
 * payload length, the payload.  Control bits: 0x01 corrupt the msg_id,
 * 0x02 corrupt the command, 0x04 set the error flag (errno from the first
 * payload byte), 0x08 lie in the size field (claim up to 64 KiB more),
 * 0x10 send no reply and hang up, 0x20 add one more byte after the reply
 * (junk for the next read).  When the records run out the server hangs up.
 *
 * The client does what `umdevctl info` does (VERSION at connect,
 * DEVICE_GET_INFO, every region and IRQ index it reports, a config-space
 * read) and then a write, SET_IRQS and a reset.  Invariants: no crash,
 * leak or hang (the timeout is short and every loop is bounded by what
 * the client accepted); reported counts are within the library's bounds;
 * a read returns at most what was asked; once a call timed out the
 * client refuses further requests.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <umdev/client.h>

#include "fuzz_util.h"

struct hdr {
	uint16_t msg_id;
	uint16_t command;
	uint32_t size;
	uint32_t flags;
	uint32_t error;
} __attribute__((packed));

static char dir[64], path[128];
static int listen_fd = -1;

struct server {
	struct fuzz_input in;
	int fd;
};

/* Read one request (header and payload, fds discarded); false at EOF. */
static bool server_read(int fd, struct hdr *h)
{
	static uint8_t buf[1 << 16];
	size_t got = 0, want = sizeof(*h);

	while (got < want) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		/*
		 * A client waiting for the rest of a reply (junk shifted its
		 * framing) sends nothing: hang up soon rather than let both
		 * sides wait for the client's timeout.
		 */
		if (poll(&p, 1, 20) != 1)
			return false;
		n = recv(fd, buf + got,
			 want - got > sizeof(buf) - got ? sizeof(buf) - got :
							  want - got,
			 0);
		if (n <= 0)
			return false;
		got += n;
		if (got == sizeof(*h)) {
			memcpy(h, buf, sizeof(*h));
			if (h->size < sizeof(*h) || h->size > sizeof(buf))
				return false;
			want = h->size;
		}
	}
	return true;
}

static void *server_run(void *arg)
{
	struct server *s = arg;
	static uint8_t out[sizeof(struct hdr) + 65536 + 1];
	struct hdr req, rep;

	while (s->in.left && server_read(s->fd, &req)) {
		uint8_t ctl = fuzz_u8(&s->in);
		uint16_t len = fuzz_u16(&s->in);
		const uint8_t *payload;
		size_t got, total;

		payload = fuzz_bytes(&s->in, len, &got);
		if (ctl & 0x10)
			break;
		rep.msg_id = req.msg_id ^ (ctl & 0x01 ? 0x5a5a : 0);
		rep.command = req.command ^ (ctl & 0x02 ? 0x0f : 0);
		rep.flags = 0x1 | (ctl & 0x04 ? 0x20 : 0);
		rep.error = ctl & 0x04 && got ? payload[0] : 0;
		rep.size = (uint32_t)(sizeof(rep) + got);
		if (ctl & 0x08)
			rep.size += (uint32_t)((ctl >> 6) + 1) * 16384;
		memcpy(out, &rep, sizeof(rep));
		memcpy(out + sizeof(rep), payload, got);
		total = sizeof(rep) + got;
		if (ctl & 0x20)
			out[total++] = 0xee;
		if (send(s->fd, out, total, MSG_NOSIGNAL) < 0)
			break;
		/*
		 * A reply that claims more than it sent: hang up, so the
		 * client sees the stream end inside the message at once
		 * instead of waiting out its timeout for the rest.
		 */
		if (ctl & 0x08)
			break;
	}
	shutdown(s->fd, SHUT_RDWR);
	close(s->fd);
	return NULL;
}

/* The server's side of one input: one connection, then hang up. */
static void *server_accept_run(void *arg)
{
	struct server *s = arg;
	struct pollfd p = { .fd = listen_fd, .events = POLLIN };

	/* The client may fail before it connects: do not wait forever. */
	if (poll(&p, 1, 2000) != 1)
		return NULL;
	s->fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
	if (s->fd < 0)
		return NULL;
	return server_run(s);
}

/*
 * After @ret from a call: once a reply is late, the stream cannot be
 * trusted (the late reply would answer the next request), so the client
 * must refuse further requests.  (A short but well-framed reply is
 * -EPROTO for that call only.)
 */
static void check_after(struct umdev_client *c, int ret)
{
	if (ret == -ETIMEDOUT) {
		uint8_t b;

		FUZZ_ASSERT(umdev_client_read(c, VFIO_PCI_CONFIG_REGION_INDEX,
					      0, &b, 1) < 0);
	}
}

static void client_run(void)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	struct umdev_client *c;
	uint8_t cfg[256], v = 0x55;
	uint32_t i;
	int err = 0, ret;

	c = umdev_client_connect(path, &err);
	if (!c) {
		FUZZ_ASSERT(err < 0);
		return;
	}
	umdev_client_set_timeout_ms(c, 200);
	FUZZ_ASSERT(umdev_client_max_data_xfer(c) <= 1u << 20);
	ret = umdev_client_get_info(c, &info);
	check_after(c, ret);
	if (ret == 0) {
		FUZZ_ASSERT(info.num_regions <= UMDEV_CLIENT_MAX_REGIONS);
		FUZZ_ASSERT(info.num_irqs <= UMDEV_CLIENT_MAX_IRQS);
		for (i = 0; i < info.num_regions; i++) {
			struct vfio_region_info ri = { .argsz = sizeof(ri) };

			check_after(c, umdev_client_get_region_info(c, i, &ri));
		}
		for (i = 0; i < info.num_irqs; i++) {
			struct vfio_irq_info ii = { .argsz = sizeof(ii) };

			check_after(c, umdev_client_get_irq_info(c, i, &ii));
		}
	}
	ret = umdev_client_read(c, VFIO_PCI_CONFIG_REGION_INDEX, 0, cfg,
				sizeof(cfg));
	FUZZ_ASSERT(ret <= (int)sizeof(cfg));
	check_after(c, ret);
	ret = umdev_client_write(c, VFIO_PCI_BAR0_REGION_INDEX, 7, &v, 1);
	FUZZ_ASSERT(ret <= 1);
	check_after(c, ret);
	check_after(
		c,
		umdev_client_set_irqs(
			c, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
			VFIO_PCI_INTX_IRQ_INDEX, 0, 0, NULL, 0, NULL, 0));
	check_after(c, umdev_client_reset(c));
	umdev_client_close(c);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };

	snprintf(dir, sizeof(dir), "/tmp/umdev-fuzz-client-XXXXXX");
	FUZZ_ASSERT(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/server.sock", dir);
	strcpy(sun.sun_path, path);
	listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	FUZZ_ASSERT(listen_fd >= 0);
	FUZZ_ASSERT(bind(listen_fd, (struct sockaddr *)&sun, sizeof(sun)) == 0);
	FUZZ_ASSERT(listen(listen_fd, 4) == 0);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct server s = { .in = { data, size }, .fd = -1 };
	pthread_t t;

	fuzz_check_fds("start", 0);
	FUZZ_ASSERT(pthread_create(&t, NULL, server_accept_run, &s) == 0);
	client_run();
	pthread_join(t, NULL);
	fuzz_check_fds("end", 0);
	return 0;
}
