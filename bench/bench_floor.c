// SPDX-License-Identifier: GPL-2.0-only
/*
 * umdev-bench: the floors' peer processes.  Each does the least a peer can
 * do with the same messages (blocking read, blocking write), so the
 * difference to umdevd is what the daemon, the server and the client
 * library add on top of the kernel's own cost.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

int bench_peer_cpu = -1;

/* Put a floor's peer on the CPU the daemon runs on (--peer-cpu). */
static void bench_peer_pin(void)
{
	cpu_set_t set;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (bench_peer_cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(bench_peer_cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/* Fork with a socket pair; the child runs @loop and exits. */
static int bench_peer_fork_socket(struct bench_peer *p,
				  void (*loop)(int fd, const size_t *arg),
				  const size_t *arg)
{
	int sv[2];

	memset(p, 0, sizeof(*p));
	p->fd2 = -1;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	p->pid = fork();
	if (p->pid < 0) {
		int err = errno;

		close(sv[0]);
		close(sv[1]);
		return -err;
	}
	if (p->pid == 0) {
		bench_peer_pin();
		close(sv[0]);
		loop(sv[1], arg);
		_exit(0);
	}
	close(sv[1]);
	p->fd = sv[0];
	return 0;
}

static void bench_sink_loop(int fd, const size_t *arg)
{
	uint8_t req[4096];

	while (!bench_read_full(fd, req, arg[0]))
		;
}

int bench_peer_sink(struct bench_peer *p, size_t req)
{
	size_t arg[1] = { req };

	if (req > 4096)
		return -EINVAL;
	return bench_peer_fork_socket(p, bench_sink_loop, arg);
}

static void bench_pingpong_loop(int fd, const size_t *arg)
{
	uint8_t req[4096], rep[4096];

	memset(rep, 0x5a, sizeof(rep));
	while (!bench_read_full(fd, req, arg[0]))
		if (bench_write_full(fd, rep, arg[1]))
			break;
}

int bench_peer_pingpong(struct bench_peer *p, size_t req, size_t rep)
{
	size_t arg[2] = { req, rep };

	if (req > 4096 || rep > 4096)
		return -EINVAL;
	return bench_peer_fork_socket(p, bench_pingpong_loop, arg);
}

static void bench_burst_loop(int fd, const size_t *arg)
{
	uint8_t req[8192], rep[8192];

	memset(rep, 0x5a, sizeof(rep));
	if (bench_read_full(fd, req, arg[0]))
		return;
	while (!bench_read_full(fd, req, arg[1]))
		if (bench_write_full(fd, rep, arg[2]))
			break;
}

int bench_peer_burst(struct bench_peer *p, size_t first, size_t req, size_t rep)
{
	size_t arg[3] = { first, req, rep };

	if (first > 8192 || req > 8192 || rep > 8192)
		return -EINVAL;
	return bench_peer_fork_socket(p, bench_burst_loop, arg);
}

static void bench_sock_eventfd_loop(int fd, const size_t *arg)
{
	uint8_t req[4096];
	uint64_t one = 1;

	while (!bench_read_full(fd, req, arg[0]))
		if (write((int)arg[1], &one, sizeof(one)) != sizeof(one))
			break;
}

int bench_peer_sock_eventfd(struct bench_peer *p, size_t req)
{
	size_t arg[2] = { req, 0 };
	int efd, ret;

	if (req > 4096)
		return -EINVAL;
	efd = eventfd(0, EFD_CLOEXEC);
	if (efd < 0)
		return -errno;
	arg[1] = (size_t)efd;
	ret = bench_peer_fork_socket(p, bench_sock_eventfd_loop, arg);
	if (ret) {
		close(efd);
		return ret;
	}
	p->fd2 = efd;
	return 0;
}

int bench_peer_eventfd(struct bench_peer *p)
{
	uint64_t v;

	memset(p, 0, sizeof(*p));
	p->shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p->shared == MAP_FAILED)
		return -errno;
	p->fd = eventfd(0, EFD_CLOEXEC);
	p->fd2 = eventfd(0, EFD_CLOEXEC);
	if (p->fd < 0 || p->fd2 < 0)
		return -errno;
	p->pid = fork();
	if (p->pid < 0)
		return -errno;
	if (p->pid == 0) {
		bench_peer_pin();
		for (;;) {
			if (read(p->fd, &v, sizeof(v)) != sizeof(v))
				_exit(1);
			/* The wake-up time: what the floor measures. */
			p->shared[0] = bench_now_ns();
			if (v == UINT64_MAX - 1)
				_exit(0);
			v = 1;
			if (write(p->fd2, &v, sizeof(v)) != sizeof(v))
				_exit(1);
		}
	}
	return 0;
}

void bench_peer_stop(struct bench_peer *p)
{
	if (p->pid <= 0)
		return;
	if (p->fd2 >= 0 && p->shared) {
		uint64_t v = UINT64_MAX - 1;

		if (write(p->fd, &v, sizeof(v)) < 0)
			kill(p->pid, SIGKILL);
	} else {
		shutdown(p->fd, SHUT_RDWR);
	}
	waitpid(p->pid, NULL, 0);
	close(p->fd);
	if (p->fd2 >= 0)
		close(p->fd2);
	if (p->shared)
		munmap((void *)p->shared, 4096);
	p->pid = 0;
}
