/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * log - umdevd's log lines on stderr.  Every line about a device names its
 * UUID and the command that caused it, so `grep <uuid>` tells its story.
 */
#ifndef UMDEV_DAEMON_LOG_H
#define UMDEV_DAEMON_LOG_H

enum log_level {
	LOG_LEVEL_ERROR,
	LOG_LEVEL_WARN,
	LOG_LEVEL_INFO,
	LOG_LEVEL_DEBUG,
};

/** log_set_level() - lines above @level are dropped (default INFO). */
void log_set_level(enum log_level level);

/** log_msg() - "umdevd: <level>: <message>" on stderr. */
void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/**
 * log_device() - "umdevd: <level>: device <uuid>: <command>: <message>".
 * @uuid: the device's UUID string (or the one a request named)
 * @command: what was being done: "start", "stop", "client", ...
 */
void log_device(enum log_level level, const char *uuid, const char *command,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif
