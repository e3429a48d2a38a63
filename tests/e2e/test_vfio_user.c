// SPDX-License-Identifier: GPL-2.0-only
/*
 * End-to-end tests of a device over vfio-user: the real umdevd, a device
 * created through the control socket, and the client library (or raw
 * frames for the negotiation) on the device's socket.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <cmocka.h>

#include <umdev/client.h>
#include "e2e_harness.h"

/* 16550 registers and bits, from the datasheet (not the model's header). */
#define RBR 0
#define THR 0
#define IER 1
#define IIR 2
#define FCR 2
#define LCR 3
#define LSR 5
#define SCR 7
#define LSR_DR 0x01
#define LSR_OE 0x02
#define IER_RDI 0x01
#define FCR_FIFO_CLEAR 0x07

static struct e2e_daemon daemon_;

static int setup(void **state)
{
	if (e2e_daemon_start(&daemon_, NULL))
		return -1;
	if (e2e_start(&daemon_, E2E_UUID_A, "mtty-2") ||
	    e2e_start(&daemon_, E2E_UUID_B, "mtty-1"))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	return e2e_daemon_stop(&daemon_) == 0 ? 0 : -1;
}

/* Clients a test opened: closed by the per-test teardown if it failed. */
static struct umdev_client *open_clients[8];

static void track(struct umdev_client *c)
{
	size_t i;

	for (i = 0; i < 8; i++)
		if (!open_clients[i]) {
			open_clients[i] = c;
			return;
		}
}

static void close_dev(struct umdev_client *c)
{
	size_t i;

	for (i = 0; i < 8; i++)
		if (open_clients[i] == c)
			open_clients[i] = NULL;
	umdev_client_close(c);
}

static int close_all(void **state)
{
	size_t i;

	for (i = 0; i < 8; i++)
		if (open_clients[i]) {
			umdev_client_close(open_clients[i]);
			open_clients[i] = NULL;
		}
	return 0;
}

/*
 * Connect; a previous client's close may not have been seen by the server
 * yet (it then refuses the second client), so try again for a while.
 */
static struct umdev_client *connect_dev(const char *uuid)
{
	struct umdev_client *c = NULL;
	int err = 0, tries;

	for (tries = 0; !c && tries < E2E_WAIT_MS / 10; tries++) {
		c = umdev_client_connect(e2e_device_socket(&daemon_, uuid),
					 &err);
		if (!c)
			usleep(10000);
	}
	if (!c)
		fail_msg("connect %s: %s", uuid, strerror(-err));
	track(c);
	return c;
}

static uint8_t rd8(struct umdev_client *c, uint32_t bar, unsigned int reg)
{
	uint8_t v = 0;

	assert_int_equal(umdev_client_read8(c, bar, reg, &v), 0);
	return v;
}

static void wr8(struct umdev_client *c, uint32_t bar, unsigned int reg,
		uint8_t v)
{
	assert_int_equal(umdev_client_write8(c, bar, reg, v), 0);
}

/* ---- version negotiation over raw frames ---- */

static int version_exchange(const void *payload, size_t len,
			    struct e2e_vu_hdr *hdr, char *reply,
			    size_t reply_len)
{
	int fd = e2e_raw_connect(e2e_device_socket(&daemon_, E2E_UUID_A));
	int ret;

	assert_true(fd >= 0);
	assert_int_equal(e2e_raw_send(fd, 7, UMDEV_VU_CMD_VERSION, 0, payload,
				      len, NULL, 0),
			 0);
	ret = e2e_raw_recv(fd, hdr, reply, reply_len);
	if (ret >= 0 && !(hdr->flags & UMDEV_VU_FLAG_ERROR)) {
		close(fd);
		return ret;
	}
	close(fd);
	return ret < 0 ? ret : -(int)hdr->error;
}

