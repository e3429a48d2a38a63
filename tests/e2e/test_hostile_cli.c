// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hostile peers of umdevctl: the daemon and every device socket are input
 * like any other.  A fake control server (a thread of this test, on a
 * control.sock in a temporary runtime directory) answers umdevctl with
 * wrong JSON types, missing members, text that is not printable UTF-8,
 * something that is not one JSON object, or nothing at all; a fake device
 * server reports absurd region and IRQ counts to the client library.  umdevctl must never crash
 * (no signal), never wait longer than its --timeout, and exit 1 (refused
 * or malformed) or 3 (no answer) with a message saying so; the same fake
 * server's well-formed replies are taken (exit 0), so the test can fail.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <cmocka.h>

#include <umdev/client.h>

#include "e2e_harness.h"

struct fake {
	int listen_fd;
	const char *reply; /* NULL: read the request, answer nothing */
	/* The answer to "defined" (list asks for both), when not NULL. */
	const char *defined;
	bool vfio_user; /* a device server instead of a control server */
	uint32_t num_regions, num_irqs;
	pthread_t thread;
	int stop[2];
};

static char tmp_dir[64], runtime_dir[128];

static int fake_listen(const char *name)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	assert_true(strlen(runtime_dir) + strlen(name) + 2 <=
		    sizeof(sun.sun_path));
	strcpy(sun.sun_path, runtime_dir);
	strcat(sun.sun_path, "/");
	strcat(sun.sun_path, name);
	unlink(sun.sun_path);
	assert_int_equal(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	assert_int_equal(listen(fd, 8), 0);
	return fd;
}

/* Answer one vfio-user message: VERSION, DEVICE_GET_INFO, else error. */
static bool fake_vu_one(struct fake *f, int fd)
{
	static const char caps[] =
		"{\"capabilities\":{\"max_msg_fds\":16,\"max_data_xfer_size\":1048576,\"pgsizes\":4096}}";
	uint8_t in[4096], out[512], msg[16 + 512];
	struct e2e_vu_hdr hdr, rh;
	size_t len = 0;
	int n;

	n = e2e_raw_recv(fd, &hdr, in, sizeof(in));
	if (n < 0)
		return false;
	rh = hdr;
	rh.flags = UMDEV_VU_TYPE_REPLY;
	rh.error = 0;
	if (hdr.command == UMDEV_VU_CMD_VERSION) {
		memset(out, 0, 4);
		/* major 0, minor 0 */
		memcpy(out + 4, caps, sizeof(caps));
		len = 4 + sizeof(caps);
	} else if (hdr.command == UMDEV_VU_CMD_DEVICE_GET_INFO) {
		uint32_t info[4] = { 16, 3, f->num_regions, f->num_irqs };

		memcpy(out, info, sizeof(info));
		len = sizeof(info);
	} else {
		rh.flags |= UMDEV_VU_FLAG_ERROR;
		rh.error = EINVAL;
	}
	rh.size = (uint32_t)(sizeof(rh) + len);
	memcpy(msg, &rh, sizeof(rh));
	memcpy(msg + sizeof(rh), out, len);
	return e2e_raw_send_bytes(fd, msg, sizeof(rh) + len) == 0;
}

/* Read up to and with the request's newline (bounded by E2E_WAIT_MS). */
static bool fake_read_line(int fd, char *buf, size_t len)
{
	size_t n = 0;

	while (n < len) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t got;

		if (poll(&p, 1, E2E_WAIT_MS) != 1)
			return false;
		got = recv(fd, buf + n, len - n, 0);
		if (got <= 0)
			return false;
		n += got;
		if (memchr(buf, '\n', n))
			return true;
	}
	return false;
}

