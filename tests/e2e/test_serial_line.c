// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_serial_line - an mtty port as a real serial line, end to end: the
 * test is the guest (a vfio-user client driving the 16550A by its
 * interrupts, MSI) and forks a host program that opens the port's pty (by
 * its stable link <runtime>/<uuid>.port0) or connects to its socket
 * ("socket:PATH").  1 MB each way, bytes compared; the host leaving and
 * coming back (DCD follows); a guest that stops reading (the host is
 * stalled, nothing is lost) and then resumes; bad attribute values.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cmocka.h>

#include "e2e_harness.h"

#define MB (1024 * 1024)

/* 16550A registers and bits (the guest's view). */
#define RBR 0
#define THR 0
#define IER 1
#define IIR 2
#define FCR 2
#define LCR 3
#define LSR 5
#define MSR 6
#define IER_RDI 0x01
#define IER_THRI 0x02
#define IER_MSI 0x08
#define IIR_ID 0x0f
#define IIR_THRI 0x02
#define IIR_RDI 0x04
#define IIR_CTI 0x0c
#define FCR_ENABLE_CLEAR_14 0xc7
#define LSR_DR 0x01
#define LSR_TEMT 0x40
#define MSR_DCD 0x80
#define MSR_DSR 0x20
#define MSR_CTS 0x10
#define RX_TRIGGER 14
#define FIFO 16

static struct e2e_daemon daemon_;
static char sock_path[PATH_MAX];

static uint8_t pattern(size_t i, unsigned int seed)
{
	return (uint8_t)((i * 131 + (i >> 9) + seed) ^ (i >> 17));
}

/* ---- the guest ---- */

struct guest {
	struct umdev_client *c;
	int efd;
	uint32_t bar;
};

static uint8_t rd(struct guest *g, uint64_t reg)
{
	uint8_t v = 0;

	assert_int_equal(umdev_client_read8(g->c, g->bar, reg, &v), 0);
	return v;
}

static void wr(struct guest *g, uint64_t reg, uint8_t v)
{
	assert_int_equal(umdev_client_write8(g->c, g->bar, reg, v), 0);
}

static void wait_irq(struct guest *g)
{
	assert_true(e2e_eventfd_wait(g->efd) > 0);
}

static void guest_open(struct guest *g, const char *uuid, unsigned int port)
{
	int err = 0, tries;

	/* The daemon may not have seen the previous guest go yet. */
	for (tries = 0; tries < E2E_WAIT_MS / 10; tries++) {
		g->c = umdev_client_connect(e2e_device_socket(&daemon_, uuid),
					    &err);
		if (g->c)
			break;
		usleep(10000);
	}
	assert_non_null(g->c);
	/* A loaded machine is slow, never wrong: wait as long as for the
	 * daemon's other duties. */
	umdev_client_set_timeout_ms(g->c, E2E_WAIT_MS);
	g->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	assert_true(g->efd >= 0);
	g->bar = VFIO_PCI_BAR0_REGION_INDEX + port;
	assert_int_equal(
		umdev_client_set_irqs(
			g->c,
			VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER,
			VFIO_PCI_MSI_IRQ_INDEX, 0, 1, &g->efd, 1, NULL, 0),
		0);
	/* 115200 baud (divisor 1), 8N1: the character timeout is 4 frames. */
	wr(g, LCR, 0x83);
	wr(g, 0, 1);
	wr(g, 1, 0);
	wr(g, LCR, 0x03);
	wr(g, FCR, FCR_ENABLE_CLEAR_14);
}

static void guest_close(struct guest *g)
{
	wr(g, IER, 0);
	umdev_client_close(g->c);
	close(g->efd);
}

/* Wait, by modem-status interrupts, for the carrier to be @up. */
static void guest_wait_carrier(struct guest *g, bool up)
{
	uint8_t msr;

	wr(g, IER, IER_MSI);
	for (;;) {
		msr = rd(g, MSR);
		if (!!(msr & MSR_DCD) == up)
			break;
		wait_irq(g);
	}
	/* CTS, DSR and DCD move together. */
	assert_int_equal(msr & (MSR_CTS | MSR_DSR | MSR_DCD),
			 up ? MSR_CTS | MSR_DSR | MSR_DCD : 0);
	wr(g, IER, 0);
}

/* Transmit @len bytes of pattern @seed, 16 per THR-empty interrupt. */
static void guest_send(struct guest *g, size_t len, unsigned int seed)
{
	size_t off = 0, i, burst;
	uint8_t b;

	wr(g, IER, IER_THRI);
	while (off < len) {
		wait_irq(g);
		while (off < len && (rd(g, IIR) & IIR_ID) == IIR_THRI) {
			burst = len - off < FIFO ? len - off : FIFO;
			for (i = 0; i < burst; i++) {
				b = pattern(off + i, seed);
				assert_true(umdev_client_write_posted(
						    g->c, g->bar, THR, &b, 1) >=
					    0);
			}
			off += burst;
		}
	}
	/* Everything left the transmitter (a read orders the posted writes). */
	while (!(rd(g, LSR) & LSR_TEMT))
		wait_irq(g);
	wr(g, IER, 0);
}

