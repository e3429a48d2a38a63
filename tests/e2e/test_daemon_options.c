// SPDX-License-Identifier: GPL-2.0-only
/*
 * End-to-end tests of umdevd's --driver-opt and --poll-us: a bad driver
 * option (unknown driver, unknown key, bad value, bad syntax) is refused
 * at start with a message naming it; mtty.ports sets how many devices one
 * daemon holds; with polling on (server and client), a long stream of
 * posted writes, interrupts and reads keeps every byte in order, and the
 * daemon still shuts down on SIGTERM.
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

#include "e2e_harness.h"

/* umdevd with @opt must exit non-zero, its stderr naming @needle. */
static void expect_refused(const char *opt, const char *arg, const char *needle)
{
	char dir[] = "/tmp/umdev-e2e-opts.XXXXXX";
	char *out = NULL, *err = NULL;
	char *argv[] = { (char *)e2e_build_path("src/daemon/umdevd"),
			 "--runtime-dir",
			 dir,
			 "--driver-dir",
			 "/nonexistent",
			 (char *)opt,
			 (char *)arg,
			 NULL };
	int status;

	assert_non_null(mkdtemp(dir));
	argv[0] = strdup(argv[0]);
	status = e2e_run(argv, NULL, &out, &err);
	if (status == 0 || !err || !strstr(err, needle))
		fprintf(stderr, "# %s %s: status %d, stderr: %s\n", opt, arg,
			status, err ? err : "(none)");
	assert_int_equal(status, 2); /* a bad command line */
	assert_non_null(err);
	assert_non_null(strstr(err, needle));
	/* Refused before serving: no control socket left behind. */
	assert_null(strstr(out ? out : "", "ready"));
	free(argv[0]);
	free(out);
	free(err);
	rmdir(dir);
}

static void test_bad_driver_options_refused(void **state)
{
	expect_refused("--driver-opt", "mtty.bogus=1", "mtty.bogus=1");
	expect_refused("--driver-opt", "nosuch.ports=1", "nosuch.ports=1");
	expect_refused("--driver-opt", "mtty.ports=abc", "mtty.ports=abc");
	expect_refused("--driver-opt", "mtty.ports=0", "mtty.ports=0");
	expect_refused("--driver-opt", "mtty.ports=99999999", "mtty.ports");
	expect_refused("--driver-opt", "mtty.ports", "DRIVER.KEY=VALUE");
	expect_refused("--driver-opt", "=1", "DRIVER.KEY=VALUE");
	expect_refused("--poll-us", "fast", "--poll-us");
	expect_refused("--poll-us", "-5", "--poll-us");
}

static const char *uuid_n(char *buf, unsigned int n)
{
	snprintf(buf, 37, "00000000-0000-4000-8000-%012x", n);
	return buf;
}

/* mtty.ports=30: 30 one-port devices fit, the 31st is refused. */
static void test_mtty_ports_option(void **state)
{
	static const char *const args[] = { "--driver-opt", "mtty.ports=30",
					    NULL };
	struct e2e_daemon d;
	char uuid[40];
	unsigned int i;

	assert_int_equal(e2e_daemon_start(&d, args), 0);
	for (i = 1; i <= 30; i++)
		assert_int_equal(e2e_start(&d, uuid_n(uuid, i), "mtty-1"), 0);
	assert_int_not_equal(e2e_start(&d, uuid_n(uuid, 31), "mtty-1"), 0);
	/* Ports come back with a removal. */
	assert_int_equal(e2e_stop(&d, uuid_n(uuid, 1)), 0);
	assert_int_equal(e2e_start(&d, uuid_n(uuid, 31), "mtty-1"), 0);
	assert_int_equal(e2e_daemon_stop(&d), 0);
}

#define BAR0 VFIO_PCI_BAR0_REGION_INDEX
#define STREAM_BYTES 3000

/*
 * One byte at a time as the bench's interrupt figure does: posted THR
 * write, wait for the RX interrupt, read RBR; every 7th byte also a
 * non-posted write of SCR and its read-back.  Any lost, duplicated or
 * reordered message shows as a wrong byte or a missing interrupt.
 */
static void stream(const char *socket, unsigned int client_poll_us)
{
	struct umdev_client *c;
	int32_t efd;
	unsigned int i;
	int err = 0;

	c = umdev_client_connect(socket, &err);
	assert_non_null(c);
	umdev_client_set_poll_us(c, client_poll_us);
	efd = eventfd(0, EFD_CLOEXEC);
	assert_true(efd >= 0);
	assert_int_equal(
		umdev_client_set_irqs(
			c,
			VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER,
			VFIO_PCI_MSI_IRQ_INDEX, 0, 1, &efd, 1, NULL, 0),
		0);
	assert_int_equal(umdev_client_write8(c, BAR0, 3, 0x03), 0); /* LCR */
	assert_int_equal(umdev_client_write8(c, BAR0, 2, 0x07), 0); /* FCR */
	assert_int_equal(umdev_client_write8(c, BAR0, 1, 0x01), 0); /* IER */
	for (i = 0; i < STREAM_BYTES; i++) {
		uint8_t b = (uint8_t)(i * 37 + 1), back = 0;

		assert_int_equal(umdev_client_write_posted(c, BAR0, 0, &b, 1),
				 1);
		assert_int_equal(e2e_eventfd_wait(efd), 1);
		assert_int_equal(umdev_client_read8(c, BAR0, 0, &back), 0);
		assert_int_equal(back, b);
		if (i % 7 == 0) {
			assert_int_equal(umdev_client_write8(c, BAR0, 7, b), 0);
			assert_int_equal(umdev_client_read8(c, BAR0, 7, &back),
					 0);
			assert_int_equal(back, b);
		}
	}
	close(efd);
	umdev_client_close(c);
}

static void test_polling_stream_and_shutdown(void **state)
{
	static const char *const args[] = { "--poll-us", "200", NULL };
	struct e2e_daemon d;

	assert_int_equal(e2e_daemon_start(&d, args), 0);
	assert_int_equal(e2e_start(&d, E2E_UUID_A, "mtty-1"), 0);
	stream(e2e_device_socket(&d, E2E_UUID_A), 0);
	stream(e2e_device_socket(&d, E2E_UUID_A), 100);
	/* The control socket is served while the loop polls. */
	assert_int_equal(e2e_stop(&d, E2E_UUID_A), 0);
	/* SIGTERM: a clean exit. */
	assert_int_equal(e2e_daemon_stop(&d), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_driver_options_refused),
		cmocka_unit_test(test_mtty_ports_option),
		cmocka_unit_test(test_polling_stream_and_shutdown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
