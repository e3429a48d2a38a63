// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_migrate - `umdevctl migrate -u SRC_UUID --to DST`: live-migrate a
 * device no VMM holds, being the vfio-user client of both ends (VFIO
 * migration v2, docs/migration.md).  DST is a socket path or the UUID of
 * a device of the local umdevd.  The steps, each reported with its bytes:
 * source RUNNING -> PRE_COPY (read the initial data) -> STOP_COPY (read
 * the rest), destination -> RESUMING, write, -> STOP (it loads the
 * stream) -> RUNNING; the source ends in STOP, as a real migration leaves
 * it.  Any failure before the destination loaded puts the source back to
 * RUNNING.  `umdevctl migrate -u UUID --abort` returns a device stopped by
 * an interrupted migration to RUNNING.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <umdev/client.h>

#include "cli.h"
#include "compat/vfio_precopy.h"

/* The most device data umdevctl carries (mtty's is under 1 KiB). */
#define CLI_MIG_MAX_BYTES (64u << 20)
#define CLI_MIG_CHUNK (64u * 1024)

static const char *cli_mig_state_name(uint32_t state)
{
	static const char *const names[] = {
		[VFIO_DEVICE_STATE_ERROR] = "ERROR",
		[VFIO_DEVICE_STATE_STOP] = "STOP",
		[VFIO_DEVICE_STATE_RUNNING] = "RUNNING",
		[VFIO_DEVICE_STATE_STOP_COPY] = "STOP_COPY",
		[VFIO_DEVICE_STATE_RESUMING] = "RESUMING",
		[VFIO_DEVICE_STATE_RUNNING_P2P] = "RUNNING_P2P",
		[VFIO_DEVICE_STATE_PRE_COPY] = "PRE_COPY",
		[VFIO_DEVICE_STATE_PRE_COPY_P2P] = "PRE_COPY_P2P",
	};

	return state < sizeof(names) / sizeof(names[0]) ? names[state] : "?";
}

struct cli_mig_end {
	const char *role; /* "source", "destination" */
	const char *name; /* as given */
	char path[PATH_MAX];
	struct umdev_client *c;
};

/* Connect to one end; a device some other client holds is "busy". */
static int cli_mig_connect(struct cli_ctx *ctx, struct cli_mig_end *e)
{
	int ret, err = 0;

	if (strchr(e->name, '/')) {
		if (strlen(e->name) >= sizeof(e->path)) {
			cli_error("migrate: %s path too long", e->role);
			return CLI_EXIT_USAGE;
		}
		strcpy(e->path, e->name);
	} else {
		ret = cli_device_socket(ctx, e->name, e->path, sizeof(e->path));
		/* umdevd names the holder of a device it serves. */
		if (!ret)
			ret = cli_device_available(ctx, "migrate", e->name);
		if (ret)
			return ret;
	}
	e->c = umdev_client_connect(e->path, &err);
	if (!e->c) {
		if (err == -ECONNRESET)
			cli_error(
				"migrate: %s %s is busy: another vfio-user client (a VMM?) holds it; a VMM migrates its devices itself",
				e->role, e->name);
		else
			cli_error("migrate: cannot connect to %s %s (%s): %s",
				  e->role, e->name, e->path, strerror(-err));
		return CLI_EXIT_FAILED;
	}
	umdev_client_set_timeout_ms(e->c, (int)cli_timeout_s(ctx) * 1000);
	return 0;
}

static int cli_mig_set(struct cli_mig_end *e, uint32_t from, uint32_t to,
		       int step)
{
	int ret = umdev_client_mig_set_state(e->c, to);

	if (ret) {
		cli_error("migrate: %s %s -> %s refused: %s", e->role,
			  cli_mig_state_name(from), cli_mig_state_name(to),
			  strerror(-ret));
		return ret;
	}
	printf("[%d] %s: %s -> %s\n", step, e->role, cli_mig_state_name(from),
	       cli_mig_state_name(to));
	return 0;
}

/* Read the data of the current saving state, appending to *@buf. */
static int cli_mig_read_all(struct cli_mig_end *e, uint8_t **buf, size_t *len,
			    size_t *cap, size_t *got)
{
	uint32_t chunk = umdev_client_max_data_xfer(e->c);
	int n;

	if (chunk > CLI_MIG_CHUNK)
		chunk = CLI_MIG_CHUNK;
	*got = 0;
	for (;;) {
		if (*cap - *len < chunk) {
			size_t want = *cap ? 2 * *cap : 2 * (size_t)chunk;
			uint8_t *p;

			if (want > CLI_MIG_MAX_BYTES)
				return -EFBIG;
			p = realloc(*buf, want);
			if (!p)
				return -ENOMEM;
			*buf = p;
			*cap = want;
		}
		n = umdev_client_mig_read(e->c, *buf + *len, chunk);
		if (n < 0)
			return n;
		*len += (size_t)n;
		*got += (size_t)n;
		if ((uint32_t)n < chunk)
			return 0; /* fewer than asked: the end of the data */
	}
}

