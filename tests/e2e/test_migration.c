// SPDX-License-Identifier: GPL-2.0-only
/*
 * End-to-end tests of VFIO migration over vfio-user: two real umdevd (two
 * runtime directories), mtty devices, the client library and the real
 * umdevctl migrate.  The state machine (every arc, combinations, invalid
 * requests), PRE_COPY info, bad streams (truncated, oversized, each
 * header field flipped, another type's), a client gone mid-STOP_COPY, and
 * the whole migration with bytes in both FIFOs and an interrupt pending.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cmocka.h>

#include <umdev/client.h>

#include "compat/vfio_precopy.h"
#include "e2e_harness.h"
#include "model/mtty/uart16550.h"

#define BAR(port) (port) /* mtty: port N is BAR N */
#define S_ERROR VFIO_DEVICE_STATE_ERROR
#define S_STOP VFIO_DEVICE_STATE_STOP
#define S_RUNNING VFIO_DEVICE_STATE_RUNNING
#define S_STOP_COPY VFIO_DEVICE_STATE_STOP_COPY
#define S_RESUMING VFIO_DEVICE_STATE_RESUMING
#define S_RUNNING_P2P VFIO_DEVICE_STATE_RUNNING_P2P
#define S_PRE_COPY VFIO_DEVICE_STATE_PRE_COPY
#define S_PRE_COPY_P2P VFIO_DEVICE_STATE_PRE_COPY_P2P

static struct e2e_daemon src_d, dst_d;
static char *out, *err;

