// SPDX-License-Identifier: GPL-2.0-only
/*
 * umdevctl - manage umdevd's mediated devices with mdevctl 1.2's verbs
 * (types, list, start, stop, define, undefine, modify, start-parent-mdevs)
 * and umdev's own: info and, as a vfio-user client of a device, console
 * and migrate.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "umdev_version.h"

struct cli_verb {
	const char *name;
	int (*run)(struct cli_ctx *ctx, int argc, char **argv);
	const char *summary;
};

static const struct cli_verb cli_verbs[] = {
	{ "types", cli_cmd_types,
	  "list parents and the types they offer: [-p PARENT] [--dumpjson]" },
	{ "list", cli_cmd_list,
	  "list devices: [-d|--defined] [-u UUID] [-p PARENT] [-v] [--dumpjson]" },
	{ "start", cli_cmd_start,
	  "start a device: -u UUID (defined), or [-u UUID] -p PARENT -t TYPE|--jsonfile FILE" },
	{ "stop", cli_cmd_stop, "remove a device: -u UUID" },
	{ "define", cli_cmd_define,
	  "define a persistent device: [-u UUID] [-p PARENT] [-t TYPE] [-a] [--jsonfile FILE]" },
	{ "undefine", cli_cmd_undefine,
	  "delete a definition: -u UUID [-p PARENT]" },
	{ "modify", cli_cmd_modify,
	  "change a definition: -u UUID [-p PARENT] [-t TYPE] [-a|-m] [--addattr NAME --value V|--delattr] [-i N]" },
	{ "start-parent-mdevs", cli_cmd_start_parent,
	  "start the auto definitions of PARENT" },
	{ "info", cli_cmd_info,
	  "show a device's regions, IRQs and config space: -u UUID" },
	{ "console", cli_cmd_console,
	  "terminal on a device's serial port: -u UUID [--port N]" },
	{ "migrate", cli_cmd_migrate,
	  "live-migrate a device: -u SRC_UUID --to DST (path or UUID) | -u UUID --abort" },
};

static void cli_usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"Usage: umdevctl [--runtime-dir DIR] [--timeout S] COMMAND [OPTION]...\n"
		"       umdevctl -h|--help | -V|--version\n\n"
		"Commands (each takes -h, --help):\n");
	for (i = 0; i < sizeof(cli_verbs) / sizeof(cli_verbs[0]); i++)
		fprintf(f, "  %-18s %s\n", cli_verbs[i].name,
			cli_verbs[i].summary);
	fprintf(f,
		"  %-18s %s\n"
		"\nVerbs, options and output are mdevctl 1.2's (docs/umdevctl.md).\n"
		"Runtime directory: --runtime-dir, else $UMDEV_RUNTIME_DIR, else\n"
		"/run/umdev as root, else $XDG_RUNTIME_DIR/umdev.\n"
		"--timeout S: the longest umdevctl waits for umdevd or a device\n"
		"(default %d s; a stop may wait --remove-timeout-ms of umdevd).\n"
		"Exit status: 0 ok, 1 refused/failed, 2 usage, 3 umdevd not reachable.\n",
		"help", "this text", CLI_DEFAULT_TIMEOUT_S);
}

static int cli_parse_timeout(struct cli_ctx *ctx, const char *arg)
{
	unsigned long val;
	char *end;

	errno = 0;
	val = strtoul(arg, &end, 10);
	if (errno || *end || end == arg || *arg == '-' || val < 1 ||
	    val > 86400) {
		cli_error(
			"--timeout: not a number of seconds from 1 to 86400: '%s'",
			arg);
		return -EINVAL;
	}
	ctx->timeout_s = (unsigned int)val;
	return 0;
}

int main(int argc, char **argv)
{
	struct cli_ctx ctx = { 0 };
	int i = 1;
	size_t v;

	/* Global options come before the verb. */
	while (i < argc && argv[i][0] == '-') {
		if (!strcmp(argv[i], "--runtime-dir") && i + 1 < argc) {
			ctx.runtime_override = argv[i + 1];
			i += 2;
		} else if (!strncmp(argv[i], "--runtime-dir=", 14)) {
			ctx.runtime_override = argv[i] + 14;
			i++;
		} else if (!strcmp(argv[i], "--timeout") && i + 1 < argc) {
			if (cli_parse_timeout(&ctx, argv[i + 1]))
				return CLI_EXIT_USAGE;
			i += 2;
		} else if (!strncmp(argv[i], "--timeout=", 10)) {
			if (cli_parse_timeout(&ctx, argv[i] + 10))
				return CLI_EXIT_USAGE;
			i++;
		} else if (!strcmp(argv[i], "-h") ||
			   !strcmp(argv[i], "--help")) {
			cli_usage(stdout);
			return CLI_EXIT_OK;
		} else if (!strcmp(argv[i], "-V") ||
			   !strcmp(argv[i], "--version")) {
			printf("umdevctl %s\n", UMDEV_VERSION);
			return CLI_EXIT_OK;
		} else {
			cli_error("unknown option '%s'", argv[i]);
			cli_usage(stderr);
			return CLI_EXIT_USAGE;
		}
	}
	if (i >= argc) {
		cli_usage(stderr);
		return CLI_EXIT_USAGE;
	}
	if (!strcmp(argv[i], "help")) {
		cli_usage(stdout);
		return CLI_EXIT_OK;
	}
	for (v = 0; v < sizeof(cli_verbs) / sizeof(cli_verbs[0]); v++) {
		if (!strcmp(argv[i], cli_verbs[v].name)) {
			optind = 1;
			return cli_verbs[v].run(&ctx, argc - i, argv + i);
		}
	}
	cli_error("unknown command '%s'", argv[i]);
	cli_usage(stderr);
	return CLI_EXIT_USAGE;
}
