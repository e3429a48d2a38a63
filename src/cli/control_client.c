// SPDX-License-Identifier: GPL-2.0-only
/*
 * control_client - umdevctl's side of the control protocol: one JSON line
 * out, one JSON line back (docs/control-protocol.md).
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <umdev/client.h>
#include <umdev/mdev_host.h>
#include "cli.h"
#include "control_request.h"
#include "fd_io.h"
#include "runtime_dir.h"
#include "utf8.h"

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
	if (!ret)
		ret = cli_device_available(ctx, verb, uuid);
	if (ret)
		return ret;
	*client = umdev_client_connect(path, &err);
	if (!*client) {
		if (err == -ETIMEDOUT)
			cli_error(
				"%s: the device at %s did not answer within %d s",
				verb, path, UMDEV_CLIENT_TIMEOUT_MS / 1000);
		else
			cli_error("%s: cannot connect to %s: %s", verb, path,
				  strerror(-err));
		return CLI_EXIT_FAILED;
	}
	umdev_client_set_timeout_ms(*client, (int)cli_timeout_s(ctx) * 1000);
	return 0;
}

unsigned int cli_timeout_s(const struct cli_ctx *ctx)
{
	return ctx->timeout_s ? ctx->timeout_s : CLI_DEFAULT_TIMEOUT_S;
}

static bool cli_text_ok(json_object *v)
{
	const char *s = json_object_get_string(v);
	size_t i, len = (size_t)json_object_get_string_len(v);

	if (!utf8_valid(s, len))
		return false;
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

static const char *cli_field_problem(json_object *v, const struct cli_field *f)
{
	size_t i, n;

	switch (f->type) {
	case CLI_FIELD_STRING:
		if (!json_object_is_type(v, json_type_string))
			return "not a string";
		return cli_text_ok(v) ? NULL : "not printable UTF-8 text";
	case CLI_FIELD_INT:
		if (!json_object_is_type(v, json_type_int))
			return "not an integer";
		errno = 0;
		if (json_object_get_int64(v) < 0 ||
		    json_object_get_int64(v) > INT_MAX)
			return "out of range";
		return NULL;
	case CLI_FIELD_BOOL:
		return json_object_is_type(v, json_type_boolean) ?
			       NULL :
			       "not true or false";
	case CLI_FIELD_ARRAY:
		if (!json_object_is_type(v, json_type_array))
			return "not an array";
		n = json_object_array_length(v);
		for (i = 0; i < n; i++)
			if (!json_object_is_type(json_object_array_get_idx(v,
									   i),
						 json_type_object))
				return "an element is not an object";
		return NULL;
	}
	return "unknown";
}

int cli_reply_check(json_object *obj, const struct cli_field *fields, size_t n,
		    const char *what)
{
	size_t i;

	if (!json_object_is_type(obj, json_type_object)) {
		cli_error("malformed reply from umdevd (%s: not an object)",
			  what);
		return CLI_EXIT_FAILED;
	}
	for (i = 0; i < n; i++) {
		const char *problem;
		json_object *v;

		if (!json_object_object_get_ex(obj, fields[i].key, &v) || !v) {
			if (fields[i].optional)
				continue;
			cli_error("malformed reply from umdevd (%s: no \"%s\")",
				  what, fields[i].key);
			return CLI_EXIT_FAILED;
		}
		problem = cli_field_problem(v, &fields[i]);
		if (problem) {
			cli_error(
				"malformed reply from umdevd (%s: \"%s\" is %s)",
				what, fields[i].key, problem);
			return CLI_EXIT_FAILED;
		}
	}
	return 0;
}

static int cli_connect(struct cli_ctx *ctx)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = cli_timeout_s(ctx) };
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
	/* A daemon whose backlog is full must not block us forever. */
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		if (errno == EAGAIN || errno == EINPROGRESS)
			cli_error("umdevd at %s did not answer within %u s",
				  path, cli_timeout_s(ctx));
		else
			cli_error(
				"cannot reach umdevd at %s: %s (is umdevd running?)",
				path, strerror(errno));
		close(fd);
		return -CLI_EXIT_NO_DAEMON;
	}
	return fd;
}

