// SPDX-License-Identifier: GPL-2.0-only
/*
 * umdev-bench: sample series, percentiles, interleaved runs, output.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

int bench_series_init(struct bench_series *s, const char *name, size_t cap)
{
	memset(s, 0, sizeof(*s));
	s->name = name;
	s->ns = calloc(cap ? cap : 1, sizeof(*s->ns));
	s->cap_blocks = cap / BENCH_BLOCK + 2;
	s->block_ns = calloc(s->cap_blocks, sizeof(*s->block_ns));
	s->block_n = calloc(s->cap_blocks, sizeof(*s->block_n));
	if (!s->ns || !s->block_ns || !s->block_n) {
		bench_series_free(s);
		return -ENOMEM;
	}
	s->cap = cap;
	return 0;
}

void bench_series_free(struct bench_series *s)
{
	free(s->ns);
	free(s->block_ns);
	free(s->block_n);
	s->ns = NULL;
	s->block_ns = NULL;
	s->block_n = NULL;
	s->n = s->cap = 0;
}

static int bench_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The q-quantile (0..1) of sorted samples, nearest rank. */
static double bench_quantile(const struct bench_series *s, double q)
{
	size_t i;

	if (!s->n)
		return 0;
	i = (size_t)(q * (double)(s->n - 1) + 0.5);
	return (double)s->ns[i];
}

static int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

void bench_summarise(struct bench_series *s, struct bench_summary *out)
{
	double sum = 0, *rates;
	size_t i;

	out->block_rate = 0;
	rates = calloc(s->nr_blocks + 1, sizeof(*rates));
	if (rates && s->nr_blocks) {
		for (i = 0; i < s->nr_blocks; i++)
			rates[i] = (double)s->block_n[i] * 1e9 /
				   (double)s->block_ns[i];
		qsort(rates, s->nr_blocks, sizeof(*rates), bench_cmp_double);
		out->block_rate = rates[s->nr_blocks / 2];
	}
	free(rates);
	out->rate = s->total_ns ? (double)s->n * 1e9 / (double)s->total_ns : 0;

	qsort(s->ns, s->n, sizeof(*s->ns), bench_cmp_u64);
	for (i = 0; i < s->n; i++)
		sum += (double)s->ns[i];
	out->n = s->n;
	out->median = bench_quantile(s, 0.5);
	out->p99 = bench_quantile(s, 0.99);
	out->mean = s->n ? sum / (double)s->n : 0;
	out->total_s = (double)s->total_ns / 1e9;
}

int bench_write_quantiles(const struct bench_series *s, const char *dir)
{
	char path[4096];
	FILE *f;
	int i;

	if (!dir)
		return 0;
	snprintf(path, sizeof(path), "%s/%s.dat", dir, s->name);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	fprintf(f, "# quantile ns (%zu samples)\n", s->n);
	for (i = 0; i <= 1000; i++)
		fprintf(f, "%.4f %.0f\n", i / 1000.0,
			bench_quantile(s, i / 1000.0));
	if (fclose(f))
		return -errno;
	return 0;
}

static int bench_run_block(bench_iter_fn fn, void *ctx, struct bench_series *s,
			   size_t n, bool keep)
{
	uint64_t t0 = bench_now_ns();
	size_t i;

	for (i = 0; i < n; i++) {
		int64_t ns = fn(ctx, keep ? s->n : i);

		if (ns < 0)
			return (int)ns;
		if (keep && s->n < s->cap)
			s->ns[s->n++] = (uint64_t)ns;
	}
	if (keep) {
		uint64_t dt = bench_now_ns() - t0;

		s->total_ns += dt;
		if (s->nr_blocks < s->cap_blocks && dt) {
			s->block_ns[s->nr_blocks] = dt;
			s->block_n[s->nr_blocks++] = n;
		}
	}
	return 0;
}

int bench_interleave_arms(const struct bench_arm *arms, size_t nr, size_t iters,
			  size_t warmup)
{
	return bench_interleave_arms_block(arms, nr, iters, warmup,
					   BENCH_BLOCK);
}

int bench_interleave_arms_block(const struct bench_arm *arms, size_t nr,
				size_t iters, size_t warmup, size_t block)
{
	size_t done = 0, a;
	int ret = 0;

	for (a = 0; a < nr && !ret; a++)
		ret = bench_run_block(arms[a].fn, arms[a].ctx, arms[a].s,
				      warmup, false);
	while (!ret && done < iters) {
		size_t n = iters - done < block ? iters - done : block;

		for (a = 0; a < nr && !ret; a++)
			ret = bench_run_block(arms[a].fn, arms[a].ctx,
					      arms[a].s, n, true);
		done += n;
	}
	return ret;
}

int bench_interleave(bench_iter_fn target, void *tctx, struct bench_series *ts,
		     bench_iter_fn floor, void *fctx, struct bench_series *fs,
		     size_t iters, size_t warmup)
{
	const struct bench_arm arms[] = {
		{ floor, fctx, fs },
		{ target, tctx, ts },
	};

	return bench_interleave_arms(arms, 2, iters, warmup);
}

int bench_read_full(int fd, void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t n = read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ECONNRESET;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int bench_write_full(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

void bench_print_latency(const char *name, const char *what,
			 const struct bench_summary *t,
			 const struct bench_summary *f, double target_ratio)
{
	double ratio = f->median > 0 ? t->median / f->median : 0;

	printf("%-44s %9.2f %9.2f %9.2f %9.2f %6.3f %7zu\n", what,
	       t->median / 1e3, t->p99 / 1e3, f->median / 1e3, f->p99 / 1e3,
	       ratio, t->n);
	if (target_ratio > 0)
		printf("BENCH %s value=%.0f floor=%.0f ratio=%.3f target=%.2f %s\n",
		       name, t->median, f->median, ratio, target_ratio,
		       ratio <= target_ratio ? "MET" : "MISSED");
	else
		printf("INFO %s value=%.0f floor=%.0f ratio=%.3f\n", name,
		       t->median, f->median, ratio);
	fflush(stdout);
}

void bench_print_info(const char *name, const char *what,
		      const struct bench_summary *t,
		      const struct bench_summary *f)
{
	bench_print_latency(name, what, t, f, 0);
}
