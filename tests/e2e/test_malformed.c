// SPDX-License-Identifier: GPL-2.0-only
/*
 * End-to-end tests of malformed vfio-user input against the real daemon.
 * Each message in the table must get an error reply or a clean close; after
 * each, the device accepts the next client, the other device (with its own
 * client attached throughout) keeps working, and in the end the daemon's
 * fd count is back to its baseline.  Clients killed mid-message too.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include <umdev/client.h>
#include "e2e_harness.h"

static struct e2e_daemon daemon_;
static struct umdev_client *other; /* device B's client, all along */
static int baseline_fds;

struct region_access {
	uint64_t offset;
	uint32_t region;
	uint32_t count;
} __attribute__((packed));

static int ctl_fd = -1; /* open all along, so no close is in flight */

static int start_on(int fd, const char *uuid, const char *type)
{
	char line[256];
	json_object *reply;
	int ret;

	snprintf(
		line, sizeof(line),
		"{\"op\":\"start\",\"uuid\":\"%s\",\"parent\":\"mtty\",\"type\":\"%s\"}",
		uuid, type);
	if (e2e_control_send(fd, line))
		return -EIO;
	reply = e2e_control_recv(fd);
	ret = e2e_reply_errno(reply);
	json_object_put(reply);
	return ret;
}

static int setup(void **state)
{
	int err = 0;

	if (e2e_daemon_start(&daemon_, NULL))
		return -1;
	ctl_fd = e2e_control_connect(&daemon_);
	if (ctl_fd < 0 || start_on(ctl_fd, E2E_UUID_A, "mtty-2") ||
	    start_on(ctl_fd, E2E_UUID_B, "mtty-1"))
		return -1;
	other = umdev_client_connect(e2e_device_socket(&daemon_, E2E_UUID_B),
				     &err);
	if (!other)
		return -1;
	/* Negotiated, so accepted: nothing is in flight now. */
	baseline_fds = e2e_fd_count(daemon_.pid);
	return 0;
}

static int teardown(void **state)
{
	umdev_client_close(other);
	close(ctl_fd);
	return e2e_daemon_stop(&daemon_) == 0 ? 0 : -1;
}

/* Device B, driven by its long-lived client, still loops a byte back. */
static void assert_other_works(void)
{
	uint8_t v = 0;

	assert_int_equal(umdev_client_write8(other, 0, 7, 0x3c), 0);
	assert_int_equal(umdev_client_read8(other, 0, 7, &v), 0);
	assert_int_equal(v, 0x3c);
}

/* Device A takes a new client and answers it (retry: the server may not
 * have seen the previous client's close yet). */
static void assert_device_usable(void)
{
	struct umdev_client *c = NULL;
	int err = 0, i;
	uint8_t v = 0;

	for (i = 0; !c && i < E2E_WAIT_MS / 10; i++) {
		c = umdev_client_connect(
			e2e_device_socket(&daemon_, E2E_UUID_A), &err);
		if (!c)
			usleep(10000);
	}
	assert_non_null(c);
	assert_int_equal(umdev_client_write8(c, 0, 7, 0xa5), 0);
	assert_int_equal(umdev_client_read8(c, 0, 7, &v), 0);
	assert_int_equal(v, 0xa5);
	umdev_client_close(c);
}

/* A negotiated raw connection to device A, or -1 (no cmocka asserts: also
 * used in forked children). */
static int try_negotiated(void)
{
	int fd, i;

	/* The previous client may still be in the server's books. */
	for (i = 0; i < E2E_WAIT_MS / 10; i++) {
		fd = e2e_raw_connect(e2e_device_socket(&daemon_, E2E_UUID_A));
		if (fd >= 0 && e2e_raw_negotiate(fd) == 0)
			return fd;
		if (fd >= 0)
			close(fd);
		usleep(10000);
	}
	return -1;
}

/* The raw connection a test has open, closed by teardown if it fails. */
static int raw_fd = -1;

static int close_raw(void **state)
{
	if (raw_fd >= 0)
		close(raw_fd);
	raw_fd = -1;
	return 0;
}

static int negotiated(void)
{
	int fd = try_negotiated();

	if (fd < 0)
		fail_msg("cannot negotiate with device A");
	raw_fd = fd;
	return fd;
}

static void close_negotiated(int fd)
{
	close(fd);
	if (fd == raw_fd)
		raw_fd = -1;
}