static void test_version_qemu(void **state)
{
	char payload[512], reply[1024];
	uint16_t ver[2] = { 0, 0 };
	struct e2e_vu_hdr hdr;
	json_object *caps, *c, *v;
	int n;

	memcpy(payload, ver, 4);
	memcpy(payload + 4, E2E_QEMU_CAPS, sizeof(E2E_QEMU_CAPS));
	n = version_exchange(payload, 4 + sizeof(E2E_QEMU_CAPS), &hdr, reply,
			     sizeof(reply) - 1);
	assert_true(n > 4);
	assert_int_equal(hdr.msg_id, 7);
	assert_int_equal(hdr.command, UMDEV_VU_CMD_VERSION);
	assert_int_equal(hdr.flags & 0xf, UMDEV_VU_TYPE_REPLY);
	memcpy(ver, reply, 4);
	assert_int_equal(ver[0], 0);
	assert_int_equal(ver[1], 0);
	/* The JSON is NUL-terminated inside the payload. */
	assert_int_equal(reply[n - 1], '\0');
	caps = json_tokener_parse(reply + 4);
	assert_non_null(caps);
	assert_true(json_object_object_get_ex(caps, "capabilities", &c));
	assert_true(json_object_object_get_ex(c, "max_msg_fds", &v));
	assert_true(json_object_get_int(v) >= 1 &&
		    json_object_get_int(v) <= 16);
	assert_true(json_object_object_get_ex(c, "max_data_xfer_size", &v));
	assert_true(json_object_get_int64(v) <= 1048576);
	json_object_put(caps);
}

static void test_version_refusals(void **state)
{
	char payload[512], reply[256];
	uint16_t ver[2] = { 1, 0 };
	const char bad_json[] = "{\"capabilities\":";
	const char no_nul[] = "{\"capabilities\":{}}";
	struct e2e_vu_hdr hdr;

	/* Wrong major. */
	memcpy(payload, ver, 4);
	memcpy(payload + 4, E2E_QEMU_CAPS, sizeof(E2E_QEMU_CAPS));
	assert_true(version_exchange(payload, 4 + sizeof(E2E_QEMU_CAPS), &hdr,
				     reply, sizeof(reply)) < 0);
	/* Bad JSON. */
	ver[0] = 0;
	memcpy(payload, ver, 4);
	memcpy(payload + 4, bad_json, sizeof(bad_json));
	assert_true(version_exchange(payload, 4 + sizeof(bad_json), &hdr, reply,
				     sizeof(reply)) < 0);
	/* Missing NUL terminator. */
	memcpy(payload + 4, no_nul, strlen(no_nul));
	assert_true(version_exchange(payload, 4 + strlen(no_nul), &hdr, reply,
				     sizeof(reply)) < 0);
	/* The device still negotiates with a good client afterwards. */
	close_dev(connect_dev(E2E_UUID_A));
}

/* ---- device, region and IRQ info ---- */

static void test_device_info(void **state)
{
	struct umdev_client *c = connect_dev(E2E_UUID_A);
	struct vfio_device_info info = { .argsz = sizeof(info) };

	assert_int_equal(umdev_client_get_info(c, &info), 0);
	assert_true(info.flags & VFIO_DEVICE_FLAGS_PCI);
	assert_true(info.flags & VFIO_DEVICE_FLAGS_RESET);
	assert_int_equal(info.num_regions, VFIO_PCI_NUM_REGIONS);
	assert_int_equal(info.num_irqs, VFIO_PCI_NUM_IRQS);
	close_dev(c);
}

static void check_regions(const char *uuid, uint64_t bar1_size)
{
	struct umdev_client *c = connect_dev(uuid);
	uint32_t i;

	for (i = 0; i < VFIO_PCI_NUM_REGIONS; i++) {
		struct vfio_region_info ri = { .argsz = sizeof(ri) };
		uint64_t want = 0;

		assert_int_equal(umdev_client_get_region_info(c, i, &ri), 0);
		assert_int_equal(ri.index, i);
		if (i == VFIO_PCI_BAR0_REGION_INDEX)
			want = 8;
		else if (i == VFIO_PCI_BAR1_REGION_INDEX)
			want = bar1_size;
		else if (i == VFIO_PCI_CONFIG_REGION_INDEX)
			want = 256;
		if (ri.size != want)
			fail_msg("region %u: size %llu, want %llu", i,
				 (unsigned long long)ri.size,
				 (unsigned long long)want);
		if (want) {
			assert_true(ri.flags & VFIO_REGION_INFO_FLAG_READ);
			assert_true(ri.flags & VFIO_REGION_INFO_FLAG_WRITE);
			assert_false(ri.flags & VFIO_REGION_INFO_FLAG_MMAP);
		}
	}
	{
		struct vfio_region_info ri = { .argsz = sizeof(ri) };

		assert_int_equal(umdev_client_get_region_info(
					 c, VFIO_PCI_NUM_REGIONS, &ri),
				 -EINVAL);
	}
	close_dev(c);
}

static void test_region_info(void **state)
{
	check_regions(E2E_UUID_A, 8);
	check_regions(E2E_UUID_B, 0);
}

static void test_irq_info(void **state)
{
	static const struct {
		uint32_t count, flags;
	} want[VFIO_PCI_NUM_IRQS] = {
		[VFIO_PCI_INTX_IRQ_INDEX] = { 1,
					      VFIO_IRQ_INFO_EVENTFD |
						      VFIO_IRQ_INFO_MASKABLE |
						      VFIO_IRQ_INFO_AUTOMASKED },
		[VFIO_PCI_MSI_IRQ_INDEX] = { 1,
					     VFIO_IRQ_INFO_EVENTFD |
						     VFIO_IRQ_INFO_NORESIZE },
		[VFIO_PCI_MSIX_IRQ_INDEX] = { 0, 0 },
		[VFIO_PCI_ERR_IRQ_INDEX] = { 0, 0 },
		[VFIO_PCI_REQ_IRQ_INDEX] = { 1, VFIO_IRQ_INFO_EVENTFD },
	};
	struct umdev_client *c = connect_dev(E2E_UUID_A);
	struct vfio_irq_info info = { .argsz = sizeof(info) };
	uint32_t i;

	for (i = 0; i < VFIO_PCI_NUM_IRQS; i++) {
		memset(&info, 0, sizeof(info));
		info.argsz = sizeof(info);
		assert_int_equal(umdev_client_get_irq_info(c, i, &info), 0);
		assert_int_equal(info.index, i);
		assert_int_equal(info.count, want[i].count);
		if (want[i].count)
			assert_int_equal(info.flags & want[i].flags,
					 want[i].flags);
	}
	assert_int_equal(umdev_client_get_irq_info(c, VFIO_PCI_NUM_IRQS, &info),
			 -EINVAL);
	close_dev(c);
}

/* ---- config space ---- */

static uint32_t cfg32(struct umdev_client *c, uint64_t off)
{
	uint32_t v = 0;

	assert_int_equal(umdev_client_read(c, VFIO_PCI_CONFIG_REGION_INDEX, off,
					   &v, 4),
			 4);
	return v;
}

static void test_config_space(void **state)
{
	struct umdev_client *c = connect_dev(E2E_UUID_A);
	uint32_t all = 0xffffffff;
	uint8_t cfg[256];

	assert_int_equal(umdev_client_read(c, VFIO_PCI_CONFIG_REGION_INDEX, 0,
					   cfg, sizeof(cfg)),
			 256);
	assert_int_equal(cfg[0] | cfg[1] << 8, 0x4348);
	assert_int_equal(cfg[2] | cfg[3] << 8, 0x3253);
	assert_int_equal(cfg[0x0b], 0x07); /* class: serial */
	assert_int_equal(cfg[0x3d], 1); /* INTA# */
	assert_memory_equal(cfg + 0x60, "PCI Serial/UART", 15);

	/* BAR sizing: all ones in, size mask and I/O bit out. */
	assert_int_equal(umdev_client_write(c, VFIO_PCI_CONFIG_REGION_INDEX,
					    0x10, &all, 4),
			 4);
	assert_int_equal(cfg32(c, 0x10), 0xfffffff9);
	assert_int_equal(umdev_client_write(c, VFIO_PCI_CONFIG_REGION_INDEX,
					    0x14, &all, 4),
			 4);
	assert_int_equal(cfg32(c, 0x14), 0xfffffff9);
	assert_int_equal(umdev_client_write(c, VFIO_PCI_CONFIG_REGION_INDEX,
					    0x18, &all, 4),
			 4);
	assert_int_equal(cfg32(c, 0x18), 0);
	close_dev(c);

	/* The one-port type has no BAR1. */
	c = connect_dev(E2E_UUID_B);
	assert_int_equal(umdev_client_write(c, VFIO_PCI_CONFIG_REGION_INDEX,
					    0x14, &all, 4),
			 4);
	assert_int_equal(cfg32(c, 0x14), 0);
	close_dev(c);
}

/* ---- loopback ---- */

static void loopback(struct umdev_client *c, uint32_t bar, size_t n)
{
	uint8_t lsr, got[32];
	size_t i, received = 0;

	wr8(c, bar, FCR, FCR_FIFO_CLEAR);
	for (i = 0; i < n; i++)
		wr8(c, bar, THR, (uint8_t)(0x40 + i));
	lsr = rd8(c, bar, LSR);
	if (n > 16)
		assert_true(lsr & LSR_OE);
	while (rd8(c, bar, LSR) & LSR_DR) {
		assert_true(received < sizeof(got));
		got[received++] = rd8(c, bar, RBR);
	}
	assert_int_equal(received, n > 16 ? 16 : n);
	for (i = 0; i < received; i++)
		assert_int_equal(got[i], 0x40 + i);
	assert_false(rd8(c, bar, LSR) & LSR_OE); /* cleared by the read */
}

static void test_loopback(void **state)
{
	struct umdev_client *c = connect_dev(E2E_UUID_A);

	loopback(c, VFIO_PCI_BAR0_REGION_INDEX, 1);
	loopback(c, VFIO_PCI_BAR0_REGION_INDEX, 16);
	loopback(c, VFIO_PCI_BAR0_REGION_INDEX, 17);
	loopback(c, VFIO_PCI_BAR1_REGION_INDEX, 16);
	close_dev(c);
}

/* ---- interrupts ---- */

static int set_trigger(struct umdev_client *c, uint32_t index, int fd)
{
	int32_t fds[1] = { fd };

	if (fd < 0)
		return umdev_client_set_irqs(
			c, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
			index, 0, 0, NULL, 0, NULL, 0);
	return umdev_client_set_irqs(
		c, VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER,
		index, 0, 1, fds, 1, NULL, 0);
}

static int unmask_intx(struct umdev_client *c)
{
	return umdev_client_set_irqs(
		c, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_UNMASK,
		VFIO_PCI_INTX_IRQ_INDEX, 0, 1, NULL, 0, NULL, 0);
}

static void test_intx(void **state)
{
	struct umdev_client *c = connect_dev(E2E_UUID_A);
	int efd = eventfd(0, EFD_CLOEXEC);
	uint32_t bar = VFIO_PCI_BAR0_REGION_INDEX;

	assert_true(efd >= 0);
	assert_int_equal(set_trigger(c, VFIO_PCI_INTX_IRQ_INDEX, efd), 0);
	wr8(c, bar, FCR, FCR_FIFO_CLEAR);
	wr8(c, bar, IER, IER_RDI);
	/* The server signals during the write, before its reply. */
	wr8(c, bar, THR, 'a');
	assert_int_equal(e2e_eventfd_wait(efd), 1);
	assert_int_equal(rd8(c, bar, IIR) & 0x0f, 0x04);
	/* Automasked: a second byte raises nothing until unmasked. */
	wr8(c, bar, THR, 'b');
	assert_int_equal(e2e_eventfd_count(efd), 0);
	/* Unmask with data still pending fires again. */
	assert_int_equal(unmask_intx(c), 0);
	assert_int_equal(e2e_eventfd_wait(efd), 1);
	assert_int_equal(rd8(c, bar, RBR), 'a');
	assert_int_equal(rd8(c, bar, RBR), 'b');
	assert_int_equal(rd8(c, bar, IIR) & 0x0f, 0x01);
	/* Nothing pending: unmask is quiet. */
	assert_int_equal(unmask_intx(c), 0);
	assert_int_equal(e2e_eventfd_count(efd), 0);
	/* MSI cannot be enabled while INTx is. */
	assert_int_equal(set_trigger(c, VFIO_PCI_MSI_IRQ_INDEX, efd), -EINVAL);
	assert_int_equal(set_trigger(c, VFIO_PCI_INTX_IRQ_INDEX, -1), 0);
	wr8(c, bar, IER, 0);
	close_dev(c);
	close(efd);
}

