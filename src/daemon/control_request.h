/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * control_request - the one parser of control protocol lines (umdevd's
 * requests, and umdevctl's replies).  Strict, as
 * docs/control-protocol.md says: exactly one JSON object, RFC 8259 syntax
 * (no comments, single quotes, NaN/Infinity, trailing commas), well-formed
 * UTF-8, nothing after it but whitespace.  Every entry point that reads
 * requests (the control socket, and any later one) parses through here.
 */
#ifndef UMDEV_DAEMON_CONTROL_REQUEST_H
#define UMDEV_DAEMON_CONTROL_REQUEST_H

#include <json-c/json.h>
#include <stddef.h>

/* Deepest nesting accepted (a request needs 2). */
#define CONTROL_REQUEST_MAX_DEPTH 16

/**
 * control_request_parse() - parse the @len bytes at @line (no newline).
 * Return: the object (caller puts it), or NULL with *@why set to a static
 * message saying what is wrong.
 */
json_object *control_request_parse(const char *line, size_t len,
				   const char **why);

#endif