static void *fake_run(void *arg)
{
	struct fake *f = arg;

	for (;;) {
		struct pollfd pfd[2] = {
			{ .fd = f->listen_fd, .events = POLLIN },
			{ .fd = f->stop[0], .events = POLLIN }
		};
		int fd;

		if (poll(pfd, 2, -1) < 0 || pfd[1].revents)
			break;
		fd = accept4(f->listen_fd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0)
			continue;
		if (f->vfio_user) {
			while (fake_vu_one(f, fd))
				;
		} else {
			char line[4096];

			bool got = fake_read_line(fd, line, sizeof(line));

			/* Answer the request, or hold on silently. */
			if (got && f->defined &&
			    strstr(line, "\"op\":\"defined\"")) {
				e2e_raw_send_bytes(fd, f->defined,
						   strlen(f->defined));
			} else if (got && f->reply) {
				e2e_raw_send_bytes(fd, f->reply,
						   strlen(f->reply));
			} else if (!f->reply) {
				struct pollfd p = { .fd = f->stop[0],
						    .events = POLLIN };
				struct pollfd q = { .fd = fd,
						    .events = POLLIN };

				/* Until umdevctl gives up (or we stop). */
				while (poll(&q, 1, 100) == 0 &&
				       poll(&p, 1, 0) == 0)
					;
			}
		}
		close(fd);
	}
	return NULL;
}

static void fake_start(struct fake *f, const char *socket_name)
{
	f->listen_fd = fake_listen(socket_name);
	assert_int_equal(pipe(f->stop), 0);
	assert_int_equal(pthread_create(&f->thread, NULL, fake_run, f), 0);
}

static void fake_stop(struct fake *f)
{
	assert_int_equal(write(f->stop[1], "x", 1), 1);
	pthread_join(f->thread, NULL);
	close(f->listen_fd);
	close(f->stop[0]);
	close(f->stop[1]);
}

/* umdevctl --timeout 1 @verb...: its status; stderr into *@err. */
static int umdevctl(char **err, const char *a1, const char *a2, const char *a3)
{
	char *const argv[] = {
		(char *)e2e_build_path("src/cli/umdevctl"),
		"--runtime-dir",
		runtime_dir,
		"--timeout",
		"1",
		(char *)a1,
		(char *)a2,
		(char *)a3,
		NULL,
	};
	char *out = NULL;
	int status = e2e_run(argv, NULL, &out, err);

	free(out);
	return status;
}

struct cli_case {
	const char *verb, *arg1, *arg2;
	const char *reply;
	int status; /* expected exit status */
	const char *message; /* in stderr */
};

/* @defined: the answer to "defined" (list asks for it too), or NULL. */
static void run_cases(const struct cli_case *cases, size_t n,
		      const char *defined)
{
	static const char empty_defined[] =
		"{\"ok\":true,\"definitions\":[]}\n";
	struct fake f = { 0 };
	size_t i;

	fake_start(&f, "control.sock");
	for (i = 0; i < n; i++) {
		char *err = NULL;
		int status;

		f.reply = cases[i].reply;
		f.defined = defined ? defined : empty_defined;
		status = umdevctl(&err, cases[i].verb, cases[i].arg1,
				  cases[i].arg2);
		if (status != cases[i].status ||
		    (cases[i].message &&
		     (!err || !strstr(err, cases[i].message))))
			fail_msg(
				"case %zu: umdevctl %s given %s: status %d (want %d), stderr: %s",
				i, cases[i].verb,
				cases[i].reply ? cases[i].reply : "(nothing)",
				status, cases[i].status, err ? err : "");
		free(err);
	}
	fake_stop(&f);
}

#define UUID E2E_UUID_A
#define MAL "malformed reply from umdevd"

