// SPDX-License-Identifier: GPL-2.0-only
/*
 * umdev-scenario - run scenario files against one mtty device.
 *
 *   umdev-scenario [--diff] [--first N] --vfio UUID FILE...
 *   umdev-scenario [--diff] [--first N] --socket PATH FILE...
 *
 * Each FILE runs on a fresh open of the device (the harnesses give every
 * scenario a newly created device, so no state leaks between them).
 * Prints step lines and one TAP line per file, numbered from N (default 1).  Exit status: 0 all passed, 1 a scenario
 * failed, 2 usage or connection error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

static void scn_usage(void)
{
	fprintf(stderr,
		"usage: umdev-scenario [--diff] [--first N] --vfio UUID FILE...\n"
#ifdef SCN_HAVE_VFIO_USER
		"       umdev-scenario [--diff] [--first N] --socket PATH FILE...\n"
#endif
	);
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

int main(int argc, char **argv)
{
	struct scn_options opt = { .out = stdout };
	const char *kind = NULL, *target = NULL;
	unsigned int number = 1;
	struct scn_backend be;
	int i, ret, status = 0;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--diff")) {
			opt.diff = true;
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
	if (!kind || i >= argc) {
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
