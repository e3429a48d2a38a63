// SPDX-License-Identifier: GPL-2.0-only
/*
 * control_client - umdevctl's side of the control protocol: one JSON line
 * out, one JSON line back (docs/control-protocol.md).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <umdev/client.h>
#include <umdev/mdev_host.h>
#include "cli.h"
#include "fd_io.h"
#include "runtime_dir.h"

void cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("umdevctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_resolve_runtime(struct cli_ctx *ctx)
{
	int ret = runtime_dir_resolve(ctx->runtime_override, ctx->runtime_dir,
				      sizeof(ctx->runtime_dir));

	if (ret) {
		cli_error(
			"no runtime directory (%s): use --runtime-dir or set UMDEV_RUNTIME_DIR",
			strerror(-ret));
		return CLI_EXIT_USAGE;
	}
	return 0;
}

int cli_device_socket(struct cli_ctx *ctx, const char *uuid, char *buf,
		      size_t len)
{
	int ret;

	if (!mdev_uuid_valid(uuid)) {
		cli_error("not a UUID: '%s'", uuid);
		return CLI_EXIT_USAGE;
	}
	ret = cli_resolve_runtime(ctx);
	if (ret)
		return ret;
	if (runtime_dir_device_socket(ctx->runtime_dir, uuid, buf, len)) {
		cli_error("runtime directory path too long: %s",
			  ctx->runtime_dir);
		return CLI_EXIT_USAGE;
	}
	return 0;
}

int cli_connect_device(struct cli_ctx *ctx, const char *verb, const char *uuid,
		       bool extra_arg, char *path, struct umdev_client **client)
{
	int ret, err = 0;

	if (!uuid || extra_arg) {
		cli_error("%s: -u UUID is required", verb);
		return CLI_EXIT_USAGE;
	}
	ret = cli_device_socket(ctx, uuid, path, PATH_MAX);
	if (ret)
		return ret;
	*client = umdev_client_connect(path, &err);
	if (!*client) {
		cli_error("%s: cannot connect to %s: %s", verb, path,
			  strerror(-err));
		return CLI_EXIT_FAILED;
	}
	return 0;
}

static int cli_connect(struct cli_ctx *ctx)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	char path[PATH_MAX];
	int fd;

	if (runtime_dir_socket_path(ctx->runtime_dir,
				    RUNTIME_DIR_CONTROL_SOCKET, path,
				    sizeof(path))) {
		cli_error("runtime directory path too long: %s",
			  ctx->runtime_dir);
		return -CLI_EXIT_USAGE;
	}
	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		cli_error("socket: %s", strerror(errno));
		return -CLI_EXIT_FAILED;
	}
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		cli_error("cannot reach umdevd at %s: %s (is umdevd running?)",
			  path, strerror(errno));
		close(fd);
		return -CLI_EXIT_NO_DAEMON;
	}
	return fd;
}

/* Read one reply line; the caller frees it. */
static char *cli_read_line(int fd)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);

	while (buf) {
		ssize_t n;

		if (len + 1 >= cap) {
			char *bigger = realloc(buf, cap * 2);

			if (!bigger)
				break;
			buf = bigger;
			cap *= 2;
		}
		n = recv(fd, buf + len, cap - len - 1, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += n;
		buf[len] = '\0';
		if (memchr(buf, '\n', len))
			return buf;
	}
	free(buf);
	return NULL;
}

int cli_request(struct cli_ctx *ctx, json_object *req, json_object **reply)
{
	json_object *rep = NULL, *ok, *msg;
	const char *text;
	char *line = NULL;
	int fd, ret;

	ret = cli_resolve_runtime(ctx);
	if (ret)
		goto out_put;
	fd = cli_connect(ctx);
	if (fd < 0) {
		ret = -fd;
		goto out_put;
	}
	text = json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN);
	ret = fd_io_send_all(fd, text, strlen(text));
	if (!ret)
		ret = fd_io_send_all(fd, "\n", 1);
	if (!ret)
		line = cli_read_line(fd);
	close(fd);
	if (!line) {
		cli_error("umdevd closed the connection without a reply");
		ret = CLI_EXIT_NO_DAEMON;
		goto out_put;
	}
	rep = json_tokener_parse(line);
	free(line);
	if (!rep || !json_object_object_get_ex(rep, "ok", &ok)) {
		cli_error("malformed reply from umdevd");
		ret = CLI_EXIT_FAILED;
		goto out_put;
	}
	if (!json_object_get_boolean(ok)) {
		json_object_object_get_ex(rep, "error", &msg);
		cli_error("%s",
			  msg ? json_object_get_string(msg) : "request failed");
		ret = CLI_EXIT_FAILED;
		goto out_put;
	}
	*reply = rep;
	rep = NULL;
	ret = 0;
out_put:
	json_object_put(rep);
	json_object_put(req);
	return ret;
}