/* Receive @len bytes by RX-data and character-timeout interrupts. */
static void guest_recv(struct guest *g, uint8_t *buf, size_t len)
{
	size_t off = 0, i;
	uint8_t id;

	wr(g, IER, IER_RDI);
	while (off < len) {
		wait_irq(g);
		for (;;) {
			id = rd(g, IIR) & IIR_ID;
			if (id == IIR_RDI) {
				/* The trigger level is there: read it all. */
				for (i = 0; i < RX_TRIGGER; i++) {
					assert_true(off < len);
					buf[off++] = rd(g, RBR);
				}
			} else if (id == IIR_CTI) {
				while (rd(g, LSR) & LSR_DR) {
					assert_true(off < len);
					buf[off++] = rd(g, RBR);
				}
			} else {
				break;
			}
		}
	}
	wr(g, IER, 0);
}

static void assert_pattern(const uint8_t *buf, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (buf[i] != pattern(i, seed))
			fail_msg("byte %zu: %#x, expected %#x", i, buf[i],
				 pattern(i, seed));
}

/* ---- the host program (a child process) ---- */

enum host_kind { HOST_PTY, HOST_SOCKET };

static int host_connect(enum host_kind kind, const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd;

	if (kind == HOST_PTY)
		return open(path, O_RDWR | O_NOCTTY);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)))
		return -1;
	return fd;
}

static bool host_read_all(int fd, size_t len, unsigned int seed)
{
	uint8_t buf[4096];
	size_t off = 0, i;
	ssize_t n;

	while (off < len) {
		n = read(fd, buf,
			 len - off < sizeof(buf) ? len - off : sizeof(buf));
		if (n <= 0)
			return false;
		for (i = 0; i < (size_t)n; i++)
			if (buf[i] != pattern(off + i, seed))
				return false;
		off += (size_t)n;
	}
	return true;
}

/*
 * Write @len bytes of pattern @seed.  With @report >= 0 the fd is
 * non-blocking and the byte count at the first EAGAIN (the guest not
 * reading has stalled the host) goes to @report before waiting to go on.
 */
static bool host_write_all(int fd, size_t len, unsigned int seed, int report)
{
	uint8_t buf[4096];
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };
	size_t off = 0, i, chunk;
	bool reported = false;
	ssize_t n;

	if (report >= 0)
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	while (off < len) {
		chunk = len - off < sizeof(buf) ? len - off : sizeof(buf);
		for (i = 0; i < chunk; i++)
			buf[i] = pattern(off + i, seed);
		n = write(fd, buf, chunk);
		if (n < 0 && errno == EAGAIN) {
			if (!reported && report >= 0) {
				uint64_t at = off;

				if (write(report, &at, sizeof(at)) !=
				    sizeof(at))
					return false;
				reported = true;
			}
			poll(&pfd, 1, -1);
			continue;
		}
		if (n <= 0)
			return false;
		off += (size_t)n;
	}
	return report < 0 || reported;
}

/*
 * Fork the host: connect, read @rlen bytes (seed 1) from the guest, then
 * write @wlen bytes (seed 2), then close.  Exit 0 when all went right.
 */
static pid_t host_start(enum host_kind kind, const char *path, size_t rlen,
			size_t wlen, int report)
{
	pid_t pid = fork();
	int fd, ok;

	assert_true(pid >= 0);
	if (pid)
		return pid;
	fd = host_connect(kind, path);
	ok = fd >= 0 && host_read_all(fd, rlen, 1) &&
	     host_write_all(fd, wlen, 2, report);
	/* A pty's last bytes must reach the guest before the slave closes
	 * (closing flushes nothing away on Linux, but wait to be clear). */
	if (ok && kind == HOST_PTY)
		tcdrain(fd);
	_exit(ok ? 0 : 3);
}

static void host_wait(pid_t pid)
{
	int status = -1;

	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* ---- the device ---- */

static const char *link_path(const char *uuid, unsigned int port)
{
	static char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s.port%u", daemon_.runtime_dir, uuid,
		 port);
	return path;
}

static int start_with(const char *uuid, const char *type, const char *attrs)
{
	char line[PATH_MAX + 1024];

	snprintf(
		line, sizeof(line),
		"{\"op\":\"start\",\"uuid\":\"%s\",\"parent\":\"mtty\",\"type\":\"%s\",\"config\":{\"attrs\":[%s]}}",
		uuid, type, attrs);
	json_object *reply = e2e_control(&daemon_, line);
	int ret = e2e_reply_errno(reply);

	json_object_put(reply);
	return ret;
}