static void test_msi(void **state)
{
	struct umdev_client *c = connect_dev(E2E_UUID_A);
	int efd = eventfd(0, EFD_CLOEXEC);
	uint32_t bar = VFIO_PCI_BAR1_REGION_INDEX;

	assert_true(efd >= 0);
	assert_int_equal(set_trigger(c, VFIO_PCI_MSI_IRQ_INDEX, efd), 0);
	wr8(c, bar, FCR, FCR_FIFO_CLEAR);
	wr8(c, bar, IER, IER_RDI);
	wr8(c, bar, THR, 'x');
	assert_int_equal(e2e_eventfd_wait(efd), 1);
	assert_int_equal(rd8(c, bar, RBR), 'x');
	wr8(c, bar, THR, 'y');
	assert_int_equal(e2e_eventfd_wait(efd), 1);
	assert_int_equal(rd8(c, bar, RBR), 'y');
	assert_int_equal(set_trigger(c, VFIO_PCI_MSI_IRQ_INDEX, -1), 0);
	wr8(c, bar, THR, 'z');
	assert_int_equal(e2e_eventfd_count(efd), 0);
	assert_int_equal(rd8(c, bar, RBR), 'z');
	wr8(c, bar, IER, 0);
	close_dev(c);
	close(efd);
}

static void test_reset(void **state)
{
	struct umdev_client *c = connect_dev(E2E_UUID_A);
	uint32_t bar = VFIO_PCI_BAR0_REGION_INDEX;

	wr8(c, bar, SCR, 0x5a);
	wr8(c, bar, IER, IER_RDI);
	wr8(c, bar, LCR, 0x1b);
	wr8(c, bar, THR, 'q');
	assert_int_equal(umdev_client_reset(c), 0);
	assert_int_equal(rd8(c, bar, SCR), 0);
	assert_int_equal(rd8(c, bar, IER), 0);
	assert_int_equal(rd8(c, bar, LCR), 0);
	assert_false(rd8(c, bar, LSR) & LSR_DR);
	close_dev(c);
}

static void test_posted_writes(void **state)
{
	struct umdev_client *c = connect_dev(E2E_UUID_A);
	uint32_t bar = VFIO_PCI_BAR0_REGION_INDEX;
	uint8_t v, i;

	for (i = 1; i <= 100; i++) {
		v = i;
		assert_true(umdev_client_write_posted(c, bar, SCR, &v, 1) >= 0);
	}
	/* A read after them is answered after them: ordering holds. */
	assert_int_equal(rd8(c, bar, SCR), 100);
	v = FCR_FIFO_CLEAR;
	assert_true(umdev_client_write_posted(c, bar, FCR, &v, 1) >= 0);
	for (i = 0; i < 8; i++) {
		v = 'A' + i;
		assert_true(umdev_client_write_posted(c, bar, THR, &v, 1) >= 0);
	}
	for (i = 0; i < 8; i++)
		assert_int_equal(rd8(c, bar, RBR), 'A' + i);
	assert_false(rd8(c, bar, LSR) & LSR_DR);
	close_dev(c);
}

static void test_two_devices(void **state)
{
	struct umdev_client *a = connect_dev(E2E_UUID_A);
	struct umdev_client *b = connect_dev(E2E_UUID_B);
	uint32_t bar = VFIO_PCI_BAR0_REGION_INDEX;
	int i;

	wr8(a, bar, FCR, FCR_FIFO_CLEAR);
	wr8(b, bar, FCR, FCR_FIFO_CLEAR);
	for (i = 0; i < 10; i++) {
		wr8(a, bar, THR, (uint8_t)('a' + i));
		wr8(b, bar, THR, (uint8_t)('0' + i));
	}
	for (i = 0; i < 10; i++) {
		assert_int_equal(rd8(b, bar, RBR), '0' + i);
		assert_int_equal(rd8(a, bar, RBR), 'a' + i);
	}
	close_dev(a);
	close_dev(b);
}

static void test_one_client_at_a_time(void **state)
{
	struct umdev_client *a = connect_dev(E2E_UUID_A), *second;
	int err = 0;

	second = umdev_client_connect(e2e_device_socket(&daemon_, E2E_UUID_A),
				      &err);
	assert_null(second);
	assert_true(err < 0);
	/* The first client is unaffected. */
	wr8(a, VFIO_PCI_BAR0_REGION_INDEX, SCR, 0x11);
	assert_int_equal(rd8(a, VFIO_PCI_BAR0_REGION_INDEX, SCR), 0x11);
	close_dev(a);
}

