// SPDX-License-Identifier: GPL-2.0-only
/*
 * umdev-scenario - run scenario files against one mtty device.
 *
 *   umdev-scenario [--diff] [--first N] --vfio UUID FILE...
 *   umdev-scenario [--diff] [--first N] --socket PATH FILE...
 *   umdev-scenario --bench-read COUNT --vfio UUID|--socket PATH
 *
 * Each FILE runs on a fresh open of the device (the harnesses give every
 * scenario a newly created device, so no state leaks between them).
 * Prints step lines and one TAP line per file, numbered from N (default 1).
 * Exit status: 0 all passed, 1 a scenario failed, 2 usage or connection
 * error.  --bench-read times COUNT one-byte reads of BAR0's scratch
 * register (no side effect) and prints "bench-read COUNT reads NS ns/read"
 * (information for a comparison between devices, not a test).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "scenario.h"

static void scn_usage(void)
{
	fprintf(stderr,
		"usage: umdev-scenario [--diff] [--first N] --vfio UUID FILE...\n"
#ifdef SCN_HAVE_VFIO_USER
		"       umdev-scenario [--diff] [--first N] --socket PATH FILE...\n"
#endif
		"       umdev-scenario --bench-read COUNT --vfio UUID|--socket "
		"PATH\n");
}

static int scn_open(const char *kind, const char *target,
		    struct scn_backend *be)
{
	if (!strcmp(kind, "--vfio"))
		return scn_backend_vfio_open(target, be);
#ifdef SCN_HAVE_VFIO_USER
	if (!strcmp(kind, "--socket"))
		return scn_backend_vfio_user_open(target, be);
#endif
	return -EINVAL;
}

static uint64_t scn_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* COUNT one-byte reads of BAR0 register 7 (scratch), timed. */
static int scn_bench_read(struct scn_backend *be, unsigned long count)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	uint64_t start, ns;
	unsigned long i;
	uint8_t b;
	int ret;

	/* The 6.1 kernel sample wants GET_INFO first (D16); and a warm-up. */
	ret = be->ops->get_info(be->ctx, &info);
	if (!ret)
		ret = be->ops->read(be->ctx, VFIO_PCI_BAR0_REGION_INDEX, 7, &b,
				    1);
	if (ret < 0)
		return ret;
	start = scn_now_ns();
	for (i = 0; i < count; i++) {
		ret = be->ops->read(be->ctx, VFIO_PCI_BAR0_REGION_INDEX, 7, &b,
				    1);
		if (ret < 0)
			return ret;
	}
	ns = scn_now_ns() - start;
	printf("bench-read %lu reads %llu ns/read\n", count,
	       (unsigned long long)(ns / count));
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long bench = 0;
	struct scn_options opt = { .out = stdout };
	const char *kind = NULL, *target = NULL;
	unsigned int number = 1;
	struct scn_backend be;
	int i, ret, status = 0;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--diff")) {
			opt.diff = true;
		} else if (!strcmp(argv[i], "--bench-read") && i + 1 < argc) {
			bench = strtoul(argv[++i], NULL, 0);
			if (!bench) {
				scn_usage();
				return 2;
			}
		} else if (!strcmp(argv[i], "--first") && i + 1 < argc) {
			number = (unsigned int)strtoul(argv[++i], NULL, 0);
		} else if ((!strcmp(argv[i], "--vfio") ||
			    !strcmp(argv[i], "--socket")) &&
			   i + 1 < argc) {
			kind = argv[i];
			target = argv[++i];
		} else {
			scn_usage();
			return 2;
		}
	}
	if (kind && bench && i == argc) {
		ret = scn_open(kind, target, &be);
		if (!ret) {
			ret = scn_bench_read(&be, bench);
			be.ops->close(be.ctx);
		}
		if (ret)
			fprintf(stderr, "bench-read on %s: %s\n", target,
				strerror(-ret));
		return ret ? 2 : 0;
	}
	if (!kind || i >= argc || bench) {
		scn_usage();
		return 2;
	}
	for (; i < argc; i++, number++) {
		ret = scn_open(kind, target, &be);
		if (ret) {
			printf("not ok %u - %s (cannot open %s: %s)\n", number,
			       argv[i], target, strerror(-ret));
			return 2;
		}
		ret = scn_run_file(argv[i], &be, number, &opt);
		be.ops->close(be.ctx);
		if (ret < 0) {
			printf("not ok %u - %s (cannot read: %s)\n", number,
			       argv[i], strerror(-ret));
			status = 1;
		} else if (ret) {
			status = 1;
		}
	}
	return status;
}
