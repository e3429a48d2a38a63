// SPDX-License-Identifier: GPL-2.0-only
/* vfio-user framing: header checks, SCM_RIGHTS, partial and batched reads. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "vfio-user/wire.h"

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static bool fd_open(int fd)
{
	return fcntl(fd, F_GETFD) >= 0;
}

/* A message with @len payload bytes of @fill; returns its size. */
static size_t mkmsg(uint8_t *buf, uint16_t id, uint16_t cmd, size_t len,
		    uint8_t fill)
{
	struct vu_hdr h = {
		.msg_id = id,
		.command = cmd,
		.size = (uint32_t)(VU_HDR_SIZE + len),
	};

	memcpy(buf, &h, sizeof(h));
	memset(buf + sizeof(h), fill, len);
	return h.size;
}

static void test_header_checks(void **state)
{
	struct vu_hdr h = { .size = 16 };

	(void)state;
	assert_int_equal(vu_hdr_check_size(&h, 64), 0);
	h.size = 15;
	assert_int_equal(vu_hdr_check_size(&h, 64), -EBADMSG);
	h.size = 0;
	assert_int_equal(vu_hdr_check_size(&h, 64), -EBADMSG);
	h.size = 64;
	assert_int_equal(vu_hdr_check_size(&h, 64), 0);
	h.size = 65;
	assert_int_equal(vu_hdr_check_size(&h, 64), -EMSGSIZE);
	assert_int_equal(vu_max_msg_size(VU_MAX_DATA_XFER),
			 16 + 16 + (1u << 20));

	h.flags = VU_TYPE_COMMAND;
	assert_int_equal(vu_hdr_check_command(&h), 0);
	h.flags = VU_FLAG_NO_REPLY;
	assert_int_equal(vu_hdr_check_command(&h), 0);
	h.flags = VU_TYPE_REPLY;
	assert_int_equal(vu_hdr_check_command(&h), -EINVAL);
	h.flags = 2;
	assert_int_equal(vu_hdr_check_command(&h), -EINVAL);
	h.flags = VU_FLAG_ERROR;
	assert_int_equal(vu_hdr_check_command(&h), -EINVAL);
	h.flags = 0x40;
	assert_int_equal(vu_hdr_check_command(&h), -EINVAL);
	h.flags = 1u << 31;
	assert_int_equal(vu_hdr_check_command(&h), -EINVAL);

	h.msg_id = 7;
	h.command = VU_CMD_REGION_READ;
	h.flags = VU_TYPE_REPLY;
	assert_int_equal(vu_hdr_check_reply(&h, 7, VU_CMD_REGION_READ), 0);
	h.flags = VU_TYPE_REPLY | VU_FLAG_ERROR;
	assert_int_equal(vu_hdr_check_reply(&h, 7, VU_CMD_REGION_READ), 0);
	assert_int_equal(vu_hdr_check_reply(&h, 8, VU_CMD_REGION_READ),
			 -EPROTO);
	assert_int_equal(vu_hdr_check_reply(&h, 7, VU_CMD_REGION_WRITE),
			 -EPROTO);
	h.flags = VU_TYPE_COMMAND;
	assert_int_equal(vu_hdr_check_reply(&h, 7, VU_CMD_REGION_READ),
			 -EPROTO);
	assert_string_equal(vu_cmd_name(VU_CMD_DEVICE_SET_IRQS), "SET_IRQS");
	assert_string_equal(vu_cmd_name(14), "UNKNOWN");
	assert_string_equal(vu_cmd_name(60000), "UNKNOWN");
}

static void test_fd_passing(void **state)
{
	int sv[2], efd[2], base;
	uint8_t buf[64];
	struct vu_rx rx;
	struct vu_msg m;
	uint64_t v = 0;
	size_t len;

	(void)state;
	base = count_fds();
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	efd[0] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	efd[1] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	assert_int_equal(vu_rx_init(&rx, 256), 0);

	len = mkmsg(buf, 1, VU_CMD_DEVICE_SET_IRQS, 20, 0);
	assert_int_equal(vu_wire_send(sv[0], buf, len, efd, 2, 0), len);
	assert_int_equal(vu_rx_fill(&rx, sv[1]), len);
	assert_int_equal(vu_rx_next(&rx, &m, 256), 1);
	assert_int_equal(m.hdr.command, VU_CMD_DEVICE_SET_IRQS);
	assert_int_equal(m.payload_len, 20);
	assert_int_equal(m.nr_fds, 2);
	assert_false(m.fds_truncated);
	/* Received with close-on-exec, and the same eventfd. */
	assert_true(fcntl(m.fds[0], F_GETFD) & FD_CLOEXEC);
	assert_int_equal(eventfd_write(m.fds[1], 3), 0);
	assert_int_equal(eventfd_read(efd[1], &v), 0);
	assert_int_equal(v, 3);

	/* Take one; consume closes the other. */
	int kept = m.fds[0], dropped = m.fds[1];

	m.fds[0] = -1;
	vu_rx_consume(&rx, &m);
	assert_true(fd_open(kept));
	assert_false(fd_open(dropped));
	close(kept);

	/* Too many fds for one send. */
	assert_int_equal(vu_wire_send(sv[0], buf, len, efd, VU_RX_MAX_FDS + 1,
				      0),
			 -EINVAL);
	close(efd[0]);
	close(efd[1]);
	close(sv[0]);
	assert_int_equal(vu_rx_fill(&rx, sv[1]), 0); /* end of stream */
	close(sv[1]);
	vu_rx_free(&rx);
	assert_int_equal(count_fds(), base);
}