static int cli_mig_write_all(struct cli_mig_end *e, const uint8_t *buf,
			     size_t len)
{
	uint32_t chunk = umdev_client_max_data_xfer(e->c);
	size_t done = 0, n;
	int ret;

	if (chunk > CLI_MIG_CHUNK)
		chunk = CLI_MIG_CHUNK;
	while (done < len) {
		n = len - done < chunk ? len - done : chunk;
		ret = umdev_client_mig_write(e->c, buf + done, (uint32_t)n);
		if (ret)
			return ret;
		done += n;
	}
	return 0;
}

/* Both ends must migrate, and the destination must be fresh. */
static int cli_mig_check(struct cli_mig_end *e, uint64_t *flags,
			 uint32_t *state)
{
	int ret = umdev_client_mig_get_flags(e->c, flags);

	if (ret == -ENOTTY) {
		cli_error("migrate: %s %s has no migration support", e->role,
			  e->name);
		return ret;
	}
	if (!ret)
		ret = umdev_client_mig_get_state(e->c, state);
	if (ret)
		cli_error("migrate: %s %s: %s", e->role, e->name,
			  strerror(-ret));
	return ret;
}

/* Put the source back to RUNNING after a failure: nothing is lost. */
static void cli_mig_roll_back(struct cli_mig_end *src)
{
	int ret = umdev_client_mig_set_state(src->c, VFIO_DEVICE_STATE_RUNNING);

	if (ret)
		cli_error(
			"migrate: source could not return to RUNNING: %s (umdevctl migrate -u UUID --abort retries)",
			strerror(-ret));
	else
		printf("source: back to RUNNING, its state unchanged\n");
}

static int cli_migrate_run(struct cli_mig_end *src, struct cli_mig_end *dst)
{
	uint64_t sflags, dflags, initial = 0, dirty = 0;
	uint32_t sstate, dstate, from;
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0, got;
	bool precopy;
	int ret, step = 1;

	if (cli_mig_check(src, &sflags, &sstate) ||
	    cli_mig_check(dst, &dflags, &dstate))
		return CLI_EXIT_FAILED;
	if (sstate != VFIO_DEVICE_STATE_RUNNING) {
		cli_error(
			"migrate: source is in %s, not RUNNING (after an interrupted migration: umdevctl migrate -u UUID --abort)",
			cli_mig_state_name(sstate));
		return CLI_EXIT_FAILED;
	}
	if (dstate != VFIO_DEVICE_STATE_RUNNING &&
	    dstate != VFIO_DEVICE_STATE_STOP) {
		cli_error("migrate: destination is in %s, not RUNNING or STOP",
			  cli_mig_state_name(dstate));
		return CLI_EXIT_FAILED;
	}

	precopy = sflags & VFIO_MIGRATION_PRE_COPY;
	from = sstate;
	if (precopy) {
		ret = cli_mig_set(src, from, VFIO_DEVICE_STATE_PRE_COPY,
				  step++);
		if (ret)
			goto roll_back;
		from = VFIO_DEVICE_STATE_PRE_COPY;
		ret = umdev_client_mig_precopy_info(src->c, &initial, &dirty);
		if (!ret)
			ret = cli_mig_read_all(src, &buf, &len, &cap, &got);
		if (ret) {
			cli_error(
				"migrate: reading the source's pre-copy data: %s",
				strerror(-ret));
			goto roll_back;
		}
		printf("    pre-copy: initial %llu bytes, dirty %llu; read %zu bytes\n",
		       (unsigned long long)initial, (unsigned long long)dirty,
		       got);
	}
	ret = cli_mig_set(src, from, VFIO_DEVICE_STATE_STOP_COPY, step++);
	if (ret)
		goto roll_back;
	ret = cli_mig_read_all(src, &buf, &len, &cap, &got);
	if (ret) {
		cli_error("migrate: reading the source's device state: %s",
			  strerror(-ret));
		goto roll_back;
	}
	printf("    stop-copy: read %zu bytes (%zu in all)\n", got, len);

	ret = cli_mig_set(dst, dstate, VFIO_DEVICE_STATE_RESUMING, step++);
	if (ret)
		goto roll_back;
	ret = cli_mig_write_all(dst, buf, len);
	if (ret) {
		cli_error("migrate: the destination refused the data: %s",
			  strerror(-ret));
		goto dst_failed;
	}
	printf("    wrote %zu bytes to the destination\n", len);
	ret = umdev_client_mig_set_state(dst->c, VFIO_DEVICE_STATE_STOP);
	if (ret) {
		cli_error(
			"migrate: the destination refused the device state: %s; it stays in ERROR until reset (umdevd's log says why)",
			strerror(-ret));
		goto dst_failed;
	}
	printf("[%d] destination: RESUMING -> STOP (device state loaded)\n",
	       step++);
	ret = cli_mig_set(dst, VFIO_DEVICE_STATE_STOP,
			  VFIO_DEVICE_STATE_RUNNING, step++);
	if (ret)
		goto dst_failed;
	ret = cli_mig_set(src, VFIO_DEVICE_STATE_STOP_COPY,
			  VFIO_DEVICE_STATE_STOP, step++);
	free(buf);
	if (ret)
		return CLI_EXIT_FAILED;
	printf("migrated %s to %s: %zu bytes; the source is stopped\n",
	       src->name, dst->name, len);
	return CLI_EXIT_OK;

dst_failed:
	/*
	 * End the destination's loading: with a partial or refused stream
	 * RESUMING -> STOP fails and leaves it in ERROR (until reset), so it
	 * is never taken for a migrated device; in ERROR already, refused.
	 */
	umdev_client_mig_set_state(dst->c, VFIO_DEVICE_STATE_STOP);
roll_back:
	free(buf);
	cli_mig_roll_back(src);
	return CLI_EXIT_FAILED;
}

