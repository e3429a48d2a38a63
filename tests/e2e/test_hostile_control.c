// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hostile peers, the control socket: a caller that never reads, sends
 * what is not one strict JSON object per line, sends bytes that are not
 * UTF-8, never finishes a line, or names a FIFO or a device as a driver.
 * Each gets its error (EINVAL on the wire, as docs/control-protocol.md
 * says), every reply is valid UTF-8 and one JSON object, and device B and
 * the control socket keep answering other processes meanwhile and after;
 * the daemon's fds and RSS come back to their baseline.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
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
#include <unistd.h>
#include <cmocka.h>

#include "e2e_harness.h"
#include "utf8.h"

/* Sending more than this without the daemon stopping us fails. */
#define NEVER_READS_CAP (16u << 20)

static struct e2e_daemon daemon_;

struct baseline {
	int fds;
	long rss;
};

static void baseline_take(struct baseline *b)
{
	usleep(100000);
	b->fds = e2e_fd_count(daemon_.pid);
	b->rss = e2e_rss_kib(daemon_.pid);
	assert_true(b->fds > 0 && b->rss > 0);
}

static void baseline_check(const struct baseline *b)
{
	int fds = e2e_fd_count_settle(daemon_.pid, b->fds);
	long rss = e2e_rss_kib(daemon_.pid);

	fprintf(stderr, "# daemon fds %d -> %d, RSS %ld -> %ld KiB\n", b->fds,
		fds, b->rss, rss);
	assert_int_equal(fds, b->fds);
#ifndef __SANITIZE_ADDRESS__
	assert_true(rss <= b->rss + E2E_RSS_SLACK_KIB);
#endif
}

/*
 * Send @len bytes on a fresh connection, hang up our side, and read all
 * the daemon answers until it closes (bounded by E2E_WAIT_MS).  Return
 * the bytes (NUL-terminated, caller frees), *@out_len their number.
 */
static char *exchange(const void *req, size_t len, size_t *out_len)
{
	int fd = e2e_control_connect(&daemon_);
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap + 1);

	assert_true(fd >= 0);
	assert_non_null(buf);
	assert_int_equal(e2e_raw_send_bytes(fd, req, len), 0);
	shutdown(fd, SHUT_WR);
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t got;

		assert_int_equal(poll(&pfd, 1, E2E_WAIT_MS), 1);
		got = recv(fd, buf + n, cap - n, 0);
		assert_true(got >= 0);
		if (got == 0)
			break;
		n += got;
		assert_true(n < cap);
	}
	close(fd);
	buf[n] = '\0';
	*out_len = n;
	return buf;
}

/* Check @text (@len bytes) is lines of strict, UTF-8 JSON objects. */
static unsigned int check_replies(const char *text, size_t len,
				  int *first_errno)
{
	unsigned int lines = 0;
	const char *p = text;

	assert_true(utf8_valid(text, len));
	while (p < text + len) {
		const char *nl = memchr(p, '\n', text + len - p);
		struct json_tokener *tok = json_tokener_new();
		json_object *r;

		assert_non_null(nl);
		json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
		r = json_tokener_parse_ex(tok, p, (int)(nl - p));
		assert_non_null(r);
		assert_int_equal(json_tokener_get_parse_end(tok),
				 (size_t)(nl - p));
		json_tokener_free(tok);
		if (!lines && first_errno)
			*first_errno = e2e_reply_errno(r);
		json_object_put(r);
		lines++;
		p = nl + 1;
	}
	return lines;
}

/*
 * Not one strict JSON object: each line is refused with EINVAL, and the
 * same connection then answers a good request.
 */
