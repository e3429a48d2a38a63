// SPDX-License-Identifier: GPL-2.0-only
/*
 * log - stderr logging for umdevd.  One fprintf per line so that lines from
 * a single-threaded daemon never interleave.
 */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>

static enum log_level log_max_level = LOG_LEVEL_INFO;

static const char *const log_level_names[] = {
	[LOG_LEVEL_ERROR] = "error",
	[LOG_LEVEL_WARN] = "warning",
	[LOG_LEVEL_INFO] = "info",
	[LOG_LEVEL_DEBUG] = "debug",
};

void log_set_level(enum log_level level)
{
	log_max_level = level;
}

static void log_line(enum log_level level, const char *prefix, const char *fmt,
		     va_list ap)
{
	char msg[1024];

	if (level > log_max_level)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	fprintf(stderr, "umdevd: %s: %s%s\n", log_level_names[level], prefix,
		msg);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_line(level, "", fmt, ap);
	va_end(ap);
}

void log_device(enum log_level level, const char *uuid, const char *command,
		const char *fmt, ...)
{
	char prefix[128];
	va_list ap;

	snprintf(prefix, sizeof(prefix), "device %s: %s: ", uuid, command);
	va_start(ap, fmt);
	log_line(level, prefix, fmt, ap);
	va_end(ap);
}
