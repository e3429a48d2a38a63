/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * umdev-bench: shared helpers.  Every figure is a pair of series measured
 * in the same run, interleaved block by block so that both see the same
 * machine noise: the "target" (through umdevd) and its "floor" (the same
 * message pattern between two raw processes).
 */
#ifndef UMDEV_BENCH_H
#define UMDEV_BENCH_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

/* Iterations per series unless --iters says otherwise. */
#define BENCH_DEFAULT_ITERS 100000
/* Iterations of each series in one interleaved block. */
#define BENCH_BLOCK 1000

static inline uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* A series of per-iteration samples, in nanoseconds. */
struct bench_series {
	const char *name; /* file and table name: "region-target" */
	uint64_t *ns;
	size_t n, cap;
	uint64_t total_ns; /* wall time over all iterations */
	/* Wall time and iterations of each interleaved block. */
	uint64_t *block_ns;
	size_t *block_n;
	size_t nr_blocks, cap_blocks;
};

struct bench_summary {
	size_t n;
	double median, p99, mean; /* ns */
	double total_s;
	/* Iterations per second: median over blocks, and overall. */
	double block_rate, rate;
};

int bench_series_init(struct bench_series *s, const char *name, size_t cap);
void bench_series_free(struct bench_series *s);
/* Sorts the samples in place. */
void bench_summarise(struct bench_series *s, struct bench_summary *out);
/*
 * Write @s's distribution (sorted) as 1000 quantile points "q ns" to
 * DIR/NAME.dat, for the plots.  0 or -errno.
 */
int bench_write_quantiles(const struct bench_series *s, const char *dir);

/*
 * One iteration of a series: returns its time in ns (the callee times the
 * part that counts), or a negative errno.
 */
typedef int64_t (*bench_iter_fn)(void *ctx, uint64_t i);

/* One series of an interleaved run. */
struct bench_arm {
	bench_iter_fn fn;
	void *ctx;
	struct bench_series *s;
};

/*
 * Run @warmup untimed iterations of each arm, then @iters of each,
 * round-robin in blocks of BENCH_BLOCK.  0 or -errno.
 */
int bench_interleave_arms(const struct bench_arm *arms, size_t nr, size_t iters,
			  size_t warmup);
/* The same with blocks of @block iterations (slow iterations: fewer). */
int bench_interleave_arms_block(const struct bench_arm *arms, size_t nr,
				size_t iters, size_t warmup, size_t block);
/* The common case: a target and its floor. */
int bench_interleave(bench_iter_fn target, void *tctx, struct bench_series *ts,
		     bench_iter_fn floor, void *fctx, struct bench_series *fs,
		     size_t iters, size_t warmup);

/* Read/write exactly @len bytes on a blocking fd.  0 or -errno. */
int bench_read_full(int fd, void *buf, size_t len);
int bench_write_full(int fd, const void *buf, size_t len);

/*
 * Print a result row and the machine-readable line: BENCH with the target
 * when @target_ratio > 0 (value/floor of the medians must stay <= it),
 * else INFO.
 */
void bench_print_latency(const char *name, const char *what,
			 const struct bench_summary *t,
			 const struct bench_summary *f, double target_ratio);
/* The same as information only (an INFO line). */
void bench_print_info(const char *name, const char *what,
		      const struct bench_summary *t,
		      const struct bench_summary *f);

/* ---- figures (one file each) ---- */
struct bench_opts {
	const char *socket; /* device socket in umdevd (polling off) */
	const char *socket_poll; /* one in a umdevd --poll-us, or NULL */
	const char *socket_poll_client; /* another there, for the client poll */
	const char *socket_many; /* one in a umdevd holding o->many devices */
	unsigned int many;
	unsigned int client_poll_us; /* the client's polling wait, poll arm */
	const char *placement; /* in every name: same_cpu, cross_cpu, ... */
	/* Targets (value/floor) for this placement; 0: information only. */
	double region_target, posted_target, irq_target, throughput_target;
	double poll_target; /* polling on / off */
	const char *out; /* directory for .dat files */
	size_t iters;
	size_t scale_iters;
	/* populate / ctl */
	const char *control; /* a umdevd's control socket */
	unsigned int first, count; /* device numbers first..first+count-1 */
	const char *umdevctl;
	const char *rt, *rt_many; /* runtime dirs: few devices, many */
	unsigned int few;
};

int bench_region(const struct bench_opts *o);
int bench_posted(const struct bench_opts *o);
int bench_irq(const struct bench_opts *o);
int bench_throughput(const struct bench_opts *o);
int bench_many(const struct bench_opts *o);
int bench_scale(const struct bench_opts *o);
/* bench_ctl.c: create devices through a control socket; umdevctl cycles. */
int bench_populate(const struct bench_opts *o);
int bench_ctl(const struct bench_opts *o);
/* The UUID bench/run and the bench give device number @n. */
void bench_ctl_uuid(char *buf, size_t len, unsigned int n);

/* Floors: helper processes (bench_floor.c). */
struct bench_peer {
	pid_t pid;
	int fd; /* socket to the peer, or eventfd towards it */
	int fd2; /* eventfd back from the peer */
	volatile uint64_t *shared; /* page shared with the peer */
};

/* Sink peer: reads @req-byte messages until EOF. */
int bench_peer_sink(struct bench_peer *p, size_t req);
/* Ping-pong peer: reads @req bytes, answers @rep bytes, until EOF. */
int bench_peer_pingpong(struct bench_peer *p, size_t req, size_t rep);
/*
 * Burst peer: reads @first bytes once, then for ever reads @req bytes and
 * answers @rep bytes.
 */
int bench_peer_burst(struct bench_peer *p, size_t first, size_t req,
		     size_t rep);
/*
 * eventfd peer: waits on p->fd, stores its wake-up time in p->shared[0],
 * then writes p->fd2.
 */
int bench_peer_eventfd(struct bench_peer *p);
/*
 * Socket-then-eventfd peer: reads @req bytes from the socket p->fd, then
 * writes eventfd p->fd2 (the path of a posted write that raises an IRQ).
 */
int bench_peer_sock_eventfd(struct bench_peer *p, size_t req);
void bench_peer_stop(struct bench_peer *p);
/* CPU for the peers (as umdevd's), or -1 to let the scheduler choose. */
extern int bench_peer_cpu;

#endif