/*
 * The server's answer to what was just sent: an error reply echoing
 * @msg_id, or a close.  Anything else (a success, silence) fails.
 */
static void expect_refusal(int fd, uint16_t msg_id, const char *name)
{
	struct e2e_vu_hdr hdr;
	char buf[64];
	int ret = e2e_raw_recv(fd, &hdr, buf, sizeof(buf));

	if (ret == -ECONNRESET)
		return;
	if (ret < 0)
		fail_msg("%s: no reply and no close (%s)", name,
			 strerror(-ret));
	if (!(hdr.flags & UMDEV_VU_FLAG_ERROR) || !hdr.error)
		fail_msg("%s: accepted (flags 0x%x)", name, hdr.flags);
	assert_int_equal(hdr.msg_id, msg_id);
	assert_int_equal(hdr.size, sizeof(hdr));
}

static void send_read(int fd, uint16_t id, uint32_t region, uint64_t offset,
		      uint32_t count)
{
	struct region_access ra = { offset, region, count };

	assert_int_equal(e2e_raw_send(fd, id, UMDEV_VU_CMD_REGION_READ, 0, &ra,
				      sizeof(ra), NULL, 0),
			 0);
}

static void send_set_irqs(int fd, uint16_t id, uint32_t flags, uint32_t index,
			  uint32_t start, uint32_t count)
{
	struct vfio_irq_set set = {
		.argsz = sizeof(set),
		.flags = flags,
		.index = index,
		.start = start,
		.count = count,
	};

	assert_int_equal(e2e_raw_send(fd, id, UMDEV_VU_CMD_DEVICE_SET_IRQS, 0,
				      &set, sizeof(set), NULL, 0),
			 0);
}

/* One malformed case: send it on @fd with id 0x55. */
struct bad_case {
	const char *name;
	void (*send)(int fd);
};

static void bad_truncated_header(int fd)
{
	struct e2e_vu_hdr hdr = { .msg_id = 0x55, .command = 4, .size = 16 };

	assert_int_equal(e2e_raw_send_bytes(fd, &hdr, 8), 0);
	shutdown(fd, SHUT_WR); /* nothing more will come */
}

static void bad_size_below_header(int fd)
{
	struct e2e_vu_hdr hdr = { .msg_id = 0x55, .command = 4, .size = 8 };

	assert_int_equal(e2e_raw_send_bytes(fd, &hdr, sizeof(hdr)), 0);
}

static void bad_size_over_max(int fd)
{
	struct e2e_vu_hdr hdr = {
		.msg_id = 0x55,
		.command = UMDEV_VU_CMD_REGION_WRITE,
		.size = 16 + (64u << 20),
	};

	assert_int_equal(e2e_raw_send_bytes(fd, &hdr, sizeof(hdr)), 0);
}

static void bad_unknown_command(int fd)
{
	assert_int_equal(e2e_raw_send(fd, 0x55, 0x7777, 0, NULL, 0, NULL, 0),
			 0);
}

static void bad_reply_from_client(int fd)
{
	assert_int_equal(e2e_raw_send(fd, 0x55, UMDEV_VU_CMD_DEVICE_GET_INFO,
				      UMDEV_VU_TYPE_REPLY, NULL, 0, NULL, 0),
			 0);
}

static void bad_region_index(int fd)
{
	send_read(fd, 0x55, 42, 0, 1);
}

static void bad_past_region(int fd)
{
	send_read(fd, 0x55, VFIO_PCI_BAR0_REGION_INDEX, 6, 4);
}

static void bad_offset_overflow(int fd)
{
	send_read(fd, 0x55, VFIO_PCI_CONFIG_REGION_INDEX, UINT64_MAX - 1, 4);
}

static void bad_count_zero(int fd)
{
	send_read(fd, 0x55, VFIO_PCI_CONFIG_REGION_INDEX, 0, 0);
}

static void bad_read_count_huge(int fd)
{
	send_read(fd, 0x55, VFIO_PCI_CONFIG_REGION_INDEX, 0, 0xffffffff);
}

static void bad_write_short_payload(int fd)
{
	struct region_access ra = { 0, VFIO_PCI_CONFIG_REGION_INDEX, 8 };
	char buf[sizeof(ra) + 2];

	memcpy(buf, &ra, sizeof(ra));
	memset(buf + sizeof(ra), 0, 2); /* 2 data bytes for a count of 8 */
	assert_int_equal(e2e_raw_send(fd, 0x55, UMDEV_VU_CMD_REGION_WRITE, 0,
				      buf, sizeof(buf), NULL, 0),
			 0);
}