static void test_cli_bad_control_replies(void **state)
{
	static const struct cli_case cases[] = {
		/* Well-formed: taken. */
		{ "list", NULL, NULL,
		  "{\"ok\":true,\"devices\":[{\"uuid\":\"" UUID
		  "\",\"parent\":\"mtty\",\"type\":\"mtty-1\",\"client\":false}]}\n",
		  0, NULL },
		{ "types", NULL, NULL,
		  "{\"ok\":true,\"types\":[{\"parent\":\"p\",\"type\":\"t\",\"name\":\"n\",\"device_api\":\"vfio-pci\",\"available_instances\":3}]}\n",
		  0, NULL },
		{ "list", "--dumpjson", NULL, "{\"ok\":true,\"devices\":[]}\n",
		  0, NULL },
		{ "stop", "-u", UUID,
		  "{\"ok\":true,\"uuid\":\"" UUID "\",\"forced\":false}\n", 0,
		  NULL },
		/* The status member. */
		{ "list", NULL, NULL, "{\"devices\":[]}\n", 1, MAL },
		{ "list", NULL, NULL, "{\"ok\":\"yes\",\"devices\":[]}\n", 1,
		  MAL },
		{ "list", NULL, NULL, "{\"ok\":1}\n", 1, MAL },
		{ "list", NULL, NULL, "{\"ok\":false}\n", 1, MAL },
		{ "list", NULL, NULL, "{\"ok\":false,\"error\":5}\n", 1, MAL },
		{ "list", NULL, NULL,
		  "{\"ok\":false,\"error\":\"x\",\"errno\":\"22\"}\n", 1, MAL },
		{ "list", NULL, NULL,
		  "{\"ok\":false,\"errno\":22,\"error\":\"refused here\"}\n", 1,
		  "refused here" },
		/* Not one JSON object. */
		{ "list", NULL, NULL, "[]\n", 1, MAL },
		{ "list", NULL, NULL, "null\n", 1, MAL },
		{ "list", NULL, NULL, "{\"ok\":true,\"devices\":[]} {}\n", 1,
		  MAL },
		{ "list", NULL, NULL, "{'ok':true}\n", 1, MAL },
		{ "list", NULL, NULL,
		  "{\"ok\":true,\"devices\":[],\"x\":NaN}\n", 1, MAL },
		{ "list", NULL, NULL, "\xff\xfe\n", 1, MAL },
		/* Wrong or missing members. */
		{ "list", NULL, NULL, "{\"ok\":true}\n", 1, MAL },
		{ "list", NULL, NULL, "{\"ok\":true,\"devices\":\"x\"}\n", 1,
		  MAL },
		{ "list", NULL, NULL, "{\"ok\":true,\"devices\":{}}\n", 1,
		  MAL },
		{ "list", NULL, NULL, "{\"ok\":true,\"devices\":[1]}\n", 1,
		  MAL },
		{ "list", NULL, NULL, "{\"ok\":true,\"devices\":[null]}\n", 1,
		  MAL },
		{ "list", NULL, NULL,
		  "{\"ok\":true,\"devices\":[{\"uuid\":1,\"parent\":\"p\",\"type\":\"t\",\"client\":false}]}\n",
		  1, MAL },
		{ "list", NULL, NULL,
		  "{\"ok\":true,\"devices\":[{\"uuid\":\"u\",\"type\":\"t\",\"client\":false}]}\n",
		  1, MAL },
		{ "list", "--dumpjson", NULL,
		  "{\"ok\":true,\"devices\":[{\"uuid\":\"u\",\"parent\":null,\"type\":\"t\",\"client\":false}]}\n",
		  1, MAL },
		{ "list", NULL, NULL,
		  "{\"ok\":true,\"devices\":[{\"uuid\":\"u\",\"parent\":\"p\",\"type\":\"t\",\"client\":\"no\"}]}\n",
		  1, MAL },
		{ "list", NULL, NULL,
		  "{\"ok\":true,\"devices\":[{\"uuid\":\"\\u001b[2J\",\"parent\":\"p\",\"type\":\"t\",\"client\":false}]}\n",
		  1, MAL },
		{ "types", NULL, NULL,
		  "{\"ok\":true,\"types\":[{\"parent\":\"p\",\"type\":\"t\",\"name\":\"n\",\"device_api\":\"v\",\"available_instances\":\"3\"}]}\n",
		  1, MAL },
		{ "types", NULL, NULL,
		  "{\"ok\":true,\"types\":[{\"parent\":\"p\",\"type\":\"t\",\"name\":\"n\",\"device_api\":\"v\",\"available_instances\":-1}]}\n",
		  1, MAL },
		{ "types", "--dumpjson", NULL,
		  "{\"ok\":true,\"types\":[{\"parent\":\"p\",\"name\":\"n\",\"device_api\":\"v\",\"available_instances\":1}]}\n",
		  1, MAL },
		{ "types", NULL, NULL,
		  "{\"ok\":true,\"types\":[{\"parent\":\"p\",\"type\":\"t\",\"name\":\"n\",\"device_api\":\"v\",\"available_instances\":1,\"description\":[]}]}\n",
		  1, MAL },
		{ "stop", "-u", UUID, "{\"ok\":true}\n", 1, MAL },
		{ "start", "-u", UUID, "{\"ok\":true}\n", 0, NULL },
		{ "start", "-u", UUID, "{\"ok\":1}\n", 1, MAL },
		{ "start", "-u", UUID, "{\"ok\":false,\"error\":null}\n", 1,
		  MAL },
		{ "stop", "-u", UUID, "{\"ok\":true,\"forced\":\"no\"}\n", 1,
		  MAL },
		/* info: what umdevd reports of the device, checked as well. */
		{ "info", "-u", UUID,
		  "{\"ok\":true,\"socket\":\"s\",\"client\":false,\"flags\":3,\"num_regions\":4294967295,\"num_irqs\":5,\"regions\":[],\"irqs\":[]}\n",
		  1, MAL },
		{ "info", "-u", UUID,
		  "{\"ok\":true,\"socket\":\"s\",\"client\":false,\"flags\":3,\"num_regions\":9,\"num_irqs\":5,\"regions\":\"x\",\"irqs\":[]}\n",
		  1, MAL },
		{ "info", "-u", UUID,
		  "{\"ok\":true,\"socket\":7,\"client\":false,\"flags\":3,\"num_regions\":9,\"num_irqs\":5,\"regions\":[],\"irqs\":[]}\n",
		  1, MAL },
		/* Closed without a reply; a reply cut short. */
		{ "list", NULL, NULL, "", 3, "without a reply" },
		{ "list", NULL, NULL, "{\"ok\":true,\"dev", 3,
		  "without a reply" },
	};

	run_cases(cases, sizeof(cases) / sizeof(cases[0]), NULL);
}