static int setup(void **state)
{
	if (e2e_daemon_start(&src_d, NULL))
		return -1;
	if (e2e_daemon_start(&dst_d, NULL)) {
		e2e_daemon_stop(&src_d);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	int a = e2e_daemon_stop(&src_d), b = e2e_daemon_stop(&dst_d);

	return a == 0 && b == 0 ? 0 : -1;
}

/* Each test starts its devices; remove whatever it left. */
static int remove_devices(void **state)
{
	e2e_stop(&src_d, E2E_UUID_A);
	e2e_stop(&src_d, E2E_UUID_C);
	e2e_stop(&dst_d, E2E_UUID_B);
	free(out);
	free(err);
	out = err = NULL;
	return 0;
}

static struct umdev_client *conn(struct e2e_daemon *d, const char *uuid)
{
	int e = 0;
	struct umdev_client *c =
		umdev_client_connect(e2e_device_socket(d, uuid), &e);

	assert_non_null(c);
	return c;
}

static uint32_t mig_state(struct umdev_client *c)
{
	uint32_t s = 0xff;

	assert_int_equal(umdev_client_mig_get_state(c, &s), 0);
	return s;
}

static uint8_t rd(struct umdev_client *c, unsigned int port, uint64_t off)
{
	uint8_t v = 0;

	assert_int_equal(umdev_client_read8(c, BAR(port), off, &v), 0);
	return v;
}

static void wr(struct umdev_client *c, unsigned int port, uint64_t off,
	       uint8_t v)
{
	assert_int_equal(umdev_client_write8(c, BAR(port), off, v), 0);
}

static uint16_t divisor(struct umdev_client *c, unsigned int port)
{
	uint8_t lcr = rd(c, port, UART_LCR);
	uint16_t d;

	wr(c, port, UART_LCR, lcr | UART_LCR_DLAB);
	d = rd(c, port, UART_DLL) | (uint16_t)rd(c, port, UART_DLM) << 8;
	wr(c, port, UART_LCR, lcr);
	return d;
}

/* Read the whole saving stream of the current state into @buf. */
static size_t read_all(struct umdev_client *c, uint8_t *buf, size_t cap)
{
	size_t len = 0;
	int n;

	do {
		assert_true(len + 64 <= cap);
		n = umdev_client_mig_read(c, buf + len, 64);
		assert_true(n >= 0);
		len += (size_t)n;
	} while (n == 64);
	return len;
}

/* STOP_COPY from RUNNING, read the stream, back to RUNNING. */
static size_t save(struct umdev_client *c, uint8_t *buf, size_t cap)
{
	size_t len;

	assert_int_equal(umdev_client_mig_set_state(c, S_STOP_COPY), 0);
	len = read_all(c, buf, cap);
	assert_int_equal(umdev_client_mig_set_state(c, S_RUNNING), 0);
	return len;
}

/* RESUMING, write @buf, RESUMING -> STOP: its result. */
static int load(struct umdev_client *c, const uint8_t *buf, size_t len)
{
	int ret;

	assert_int_equal(umdev_client_mig_set_state(c, S_RESUMING), 0);
	ret = len ? umdev_client_mig_write(c, buf, (uint32_t)len) : 0;
	if (ret)
		return ret;
	return umdev_client_mig_set_state(c, S_STOP);
}

/* Run umdevctl --runtime-dir @d ...; output in out/err. */
static int ctl(struct e2e_daemon *d, const char *first, ...)
{
	char *argv[16];
	const char *a;
	va_list ap;
	int argc = 0, ret;

	free(out);
	free(err);
	out = err = NULL;
	argv[argc++] = strdup(e2e_build_path("src/cli/umdevctl"));
	argv[argc++] = "--runtime-dir";
	argv[argc++] = d->runtime_dir;
	va_start(ap, first);
	for (a = first; a && argc < 15; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;
	ret = e2e_run(argv, NULL, &out, &err);
	free(argv[0]);
	return ret;
}

/* ---- the state machine ---- */

/* QEMU's VERSION to device A: is "migration" in the reply (@want)? */
static void version_offers_migration(bool want)
{
	static const char caps[] = E2E_QEMU_CAPS;
	uint8_t payload[4 + sizeof(caps)] = { 0 }, reply[1024] = { 0 };
	struct e2e_vu_hdr hdr;
	int fd, n;

	memcpy(payload + 4, caps, sizeof(caps));
	fd = e2e_raw_connect(e2e_device_socket(&src_d, E2E_UUID_A));
	assert_true(fd >= 0);
	assert_int_equal(e2e_raw_send(fd, 1, UMDEV_VU_CMD_VERSION, 0, payload,
				      sizeof(payload), NULL, 0),
			 0);
	n = e2e_raw_recv(fd, &hdr, reply, sizeof(reply) - 1);
	assert_true(n > 4);
	assert_int_equal(hdr.error, 0);
	assert_int_equal(strstr((char *)reply + 4,
				"\"migration\":{\"pgsize\":4096}") != NULL,
			 want);
	close(fd);
}

static void test_features(void **state)
{
	struct umdev_client *c;
	uint64_t flags = 0;

	assert_int_equal(e2e_start(&src_d, E2E_UUID_A, "mtty-2"), 0);
	c = conn(&src_d, E2E_UUID_A);
	assert_int_equal(umdev_client_mig_get_flags(c, &flags), 0);
	assert_int_equal(flags, VFIO_MIGRATION_STOP_COPY | VFIO_MIGRATION_P2P |
					VFIO_MIGRATION_PRE_COPY);
	assert_int_equal(mig_state(c), S_RUNNING);
	umdev_client_close(c);
	version_offers_migration(true);
}

/* The single arcs of <linux/vfio.h>, all features. */
static const uint32_t arcs[][2] = {
	{ S_RUNNING, S_RUNNING_P2P },
	{ S_RUNNING_P2P, S_RUNNING },
	{ S_RUNNING_P2P, S_STOP },
	{ S_STOP, S_RUNNING_P2P },
	{ S_STOP, S_STOP_COPY },
	{ S_STOP_COPY, S_STOP },
	{ S_STOP, S_RESUMING },
	{ S_RESUMING, S_STOP },
	{ S_RUNNING, S_PRE_COPY },
	{ S_PRE_COPY, S_RUNNING },
	{ S_RUNNING_P2P, S_PRE_COPY_P2P },
	{ S_PRE_COPY_P2P, S_RUNNING_P2P },
	{ S_PRE_COPY, S_PRE_COPY_P2P },
	{ S_PRE_COPY_P2P, S_PRE_COPY },
	{ S_PRE_COPY_P2P, S_STOP_COPY },
};

/*
 * Bring the device (RUNNING, after a reset) to @s; a RESUMING device is
 * given its own valid stream @stream so that leaving RESUMING loads.
 */
static void reach(struct umdev_client *c, uint32_t s, const uint8_t *stream,
		  size_t len)
{
	assert_int_equal(umdev_client_reset(c), 0);
	assert_int_equal(mig_state(c), S_RUNNING);
	assert_int_equal(umdev_client_mig_set_state(c, s), 0);
	assert_int_equal(mig_state(c), s);
	if (s == S_RESUMING)
		assert_int_equal(
			umdev_client_mig_write(c, stream, (uint32_t)len), 0);
}

static void test_every_arc(void **state)
{
	struct umdev_client *c;
	uint8_t stream[4096];
	size_t len, i;

	assert_int_equal(e2e_start(&src_d, E2E_UUID_A, "mtty-2"), 0);
	c = conn(&src_d, E2E_UUID_A);
	len = save(c, stream, sizeof(stream));
	assert_true(len > 24);
	for (i = 0; i < sizeof(arcs) / sizeof(arcs[0]); i++) {
		reach(c, arcs[i][0], stream, len);
		print_message("# arc %u -> %u\n", arcs[i][0], arcs[i][1]);
		assert_int_equal(umdev_client_mig_set_state(c, arcs[i][1]), 0);
		assert_int_equal(mig_state(c), arcs[i][1]);
	}
	umdev_client_close(c);
}

/* Every pair of states: reachable (combination arcs) unless forbidden. */
static void test_every_combination(void **state)
{
	struct umdev_client *c;
	uint8_t stream[4096];
	size_t len;
	uint32_t from, to;
	int ret;

	assert_int_equal(e2e_start(&src_d, E2E_UUID_A, "mtty-1"), 0);
	c = conn(&src_d, E2E_UUID_A);
	len = save(c, stream, sizeof(stream));
	for (from = S_STOP; from <= S_PRE_COPY_P2P; from++) {
		for (to = S_STOP; to <= S_PRE_COPY_P2P; to++) {
			bool forbidden =
				from == S_STOP_COPY &&
				(to == S_PRE_COPY || to == S_PRE_COPY_P2P);

			reach(c, from, stream, len);
			ret = umdev_client_mig_set_state(c, to);
			print_message("# %u -> %u: %d\n", from, to, ret);
			assert_int_equal(ret, forbidden ? -EINVAL : 0);
			/* Refused: still where it was. */
			assert_int_equal(mig_state(c), forbidden ? from : to);
		}
	}
	umdev_client_close(c);
}

static void test_invalid_requests(void **state)
{
	struct umdev_client *c;
	uint8_t buf[64];
	uint64_t a, b;

	assert_int_equal(e2e_start(&src_d, E2E_UUID_A, "mtty-1"), 0);
	c = conn(&src_d, E2E_UUID_A);
	/* ERROR is no state to ask for; nor is an unknown number. */
	assert_int_equal(umdev_client_mig_set_state(c, S_ERROR), -EINVAL);
	assert_int_equal(umdev_client_mig_set_state(c, 8), -EINVAL);
	assert_int_equal(umdev_client_mig_set_state(c, 0xabcd), -EINVAL);
	assert_int_equal(mig_state(c), S_RUNNING);
	/* STOP_COPY -> PRE_COPY: refused, state unchanged. */
	assert_int_equal(umdev_client_mig_set_state(c, S_STOP_COPY), 0);
	assert_int_equal(umdev_client_mig_set_state(c, S_PRE_COPY), -EINVAL);
	assert_int_equal(mig_state(c), S_STOP_COPY);
	/* Data commands in the wrong state. */
	assert_int_equal(umdev_client_mig_write(c, buf, 8), -EINVAL);
	assert_int_equal(umdev_client_mig_precopy_info(c, &a, &b), -EINVAL);
	assert_int_equal(umdev_client_mig_set_state(c, S_RUNNING), 0);
	assert_int_equal(umdev_client_mig_read(c, buf, 8), -EINVAL);
	/* From ERROR nothing but a reset. */
	assert_int_equal(umdev_client_mig_set_state(c, S_RESUMING), 0);
	assert_int_equal(umdev_client_mig_set_state(c, S_RUNNING), -EINVAL);
	assert_int_equal(mig_state(c), S_ERROR);
	assert_int_equal(umdev_client_mig_set_state(c, S_STOP), -EINVAL);
	assert_int_equal(mig_state(c), S_ERROR);
	assert_int_equal(umdev_client_reset(c), 0);
	assert_int_equal(mig_state(c), S_RUNNING);
	umdev_client_close(c);
}

/* Stopped: no guest-visible change; config reads still served. */
static void test_stopped_access(void **state)
{
	struct umdev_client *c;
	uint8_t v;

	assert_int_equal(e2e_start(&src_d, E2E_UUID_A, "mtty-1"), 0);
	c = conn(&src_d, E2E_UUID_A);
	wr(c, 0, UART_SCR, 0x5a);
	assert_int_equal(umdev_client_mig_set_state(c, S_STOP), 0);
	assert_int_equal(umdev_client_read8(c, 0, UART_SCR, &v), -EBUSY);
	assert_int_equal(umdev_client_write8(c, 0, UART_SCR, 1), -EBUSY);
	assert_int_equal(umdev_client_write8(c, VFIO_PCI_CONFIG_REGION_INDEX,
					     0x3c, 1),
			 -EBUSY);
	assert_int_equal(
		umdev_client_read8(c, VFIO_PCI_CONFIG_REGION_INDEX, 0, &v), 0);
	assert_int_equal(umdev_client_mig_set_state(c, S_RUNNING), 0);
	assert_int_equal(rd(c, 0, UART_SCR), 0x5a);
	umdev_client_close(c);
}

static void set_intx(struct umdev_client *c, int efd);
static void unmask_intx(struct umdev_client *c);

/* An interrupt due while stopped is held back, then delivered. */
static void test_stopped_interrupt_held(void **state)
{
	struct umdev_client *c;
	int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);

	assert_true(efd >= 0);
	assert_int_equal(e2e_start(&src_d, E2E_UUID_A, "mtty-1"), 0);
	c = conn(&src_d, E2E_UUID_A);
	set_intx(c, efd);
	wr(c, 0, UART_IER, UART_IER_RDI);
	wr(c, 0, UART_TX, 'i'); /* RDI: fires, then automasked */
	assert_true(e2e_eventfd_wait(efd) >= 1);
	assert_int_equal(umdev_client_mig_set_state(c, S_STOP), 0);
	/* UNMASK with the cause pending would fire at once: held back. */
	unmask_intx(c);
	assert_int_equal(e2e_eventfd_count(efd), 0);
	/* Running again, the held interrupt is delivered (before the reply). */
	assert_int_equal(umdev_client_mig_set_state(c, S_RUNNING), 0);
	assert_int_equal(e2e_eventfd_count(efd), 1);
	assert_int_equal(rd(c, 0, UART_RX), 'i');
	umdev_client_close(c);
	close(efd);
}

static void test_precopy_info(void **state)
{
	struct umdev_client *c;
	uint8_t stream[4096], buf[4096];
	uint64_t initial, dirty;
	size_t len, n;

	assert_int_equal(e2e_start(&src_d, E2E_UUID_A, "mtty-2"), 0);
	c = conn(&src_d, E2E_UUID_A);
	len = save(c, stream, sizeof(stream));
	assert_int_equal(umdev_client_mig_set_state(c, S_PRE_COPY), 0);
	assert_int_equal(umdev_client_mig_precopy_info(c, &initial, &dirty), 0);
	assert_int_equal(initial, len);
	assert_int_equal(dirty, 0);
	/* Part read: initial counts down. */
	assert_int_equal(umdev_client_mig_read(c, buf, 100), 100);
	assert_int_equal(umdev_client_mig_precopy_info(c, &initial, &dirty), 0);
	assert_int_equal(initial, len - 100);
	/* The device runs in PRE_COPY; a change makes a stream dirty. */
	wr(c, 1, UART_SCR, 0x77);
	assert_int_equal(umdev_client_mig_precopy_info(c, &initial, &dirty), 0);
	assert_int_equal(dirty, len);
	n = read_all(c, buf + 100, sizeof(buf) - 100);
	assert_int_equal(n, len - 100);
	assert_int_equal(umdev_client_mig_precopy_info(c, &initial, &dirty), 0);
	assert_int_equal(initial, 0);
	/* STOP_COPY then sends the new state after the snapshot. */
	assert_int_equal(umdev_client_mig_set_state(c, S_STOP_COPY), 0);
	n = read_all(c, buf + len, sizeof(buf) - len);
	assert_int_equal(n, len);
	assert_int_equal(umdev_client_mig_precopy_info(c, &initial, &dirty),
			 -EINVAL);
	assert_int_equal(umdev_client_mig_set_state(c, S_STOP), 0);
	umdev_client_close(c);

	/* The destination loads the last stream of the two. */
	assert_int_equal(e2e_start(&dst_d, E2E_UUID_B, "mtty-2"), 0);
	c = conn(&dst_d, E2E_UUID_B);
	assert_int_equal(load(c, buf, 2 * len), 0);
	assert_int_equal(umdev_client_mig_set_state(c, S_RUNNING), 0);
	assert_int_equal(rd(c, 1, UART_SCR), 0x77);
	umdev_client_close(c);
}

/* ---- bad streams ---- */

/* Load @buf into the fresh destination: its errno; then reset. */
static int try_load(struct umdev_client *c, const uint8_t *buf, size_t len,
		    const char *why)
{
	int ret = load(c, buf, len);

	if (ret == 0) {
		assert_int_equal(mig_state(c), S_STOP);
	} else {
		/* Any refusal: ERROR until reset, and umdevd says why. */
		assert_int_equal(mig_state(c), S_ERROR);
		assert_int_equal(umdev_client_mig_set_state(c, S_RUNNING),
				 -EINVAL);
		if (why && !e2e_daemon_log_contains(&dst_d, why))
			fail_msg("umdevd's log lacks '%s'", why);
	}
	assert_int_equal(umdev_client_reset(c), 0);
	assert_int_equal(mig_state(c), S_RUNNING);
	return ret;
}

static void test_bad_streams(void **state)
{
	struct umdev_client *s, *c;
	uint8_t stream[4096], bad[8192];
	size_t len;

	assert_int_equal(e2e_start(&src_d, E2E_UUID_A, "mtty-2"), 0);
	assert_int_equal(e2e_start(&dst_d, E2E_UUID_B, "mtty-2"), 0);
	s = conn(&src_d, E2E_UUID_A);
	wr(s, 0, UART_SCR, 0x42);
	len = save(s, stream, sizeof(stream));
	umdev_client_close(s);
	c = conn(&dst_d, E2E_UUID_B);

	/* Truncated by one byte, or to just the header. */
	assert_int_equal(try_load(c, stream, len - 1, "truncated stream"),
			 -EINVAL);
	assert_int_equal(try_load(c, stream, 24, "truncated stream"), -EINVAL);
	/* Nothing written at all. */
	assert_int_equal(try_load(c, stream, 0, "no stream received"), -EINVAL);
	/* Oversized: a stray byte after the stream. */
	memcpy(bad, stream, len);
	bad[len] = 0;
	assert_int_equal(try_load(c, bad, len + 1, "truncated stream"),
			 -EINVAL);
	/* Each header field flipped. */
	memcpy(bad, stream, len);
	bad[0] ^= 0xff; /* magic */
	assert_int_equal(try_load(c, bad, len, "wrong magic"), -EINVAL);
	memcpy(bad, stream, len);
	bad[8] ^= 0x02; /* major */
	assert_int_equal(try_load(c, bad, len, "unsupported major version"),
			 -EPROTONOSUPPORT);
	memcpy(bad, stream, len);
	bad[10] ^= 0x05; /* minor: any minor of major 1 is this layout */
	assert_int_equal(try_load(c, bad, len, NULL), 0);
	memcpy(bad, stream, len);
	bad[12] ^= 0x03; /* nr_ports */
	assert_int_equal(try_load(c, bad, len, "wrong port count"), -EINVAL);
	memcpy(bad, stream, len);
	bad[16] ^= 0x01; /* flags */
	assert_int_equal(try_load(c, bad, len, "unknown header flags"),
			 -EINVAL);
	/* Length: shorter (a payload of another length) ... */
	memcpy(bad, stream, len);
	bad[20] ^= 0x01;
	assert_int_equal(try_load(c, bad, len, NULL), -EINVAL);
	/* ... or beyond any mtty stream: refused as it is written. */
	memcpy(bad, stream, len);
	bad[23] ^= 0x10;
	assert_int_equal(umdev_client_mig_set_state(c, S_RESUMING), 0);
	assert_int_equal(umdev_client_mig_write(c, bad, (uint32_t)len), -EFBIG);
	assert_int_equal(umdev_client_mig_set_state(c, S_STOP), -EINVAL);
	assert_int_equal(mig_state(c), S_ERROR);
	assert_int_equal(umdev_client_reset(c), 0);
	/* A field of the payload out of range (IER of port 0). */
	memcpy(bad, stream, len);
	bad[24 + 256 + 1] = 0xf0;
	assert_int_equal(try_load(c, bad, len, "IER reserved bits set"),
			 -EINVAL);
	/* The good stream still loads, and the device works. */
	assert_int_equal(try_load(c, stream, len, NULL), 0);
	umdev_client_close(c);
}

/* mtty-1 and mtty-2 refuse each other's stream (the CLI says so). */
static void test_type_mismatch(void **state)
{
	struct umdev_client *c;

	assert_int_equal(e2e_start(&src_d, E2E_UUID_A, "mtty-1"), 0);
	assert_int_equal(e2e_start(&dst_d, E2E_UUID_B, "mtty-2"), 0);
	assert_int_equal(ctl(&src_d, "migrate", "-u", E2E_UUID_A, "--to",
			     e2e_device_socket(&dst_d, E2E_UUID_B), NULL),
			 1);
	assert_non_null(strstr(err, "destination refused the device state"));
	assert_non_null(strstr(out, "source: back to RUNNING"));
	assert_true(e2e_daemon_log_contains(&dst_d, "wrong port count"));
	c = conn(&src_d, E2E_UUID_A);
	assert_int_equal(mig_state(c), S_RUNNING);
	umdev_client_close(c);
	c = conn(&dst_d, E2E_UUID_B);
	assert_int_equal(mig_state(c), S_ERROR);
	umdev_client_close(c);
}

/* A client gone mid-STOP_COPY: nothing lost, RUNNING again on request. */
static void test_disconnect_mid_stop_copy(void **state)
{
	struct umdev_client *c;
	uint8_t buf[64];
	unsigned int i;

	assert_int_equal(e2e_start(&src_d, E2E_UUID_A, "mtty-1"), 0);
	c = conn(&src_d, E2E_UUID_A);
	wr(c, 0, UART_SCR, 0x3c);
	for (i = 0; i < 3; i++)
		wr(c, 0, UART_TX, (uint8_t)('x' + i));
	assert_int_equal(umdev_client_mig_set_state(c, S_STOP_COPY), 0);
	assert_int_equal(umdev_client_mig_read(c, buf, 32), 32);
	umdev_client_close(c);

	c = conn(&src_d, E2E_UUID_A);
	assert_int_equal(mig_state(c), S_STOP_COPY);
	assert_int_equal(ctl(&src_d, "migrate", "-u", E2E_UUID_A, "--abort",
			     NULL),
			 1); /* busy: we hold it */
	assert_non_null(strstr(err, "in use by another client (pid"));
	umdev_client_close(c);
	assert_int_equal(
		ctl(&src_d, "migrate", "-u", E2E_UUID_A, "--abort", NULL), 0);
	assert_non_null(strstr(out, "STOP_COPY -> RUNNING"));
	c = conn(&src_d, E2E_UUID_A);
	assert_int_equal(mig_state(c), S_RUNNING);
	assert_int_equal(rd(c, 0, UART_SCR), 0x3c);
	for (i = 0; i < 3; i++)
		assert_int_equal(rd(c, 0, UART_RX), 'x' + i);
	umdev_client_close(c);
}

/* ---- the whole migration, with umdevctl ---- */

struct port_setup {
	uint16_t divisor;
	uint8_t lcr, ier;
	const char *bytes;
};

static const struct port_setup ports[2] = {
	{ 0x000c, 0x03, UART_IER_RDI, "hello" },
	{ 0x0180, 0x1b, UART_IER_RDI | UART_IER_RLSI, "migrate!" },
};

static void port_program(struct umdev_client *c, unsigned int p)
{
	const struct port_setup *ps = &ports[p];
	size_t i;

	wr(c, p, UART_LCR, UART_LCR_DLAB);
	wr(c, p, UART_DLL, ps->divisor & 0xff);
	wr(c, p, UART_DLM, ps->divisor >> 8);
	wr(c, p, UART_LCR, ps->lcr);
	wr(c, p, UART_IER, ps->ier);
	for (i = 0; ps->bytes[i]; i++)
		wr(c, p, UART_TX, (uint8_t)ps->bytes[i]);
}

static void set_intx(struct umdev_client *c, int efd)
{
	assert_int_equal(
		umdev_client_set_irqs(
			c,
			VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER,
			VFIO_PCI_INTX_IRQ_INDEX, 0, 1, &efd, 1, NULL, 0),
		0);
}

static void unmask_intx(struct umdev_client *c)
{
	assert_int_equal(
		umdev_client_set_irqs(
			c, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_UNMASK,
			VFIO_PCI_INTX_IRQ_INDEX, 0, 1, NULL, 0, NULL, 0),
		0);
}

static void test_migrate_two_daemons(void **state)
{
	struct umdev_client *c;
	uint8_t v;
	unsigned int p;
	size_t i;
	int efd;

	assert_int_equal(e2e_start(&src_d, E2E_UUID_A, "mtty-2"), 0);
	assert_int_equal(e2e_start(&dst_d, E2E_UUID_B, "mtty-2"), 0);

	/* The source: registers set, bytes in both FIFOs, INTx pending. */
	c = conn(&src_d, E2E_UUID_A);
	efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	assert_true(efd >= 0);
	set_intx(c, efd);
	for (p = 0; p < 2; p++)
		port_program(c, p);
	assert_true(e2e_eventfd_wait(efd) >= 1); /* fired, now automasked */
	assert_int_equal(rd(c, 0, UART_IIR) & UART_IIR_ID_MASK, UART_IIR_RDI);
	/* While a client (a VMM) holds the source, umdevctl refuses. */
	assert_int_equal(ctl(&src_d, "migrate", "-u", E2E_UUID_A, "--to",
			     e2e_device_socket(&dst_d, E2E_UUID_B), NULL),
			 1);
	assert_non_null(strstr(err, "in use by another client (pid"));
	umdev_client_close(c);
	close(efd);
	/* A destination given by its path, held by a client: busy too. */
	c = conn(&dst_d, E2E_UUID_B);
	assert_int_equal(ctl(&src_d, "migrate", "-u", E2E_UUID_A, "--to",
			     e2e_device_socket(&dst_d, E2E_UUID_B), NULL),
			 1);
	assert_non_null(strstr(err, "destination"));
	assert_non_null(strstr(err, "is busy"));
	umdev_client_close(c);

	assert_int_equal(ctl(&src_d, "migrate", "-u", E2E_UUID_A, "--to",
			     e2e_device_socket(&dst_d, E2E_UUID_B), NULL),
			 0);
	print_message("# %s", out);
	assert_non_null(strstr(out, "source: RUNNING -> PRE_COPY"));
	assert_non_null(strstr(out, "source: PRE_COPY -> STOP_COPY"));
	assert_non_null(strstr(out, "destination: RUNNING -> RESUMING"));
	assert_non_null(strstr(out, "destination: RESUMING -> STOP"));
	assert_non_null(strstr(out, "destination: STOP -> RUNNING"));
	assert_non_null(strstr(out, "source: STOP_COPY -> STOP"));
	assert_non_null(strstr(out, "bytes; the source is stopped"));

	/* The source is stopped: no register access. */
	c = conn(&src_d, E2E_UUID_A);
	assert_int_equal(mig_state(c), S_STOP);
	assert_int_equal(umdev_client_read8(c, 0, UART_SCR, &v), -EBUSY);
	umdev_client_close(c);

	/* The destination: same registers, the interrupt, the bytes. */
	c = conn(&dst_d, E2E_UUID_B);
	assert_int_equal(mig_state(c), S_RUNNING);
	for (p = 0; p < 2; p++) {
		assert_int_equal(rd(c, p, UART_LCR), ports[p].lcr);
		assert_int_equal(rd(c, p, UART_IER), ports[p].ier);
		assert_int_equal(divisor(c, p), ports[p].divisor);
	}
	efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	assert_true(efd >= 0);
	assert_int_equal(e2e_eventfd_count(efd), 0);
	set_intx(c, efd);
	/* Level-triggered INTx: the pending cause fires on unmask. */
	unmask_intx(c);
	assert_true(e2e_eventfd_wait(efd) >= 1);
	assert_int_equal(rd(c, 0, UART_IIR) & UART_IIR_ID_MASK, UART_IIR_RDI);
	for (p = 0; p < 2; p++) {
		for (i = 0; ports[p].bytes[i]; i++) {
			assert_true(rd(c, p, UART_LSR) & UART_LSR_DR);
			assert_int_equal(rd(c, p, UART_RX),
					 (uint8_t)ports[p].bytes[i]);
		}
		assert_false(rd(c, p, UART_LSR) & UART_LSR_DR);
	}
	close(efd);
	umdev_client_close(c);
}

/* DST given as a UUID of the same daemon. */
static void test_migrate_by_uuid(void **state)
{
	struct umdev_client *c;

	assert_int_equal(e2e_start(&src_d, E2E_UUID_A, "mtty-1"), 0);
	assert_int_equal(e2e_start(&src_d, E2E_UUID_C, "mtty-1"), 0);
	c = conn(&src_d, E2E_UUID_A);
	wr(c, 0, UART_SCR, 0x99);
	umdev_client_close(c);
	assert_int_equal(ctl(&src_d, "migrate", "-u", E2E_UUID_A, "--to",
			     E2E_UUID_C, NULL),
			 0);
	c = conn(&src_d, E2E_UUID_C);
	assert_int_equal(rd(c, 0, UART_SCR), 0x99);
	umdev_client_close(c);
	/* The source cannot be migrated again until it runs. */
	assert_int_equal(ctl(&src_d, "migrate", "-u", E2E_UUID_A, "--to",
			     E2E_UUID_C, NULL),
			 1);
	assert_non_null(strstr(err, "not RUNNING"));
	assert_int_equal(ctl(&src_d, "migrate", "-u", "nope", "--to",
			     E2E_UUID_C, NULL),
			 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_features, remove_devices),
		cmocka_unit_test_teardown(test_every_arc, remove_devices),
		cmocka_unit_test_teardown(test_every_combination,
					  remove_devices),
		cmocka_unit_test_teardown(test_invalid_requests,
					  remove_devices),
		cmocka_unit_test_teardown(test_stopped_access, remove_devices),
		cmocka_unit_test_teardown(test_stopped_interrupt_held,
					  remove_devices),
		cmocka_unit_test_teardown(test_precopy_info, remove_devices),
		cmocka_unit_test_teardown(test_bad_streams, remove_devices),
		cmocka_unit_test_teardown(test_type_mismatch, remove_devices),
		cmocka_unit_test_teardown(test_disconnect_mid_stop_copy,
					  remove_devices),
		cmocka_unit_test_teardown(test_migrate_two_daemons,
					  remove_devices),
		cmocka_unit_test_teardown(test_migrate_by_uuid, remove_devices),
	};

	return cmocka_run_group_tests_name("e2e_migration", tests, setup,
					   teardown);
}