static void send_with_eventfds(int fd, uint16_t cmd, const void *payload,
			       size_t len, size_t nr)
{
	int fds[32];
	size_t i;

	for (i = 0; i < nr; i++) {
		fds[i] = eventfd(0, EFD_CLOEXEC);
		assert_true(fds[i] >= 0);
	}
	assert_int_equal(e2e_raw_send(fd, 0x55, cmd, 0, payload, len, fds, nr),
			 0);
	/* Ours are closed; the daemon must close its copies too. */
	for (i = 0; i < nr; i++)
		close(fds[i]);
}

static void bad_too_many_fds(int fd)
{
	struct vfio_irq_set set = {
		.argsz = sizeof(set),
		.flags = VFIO_IRQ_SET_DATA_EVENTFD |
			 VFIO_IRQ_SET_ACTION_TRIGGER,
		.index = VFIO_PCI_INTX_IRQ_INDEX,
		.start = 0,
		.count = 1,
	};

	send_with_eventfds(fd, UMDEV_VU_CMD_DEVICE_SET_IRQS, &set, sizeof(set),
			   20);
}

static void bad_fds_on_read(int fd)
{
	struct region_access ra = { 0, VFIO_PCI_CONFIG_REGION_INDEX, 4 };

	send_with_eventfds(fd, UMDEV_VU_CMD_REGION_READ, &ra, sizeof(ra), 2);
}

static void bad_irq_start(int fd)
{
	send_set_irqs(fd, 0x55,
		      VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
		      VFIO_PCI_INTX_IRQ_INDEX, 1, 1);
}

static void bad_irq_count(int fd)
{
	send_set_irqs(fd, 0x55,
		      VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
		      VFIO_PCI_MSI_IRQ_INDEX, 0, 2);
}

static void bad_irq_two_data_types(int fd)
{
	send_set_irqs(fd, 0x55,
		      VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_DATA_BOOL |
			      VFIO_IRQ_SET_ACTION_TRIGGER,
		      VFIO_PCI_INTX_IRQ_INDEX, 0, 1);
}

static void bad_irq_two_actions(int fd)
{
	send_set_irqs(fd, 0x55,
		      VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_MASK |
			      VFIO_IRQ_SET_ACTION_UNMASK,
		      VFIO_PCI_INTX_IRQ_INDEX, 0, 1);
}

static void bad_irq_index(int fd)
{
	send_set_irqs(fd, 0x55,
		      VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
		      VFIO_PCI_NUM_IRQS + 3, 0, 1);
}

static void bad_irq_fds_for_count(int fd)
{
	struct vfio_irq_set set = {
		.argsz = sizeof(set),
		.flags = VFIO_IRQ_SET_DATA_EVENTFD |
			 VFIO_IRQ_SET_ACTION_TRIGGER,
		.index = VFIO_PCI_INTX_IRQ_INDEX,
		.start = 0,
		.count = 1,
	};

	send_with_eventfds(fd, UMDEV_VU_CMD_DEVICE_SET_IRQS, &set, sizeof(set),
			   2);
}

static void bad_irq_fd_with_data_none(int fd)
{
	struct vfio_irq_set set = {
		.argsz = sizeof(set),
		.flags = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
		.index = VFIO_PCI_INTX_IRQ_INDEX,
		.start = 0,
		.count = 1,
	};

	send_with_eventfds(fd, UMDEV_VU_CMD_DEVICE_SET_IRQS, &set, sizeof(set),
			   1);
}

static const struct bad_case bad_cases[] = {
	{ "truncated header", bad_truncated_header },
	{ "size smaller than the header", bad_size_below_header },
	{ "size over the negotiated maximum", bad_size_over_max },
	{ "unknown command", bad_unknown_command },
	{ "reply-type message from the client", bad_reply_from_client },
	{ "bad region index", bad_region_index },
	{ "offset+count past the region", bad_past_region },
	{ "offset+count overflowing", bad_offset_overflow },
	{ "count 0", bad_count_zero },
	{ "read count over max_data_xfer_size", bad_read_count_huge },
	{ "write payload shorter than count", bad_write_short_payload },
	{ "too many fds", bad_too_many_fds },
	{ "fds on a command that takes none", bad_fds_on_read },
	{ "SET_IRQS bad start", bad_irq_start },
	{ "SET_IRQS bad count", bad_irq_count },
	{ "SET_IRQS two data types", bad_irq_two_data_types },
	{ "SET_IRQS two actions", bad_irq_two_actions },
	{ "SET_IRQS bad index", bad_irq_index },
	{ "SET_IRQS 2 fds for count 1", bad_irq_fds_for_count },
	{ "SET_IRQS fd with DATA_NONE", bad_irq_fd_with_data_none },
};

