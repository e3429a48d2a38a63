/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * umdevctl - shared declarations of the CLI's verbs.
 */
#ifndef UMDEV_CLI_H
#define UMDEV_CLI_H

#include <json-c/json.h>
#include <limits.h>
#include <stdbool.h>

/* Exit statuses (docs/umdevctl.md). */
enum cli_exit {
	CLI_EXIT_OK = 0,
	CLI_EXIT_FAILED = 1, /* the daemon or the device refused */
	CLI_EXIT_USAGE = 2, /* bad command line */
	CLI_EXIT_NO_DAEMON = 3, /* umdevd is not reachable */
};

/* How long umdevctl waits for umdevd or a device (--timeout). */
#define CLI_DEFAULT_TIMEOUT_S 10
/* The longest control reply line umdevctl reads. */
#define CLI_MAX_REPLY (16u << 20)

struct cli_ctx {
	const char *runtime_override; /* --runtime-dir, or NULL */
	char runtime_dir[PATH_MAX];
	unsigned int timeout_s; /* every wait; 0: CLI_DEFAULT_TIMEOUT_S */
	/*
	 * Said instead of "umdevd did not answer" when the wait is the
	 * request's own (a stop waiting for a client): exit 1, not 3.
	 */
	const char *timeout_hint;
};

/*
 * What a control reply (or an element of one) must contain: umdevd is
 * input like any other, so every member umdevctl uses is checked before
 * it is used.  A string must be well-formed UTF-8 without control
 * characters (it may be printed on a terminal).
 */
enum cli_field_type {
	CLI_FIELD_STRING,
	CLI_FIELD_INT, /* an integer from 0 to INT_MAX */
	CLI_FIELD_BOOL,
	CLI_FIELD_ARRAY, /* of objects */
};

struct cli_field {
	const char *key;
	enum cli_field_type type;
	bool optional;
};

/**
 * cli_reply_check() - check @obj is an object with @fields (@n of them).
 * On failure prints "malformed reply from umdevd (@what: ...)".
 * Return: 0 or CLI_EXIT_FAILED.
 */
int cli_reply_check(json_object *obj, const struct cli_field *fields, size_t n,
		    const char *what);

/** cli_timeout_s() - the timeout in effect, in seconds. */
unsigned int cli_timeout_s(const struct cli_ctx *ctx);

/** cli_error() - "umdevctl: <message>" on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/**
 * cli_resolve_runtime() - fill ctx->runtime_dir as umdevd resolves it.
 * Return: 0 or a CLI exit status (after printing why).
 */
int cli_resolve_runtime(struct cli_ctx *ctx);

/**
 * cli_request() - send @req (consumed) to umdevd's control socket and wait
 * for the reply.  On an error reply, prints its message and returns
 * CLI_EXIT_FAILED; when the daemon cannot be reached, CLI_EXIT_NO_DAEMON.
 * Return: 0 with *@reply set (caller puts it), or an exit status.
 */
int cli_request(struct cli_ctx *ctx, json_object *req, json_object **reply);

/**
 * cli_device_socket() - the socket path of device @uuid, after checking
 * that @uuid is a UUID.  Return: 0 or an exit status.
 */
int cli_device_socket(struct cli_ctx *ctx, const char *uuid, char *buf,
		      size_t len);

/**
 * cli_device_available() - ask umdevd whether device @uuid exists and has
 * no client, before @verb connects to it; prints "no such device" or who
 * holds it.  Return: 0 or an exit status.
 */
int cli_device_available(struct cli_ctx *ctx, const char *verb,
			 const char *uuid);

struct umdev_client;

/**
 * cli_connect_device() - connect to device @uuid's socket as a vfio-user
 * client, for verb @verb (which names the messages).  @uuid may be NULL,
 * and @extra_arg is true when the command line had leftover arguments:
 * both are usage errors.  @path (PATH_MAX bytes) receives the socket path.
 * Return: 0 with *@client set, or an exit status (after printing why).
 */
int cli_connect_device(struct cli_ctx *ctx, const char *verb, const char *uuid,
		       bool extra_arg, char *path,
		       struct umdev_client **client);

/* Verbs: each parses its own options (argv[0] is the verb). */
int cli_cmd_types(struct cli_ctx *ctx, int argc, char **argv);
int cli_cmd_list(struct cli_ctx *ctx, int argc, char **argv);
int cli_cmd_start(struct cli_ctx *ctx, int argc, char **argv);
int cli_cmd_stop(struct cli_ctx *ctx, int argc, char **argv);
int cli_cmd_define(struct cli_ctx *ctx, int argc, char **argv);
int cli_cmd_undefine(struct cli_ctx *ctx, int argc, char **argv);
int cli_cmd_modify(struct cli_ctx *ctx, int argc, char **argv);
int cli_cmd_start_parent(struct cli_ctx *ctx, int argc, char **argv);
int cli_cmd_info(struct cli_ctx *ctx, int argc, char **argv);
int cli_cmd_console(struct cli_ctx *ctx, int argc, char **argv);
int cli_cmd_migrate(struct cli_ctx *ctx, int argc, char **argv);

#endif
