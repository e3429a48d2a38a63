// SPDX-License-Identifier: GPL-2.0-only
/*
 * End-to-end tests of removing a device while a client holds it: the
 * client's REQ eventfd is signalled, the daemon waits a bounded time
 * (--remove-timeout-ms), completes early when the client leaves, else
 * forces it off; the stop request is answered when the removal is done.
 */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include <umdev/client.h>
#include "daemon/device_sockets.h"
#include "e2e_harness.h"

/* Short, so forced removals finish quickly. */
static const char *const short_timeout[] = { "--remove-timeout-ms", "300",
					     NULL };
/* Far longer than E2E_WAIT_MS: only an early completion can pass. */
static const char *const long_timeout[] = { "--remove-timeout-ms", "600000",
					    NULL };

struct fixture {
	struct e2e_daemon d;
	struct umdev_client *client;
	int req_fd;
	int ctl_fd;
	int baseline_fds;
};

static int setup_with(void **state, const char *const *args)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f || e2e_daemon_start(&f->d, args))
		return -1;
	f->req_fd = -1;
	f->ctl_fd = -1;
	/* Before any connection: what the daemon holds with no device. */
	f->baseline_fds = e2e_fd_count(f->d.pid);
	if (e2e_start(&f->d, E2E_UUID_A, "mtty-2"))
		return -1;
	*state = f;
	return 0;
}

static int setup_short(void **state)
{
	return setup_with(state, short_timeout);
}

static int setup_long(void **state)
{
	return setup_with(state, long_timeout);
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	int status;

	if (f->client)
		umdev_client_close(f->client);
	if (f->req_fd >= 0)
		close(f->req_fd);
	if (f->ctl_fd >= 0)
		close(f->ctl_fd);
	status = e2e_daemon_stop(&f->d);
	free(f);
	return status == 0 ? 0 : -1;
}

/* Attach a client; with @with_req, it installs a REQ eventfd. */
static void attach(struct fixture *f, bool with_req)
{
	int err = 0;

	f->client = umdev_client_connect(e2e_device_socket(&f->d, E2E_UUID_A),
					 &err);
	assert_non_null(f->client);
	if (with_req) {
		int32_t fd;

		f->req_fd = eventfd(0, EFD_CLOEXEC);
		assert_true(f->req_fd >= 0);
		fd = f->req_fd;
		assert_int_equal(umdev_client_set_irqs(
					 f->client,
					 VFIO_IRQ_SET_DATA_EVENTFD |
						 VFIO_IRQ_SET_ACTION_TRIGGER,
					 VFIO_PCI_REQ_IRQ_INDEX, 0, 1, &fd, 1,
					 NULL, 0),
				 0);
	}
}

static void send_stop(struct fixture *f)
{
	f->ctl_fd = e2e_control_connect(&f->d);
	assert_true(f->ctl_fd >= 0);
	assert_int_equal(
		e2e_control_send(f->ctl_fd,
				 "{\"op\":\"stop\",\"uuid\":\"" E2E_UUID_A
				 "\"}"),
		0);
}

static bool reply_forced(json_object *reply)
{
	json_object *v;

	assert_true(json_object_object_get_ex(reply, "forced", &v));
	return json_object_get_boolean(v);
}

static void assert_gone(struct fixture *f)
{
	json_object *reply = e2e_control(&f->d, "{\"op\":\"list\"}"), *devs;

	assert_int_equal(e2e_reply_errno(reply), 0);
	assert_true(json_object_object_get_ex(reply, "devices", &devs));
	assert_int_equal(json_object_array_length(devs), 0);
	json_object_put(reply);
	assert_int_not_equal(access(e2e_device_socket(&f->d, E2E_UUID_A), F_OK),
			     0);
}

/* Every fd the device and its removal used is closed again. */
static void assert_fds_back(struct fixture *f)
{
	assert_int_equal(e2e_fd_count_settle(f->d.pid, f->baseline_fds),
			 f->baseline_fds);
}

static void test_forced_after_timeout(void **state)
{
	struct fixture *f = *state;
	json_object *reply;

	attach(f, true);
	send_stop(f);
	assert_true(e2e_eventfd_wait(f->req_fd) >= 1);
	/* The client ignores the request: the daemon forces it off. */
	reply = e2e_control_recv(f->ctl_fd);
	assert_int_equal(e2e_reply_errno(reply), 0);
	assert_true(reply_forced(reply));
	json_object_put(reply);
	assert_true(e2e_wait_closed(umdev_client_fd(f->client)));
	assert_gone(f);
	assert_true(e2e_daemon_log_contains(&f->d, "did not release"));
	umdev_client_close(f->client);
	f->client = NULL;
	close(f->ctl_fd);
	f->ctl_fd = -1;
	assert_fds_back(f);
}

/*
 * Without a bound the daemon does not force: it asks again, as the
 * kernel's VFIO does, logs how long it has waited, and the operator's
 * forced stop ends it (answering the waiting stop too).
 */