static void test_malformed_table(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		int fd = negotiated();

		print_message("# case: %s\n", bad_cases[i].name);
		bad_cases[i].send(fd);
		expect_refusal(fd, 0x55, bad_cases[i].name);
		close_negotiated(fd);
		assert_other_works();
		assert_device_usable();
	}
	assert_int_equal(e2e_fd_count_settle(daemon_.pid, baseline_fds),
			 baseline_fds);
}

/* A refused message leaves the connection usable when it was framed. */
static void test_error_then_valid(void **state)
{
	int fd = negotiated();
	struct e2e_vu_hdr hdr;
	uint8_t buf[8];

	send_read(fd, 0x61, 42, 0, 1);
	expect_refusal(fd, 0x61, "bad region");
	/* Still connected, or closed: if connected, it must answer. */
	send_read(fd, 0x62, VFIO_PCI_CONFIG_REGION_INDEX, 0, 2);
	if (e2e_raw_recv(fd, &hdr, buf, sizeof(buf)) >= 0) {
		assert_int_equal(hdr.msg_id, 0x62);
		assert_false(hdr.flags & UMDEV_VU_FLAG_ERROR);
	}
	close_negotiated(fd);
	assert_device_usable();
}

/* A client killed mid-message: the daemon drops it, leaks nothing. */
static void killed_after(size_t bytes)
{
	struct region_access ra = { 0, VFIO_PCI_CONFIG_REGION_INDEX, 4 };
	struct e2e_vu_hdr hdr = {
		.msg_id = 9,
		.command = UMDEV_VU_CMD_REGION_READ,
		.size = sizeof(hdr) + sizeof(ra),
	};
	char msg[sizeof(hdr) + sizeof(ra)];
	int status;
	pid_t pid;

	memcpy(msg, &hdr, sizeof(hdr));
	memcpy(msg + sizeof(hdr), &ra, sizeof(ra));
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fd = try_negotiated();

		if (fd < 0)
			_exit(1);
		e2e_raw_send_bytes(fd, msg, bytes);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_device_usable();
	assert_other_works();
	assert_int_equal(e2e_fd_count_settle(daemon_.pid, baseline_fds),
			 baseline_fds);
}

static void test_killed_mid_header(void **state)
{
	killed_after(7);
}

static void test_killed_mid_payload(void **state)
{
	killed_after(16 + 6);
}

/* A client killed while holding eventfds: they are closed too. */
static void test_killed_with_irqs(void **state)
{
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		int err = 0, i;
		struct umdev_client *c = NULL;
		int32_t efd = eventfd(0, 0);

		/* The previous client may still be in the server's books. */
		for (i = 0; !c && i < E2E_WAIT_MS / 10; i++) {
			c = umdev_client_connect(
				e2e_device_socket(&daemon_, E2E_UUID_A), &err);
			if (!c)
				usleep(10000);
		}

		if (!c ||
		    umdev_client_set_irqs(c,
					  VFIO_IRQ_SET_DATA_EVENTFD |
						  VFIO_IRQ_SET_ACTION_TRIGGER,
					  VFIO_PCI_INTX_IRQ_INDEX, 0, 1, &efd,
					  1, NULL, 0))
			_exit(1);
		_exit(0); /* no goodbye */
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_device_usable();
	assert_int_equal(e2e_fd_count_settle(daemon_.pid, baseline_fds),
			 baseline_fds);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_malformed_table, close_raw),
		cmocka_unit_test_teardown(test_error_then_valid, close_raw),
		cmocka_unit_test_teardown(test_killed_mid_header, close_raw),
		cmocka_unit_test_teardown(test_killed_mid_payload, close_raw),
		cmocka_unit_test_teardown(test_killed_with_irqs, close_raw),
	};

	return cmocka_run_group_tests_name("e2e_malformed", tests, setup,
					   teardown);
}
