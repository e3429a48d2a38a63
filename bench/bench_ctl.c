// SPDX-License-Identifier: GPL-2.0-only
/*
 * umdev-bench: devices in bulk and through umdevctl.
 *
 * populate: create devices first..first+count-1 (mtty-1) in one umdevd
 * through its control socket, one connection, one request line at a time
 * (bench/run fills a daemon with 10,000 devices this way: spawning
 * umdevctl 10,000 times would take minutes here).
 *
 * ctl: a create+remove cycle as a user runs it, `umdevctl start` then
 * `umdevctl stop` of a new UUID, timed from the first fork to the second
 * exit, in a umdevd holding few devices (--rt) and in one holding many
 * (--rt-many), interleaved.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

void bench_ctl_uuid(char *buf, size_t len, unsigned int n)
{
	snprintf(buf, len, "00000000-0000-4000-8000-%012x", n);
}

static int bench_control_connect(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(addr.sun_path))
		return -ENAMETOOLONG;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	memcpy(addr.sun_path, path, strlen(path) + 1);
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		int err = errno;

		close(fd);
		return -err;
	}
	return fd;
}

/* One reply line into @buf; 0 or -errno. */
static int bench_control_line(int fd, char *buf, size_t len)
{
	size_t n = 0;

	while (n + 1 < len) {
		ssize_t r = read(fd, buf + n, 1);

		if (r <= 0)
			return r < 0 ? -errno : -ECONNRESET;
		if (buf[n] == '\n')
			break;
		n++;
	}
	buf[n] = '\0';
	return 0;
}

int bench_populate(const struct bench_opts *o)
{
	char uuid[40], line[256], reply[4096];
	unsigned int i;
	int fd, ret = 0;

	fd = bench_control_connect(o->control);
	if (fd < 0) {
		fprintf(stderr, "umdev-bench: populate: %s: %s\n", o->control,
			strerror(-fd));
		return fd;
	}
	for (i = 0; i < o->count && !ret; i++) {
		bench_ctl_uuid(uuid, sizeof(uuid), o->first + i);
		snprintf(
			line, sizeof(line),
			"{\"op\":\"start\",\"uuid\":\"%s\",\"parent\":\"mtty\",\"type\":\"mtty-1\"}\n",
			uuid);
		ret = bench_write_full(fd, line, strlen(line));
		if (!ret)
			ret = bench_control_line(fd, reply, sizeof(reply));
		if (!ret && !strstr(reply, "\"ok\":true") &&
		    !strstr(reply, "\"ok\": true")) {
			fprintf(stderr, "umdev-bench: populate: start %s: %s\n",
				uuid, reply);
			ret = -EIO;
		}
	}
	close(fd);
	if (ret == -ECONNRESET || (ret < 0 && ret != -EIO))
		fprintf(stderr, "umdev-bench: populate: %s\n", strerror(-ret));
	return ret;
}

/* Run umdevctl with @argv (NULL-terminated); 0 if it exited 0. */
static int bench_run(char *const argv[])
{
	int status, devnull;
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		devnull = open("/dev/null", O_WRONLY);
		if (devnull >= 0) {
			dup2(devnull, 1);
			dup2(devnull, 2);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -EIO;
}

struct bench_ctl_arm {
	const struct bench_opts *o;
	const char *rt;
	unsigned int next; /* the next new device number */
};

static int64_t bench_ctl_cycle(void *ctx, uint64_t i)
{
	struct bench_ctl_arm *a = ctx;
	char uuid[40];
	char *start[] = { (char *)a->o->umdevctl,
			  "--runtime-dir",
			  (char *)a->rt,
			  "start",
			  "-u",
			  uuid,
			  "-p",
			  "mtty",
			  "-t",
			  "mtty-1",
			  NULL };
	char *stop[] = { (char *)a->o->umdevctl,
			 "--runtime-dir",
			 (char *)a->rt,
			 "stop",
			 "-u",
			 uuid,
			 NULL };
	uint64_t t0;
	int ret;

	bench_ctl_uuid(uuid, sizeof(uuid), a->next++);
	t0 = bench_now_ns();
	ret = bench_run(start);
	if (!ret)
		ret = bench_run(stop);
	if (ret) {
		fprintf(stderr,
			"umdev-bench: ctl: umdevctl start/stop %s in %s failed\n",
			uuid, a->rt);
		return ret;
	}
	return (int64_t)(bench_now_ns() - t0);
}

/* Blocks of this many cycles: each takes milliseconds. */
#define BENCH_CTL_BLOCK 20

int bench_ctl(const struct bench_opts *o)
{
	/* New UUIDs from here on, past what bench/run created. */
	struct bench_ctl_arm few = { o, o->rt, 0x800000 };
	struct bench_ctl_arm many = { o, o->rt_many, 0x900000 };
	struct bench_series s[2];
	struct bench_summary sum[2];
	char n0[64], n1[64], name[96], what[80];
	int ret;

	snprintf(n0, sizeof(n0), "ctl-%s-%udev", o->placement, o->few);
	snprintf(n1, sizeof(n1), "ctl-%s-%udev", o->placement, o->many);
	ret = bench_series_init(&s[0], n0, o->iters);
	if (!ret)
		ret = bench_series_init(&s[1], n1, o->iters);
	if (!ret) {
		const struct bench_arm arms[] = {
			{ bench_ctl_cycle, &few, &s[0] },
			{ bench_ctl_cycle, &many, &s[1] },
		};

		ret = bench_interleave_arms_block(arms, 2, o->iters,
						  BENCH_CTL_BLOCK / 4,
						  BENCH_CTL_BLOCK);
	}
	if (ret) {
		fprintf(stderr, "umdev-bench: ctl: %s\n", strerror(-ret));
		return ret;
	}
	bench_summarise(&s[0], &sum[0]);
	bench_summarise(&s[1], &sum[1]);
	bench_write_quantiles(&s[0], o->out);
	bench_write_quantiles(&s[1], o->out);
	snprintf(name, sizeof(name), "create_remove_umdevctl_%s_%udev_vs_%udev",
		 o->placement, o->many, o->few);
	snprintf(what, sizeof(what), "umdevctl start+stop @ %u vs %u (us)",
		 o->many, o->few);
	bench_print_latency(name, what, &sum[1], &sum[0], 1.2);
	bench_series_free(&s[0]);
	bench_series_free(&s[1]);
	return 0;
}