static void test_reconnect(void **state)
{
	struct umdev_client *c = connect_dev(E2E_UUID_A);
	uint32_t bar = VFIO_PCI_BAR0_REGION_INDEX;
	int efd = eventfd(0, EFD_CLOEXEC);

	assert_int_equal(set_trigger(c, VFIO_PCI_INTX_IRQ_INDEX, efd), 0);
	wr8(c, bar, SCR, 0x42);
	wr8(c, bar, FCR, FCR_FIFO_CLEAR);
	wr8(c, bar, IER, IER_RDI);
	close_dev(c);

	/* Device state stays; the old client's trigger is gone. */
	c = connect_dev(E2E_UUID_A);
	assert_int_equal(rd8(c, bar, SCR), 0x42);
	wr8(c, bar, THR, 'r');
	assert_int_equal(e2e_eventfd_count(efd), 0);
	assert_int_equal(rd8(c, bar, RBR), 'r');
	wr8(c, bar, IER, 0);
	close_dev(c);
	close(efd);
}

/* ---- the server's log lines follow umdevd's -q / -v ---- */

/* A REGION_READ of a region the device lacks: refused with EINVAL. */
static void bad_region_read(struct e2e_daemon *d, const char *uuid)
{
	struct {
		uint64_t offset;
		uint32_t region;
		uint32_t count;
	} __attribute__((packed))
	rw = { .offset = 0, .region = 99, .count = 1 };
	struct e2e_vu_hdr hdr;
	int fd = e2e_raw_connect(e2e_device_socket(d, uuid));

	assert_true(fd >= 0);
	assert_int_equal(e2e_raw_negotiate(fd), 0);
	assert_int_equal(e2e_raw_send(fd, 3, UMDEV_VU_CMD_REGION_READ, 0, &rw,
				      sizeof(rw), NULL, 0),
			 0);
	/* The server logs a refusal before it queues the reply. */
	assert_true(e2e_raw_recv(fd, &hdr, NULL, 0) >= 0);
	assert_true(hdr.flags & UMDEV_VU_FLAG_ERROR);
	assert_int_equal(hdr.error, EINVAL);
	close(fd);
}

static void test_server_log_levels(void **state)
{
	static const char *const quiet_args[] = { "--quiet", NULL };
	struct e2e_daemon quiet;

	/* --verbose (the harness's): the line names the device and command. */
	bad_region_read(&daemon_, E2E_UUID_B);
	assert_true(e2e_daemon_log_contains(&daemon_, "info: device " E2E_UUID_B
						      ": REGION_READ: EINVAL"));
	assert_true(e2e_daemon_log_contains(
		&daemon_, "device " E2E_UUID_B ": client: connected (pid"));

	/* --quiet: warnings and errors only, the server's lines included. */
	assert_int_equal(e2e_daemon_start(&quiet, quiet_args), 0);
	assert_int_equal(e2e_start(&quiet, E2E_UUID_C, "mtty-1"), 0);
	bad_region_read(&quiet, E2E_UUID_C);
	assert_int_equal(e2e_stop(&quiet, E2E_UUID_C), 0);
	assert_false(e2e_daemon_log_contains(&quiet, "REGION_READ"));
	assert_false(e2e_daemon_log_contains(&quiet, "connected (pid"));
	assert_int_equal(e2e_daemon_stop(&quiet), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_version_qemu, close_all),
		cmocka_unit_test_teardown(test_version_refusals, close_all),
		cmocka_unit_test_teardown(test_device_info, close_all),
		cmocka_unit_test_teardown(test_region_info, close_all),
		cmocka_unit_test_teardown(test_irq_info, close_all),
		cmocka_unit_test_teardown(test_config_space, close_all),
		cmocka_unit_test_teardown(test_loopback, close_all),
		cmocka_unit_test_teardown(test_intx, close_all),
		cmocka_unit_test_teardown(test_msi, close_all),
		cmocka_unit_test_teardown(test_reset, close_all),
		cmocka_unit_test_teardown(test_posted_writes, close_all),
		cmocka_unit_test_teardown(test_two_devices, close_all),
		cmocka_unit_test_teardown(test_one_client_at_a_time, close_all),
		cmocka_unit_test_teardown(test_reconnect, close_all),
		cmocka_unit_test_teardown(test_server_log_levels, close_all),
	};

	return cmocka_run_group_tests_name("e2e_vfio_user", tests, setup,
					   teardown);
}
