// SPDX-License-Identifier: GPL-2.0-only
/*
 * umdev-bench - umdev's benchmarks (bench/run drives them; never part of
 * pass/fail).
 *
 * Usage: umdev-bench [--iters N] [--scale-iters N] [--out DIR]
 *                    [--socket PATH] FIGURE...
 * FIGURE: region, irq, throughput (need --socket: an mtty-1 device served
 * by umdevd), scale (in-process).  Prints a table row and a BENCH line per
 * figure; with --out, each series' distribution goes to DIR/NAME.dat.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

static void usage(void)
{
	fprintf(stderr,
		"usage: umdev-bench [--iters N] [--scale-iters N] [--out DIR] [--socket PATH]\n"
		"                   [--peer-cpu CPU]\n"
		"                   {region|irq|throughput|scale}...\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "iters", required_argument, NULL, 'n' },
		{ "scale-iters", required_argument, NULL, 's' },
		{ "out", required_argument, NULL, 'o' },
		{ "socket", required_argument, NULL, 'S' },
		{ "peer-cpu", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	struct bench_opts o = {
		.iters = BENCH_DEFAULT_ITERS,
		.scale_iters = BENCH_DEFAULT_ITERS,
	};
	int c, i, ret = 0;

	while ((c = getopt_long(argc, argv, "n:s:o:S:c:", longopts, NULL)) !=
	       -1) {
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
		case 'c':
			bench_peer_cpu = atoi(optarg);
			break;
		case 'S':
			o.socket = optarg;
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
	for (i = optind; i < argc && !ret; i++) {
		const char *fig = argv[i];

		if (strcmp(fig, "scale") && !o.socket) {
			fprintf(stderr, "umdev-bench: %s needs --socket\n",
				fig);
			return 2;
		}
		if (!strcmp(fig, "region")) {
			ret = bench_region(&o);
		} else if (!strcmp(fig, "irq")) {
			ret = bench_irq(&o);
		} else if (!strcmp(fig, "throughput")) {
			ret = bench_throughput(&o);
		} else if (!strcmp(fig, "scale")) {
			ret = bench_scale(&o);
		} else {
			usage();
			return 2;
		}
	}
	return ret ? 1 : 0;
}