static void test_strict_json(void **state)
{
	static const char *const bad[] = {
		"{\"op\":\"version\"} x",
		"{\"op\":\"version\"}{\"op\":\"list\"}",
		"{\"op\":\"version\"} {}",
		"{'op':'version'}",
		"{\"op\":'version'}",
		"{\"op\":\"version\" /* comment */}",
		"// comment",
		"{\"op\":\"version\",\"x\":NaN}",
		"{\"op\":\"version\",\"x\":-Infinity}",
		"{\"op\":\"version\",\"x\":1e999}",
		"{\"op\":\"version\",}",
		"{\"op\":\"version\"",
		"{op:\"version\"}",
		"[{\"op\":\"version\"}]",
		"\"version\"",
		"42",
		"true",
		"",
		"{\"op\":\"vers\\u0000ion\"}",
		"{\"op\":\"version\",\"x\":\"\xc3\"}",
		"{\"op\":\"version\",\"x\":\"\xed\xa0\x80\"}",
		"{\"op\":\"version\",\"x\":\"\xff\xfe\"}",
		"{\"op\":\"version\",\"x\":[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]}",
	};
	struct baseline b;
	size_t i;

	baseline_take(&b);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char req[512];
		size_t len, n;
		char *out;
		int err = 0;

		len = (size_t)snprintf(req, sizeof(req),
				       "%s\n{\"op\":\"version\"}\n", bad[i]);
		out = exchange(req, len, &n);
		if (check_replies(out, n, &err) != 2 || err != -EINVAL)
			fail_msg("line %zu (%s) got: %s", i, bad[i], out);
		assert_non_null(strstr(out, "\"ok\":true"));
		free(out);
	}
	/* A NUL byte inside the line, with good JSON on both sides. */
	{
		static const char nul[] = "{\"op\":\"version\"}\0junk\n";
		size_t n;
		char *out = exchange(nul, sizeof(nul) - 1, &n);
		int err = 0;

		assert_int_equal(check_replies(out, n, &err), 1);
		assert_int_equal(err, -EINVAL);
		free(out);
	}
	/* Whitespace around the object is fine. */
	{
		static const char ws[] = " \t{\"op\":\"version\"} \r\n";
		size_t n;
		char *out = exchange(ws, sizeof(ws) - 1, &n);
		int err = 1;

		assert_int_equal(check_replies(out, n, &err), 1);
		assert_int_equal(err, 0);
		free(out);
	}
	assert_int_equal(e2e_health(&daemon_, E2E_UUID_B), 0);
	baseline_check(&b);
}

/*
 * Replies are valid UTF-8 whatever the request holds: a long op of
 * multi-byte characters (quoted back cut at 64 bytes), every byte value,
 * and every member a request may carry as a string.
 */
static void test_replies_utf8(void **state)
{
	char req[4096], *out;
	size_t len, n, i;
	int err = 0;

	/* 2-, 3- and 4-byte characters, cut at every offset. */
	static const char *const chars[] = { "\xc3\xa9", "\xe2\x82\xac",
					     "\xf0\x9f\x98\x80" };
	for (i = 0; i < 3 * 4; i++) {
		size_t k, pre = i % 4;

		len = (size_t)snprintf(req, sizeof(req), "{\"op\":\"");
		for (k = 0; k < pre; k++)
			req[len++] = 'a';
		for (k = 0; k < 40; k++)
			len += (size_t)snprintf(req + len, sizeof(req) - len,
						"%s", chars[i / 4]);
		len += (size_t)snprintf(req + len, sizeof(req) - len, "\"}\n");
		out = exchange(req, len, &n);
		assert_int_equal(check_replies(out, n, &err), 1);
		assert_int_equal(err, -EOPNOTSUPP);
		free(out);
	}
	/* Every byte value as a line of its own. */
	for (i = 1; i < 256; i++) {
		char one[3] = { (char)i, '\n', 0 };

		if (i == '\n')
			continue;
		out = exchange(one, 2, &n);
		assert_int_equal(check_replies(out, n, &err), 1);
		assert_int_equal(err, -EINVAL);
		free(out);
	}
	/* Strings that reach deeper: start's parent and type. */
	len = (size_t)snprintf(
		req, sizeof(req),
		"{\"op\":\"start\",\"uuid\":\"%s\",\"parent\":\"\xe2\x82\xac\\u0001\",\"type\":\"\\ud83d\\ude00\"}\n",
		E2E_UUID_C);
	out = exchange(req, len, &n);
	assert_int_equal(check_replies(out, n, &err), 1);
	assert_true(err < 0); /* refused, whichever check refuses it */
	free(out);
	assert_int_equal(e2e_health(&daemon_, E2E_UUID_B), 0);
}

/*
 * A caller pipelines thousands of requests and never reads a reply: the
 * daemon stops reading from it once its unsent replies reach the limit,
 * so its memory stays bounded, and others are served meanwhile.
 */
