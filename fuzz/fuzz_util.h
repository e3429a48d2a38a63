/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers shared by the fuzz targets: reading the input as a stream and
 * checking that an iteration leaves no file descriptor behind (ASan sees
 * leaked memory, not leaked fds).
 */
#ifndef UMDEV_FUZZ_UTIL_H
#define UMDEV_FUZZ_UTIL_H

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sanitizer/common_interface_defs.h>

/*
 * A broken invariant: report and crash, so libFuzzer keeps the input.  The
 * report goes through the sanitizer runtime, which still reaches the log
 * when the run closes stderr (-close_fd_mask=2).
 */
static inline void fuzz_fail(const char *msg)
{
	__sanitizer_report_error_summary(msg);
	abort();
}

#define FUZZ_STR2(x) #x
#define FUZZ_STR(x) FUZZ_STR2(x)
#define FUZZ_ASSERT(cond)                                                \
	do {                                                             \
		if (!(cond))                                             \
			fuzz_fail("FUZZ: " __FILE__ ":" FUZZ_STR(        \
				__LINE__) ": assertion failed: " #cond); \
	} while (0)

/* The fuzz input, consumed front to back. */
struct fuzz_input {
	const uint8_t *p;
	size_t left;
};

static inline uint8_t fuzz_u8(struct fuzz_input *in)
{
	uint8_t v = 0;

	if (in->left) {
		v = *in->p++;
		in->left--;
	}
	return v;
}

static inline uint16_t fuzz_u16(struct fuzz_input *in)
{
	uint16_t lo = fuzz_u8(in);

	return lo | (uint16_t)(fuzz_u8(in) << 8);
}

/* Up to @len bytes; *@got says how many were there. */
static inline const uint8_t *fuzz_bytes(struct fuzz_input *in, size_t len,
					size_t *got)
{
	const uint8_t *p = in->p;

	if (len > in->left)
		len = in->left;
	in->p += len;
	in->left -= len;
	*got = len;
	return p;
}

/*
 * Open sockets, eventfds and timerfds of this process (what the code under
 * test creates), or -1.  Pipes and files are not counted: the sanitizer
 * runtime opens pipes to its symbolizer whenever it first prints a stack.
 */
static inline int fuzz_fd_count(void)
{
	char path[64], target[64];
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	ssize_t len;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%s", de->d_name);
		len = readlink(path, target, sizeof(target) - 1);
		if (len < 0)
			continue;
		target[len] = '\0';
		if (!strncmp(target, "socket:", 7) ||
		    !strncmp(target, "anon_inode:", 11))
			n++;
	}
	closedir(d);
	return n;
}

/* On a leak: what is open, for the report. */
static inline void fuzz_list_fds(void)
{
	char path[64], target[256];
	ssize_t n;

	for (int fd = 0; fd < 1024; fd++) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		n = readlink(path, target, sizeof(target) - 1);
		if (n < 0)
			continue;
		target[n] = '\0';
		fprintf(stderr, "fd %d -> %s\n", fd, target);
	}
}

/*
 * Abort (a crash libFuzzer reports, with the input saved) when an iteration
 * changed the number of open fds.  @owned: fds the object under test holds
 * for its whole life and made since the baseline (a device's lazily made
 * timers), counted by the caller from the object itself, never guessed;
 * 0 when the iteration removed what it made.  The first call sets the
 * baseline.
 */
static inline void fuzz_check_fds(const char *where, int owned)
{
	static int baseline = -1;
	int now = fuzz_fd_count();

	if (baseline < 0) {
		baseline = now - owned;
		return;
	}
	if (now != baseline + owned) {
		char msg[128];

		fuzz_list_fds();
		snprintf(
			msg, sizeof(msg),
			"FUZZ: fd leak in %s: %d open, %d expected (%d of them the device's own)",
			where, now, baseline + owned, owned);
		fuzz_fail(msg);
	}
}

#endif