/* --abort: a device left stopped by an interrupted migration runs again. */
static int cli_migrate_abort(struct cli_mig_end *e)
{
	uint64_t flags;
	uint32_t state;
	int ret;

	if (cli_mig_check(e, &flags, &state))
		return CLI_EXIT_FAILED;
	if (state == VFIO_DEVICE_STATE_ERROR) {
		cli_error("migrate: %s is in ERROR: only a reset leaves it",
			  e->name);
		return CLI_EXIT_FAILED;
	}
	if (state == VFIO_DEVICE_STATE_RUNNING) {
		printf("%s: already RUNNING\n", e->name);
		return CLI_EXIT_OK;
	}
	ret = cli_mig_set(e, state, VFIO_DEVICE_STATE_RUNNING, 1);
	return ret ? CLI_EXIT_FAILED : CLI_EXIT_OK;
}

static void cli_migrate_usage(FILE *f)
{
	fprintf(f,
		"Usage: umdevctl migrate -u SRC_UUID --to DST\n"
		"       umdevctl migrate -u UUID --abort\n"
		"Live-migrate a device no VMM holds to DST (a socket path, or the\n"
		"UUID of a device of this umdevd); the source ends stopped.\n"
		"--abort: return a device an interrupted migration left stopped\n"
		"to RUNNING.\n");
}

int cli_cmd_migrate(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "uuid", required_argument, NULL, 'u' },
		{ "to", required_argument, NULL, 't' },
		{ "abort", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct cli_mig_end src = { .role = "source" };
	struct cli_mig_end dst = { .role = "destination" };
	bool abort_mig = false;
	int opt, ret;

	while ((opt = getopt_long(argc, argv, "u:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'u':
			src.name = optarg;
			break;
		case 't':
			dst.name = optarg;
			break;
		case 'a':
			abort_mig = true;
			break;
		case 'h':
			cli_migrate_usage(stdout);
			return CLI_EXIT_OK;
		default:
			cli_migrate_usage(stderr);
			return CLI_EXIT_USAGE;
		}
	}
	if (optind < argc || !src.name || (!dst.name && !abort_mig) ||
	    (dst.name && abort_mig)) {
		cli_error(
			"migrate: -u UUID and either --to DST or --abort are required");
		cli_migrate_usage(stderr);
		return CLI_EXIT_USAGE;
	}
	if (strchr(src.name, '/')) {
		cli_error("migrate: -u takes a UUID: '%s'", src.name);
		return CLI_EXIT_USAGE;
	}
	ret = cli_mig_connect(ctx, &src);
	if (ret)
		return ret;
	if (abort_mig) {
		ret = cli_migrate_abort(&src);
		umdev_client_close(src.c);
		return ret;
	}
	ret = cli_mig_connect(ctx, &dst);
	if (ret) {
		umdev_client_close(src.c);
		return ret;
	}
	if (!strcmp(src.path, dst.path)) {
		cli_error(
			"migrate: source and destination are the same device");
		ret = CLI_EXIT_USAGE;
	} else {
		printf("migrating %s (%s) to %s (%s)\n", src.name, src.path,
		       dst.name, dst.path);
		ret = cli_migrate_run(&src, &dst);
	}
	umdev_client_close(dst.c);
	umdev_client_close(src.c);
	return ret;
}