static void test_never_reads(void **state)
{
	static const char line[] = "{\"op\":\"types\"}\n";
	size_t sent = 0, chunk = 64 * (sizeof(line) - 1);
	static char burst[64 * (sizeof(line) - 1)];
	struct baseline b;
	long rss_during;
	int fd, i, fl;

	for (i = 0; i < 64; i++)
		memcpy(burst + i * (sizeof(line) - 1), line, sizeof(line) - 1);
	baseline_take(&b);
	fd = e2e_control_connect(&daemon_);
	assert_true(fd >= 0);
	fl = fcntl(fd, F_GETFL);
	assert_int_equal(fcntl(fd, F_SETFL, fl | O_NONBLOCK), 0);
	/* Until both socket buffers are full and the daemon stops reading. */
	for (i = 0; sent < NEVER_READS_CAP; i++) {
		ssize_t n = send(fd, burst, chunk, MSG_NOSIGNAL);

		if (n < 0) {
			struct pollfd pfd = { .fd = fd, .events = POLLOUT };

			assert_int_equal(errno, EAGAIN);
			/* Give the daemon time to take more, if it would. */
			if (poll(&pfd, 1, 500) == 0)
				break;
			continue;
		}
		sent += n;
	}
	rss_during = e2e_rss_kib(daemon_.pid);
	fprintf(stderr,
		"# %zu request bytes sent (%zu requests), none read: daemon RSS %ld -> %ld KiB\n",
		sent, sent / (sizeof(line) - 1), b.rss, rss_during);
	/*
	 * The daemon stopped taking requests: unbounded, it would answer
	 * all 16 MiB of them (~1 M replies of ~300 bytes, buffered).
	 */
	assert_true(sent < NEVER_READS_CAP);
	assert_true(sent / (sizeof(line) - 1) > 1000);
#ifndef __SANITIZE_ADDRESS__
	/* (AddressSanitizer keeps freed memory: RSS says nothing there.) */
	assert_true(rss_during < b.rss + 4096);
#endif
	assert_int_equal(e2e_health(&daemon_, E2E_UUID_B), 0);
	close(fd);
	baseline_check(&b);
	assert_int_equal(e2e_health(&daemon_, E2E_UUID_B), 0);
}

/* A caller that never finishes its line holds no one up. */
static void test_unfinished_line(void **state)
{
	struct baseline b;
	int fd;

	baseline_take(&b);
	fd = e2e_control_connect(&daemon_);
	assert_true(fd >= 0);
	assert_int_equal(e2e_raw_send_bytes(fd, "{\"op\":\"li", 9), 0);
	assert_int_equal(e2e_health(&daemon_, E2E_UUID_B), 0);
	close(fd);
	baseline_check(&b);
}

/*
 * load-driver of what is not a regular file (a FIFO nobody writes, a
 * character device, a directory, a symlink to the FIFO) is refused at
 * once with EINVAL: the daemon never blocks opening or reading it.
 */
static void test_load_driver_not_regular(void **state)
{
	char fifo[PATH_MAX], link_[PATH_MAX], req[PATH_MAX + 64];
	const char *paths[4];
	struct baseline b;
	size_t i;

	snprintf(fifo, sizeof(fifo), "%s/driver.fifo", daemon_.tmp_dir);
	snprintf(link_, sizeof(link_), "%s/driver.so", daemon_.tmp_dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(symlink(fifo, link_), 0);
	paths[0] = fifo;
	paths[1] = "/dev/zero";
	paths[2] = daemon_.tmp_dir;
	paths[3] = link_;
	baseline_take(&b);
	for (i = 0; i < 4; i++) {
		json_object *reply;

		snprintf(req, sizeof(req),
			 "{\"op\":\"load-driver\",\"path\":\"%s\"}", paths[i]);
		reply = e2e_control(&daemon_, req);
		assert_non_null(reply);
		assert_int_equal(e2e_reply_errno(reply), -EINVAL);
		assert_non_null(strstr(json_object_to_json_string(reply),
				       "not a regular file"));
		json_object_put(reply);
	}
	assert_int_equal(e2e_health(&daemon_, E2E_UUID_B), 0);
	baseline_check(&b);
	unlink(link_);
	unlink(fifo);
}

static int setup(void **state)
{
	if (e2e_daemon_start(&daemon_, NULL) ||
	    e2e_start(&daemon_, E2E_UUID_B, "mtty-1"))
		return -1;
	return e2e_health(&daemon_, E2E_UUID_B) ? -1 : 0;
}

static int teardown(void **state)
{
	return e2e_daemon_stop(&daemon_) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strict_json),
		cmocka_unit_test(test_replies_utf8),
		cmocka_unit_test(test_never_reads),
		cmocka_unit_test(test_unfinished_line),
		cmocka_unit_test(test_load_driver_not_regular),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, setup, teardown);
}