static int64_t cli_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Read one reply line (at most CLI_MAX_REPLY bytes) before @deadline; the
 * caller frees it.  NULL with *@err: -ETIMEDOUT, -EMSGSIZE, -ECONNRESET
 * (closed without a whole line) or -errno.
 */
static char *cli_read_line(int fd, int64_t deadline, int *err)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);

	*err = -ENOMEM;
	while (buf) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int64_t left = deadline - cli_now_ms();
		ssize_t n;
		int r;

		if (len + 1 >= cap) {
			char *bigger;

			if (cap >= CLI_MAX_REPLY) {
				*err = -EMSGSIZE;
				break;
			}
			bigger = realloc(buf, cap * 2);
			if (!bigger)
				break;
			buf = bigger;
			cap *= 2;
		}
		r = poll(&pfd, 1, left > 0 ? (int)left : 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0) {
			*err = -ETIMEDOUT;
			break;
		}
		if (r < 0) {
			*err = -errno;
			break;
		}
		n = recv(fd, buf + len, cap - len - 1, MSG_DONTWAIT);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0) {
			*err = -errno;
			break;
		}
		if (n == 0) {
			*err = -ECONNRESET;
			break;
		}
		len += n;
		buf[len] = '\0';
		if (memchr(buf + len - n, '\n', n)) {
			*strchr(buf, '\n') = '\0';
			return buf;
		}
	}
	free(buf);
	return NULL;
}

int cli_request(struct cli_ctx *ctx, json_object *req, json_object **reply)
{
	static const struct cli_field status[] = {
		{ "ok", CLI_FIELD_BOOL, false },
	};
	static const struct cli_field failure[] = {
		{ "error", CLI_FIELD_STRING, false },
		{ "errno", CLI_FIELD_INT, true },
	};
	json_object *rep = NULL, *ok, *msg;
	const char *text, *why;
	char *line = NULL, *out;
	size_t len;
	int fd, ret, err = 0;

	ret = cli_resolve_runtime(ctx);
	if (ret)
		goto out_put;
	fd = cli_connect(ctx);
	if (fd < 0) {
		ret = -fd;
		goto out_put;
	}
	text = json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN);
	/* The line in one write: the request is all there or not at all. */
	len = strlen(text);
	out = malloc(len + 1);
	ret = out ? 0 : -ENOMEM;
	if (out) {
		memcpy(out, text, len);
		out[len] = '\n';
		ret = fd_io_send_all(fd, out, len + 1);
		free(out);
	}
	if (!ret)
		line = cli_read_line(
			fd, cli_now_ms() + (int64_t)cli_timeout_s(ctx) * 1000,
			&err);
	close(fd);
	if (!line) {
		if (err == -ETIMEDOUT && ctx->timeout_hint)
			cli_error("%s (after %u s, --timeout)",
				  ctx->timeout_hint, cli_timeout_s(ctx));
		else if (err == -ETIMEDOUT)
			cli_error(
				"umdevd did not answer within %u s (--timeout)",
				cli_timeout_s(ctx));
		else if (err == -EMSGSIZE)
			cli_error(
				"malformed reply from umdevd (longer than %u bytes)",
				CLI_MAX_REPLY);
		else
			cli_error(
				"umdevd closed the connection without a reply");
		ret = err == -EMSGSIZE ||
				      (err == -ETIMEDOUT && ctx->timeout_hint) ?
			      CLI_EXIT_FAILED :
			      CLI_EXIT_NO_DAEMON;
		goto out_put;
	}
	/* The daemon's own rule for a line: one strict JSON object. */
	rep = control_request_parse(line, strlen(line), &why);
	free(line);
	if (!rep) {
		cli_error("malformed reply from umdevd (%s)", why);
		ret = CLI_EXIT_FAILED;
		goto out_put;
	}
	ret = cli_reply_check(rep, status, 1, "reply");
	if (ret)
		goto out_put;
	json_object_object_get_ex(rep, "ok", &ok);
	if (!json_object_get_boolean(ok)) {
		ret = cli_reply_check(rep, failure, 2, "error reply");
		if (ret)
			goto out_put;
		json_object_object_get_ex(rep, "error", &msg);
		cli_error("%s", json_object_get_string(msg));
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