static void test_partial_reads(void **state)
{
	uint8_t buf[128];
	struct vu_rx rx;
	struct vu_msg m;
	size_t len, i;
	int sv[2];

	(void)state;
	assert_int_equal(
		socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
	assert_int_equal(vu_rx_init(&rx, 256), 0);
	assert_int_equal(vu_rx_fill(&rx, sv[1]), -EAGAIN);
	len = mkmsg(buf, 9, VU_CMD_REGION_WRITE, 40, 0x5a);
	for (i = 0; i < len; i++) {
		assert_int_equal(vu_rx_next(&rx, &m, 256), 0);
		assert_int_equal(write(sv[0], buf + i, 1), 1);
		assert_int_equal(vu_rx_fill(&rx, sv[1]), 1);
	}
	assert_int_equal(vu_rx_next(&rx, &m, 256), 1);
	assert_int_equal(m.hdr.msg_id, 9);
	assert_int_equal(m.payload_len, 40);
	assert_int_equal(m.payload[39], 0x5a);
	vu_rx_consume(&rx, &m);
	assert_int_equal(vu_rx_next(&rx, &m, 256), 0);

	/* A header announcing too much, or too little: unframeable. */
	len = mkmsg(buf, 1, VU_CMD_REGION_WRITE, 100, 0);
	assert_int_equal(write(sv[0], buf, 16), 16);
	assert_int_equal(vu_rx_fill(&rx, sv[1]), 16);
	assert_int_equal(vu_rx_next(&rx, &m, 64), -EMSGSIZE);
	vu_rx_reset(&rx);
	((struct vu_hdr *)buf)->size = 8;
	assert_int_equal(write(sv[0], buf, 16), 16);
	assert_int_equal(vu_rx_fill(&rx, sv[1]), 16);
	assert_int_equal(vu_rx_next(&rx, &m, 256), -EBADMSG);
	vu_rx_free(&rx);
	close(sv[0]);
	close(sv[1]);
}

static void test_pipelined(void **state)
{
	uint8_t buf[512];
	struct vu_rx rx;
	struct vu_msg m;
	size_t len = 0;
	int sv[2], i, efd, base;

	(void)state;
	base = count_fds();
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(vu_rx_init(&rx, 512), 0);
	for (i = 0; i < 3; i++)
		len += mkmsg(buf + len, 10 + i, VU_CMD_REGION_READ, 16 + i, i);
	/* Three messages and the start of a fourth, in one write. */
	len += mkmsg(buf + len, 13, VU_CMD_REGION_READ, 16, 0);
	assert_int_equal(write(sv[0], buf, len - 10), len - 10);
	assert_int_equal(vu_rx_fill(&rx, sv[1]), len - 10);
	for (i = 0; i < 3; i++) {
		assert_int_equal(vu_rx_next(&rx, &m, 512), 1);
		assert_int_equal(m.hdr.msg_id, 10 + i);
		assert_int_equal(m.payload_len, 16 + i);
		vu_rx_consume(&rx, &m);
	}
	assert_int_equal(vu_rx_next(&rx, &m, 512), 0);
	assert_int_equal(write(sv[0], buf + len - 10, 10), 10);
	assert_int_equal(vu_rx_fill(&rx, sv[1]), 10);
	assert_int_equal(vu_rx_next(&rx, &m, 512), 1);
	assert_int_equal(m.hdr.msg_id, 13);
	vu_rx_consume(&rx, &m);

	/*
	 * A message without fds then one with an fd, read together: the fd
	 * belongs to the second.
	 */
	efd = eventfd(0, EFD_CLOEXEC);
	len = mkmsg(buf, 20, VU_CMD_REGION_WRITE, 24, 1);
	assert_int_equal(vu_wire_send(sv[0], buf, len, NULL, 0, 0), len);
	len = mkmsg(buf, 21, VU_CMD_DMA_MAP, 32, 2);
	assert_int_equal(vu_wire_send(sv[0], buf, len, &efd, 1, 0), len);
	assert_int_equal(vu_rx_fill(&rx, sv[1]), 40 + 48);
	assert_int_equal(vu_rx_next(&rx, &m, 512), 1);
	assert_int_equal(m.hdr.msg_id, 20);
	assert_int_equal(m.nr_fds, 0);
	vu_rx_consume(&rx, &m);
	assert_int_equal(vu_rx_next(&rx, &m, 512), 1);
	assert_int_equal(m.hdr.msg_id, 21);
	assert_int_equal(m.nr_fds, 1);
	vu_rx_consume(&rx, &m);

	/* The fd-carrying message split across two reads keeps its fd. */
	len = mkmsg(buf, 22, VU_CMD_DMA_MAP, 32, 3);
	assert_int_equal(vu_wire_send(sv[0], buf, 20, &efd, 1, 0), 20);
	assert_int_equal(vu_rx_fill(&rx, sv[1]), 20);
	assert_int_equal(vu_rx_next(&rx, &m, 512), 0);
	assert_int_equal(write(sv[0], buf + 20, len - 20), len - 20);
	assert_int_equal(vu_rx_fill(&rx, sv[1]), len - 20);
	assert_int_equal(vu_rx_next(&rx, &m, 512), 1);
	assert_int_equal(m.hdr.msg_id, 22);
	assert_int_equal(m.nr_fds, 1);
	vu_rx_consume(&rx, &m);
	close(efd);
	vu_rx_free(&rx);
	close(sv[0]);
	close(sv[1]);
	assert_int_equal(count_fds(), base);
}

static void test_too_many_fds(void **state)
{
	int sv[2], fds[VU_RX_MAX_FDS], base, i;
	uint8_t buf[64];
	struct vu_rx rx;
	struct vu_msg m;
	size_t len;

	(void)state;
	base = count_fds();
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(vu_rx_init(&rx, 256), 0);
	for (i = 0; i < VU_RX_MAX_FDS; i++)
		fds[i] = eventfd(0, EFD_CLOEXEC);
	len = mkmsg(buf, 1, VU_CMD_DEVICE_SET_IRQS, 20, 0);
	/* Two sends' worth of fds for one message: more than one read holds. */
	assert_int_equal(vu_wire_send(sv[0], buf, 8, fds, VU_RX_MAX_FDS, 0), 8);
	assert_int_equal(vu_wire_send(sv[0], buf + 8, len - 8, fds,
				      VU_RX_MAX_FDS, 0),
			 len - 8);
	for (i = 0; i < VU_RX_MAX_FDS; i++)
		close(fds[i]);
	assert_int_equal(vu_rx_fill(&rx, sv[1]), 8);
	assert_int_equal(vu_rx_fill(&rx, sv[1]), len - 8);
	assert_int_equal(vu_rx_next(&rx, &m, 256), 1);
	assert_true(m.fds_truncated);
	vu_rx_consume(&rx, &m);
	vu_rx_free(&rx);
	close(sv[0]);
	close(sv[1]);
	assert_int_equal(count_fds(), base);
}

static void test_tx_backpressure(void **state)
{
	static uint8_t sink[1 << 16];
	struct vu_tx tx;
	size_t total = 1 << 20, got = 0;
	int sv[2], sz = 4096;
	ssize_t left, n;

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	assert_int_equal(vu_tx_init(&tx, total), 0);
	memset(vu_tx_room(&tx, total), 0x33, total);
	tx.len = total;
	assert_null(vu_tx_room(&tx, 1));
	left = vu_tx_flush(&tx, sv[0]);
	assert_true(left > 0 && (size_t)left < total); /* socket full */
	while (got < total) {
		n = read(sv[1], sink, sizeof(sink));
		assert_true(n > 0);
		got += n;
		left = vu_tx_flush(&tx, sv[0]);
		assert_true(left >= 0);
	}
	assert_int_equal(left, 0);
	assert_non_null(vu_tx_room(&tx, total));
	vu_tx_free(&tx);
	close(sv[1]);
	/* The peer is gone: an error, not a signal. */
	assert_int_equal(vu_wire_send(sv[0], sink, 1, NULL, 0, MSG_DONTWAIT),
			 -EPIPE);
	close(sv[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_checks),
		cmocka_unit_test(test_fd_passing),
		cmocka_unit_test(test_partial_reads),
		cmocka_unit_test(test_pipelined),
		cmocka_unit_test(test_too_many_fds),
		cmocka_unit_test(test_tx_backpressure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
