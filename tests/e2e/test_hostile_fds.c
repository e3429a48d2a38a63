// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hostile peers, file descriptors: what a vfio-user client or a control
 * caller may make umdevd hold is bounded, and running out of fds never
 * stalls the loop.  Each test attacks device A (or the control socket)
 * while device B and the control socket must keep answering (from another
 * process, e2e_health()), and afterwards the daemon's fd count and RSS are
 * back at their baseline.
 *
 * The daemon runs with small limits so that they are reached quickly:
 * --max-dma-maps 32, --max-control-connections 12, --max-control-per-peer 4.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "e2e_harness.h"

#define MAX_DMA_MAPS 32
#define MAX_CONNS 12
#define MAX_PER_PEER 4

static struct e2e_daemon daemon_;
static const char *const limits[] = { "--max-dma-maps",
				      "32",
				      "--max-control-connections",
				      "12",
				      "--max-control-per-peer",
				      "4",
				      NULL };

struct dma_map {
	uint32_t argsz;
	uint32_t flags;
	uint64_t offset;
	uint64_t address;
	uint64_t size;
} __attribute__((packed));

struct baseline {
	int fds;
	long rss;
};

static void baseline_take(struct baseline *b)
{
	/* Earlier connections must be gone on the daemon's side first. */
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

/* One DMA_MAP of 4 KiB at @address with a memfd; the reply's error. */
static int dma_map(int fd, uint16_t id, uint64_t address)
{
	struct dma_map m = { .argsz = sizeof(m),
			     .flags = 3, /* READ | WRITE */
			     .address = address,
			     .size = 4096 };
	struct e2e_vu_hdr hdr;
	int mfd = memfd_create("hostile", MFD_CLOEXEC), ret;

	assert_true(mfd >= 0);
	assert_int_equal(ftruncate(mfd, 4096), 0);
	ret = e2e_raw_send(fd, id, UMDEV_VU_CMD_DMA_MAP, 0, &m, sizeof(m), &mfd,
			   1);
	close(mfd);
	assert_int_equal(ret, 0);
	ret = e2e_raw_recv(fd, &hdr, NULL, 0);
	assert_true(ret >= 0);
	assert_int_equal(hdr.msg_id, id);
	return hdr.flags & UMDEV_VU_FLAG_ERROR ? (int)hdr.error : 0;
}

/*
 * One client maps far more than --max-dma-maps, each with an fd: the
 * first 32 are taken, every further one is refused with ENOSPC and its fd
 * is not kept.  B and the control socket answer meanwhile; when the
 * client goes, every fd is released.
 */
static void test_dma_maps_bounded(void **state)
{
	struct baseline b;
	int fd, i, held, refused = 0;

	baseline_take(&b);
	fd = e2e_raw_connect(e2e_device_socket(&daemon_, E2E_UUID_A));
	assert_true(fd >= 0);
	assert_int_equal(e2e_raw_negotiate(fd), 0);
	for (i = 0; i < 4 * MAX_DMA_MAPS; i++) {
		int err = dma_map(fd, (uint16_t)(i + 1), (uint64_t)i << 20);

		if (i < MAX_DMA_MAPS)
			assert_int_equal(err, 0);
		else if (err == ENOSPC)
			refused++;
	}
	assert_int_equal(refused, 3 * MAX_DMA_MAPS);
	held = e2e_fd_count(daemon_.pid);
	fprintf(stderr, "# %d maps held: daemon fds %d -> %d\n", MAX_DMA_MAPS,
		b.fds, held);
	/* The socket, the device's open state and one fd per map at most. */
	assert_true(held <= b.fds + MAX_DMA_MAPS + 4);
	assert_int_equal(e2e_health(&daemon_, E2E_UUID_B), 0);
	close(fd);
	baseline_check(&b);
	assert_int_equal(e2e_health(&daemon_, E2E_UUID_B), 0);
}

/*
 * fds sent with messages that take none (DEVICE_GET_INFO with 16 fds,
 * hundreds of times) are closed at once: the daemon's fd count does not
 * follow what the client sends.
 */
static void test_stray_fds_dropped(void **state)
{
	uint8_t info[16] = { 16 };
	struct e2e_vu_hdr hdr;
	struct baseline b;
	int fds[16], fd, i, peak = 0;

	baseline_take(&b);
	for (i = 0; i < 16; i++)
		fds[i] = memfd_create("stray", MFD_CLOEXEC);
	fd = e2e_raw_connect(e2e_device_socket(&daemon_, E2E_UUID_A));
	assert_true(fd >= 0);
	assert_int_equal(e2e_raw_negotiate(fd), 0);
	for (i = 0; i < 300; i++) {
		int n;

		assert_int_equal(e2e_raw_send(fd, (uint16_t)i,
					      UMDEV_VU_CMD_DEVICE_GET_INFO, 0,
					      info, sizeof(info), fds, 16),
				 0);
		assert_true(e2e_raw_recv(fd, &hdr, NULL, 0) >= 0);
		n = e2e_fd_count(daemon_.pid);
		if (n > peak)
			peak = n;
	}
	fprintf(stderr,
		"# 300 x 16 stray fds: daemon fds at most %d (base %d)\n", peak,
		b.fds);
	/* The connection itself, and the fds of the message in flight. */
	assert_true(peak <= b.fds + 3 + 16);
	assert_int_equal(e2e_health(&daemon_, E2E_UUID_B), 0);
	close(fd);
	for (i = 0; i < 16; i++)
		close(fds[i]);
	baseline_check(&b);
}

/* Read the one-line reply the daemon sends a refused connection. */
static int refusal_errno(int fd)
{
	json_object *reply = e2e_control_recv(fd);
	int err = reply ? e2e_reply_errno(reply) : 1;

	json_object_put(reply);
	return err;
}

/*
 * One process opens many control connections: the ones past
 * --max-control-per-peer are refused with EMFILE at once (and closed),
 * another process still gets in; past --max-control-connections in all,
 * everyone is refused the same way until some close.
 */
static void test_control_connections_bounded(void **state)
{
	int held[MAX_PER_PEER], extra, i, ready[2], go[2];
	struct baseline b;
	pid_t child, child2;
	int status;
	char c;

	baseline_take(&b);
	for (i = 0; i < MAX_PER_PEER; i++) {
		held[i] = e2e_control_connect(&daemon_);
		assert_true(held[i] >= 0);
	}
	for (i = 0; i < 50; i++) {
		extra = e2e_control_connect(&daemon_);
		assert_true(extra >= 0);
		assert_int_equal(refusal_errno(extra), -EMFILE);
		assert_true(e2e_wait_closed(extra));
		close(extra);
	}
	/* Another process is not affected by our connections. */
	assert_int_equal(e2e_health(&daemon_, E2E_UUID_B), 0);

	/* Two more processes fill the total: 3 x 4 = 12. */
	assert_int_equal(pipe(ready), 0);
	assert_int_equal(pipe(go), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		pid_t grandchild = fork();
		int mine[MAX_PER_PEER], j;

		for (j = 0; j < MAX_PER_PEER; j++)
			mine[j] = e2e_control_connect(&daemon_);
		/* Both have connected once both have written. */
		if (write(ready[1], "x", 1) != 1 || read(go[0], &c, 1) != 1)
			_exit(1);
		for (j = 0; j < MAX_PER_PEER; j++)
			close(mine[j]);
		if (grandchild > 0)
			waitpid(grandchild, NULL, 0);
		_exit(0);
	}
	assert_int_equal(read(ready[0], &c, 1), 1);
	assert_int_equal(read(ready[0], &c, 1), 1);
	/* Let the daemon accept them all (they do not talk). */
	usleep(200000);
	/* A fourth process is refused too: the total is reached. */
	child2 = fork();
	assert_true(child2 >= 0);
	if (child2 == 0) {
		extra = e2e_control_connect(&daemon_);
		_exit(extra >= 0 && refusal_errno(extra) == -EMFILE ? 0 : 1);
	}
	assert_int_equal(waitpid(child2, &status, 0), child2);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_true(e2e_daemon_log_contains(
		&daemon_, "too many control connections (12 open"));
	/* Device B is served meanwhile. */
	extra = e2e_raw_connect(e2e_device_socket(&daemon_, E2E_UUID_B));
	assert_true(extra >= 0);
	assert_int_equal(e2e_raw_negotiate(extra), 0);
	close(extra);

	assert_int_equal(write(go[1], "xx", 2), 2);
	assert_int_equal(waitpid(child, NULL, 0), child);
	for (i = 0; i < MAX_PER_PEER; i++)
		close(held[i]);
	close(ready[0]);
	close(ready[1]);
	close(go[0]);
	close(go[1]);
	baseline_check(&b);
	assert_int_equal(e2e_health(&daemon_, E2E_UUID_B), 0);
}

static unsigned long cpu_ticks(pid_t pid)
{
	unsigned long utime = 0, stime = 0;
	char path[64], buf[1024], *p;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	p = fgets(buf, sizeof(buf), f);
	fclose(f);
	p = p ? strrchr(buf, ')') : NULL;
	if (p)
		sscanf(p + 2,
		       "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
		       &utime, &stime);
	return utime + stime;
}

/*
 * The daemon out of file descriptors (its limit lowered from outside, then
 * used up by one client's DMA maps): a new control connection and a new
 * client of device B are accepted and closed at once, the control one
 * with {"errno":24}, so nothing stays queued to wake the loop again.  When
 * the client lets go, everything works again.
 */
static void test_out_of_fds_no_spin(void **state)
{
	struct rlimit low, old;
	struct baseline b;
	unsigned long t0, t1;
	int fd, ctl, dev, i, failed = 0;

	baseline_take(&b);
	assert_int_equal(prlimit(daemon_.pid, RLIMIT_NOFILE, NULL, &old), 0);
	/* The soft limit only: raising it back needs no privilege. */
	low.rlim_cur = (rlim_t)b.fds + 8;
	low.rlim_max = old.rlim_max;
	assert_int_equal(prlimit(daemon_.pid, RLIMIT_NOFILE, &low, NULL), 0);

	fd = e2e_raw_connect(e2e_device_socket(&daemon_, E2E_UUID_A));
	assert_true(fd >= 0);
	assert_int_equal(e2e_raw_negotiate(fd), 0);
	/* Until no fd is left: later maps lose their fd and fail. */
	for (i = 0; i < MAX_DMA_MAPS; i++)
		if (dma_map(fd, (uint16_t)(i + 1), (uint64_t)i << 20))
			failed++;
	fprintf(stderr, "# limit %d: %d of %d maps failed, daemon fds %d\n",
		(int)low.rlim_cur, failed, MAX_DMA_MAPS,
		e2e_fd_count(daemon_.pid));
	assert_true(failed > 0);

	ctl = e2e_control_connect(&daemon_);
	assert_true(ctl >= 0);
	assert_int_equal(refusal_errno(ctl), -EMFILE);
	assert_true(e2e_wait_closed(ctl));
	close(ctl);
	dev = e2e_raw_connect(e2e_device_socket(&daemon_, E2E_UUID_B));
	assert_true(dev >= 0);
	assert_true(e2e_wait_closed(dev));
	close(dev);
	/* Diagnostic only (timing is not asserted): the loop is idle. */
	t0 = cpu_ticks(daemon_.pid);
	usleep(300000);
	t1 = cpu_ticks(daemon_.pid);
	fprintf(stderr, "# out of fds: daemon used %lu ticks in 300 ms\n",
		t1 - t0);
	assert_true(
		e2e_daemon_log_contains(&daemon_, "out of file descriptors"));

	close(fd);
	assert_int_equal(e2e_fd_count_settle(daemon_.pid, b.fds), b.fds);
	assert_int_equal(prlimit(daemon_.pid, RLIMIT_NOFILE, &old, NULL), 0);
	assert_int_equal(e2e_health(&daemon_, E2E_UUID_B), 0);
	assert_int_equal(e2e_health(&daemon_, E2E_UUID_A), 0);
	baseline_check(&b);
}

/* At start the soft fd limit is raised to the hard one. */
static void test_fd_limit_raised(void **state)
{
	struct rlimit rl;

	assert_int_equal(prlimit(daemon_.pid, RLIMIT_NOFILE, NULL, &rl), 0);
	assert_true(rl.rlim_cur == rl.rlim_max);
}

static int setup(void **state)
{
	struct rlimit rl, low;

	/* A daemon started with a low soft limit must raise it. */
	getrlimit(RLIMIT_NOFILE, &rl);
	low = rl;
	if (low.rlim_max > 512)
		low.rlim_cur = 512;
	setrlimit(RLIMIT_NOFILE, &low);
	if (e2e_daemon_start(&daemon_, limits))
		return -1;
	setrlimit(RLIMIT_NOFILE, &rl);
	if (e2e_start(&daemon_, E2E_UUID_A, "mtty-2") ||
	    e2e_start(&daemon_, E2E_UUID_B, "mtty-1"))
		return -1;
	/* Warm up: one of each kind of request before any baseline. */
	return e2e_health(&daemon_, E2E_UUID_B) ? -1 : 0;
}

static int teardown(void **state)
{
	return e2e_daemon_stop(&daemon_) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fd_limit_raised),
		cmocka_unit_test(test_dma_maps_bounded),
		cmocka_unit_test(test_stray_fds_dropped),
		cmocka_unit_test(test_control_connections_bounded),
		cmocka_unit_test(test_out_of_fds_no_spin),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, setup, teardown);
}
