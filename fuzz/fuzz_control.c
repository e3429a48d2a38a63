// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_control - the control protocol in process: each input is split into
 * lines (as control.c frames them) and every line goes through
 * control_ops_handle(), the strict request parser and the ops table,
 * against a real core with the mtty parent, real device sockets (a
 * "start" creates a device served on a socket in a temporary runtime
 * directory) and the management service (definitions stored in a
 * temporary config directory, emptied after each input).  Invariants: every reply is an object with a boolean "ok";
 * an error carries a positive integer "errno" and a string "error"; the
 * reply's text is valid UTF-8; a line that is not strict JSON is EINVAL.
 * Every device is removed after each input and no fd may stay behind.
 * Driver ops run with no loader (ENOSYS): loading arbitrary files into the
 * fuzzer is not the point; the loader's own checks have e2e tests.
 */
#include <errno.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "control_ops.h"
#include "control_request.h"
#include "device_sockets.h"
#include "event_loop.h"
#include "log.h"
#include "management/service.h"
#include "mtty_driver.h"
#include "utf8.h"

#include "fuzz_util.h"

static struct event_loop *loop;
static struct mdev_core *core;
static char dir[64], config[96];

static int fuzz_remove(const char *path, const struct stat *st, int type,
		       struct FTW *ftw)
{
	return ftw->level ? remove(path) : 0;
}

/* Empty the config directory: definitions must not pile up. */
static void fuzz_clear_config(void)
{
	FUZZ_ASSERT(nftw(config, fuzz_remove, 8, FTW_DEPTH | FTW_PHYS) == 0);
}

/*
 * control.c's half of a deferred stop.  Without clients no stop is ever
 * deferred; if one were, its reply is checked like any other.
 */
static void fuzz_check_reply(json_object *reply, bool must_be_einval);

void control_conn_defer(struct control_conn *conn,
			struct device_removal *removal)
{
	FUZZ_ASSERT(!"a stop was deferred without a client");
}

void control_conn_complete(struct control_conn *conn, json_object *reply)
{
	fuzz_check_reply(reply, false);
	json_object_put(reply);
}

static void fuzz_check_reply(json_object *reply, bool must_be_einval)
{
	json_object *ok, *err, *msg;
	const char *text;

	FUZZ_ASSERT(reply && json_object_is_type(reply, json_type_object));
	FUZZ_ASSERT(json_object_object_get_ex(reply, "ok", &ok) &&
		    json_object_is_type(ok, json_type_boolean));
	if (!json_object_get_boolean(ok)) {
		FUZZ_ASSERT(json_object_object_get_ex(reply, "errno", &err) &&
			    json_object_is_type(err, json_type_int) &&
			    json_object_get_int(err) > 0);
		FUZZ_ASSERT(json_object_object_get_ex(reply, "error", &msg) &&
			    json_object_is_type(msg, json_type_string));
		if (must_be_einval)
			FUZZ_ASSERT(json_object_get_int(err) == EINVAL);
	} else {
		FUZZ_ASSERT(!must_be_einval);
	}
	text = json_object_to_json_string_ext(reply, JSON_C_TO_STRING_PLAIN);
	FUZZ_ASSERT(utf8_valid(text, strlen(text)));
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	log_set_level(LOG_LEVEL_ERROR);
	loop = event_loop_new();
	FUZZ_ASSERT(loop);
	core = mdev_core_new(&event_loop_host_ops, loop);
	FUZZ_ASSERT(core);
	FUZZ_ASSERT(mtty_driver_register(core) == 0);
	snprintf(dir, sizeof(dir), "/tmp/umdev-fuzz-control-XXXXXX");
	FUZZ_ASSERT(mkdtemp(dir));
	snprintf(config, sizeof(config), "%s/config", dir);
	FUZZ_ASSERT(mkdir(config, 0700) == 0);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct device_sockets_config cfg = {
		.core = core,
		.loop = loop,
		.runtime_dir = dir,
		.remove_timeout_ms = 10,
	};
	struct control_ops_ctx ctx = { .core = core };
	struct mgmt_service_config mcfg = { 0 };
	char *line = malloc(size + 1);
	size_t start = 0, i;

	FUZZ_ASSERT(line);
	fuzz_check_fds("start", 0);
	ctx.devices = device_sockets_new(&cfg);
	FUZZ_ASSERT(ctx.devices);
	mcfg.core = core;
	mcfg.devices = ctx.devices;
	mcfg.config_dir = config;
	ctx.mgmt = mgmt_service_new(&mcfg);
	FUZZ_ASSERT(ctx.mgmt);
	for (i = 0; i <= size; i++) {
		const char *why;
		json_object *req, *reply;
		size_t len;
		bool strict;

		if (i < size && data[i] != '\n')
			continue;
		len = i - start;
		memcpy(line, data + start, len);
		line[len] = '\0';
		start = i + 1;
		/* control.c refuses a NUL inside a line before the ops. */
		if (strlen(line) != len)
			continue;
		req = control_request_parse(line, len, &why);
		strict = req != NULL;
		json_object_put(req);
		reply = control_ops_handle(&ctx, NULL, line);
		fuzz_check_reply(reply, !strict);
		json_object_put(reply);
	}
	mgmt_service_free(ctx.mgmt);
	device_sockets_free(ctx.devices);
	fuzz_clear_config();
	free(line);
	fuzz_check_fds("end", 0);
	return 0;
}