static int setup(void **state)
{
	char attrs[PATH_MAX + 64];

	if (e2e_daemon_start(&daemon_, NULL))
		return -1;
	snprintf(sock_path, sizeof(sock_path), "%s/line.sock", daemon_.tmp_dir);
	snprintf(attrs, sizeof(attrs),
		 "{\"port0\":\"pty\"},{\"port1\":\"socket:%s\"}", sock_path);
	return start_with(E2E_UUID_A, "mtty-2", attrs);
}

static int teardown(void **state)
{
	e2e_stop(&daemon_, E2E_UUID_A);
	return e2e_daemon_stop(&daemon_) == 0 ? 0 : -1;
}

static void exchange(enum host_kind kind, const char *path, unsigned int port,
		     size_t len)
{
	struct guest g;
	uint8_t *buf = malloc(len);
	pid_t host;

	assert_non_null(buf);
	guest_open(&g, E2E_UUID_A, port);
	host = host_start(kind, path, len, len, -1);
	guest_wait_carrier(&g, true);
	guest_send(&g, len, 1);
	guest_recv(&g, buf, len);
	assert_pattern(buf, len, 2);
	host_wait(host);
	guest_wait_carrier(&g, false);
	guest_close(&g);
	free(buf);
}

/* The daemon reports the pty: log, control list, the stable link. */
static void test_pty_reported(void **state)
{
	json_object *reply = e2e_control(&daemon_, "{\"op\":\"list\"}");
	char target[PATH_MAX];
	ssize_t n =
		readlink(link_path(E2E_UUID_A, 0), target, sizeof(target) - 1);

	assert_true(n > 0);
	target[n] = '\0';
	assert_int_equal(strncmp(target, "/dev/pts/", 9), 0);
	assert_true(e2e_daemon_log_contains(&daemon_, target));
	assert_non_null(reply);
	assert_non_null(strstr(json_object_to_json_string_ext(
				       reply, JSON_C_TO_STRING_NOSLASHESCAPE),
			       target));
	json_object_put(reply);
	/* umdevctl info's request has it too, per port. */
	reply = e2e_control(&daemon_,
			    "{\"op\":\"info\",\"uuid\":\"" E2E_UUID_A "\"}");
	assert_non_null(reply);
	assert_non_null(strstr(json_object_to_json_string_ext(
				       reply, JSON_C_TO_STRING_NOSLASHESCAPE),
			       target));
	assert_non_null(strstr(json_object_to_json_string(reply),
			       "\"port1\": \"socket "));
	json_object_put(reply);
	/* And umdevctl info --dumpjson shows it. */
	{
		char *argv[] = { strdup(e2e_build_path("src/cli/umdevctl")),
				 "--runtime-dir",
				 daemon_.runtime_dir,
				 "info",
				 "-u",
				 E2E_UUID_A,
				 "--dumpjson",
				 NULL };
		char *out = NULL, *err = NULL;

		assert_int_equal(e2e_run(argv, NULL, &out, &err), 0);
		assert_non_null(strstr(out, "\"attr_status\""));
		assert_non_null(strstr(out, target));
		free(argv[0]);
		free(out);
		free(err);
	}
}

static void test_pty_1mb_each_way(void **state)
{
	exchange(HOST_PTY, link_path(E2E_UUID_A, 0), 0, MB);
}

static void test_socket_1mb_each_way(void **state)
{
	exchange(HOST_SOCKET, sock_path, 1, MB);
}

/* The host leaves and comes back, twice, on both backends. */
static void test_disconnect_reconnect(void **state)
{
	int round;

	for (round = 0; round < 2; round++) {
		exchange(HOST_PTY, link_path(E2E_UUID_A, 0), 0, 1000);
		exchange(HOST_SOCKET, sock_path, 1, 1000);
	}
}

/*
 * The guest stops reading: its RX FIFO fills, the daemon stops reading the
 * socket, the host's writes stall (EAGAIN) - then the guest reads on and
 * gets every byte.
 */
static void test_guest_stops_reading(void **state)
{
	size_t len = MB;
	uint8_t *buf = malloc(len);
	uint64_t stalled_at = 0;
	struct pollfd pfd;
	struct guest g;
	int report[2];
	pid_t host;

	assert_non_null(buf);
	assert_int_equal(pipe(report), 0);
	guest_open(&g, E2E_UUID_A, 1);
	host = host_start(HOST_SOCKET, sock_path, 0, len, report[1]);
	guest_wait_carrier(&g, true);
	/* Not reading: the host reports its first EAGAIN. */
	pfd = (struct pollfd){ .fd = report[0], .events = POLLIN };
	assert_int_equal(poll(&pfd, 1, E2E_WAIT_MS), 1);
	assert_int_equal(read(report[0], &stalled_at, sizeof(stalled_at)),
			 sizeof(stalled_at));
	assert_true(stalled_at < len);
	/* The FIFO holds exactly its 16 bytes, the rest waits in the host. */
	guest_recv(&g, buf, len);
	assert_pattern(buf, len, 2);
	host_wait(host);
	guest_wait_carrier(&g, false);
	guest_close(&g);
	close(report[0]);
	close(report[1]);
	free(buf);
}

