// SPDX-License-Identifier: GPL-2.0-only
/*
 * End-to-end tests of hostile interrupt triggers (issue 10, item 1): only
 * eventfds are accepted by SET_IRQS (a pipe, a file, a timerfd get EINVAL
 * and change nothing), and signalling a trigger never blocks umdevd, even
 * a blocking eventfd whose counter is at its maximum: the daemon goes on
 * serving a second device and the control socket while an interrupt, a
 * test interrupt and the stop of the device (REQ) hit the saturated
 * counter, and afterwards.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <unistd.h>
#include <cmocka.h>

#include <umdev/client.h>
#include "e2e_harness.h"

/* UART registers of BAR0 (port 0). */
#define THR 0
#define RBR 0
#define IER 1
#define IER_RDI 0x01
#define SCR 7

/* The largest value an eventfd counter can hold. */
#define EVENTFD_MAX 0xfffffffffffffffeULL

/* Short: the stop of a held device is forced quickly. */
static const char *const short_timeout[] = { "--remove-timeout-ms", "300",
					     NULL };

struct fixture {
	struct e2e_daemon d;
	int baseline_fds; /* daemon fds with both devices, no client */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f || e2e_daemon_start(&f->d, short_timeout))
		return -1;
	if (e2e_start(&f->d, E2E_UUID_A, "mtty-2") ||
	    e2e_start(&f->d, E2E_UUID_B, "mtty-1"))
		return -1;
	f->baseline_fds = e2e_fd_count(f->d.pid);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	int status = e2e_daemon_stop(&f->d);

	free(f);
	return status == 0 ? 0 : -1;
}

static struct umdev_client *attach(struct fixture *f, const char *uuid)
{
	int err = 0;
	struct umdev_client *c =
		umdev_client_connect(e2e_device_socket(&f->d, uuid), &err);

	assert_non_null(c);
	return c;
}

static int set_trigger(struct umdev_client *c, uint32_t index, int fd)
{
	int32_t fds = fd;

	return umdev_client_set_irqs(
		c, VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER,
		index, 0, 1, &fds, 1, NULL, 0);
}

/* A test interrupt on @index (SET_IRQS TRIGGER with DATA_NONE). */
static int fire(struct umdev_client *c, uint32_t index)
{
	return umdev_client_set_irqs(
		c, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER, index,
		0, 1, NULL, 0, NULL, 0);
}

/* The daemon still serves device B and the control socket. */
static void check_others_served(struct fixture *f)
{
	struct umdev_client *b = attach(f, E2E_UUID_B);
	uint8_t v = 0;
	json_object *reply;

	assert_int_equal(umdev_client_write8(b, VFIO_PCI_BAR0_REGION_INDEX, SCR,
					     0xa5),
			 0);
	assert_int_equal(
		umdev_client_read8(b, VFIO_PCI_BAR0_REGION_INDEX, SCR, &v), 0);
	assert_int_equal(v, 0xa5);
	umdev_client_close(b);
	reply = e2e_control(&f->d, "{\"op\":\"list\"}");
	assert_non_null(reply);
	assert_int_equal(e2e_reply_errno(reply), 0);
	json_object_put(reply);
}

/* Every kind of fd that is not an eventfd, on every index that has one. */
static void test_non_eventfd_refused(void **state)
{
	static const uint32_t indices[] = { VFIO_PCI_INTX_IRQ_INDEX,
					    VFIO_PCI_MSI_IRQ_INDEX,
					    VFIO_PCI_REQ_IRQ_INDEX };
	struct fixture *f = *state;
	struct umdev_client *c = attach(f, E2E_UUID_A);
	int pipefd[2], file, timer, efd, kinds[4];
	size_t i, k;
	char tmpl[] = "/tmp/umdev-e2e-trigger-XXXXXX";

	assert_int_equal(pipe2(pipefd, O_CLOEXEC), 0);
	file = mkstemp(tmpl);
	assert_true(file >= 0);
	unlink(tmpl);
	/* An anonymous inode too, but no eventfd. */
	timer = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	assert_true(timer >= 0);
	kinds[0] = pipefd[0];
	kinds[1] = pipefd[1];
	kinds[2] = file;
	kinds[3] = timer;
	for (i = 0; i < sizeof(indices) / sizeof(indices[0]); i++)
		for (k = 0; k < 4; k++)
			assert_int_equal(set_trigger(c, indices[i], kinds[k]),
					 -EINVAL);

	/* Nothing changed: a test interrupt reaches no one, and a real
	 * eventfd is then taken as before. */
	assert_int_equal(fire(c, VFIO_PCI_INTX_IRQ_INDEX), 0);
	efd = eventfd(0, EFD_CLOEXEC);
	assert_true(efd >= 0);
	assert_int_equal(set_trigger(c, VFIO_PCI_INTX_IRQ_INDEX, efd), 0);
	assert_int_equal(fire(c, VFIO_PCI_INTX_IRQ_INDEX), 0);
	assert_int_equal(e2e_eventfd_wait(efd), 1);
	check_others_served(f);

	umdev_client_close(c);
	/* The refused fds were not kept: the daemon is back to its baseline. */
	assert_int_equal(e2e_fd_count_settle(f->d.pid, f->baseline_fds),
			 f->baseline_fds);
	close(efd);
	close(timer);
	close(file);
	close(pipefd[0]);
	close(pipefd[1]);
}

/* A blocking eventfd at its maximum: every signal saturates, none blocks. */
static int saturated_eventfd(void)
{
	uint64_t max = EVENTFD_MAX;
	int efd = eventfd(0, EFD_CLOEXEC); /* blocking, on purpose */

	assert_true(efd >= 0);
	assert_int_equal(write(efd, &max, sizeof(max)), sizeof(max));
	return efd;
}

static void test_saturated_eventfd_never_blocks(void **state)
{
	struct fixture *f = *state;
	struct umdev_client *c = attach(f, E2E_UUID_A);
	int intx = saturated_eventfd(), req = saturated_eventfd(), ctl;
	uint64_t count = 0;
	json_object *reply;

	assert_int_equal(set_trigger(c, VFIO_PCI_INTX_IRQ_INDEX, intx), 0);
	assert_int_equal(set_trigger(c, VFIO_PCI_REQ_IRQ_INDEX, req), 0);

	/* A device interrupt: the byte written raises INTx on the way. */
	assert_int_equal(umdev_client_write8(c, VFIO_PCI_BAR0_REGION_INDEX, IER,
					     IER_RDI),
			 0);
	assert_int_equal(umdev_client_write8(c, VFIO_PCI_BAR0_REGION_INDEX, THR,
					     'h'),
			 0);
	/* A test interrupt, answered as well. */
	assert_int_equal(fire(c, VFIO_PCI_INTX_IRQ_INDEX), 0);
	check_others_served(f);

	/* Stop the held device: the daemon rings the saturated REQ eventfd
	 * while it waits for the client, then forces it off. */
	ctl = e2e_control_connect(&f->d);
	assert_true(ctl >= 0);
	assert_int_equal(
		e2e_control_send(ctl, "{\"op\":\"stop\",\"uuid\":\"" E2E_UUID_A
				      "\"}"),
		0);
	check_others_served(f);
	reply = e2e_control_recv(ctl);
	assert_non_null(reply);
	assert_int_equal(e2e_reply_errno(reply), 0);
	json_object_put(reply);
	close(ctl);
	check_others_served(f);

	/* The counters stayed saturated, as the kernel's eventfd_signal()
	 * leaves them. */
	assert_int_equal(read(intx, &count, sizeof(count)), sizeof(count));
	assert_true(count == EVENTFD_MAX);
	assert_int_equal(read(req, &count, sizeof(count)), sizeof(count));
	assert_true(count == EVENTFD_MAX);

	umdev_client_close(c);
	close(intx);
	close(req);
	/* Nothing of the saturated triggers is left: with device A created
	 * again the daemon holds exactly what it held at the start. */
	assert_int_equal(e2e_start(&f->d, E2E_UUID_A, "mtty-2"), 0);
	assert_int_equal(e2e_fd_count_settle(f->d.pid, f->baseline_fds),
			 f->baseline_fds);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_non_eventfd_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_saturated_eventfd_never_blocks, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
