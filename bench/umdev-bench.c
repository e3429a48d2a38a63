// SPDX-License-Identifier: GPL-2.0-only
/*
 * umdev-bench - umdev's benchmarks (bench/run drives them; never part of
 * pass/fail).
 *
 * Usage: umdev-bench [OPTION]... FIGURE...
 * FIGURE: region, posted, irq, throughput (need --socket: an mtty-1 device
 * served by umdevd; region and irq add polling arms with --socket-poll,
 * region with the client's polling wait on --socket-poll-client),
 * many (--socket and --socket-many), populate (--control, --first,
 * --count), ctl (--umdevctl, --rt, --rt-many), scale (in-process).
 * Prints a table row and a BENCH (target) or INFO line per figure; with
 * --out, each series' distribution goes to DIR/NAME.dat.
 *
 * Placement: --cpu pins this process (the client), --peer-cpu the floors'
 * peers; bench/run pins umdevd with taskset to the same CPUs and says so
 * with --placement, which goes into every name and chooses the targets.
 */
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

static void usage(void)
{
	fprintf(stderr,
		"usage: umdev-bench [--iters N] [--scale-iters N] [--out DIR]\n"
		"                   [--cpu CPU] [--peer-cpu CPU] [--placement NAME]\n"
		"                   [--socket PATH] [--socket-poll PATH]\n"
		"                   [--socket-poll-client PATH] [--client-poll-us N]\n"
		"                   [--socket-many PATH --many N]\n"
		"                   [--control PATH --first N --count N]\n"
		"                   [--umdevctl PATH --rt DIR --few N --rt-many DIR --many N]\n"
		"                   {region|posted|irq|throughput|many|populate|ctl|scale}...\n");
}

/* Targets of the issue for a placement; other placements: information. */
static void bench_targets(struct bench_opts *o)
{
	if (!strcmp(o->placement, "same_cpu")) {
		o->region_target = 1.05;
		o->posted_target = 1.05;
		o->irq_target = 1.1;
		o->throughput_target = 0.9;
	} else if (!strcmp(o->placement, "cross_cpu")) {
		o->poll_target = 0.6;
	}
}

static int bench_pin_self(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) < 0) {
		fprintf(stderr, "umdev-bench: --cpu %d: %s\n", cpu,
			strerror(errno));
		return -errno;
	}
	return 0;
}

static bool bench_needs(const char *fig, const char *what, const void *have)
{
	if (have)
		return true;
	fprintf(stderr, "umdev-bench: %s needs %s\n", fig, what);
	return false;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "iters", required_argument, NULL, 'n' },
		{ "scale-iters", required_argument, NULL, 's' },
		{ "out", required_argument, NULL, 'o' },
		{ "socket", required_argument, NULL, 'S' },
		{ "socket-poll", required_argument, NULL, 'P' },
		{ "socket-poll-client", required_argument, NULL, 'Q' },
		{ "socket-many", required_argument, NULL, 'M' },
		{ "many", required_argument, NULL, 'm' },
		{ "few", required_argument, NULL, 'f' },
		{ "client-poll-us", required_argument, NULL, 'C' },
		{ "cpu", required_argument, NULL, 'u' },
		{ "peer-cpu", required_argument, NULL, 'c' },
		{ "placement", required_argument, NULL, 'p' },
		{ "control", required_argument, NULL, 'k' },
		{ "first", required_argument, NULL, 'F' },
		{ "count", required_argument, NULL, 'N' },
		{ "umdevctl", required_argument, NULL, 'U' },
		{ "rt", required_argument, NULL, 'r' },
		{ "rt-many", required_argument, NULL, 'R' },
		{ NULL, 0, NULL, 0 },
	};
	struct bench_opts o = {
		.iters = BENCH_DEFAULT_ITERS,
		.scale_iters = BENCH_DEFAULT_ITERS,
		.placement = "unpinned",
		.client_poll_us = 200,
		.few = 100,
	};
	int c, i, cpu = -1, ret = 0;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			o.iters = strtoul(optarg, NULL, 10);
			break;
		case 's':
			o.scale_iters = strtoul(optarg, NULL, 10);
			break;
		case 'o':
			o.out = optarg;
			break;
		case 'S':
			o.socket = optarg;
			break;
		case 'P':
			o.socket_poll = optarg;
			break;
		case 'Q':
			o.socket_poll_client = optarg;
			break;
		case 'M':
			o.socket_many = optarg;
			break;
		case 'm':
			o.many = (unsigned int)strtoul(optarg, NULL, 10);
			break;
		case 'f':
			o.few = (unsigned int)strtoul(optarg, NULL, 10);
			break;
		case 'C':
			o.client_poll_us =
				(unsigned int)strtoul(optarg, NULL, 10);
			break;
		case 'u':
			cpu = atoi(optarg);
			break;
		case 'c':
			bench_peer_cpu = atoi(optarg);
			break;
		case 'p':
			o.placement = optarg;
			break;
		case 'k':
			o.control = optarg;
			break;
		case 'F':
			o.first = (unsigned int)strtoul(optarg, NULL, 10);
			break;
		case 'N':
			o.count = (unsigned int)strtoul(optarg, NULL, 10);
			break;
		case 'U':
			o.umdevctl = optarg;
			break;
		case 'r':
			o.rt = optarg;
			break;
		case 'R':
			o.rt_many = optarg;
			break;
		default:
			usage();
			return 2;
		}
	}
	if (optind == argc || !o.iters || !o.scale_iters) {
		usage();
		return 2;
	}
	if (cpu >= 0 && bench_pin_self(cpu))
		return 1;
	bench_targets(&o);
	for (i = optind; i < argc && !ret; i++) {
		const char *fig = argv[i];
		bool dev = !strcmp(fig, "region") || !strcmp(fig, "posted") ||
			   !strcmp(fig, "irq") || !strcmp(fig, "throughput") ||
			   !strcmp(fig, "many");

		if (dev && !bench_needs(fig, "--socket", o.socket))
			return 2;
		if (!strcmp(fig, "region")) {
			ret = bench_region(&o);
		} else if (!strcmp(fig, "posted")) {
			ret = bench_posted(&o);
		} else if (!strcmp(fig, "irq")) {
			ret = bench_irq(&o);
		} else if (!strcmp(fig, "throughput")) {
			ret = bench_throughput(&o);
		} else if (!strcmp(fig, "many")) {
			if (!bench_needs(fig, "--socket-many", o.socket_many) ||
			    !bench_needs(fig, "--many", o.many ? "" : NULL))
				return 2;
			ret = bench_many(&o);
		} else if (!strcmp(fig, "populate")) {
			if (!bench_needs(fig, "--control", o.control))
				return 2;
			ret = bench_populate(&o);
		} else if (!strcmp(fig, "ctl")) {
			if (!bench_needs(fig, "--umdevctl", o.umdevctl) ||
			    !bench_needs(fig, "--rt", o.rt) ||
			    !bench_needs(fig, "--rt-many", o.rt_many))
				return 2;
			ret = bench_ctl(&o);
		} else if (!strcmp(fig, "scale")) {
			ret = bench_scale(&o);
		} else {
			usage();
			return 2;
		}
	}
	return ret ? 1 : 0;
}