/* list asks for the definitions too: that reply is checked the same way. */
static void test_cli_bad_defined_reply(void **state)
{
	static const struct cli_case list = {
		"list", NULL, NULL, "{\"ok\":true,\"devices\":[]}\n", 1, MAL
	};
	static const char *const bad[] = {
		"{\"ok\":true,\"definitions\":[{\"uuid\":\"u\"}]}\n",
		"{\"ok\":true,\"definitions\":7}\n",
		"{\"ok\":true}\n",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		run_cases(&list, 1, bad[i]);
}

/* No reply at all: umdevctl gives up after --timeout with a message. */
static void test_cli_no_reply(void **state)
{
	static const struct cli_case cases[] = {
		{ "list", NULL, NULL, NULL, 3,
		  "umdevd did not answer within 1 s" },
		{ "stop", "-u", UUID, NULL, 1, "--timeout" },
	};

	run_cases(cases, sizeof(cases) / sizeof(cases[0]), NULL);
}

/*
 * A device server reporting absurd counts: `umdevctl info` refuses them
 * at once (it would otherwise ask for billions of regions).
 */
static void test_client_absurd_device(void **state)
{
	static const uint32_t counts[][3] = { { 0xffffffffu, 5, -E2BIG },
					      { 9, 0xffffffffu, -E2BIG },
					      { 65, 0, -E2BIG },
					      { 9, 5, 0 } };
	size_t i;

	for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		struct fake f = { .vfio_user = true,
				  .num_regions = counts[i][0],
				  .num_irqs = counts[i][1] };
		struct vfio_device_info info = { .argsz = sizeof(info) };
		char name[64], sock[200];
		struct umdev_client *c;
		int err = 0;

		snprintf(name, sizeof(name), "%s.sock", UUID);
		snprintf(sock, sizeof(sock), "%s/%s", runtime_dir, name);
		fake_start(&f, name);
		c = umdev_client_connect(sock, &err);
		if (!c)
			fail_msg("connect to the fake device: %d", err);
		umdev_client_set_timeout_ms(c, 1000);
		assert_int_equal(umdev_client_get_info(c, &info),
				 (int)counts[i][2]);
		/* Filled either way, so that a caller can say what it got. */
		assert_int_equal(info.num_regions, counts[i][0]);
		assert_int_equal(info.num_irqs, counts[i][1]);
		umdev_client_close(c);
		fake_stop(&f);
	}
}

static int setup(void **state)
{
	snprintf(tmp_dir, sizeof(tmp_dir), "/tmp/umdev-hostile-cli-XXXXXX");
	if (!mkdtemp(tmp_dir))
		return -1;
	snprintf(runtime_dir, sizeof(runtime_dir), "%s/run", tmp_dir);
	return mkdir(runtime_dir, 0700);
}

static int teardown(void **state)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp_dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cli_bad_control_replies),
		cmocka_unit_test(test_cli_bad_defined_reply),
		cmocka_unit_test(test_cli_no_reply),
		cmocka_unit_test(test_client_absurd_device),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, setup, teardown);
}