/* With nobody on the line, the guest's bytes go nowhere; nothing stalls. */
static void test_no_peer_drops(void **state)
{
	struct guest g;

	guest_open(&g, E2E_UUID_A, 1);
	guest_wait_carrier(&g, false);
	guest_send(&g, 4096, 7);
	guest_close(&g);
}

/* A bad value or attribute is refused, naming it; nothing is started. */
static void test_bad_attrs(void **state)
{
	char line[512];
	json_object *reply;

	snprintf(
		line, sizeof(line),
		"{\"op\":\"start\",\"uuid\":\"%s\",\"parent\":\"mtty\",\"type\":\"mtty-1\",\"config\":{\"attrs\":[{\"port0\":\"serial\"}]}}",
		E2E_UUID_B);
	reply = e2e_control(&daemon_, line);
	assert_int_equal(e2e_reply_errno(reply), -EINVAL);
	assert_non_null(strstr(json_object_to_json_string(reply), "serial"));
	json_object_put(reply);
	assert_int_equal(start_with(E2E_UUID_B, "mtty-1",
				    "{\"port1\":\"pty\"}"),
			 -EINVAL);
	assert_int_equal(start_with(E2E_UUID_B, "mtty-1",
				    "{\"port0\":\"socket:relative\"}"),
			 -EINVAL);
	/* A symlink on the socket's path is never followed. */
	snprintf(line, sizeof(line), "%s/via", daemon_.tmp_dir);
	assert_int_equal(symlink(daemon_.tmp_dir, line), 0);
	snprintf(line, sizeof(line), "{\"port0\":\"socket:%s/via/x.sock\"}",
		 daemon_.tmp_dir);
	assert_int_equal(start_with(E2E_UUID_B, "mtty-1", line), -ELOOP);
	assert_int_equal(e2e_stop(&daemon_, E2E_UUID_B), -ENODEV);
	/* The device in use is untouched. */
	assert_int_equal(access(link_path(E2E_UUID_A, 0), F_OK), 0);
}

/*
 * umdevctl console holds the device while its stdin stays open; umdevctl
 * stop sends the REQ interrupt and the console leaves at once, saying so
 * (the stop would otherwise wait for it: there is no forced removal).
 */
static void test_console_leaves_on_request(void **state)
{
	int in[2], errp[2], status = -1, i;
	char msg[512] = "";
	ssize_t n;
	pid_t pid;

	assert_int_equal(e2e_start(&daemon_, E2E_UUID_C, "mtty-1"), 0);
	assert_int_equal(pipe(in), 0);
	assert_int_equal(pipe(errp), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		dup2(in[0], STDIN_FILENO);
		dup2(errp[1], STDERR_FILENO);
		close(in[1]);
		execl(e2e_build_path("src/cli/umdevctl"), "umdevctl",
		      "--runtime-dir", daemon_.runtime_dir, "console", "-u",
		      E2E_UUID_C, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(errp[1]);
	/* The console is there once the daemon logs its client. */
	for (i = 0; i < E2E_WAIT_MS / 10; i++) {
		if (e2e_daemon_log_contains(&daemon_,
					    E2E_UUID_C ": client: connected"))
			break;
		usleep(10000);
	}
	assert_true(i < E2E_WAIT_MS / 10);
	assert_int_equal(write(in[1], "hi", 2), 2);
	assert_int_equal(e2e_stop(&daemon_, E2E_UUID_C), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	n = read(errp[0], msg, sizeof(msg) - 1);
	assert_true(n > 0);
	msg[n] = '\0';
	assert_non_null(strstr(msg, "is being removed"));
	close(in[1]);
	close(errp[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pty_reported),
		cmocka_unit_test(test_bad_attrs),
		cmocka_unit_test(test_no_peer_drops),
		cmocka_unit_test(test_console_leaves_on_request),
		cmocka_unit_test(test_disconnect_reconnect),
		cmocka_unit_test(test_pty_1mb_each_way),
		cmocka_unit_test(test_socket_1mb_each_way),
		cmocka_unit_test(test_guest_stops_reading),
	};

	signal(SIGPIPE, SIG_IGN);
	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("serial_line", tests, setup,
					   teardown);
}