static void test_request_resent_then_forced(void **state)
{
	struct fixture *f = *state;
	struct pollfd pfd;
	json_object *reply;
	int waited;

	attach(f, true);
	send_stop(f);
	assert_true(e2e_eventfd_wait(f->req_fd) >= 1);
	/* The second request comes one interval later, logged first. */
	for (waited = 0;
	     waited < DEVICE_REMOVAL_REQ_INTERVAL_MS + E2E_WAIT_MS &&
	     !e2e_daemon_log_contains(&f->d, "request sent again (2)");
	     waited += 100)
		usleep(100 * 1000);
	assert_true(e2e_daemon_log_contains(&f->d, "request sent again (2)"));
	pfd.fd = f->req_fd;
	pfd.events = POLLIN;
	assert_int_equal(poll(&pfd, 1, E2E_WAIT_MS), 1);
	assert_true(e2e_eventfd_count(f->req_fd) >= 1);
	assert_false(e2e_daemon_log_contains(&f->d, "did not release"));
	reply = e2e_control(&f->d, "{\"op\":\"stop\",\"uuid\":\"" E2E_UUID_A
				   "\",\"force\":true}");
	assert_int_equal(e2e_reply_errno(reply), 0);
	assert_true(reply_forced(reply));
	json_object_put(reply);
	reply = e2e_control_recv(f->ctl_fd);
	assert_int_equal(e2e_reply_errno(reply), 0);
	assert_true(reply_forced(reply));
	json_object_put(reply);
	assert_true(e2e_wait_closed(umdev_client_fd(f->client)));
	assert_gone(f);
}

static void test_forced_without_req(void **state)
{
	struct fixture *f = *state;
	json_object *reply;

	attach(f, false);
	send_stop(f);
	reply = e2e_control_recv(f->ctl_fd);
	assert_int_equal(e2e_reply_errno(reply), 0);
	assert_true(reply_forced(reply));
	json_object_put(reply);
	assert_true(e2e_wait_closed(umdev_client_fd(f->client)));
	assert_gone(f);
}

static void test_completes_when_client_leaves(void **state)
{
	struct fixture *f = *state;
	json_object *reply;

	attach(f, true);
	send_stop(f);
	assert_true(e2e_eventfd_wait(f->req_fd) >= 1);
	/* The client lets go, as a VMM would on REQ. */
	umdev_client_close(f->client);
	f->client = NULL;
	/* With a 600 s timeout, only the early completion answers now. */
	reply = e2e_control_recv(f->ctl_fd);
	assert_int_equal(e2e_reply_errno(reply), 0);
	assert_false(reply_forced(reply));
	json_object_put(reply);
	assert_gone(f);
	close(f->ctl_fd);
	f->ctl_fd = -1;
	assert_fds_back(f);
}

static void test_second_stop_busy(void **state)
{
	struct fixture *f = *state;
	json_object *reply, *devs, *dev, *v;

	attach(f, true);
	send_stop(f);
	assert_true(e2e_eventfd_wait(f->req_fd) >= 1);
	assert_int_equal(e2e_stop(&f->d, E2E_UUID_A), -EBUSY);
	reply = e2e_control(&f->d, "{\"op\":\"list\"}");
	assert_true(json_object_object_get_ex(reply, "devices", &devs));
	dev = json_object_array_get_idx(devs, 0);
	assert_non_null(dev);
	assert_true(json_object_object_get_ex(dev, "removing", &v));
	assert_true(json_object_get_boolean(v));
	json_object_put(reply);
	umdev_client_close(f->client);
	f->client = NULL;
	reply = e2e_control_recv(f->ctl_fd);
	assert_int_equal(e2e_reply_errno(reply), 0);
	json_object_put(reply);
}

/* The requester hangs up: the removal still completes, nothing breaks. */
static void test_requester_leaves(void **state)
{
	struct fixture *f = *state;

	attach(f, true);
	send_stop(f);
	assert_true(e2e_eventfd_wait(f->req_fd) >= 1);
	close(f->ctl_fd);
	f->ctl_fd = -1;
	umdev_client_close(f->client);
	f->client = NULL;
	/* A list request after the close is served after the removal ran,
	 * or the removal is still pending: wait for the socket to go. */
	for (int i = 0; i < E2E_WAIT_MS / 10; i++) {
		if (access(e2e_device_socket(&f->d, E2E_UUID_A), F_OK))
			break;
		usleep(10000);
	}
	assert_gone(f);
	assert_fds_back(f);
}

static void test_no_client_immediate(void **state)
{
	struct fixture *f = *state;
	json_object *reply;

	send_stop(f);
	reply = e2e_control_recv(f->ctl_fd);
	assert_int_equal(e2e_reply_errno(reply), 0);
	assert_false(reply_forced(reply));
	json_object_put(reply);
	assert_gone(f);
}

/* SIGTERM while a removal waits: clean exit, every socket removed. */
static void test_sigterm_during_removal(void **state)
{
	struct fixture *f = *state;
	int status;

	attach(f, true);
	send_stop(f);
	assert_true(e2e_eventfd_wait(f->req_fd) >= 1);
	kill(f->d.pid, SIGTERM);
	assert_int_equal(waitpid(f->d.pid, &status, 0), f->d.pid);
	f->d.pid = 0;
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(e2e_runtime_sockets(&f->d), 0);
	/* The pending stop's connection was closed, not left hanging. */
	assert_null(e2e_control_recv(f->ctl_fd));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_forced_after_timeout,
						setup_short, teardown),
		cmocka_unit_test_setup_teardown(test_forced_without_req,
						setup_short, teardown),
		cmocka_unit_test_setup_teardown(
			test_completes_when_client_leaves, setup_long,
			teardown),
		cmocka_unit_test_setup_teardown(test_second_stop_busy,
						setup_long, teardown),
		cmocka_unit_test_setup_teardown(test_requester_leaves,
						setup_long, teardown),
		cmocka_unit_test_setup_teardown(test_no_client_immediate,
						setup_long, teardown),
		cmocka_unit_test_setup_teardown(test_sigterm_during_removal,
						setup_long, teardown),
		cmocka_unit_test_setup_teardown(test_request_resent_then_forced,
						setup_long, teardown),
	};

	return cmocka_run_group_tests_name("e2e_removal", tests, NULL, NULL);
}
