/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * e2e_harness - start the real umdevd in a temporary runtime directory and
 * talk to it through its real sockets: the control socket (JSON lines) and
 * device sockets (raw vfio-user frames, independent of the client library,
 * so malformed input can be sent).
 */
#ifndef UMDEV_E2E_HARNESS_H
#define UMDEV_E2E_HARNESS_H

#include <json-c/json.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <umdev/client.h>

#define E2E_UUID_A "8a4b1f3e-0c2d-4e5f-9a6b-7c8d9e0f1a2b"
#define E2E_UUID_B "1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9"
#define E2E_UUID_C "c0ffee00-1234-4abc-8def-0123456789ab"

/* Waiting for the daemon to do something it must do (not a measurement). */
#define E2E_WAIT_MS 10000

struct e2e_daemon {
	pid_t pid;
	char tmp_dir[64]; /* mkdtemp; holds run/ and umdevd.log */
	char runtime_dir[128];
	char config_dir[128]; /* --config-dir, unless extra_args give one */
	char log_path[256];
	char control_path[256];
};

/** e2e_build_path() - "$UMDEV_BUILD_DIR/@rel" in a static buffer. */
const char *e2e_build_path(const char *rel);

/**
 * e2e_daemon_start() - run umdevd (with @extra_args, NULL-terminated, may
 * be NULL) in a fresh runtime directory; wait for "umdevd: ready".
 * Return: 0 or -errno.
 */
int e2e_daemon_start(struct e2e_daemon *d, const char *const *extra_args);
/**
 * e2e_daemon_stop() - SIGTERM and wait (unless d->pid is 0: already
 * reaped); remove the temporary directory.
 * Return: the daemon's exit status (0 when not waited for), or -1 if it
 * died of a signal.
 */
int e2e_daemon_stop(struct e2e_daemon *d);
/** e2e_daemon_log_contains() - true if umdevd's stderr has @needle. */
bool e2e_daemon_log_contains(struct e2e_daemon *d, const char *needle);
/** e2e_fd_count() - how many fds process @pid has open. */
int e2e_fd_count(pid_t pid);
/**
 * e2e_fd_count_settle() - wait (up to E2E_WAIT_MS) for process @pid to have
 * @want fds open: the daemon closes a peer's fd only when its loop sees
 * the hang-up.  Return: the last count seen.
 */
int e2e_fd_count_settle(pid_t pid, int want);
/** e2e_rss_kib() - resident memory of process @pid in KiB, or -1. */
long e2e_rss_kib(pid_t pid);
/*
 * The slack allowed on RSS after an attack: glibc keeps some freed heap
 * (see test_stress.c); a per-request leak over thousands of requests
 * exceeds it.
 */
#define E2E_RSS_SLACK_KIB 1024
/* PCI vendor/device ID of an mtty device (config space offset 0). */
#define E2E_MTTY_ID 0x32534348u
/**
 * e2e_health() - from a child process (so that limits per peer process
 * of the caller do not apply): control "list" answers ok, and device
 * @uuid answers a config-space read through the client library.
 * Return: 0, or -EIO (the child said why on stderr).
 */
int e2e_health(struct e2e_daemon *d, const char *uuid);
/** e2e_runtime_sockets() - how many *.sock files the runtime dir holds. */
int e2e_runtime_sockets(struct e2e_daemon *d);

/* ---- control socket ---- */
/** e2e_control_connect() - a connected control socket fd, or -errno. */
int e2e_control_connect(struct e2e_daemon *d);
/** e2e_control_send() - send @line + "\n".  0 or -errno. */
int e2e_control_send(int fd, const char *line);
/** e2e_control_recv() - read one reply line, parsed.  NULL on EOF/timeout. */
json_object *e2e_control_recv(int fd);
/**
 * e2e_control() - one request on a fresh connection; reply or NULL.  Returns
 * only after the daemon has closed its end of that connection.
 */
json_object *e2e_control(struct e2e_daemon *d, const char *line);
/** e2e_reply_errno() - 0 for {"ok":true}, else -errno of the reply. */
int e2e_reply_errno(json_object *reply);
/** e2e_start() / e2e_stop() - 0 or the reply's -errno. */
int e2e_start(struct e2e_daemon *d, const char *uuid, const char *type);
int e2e_stop(struct e2e_daemon *d, const char *uuid);
/** e2e_device_socket() - "<runtime>/<uuid>.sock" in a per-thread buffer. */
const char *e2e_device_socket(struct e2e_daemon *d, const char *uuid);

/* ---- raw vfio-user ---- */
struct e2e_vu_hdr {
	uint16_t msg_id;
	uint16_t command;
	uint32_t size;
	uint32_t flags;
	uint32_t error;
} __attribute__((packed));
_Static_assert(sizeof(struct e2e_vu_hdr) == 16, "vfio-user header");

/* QEMU 10.1's vfio-user-pci proposal, byte for byte. */
#define E2E_QEMU_CAPS                                                            \
	"{\"capabilities\":{\"migration\":{\"pgsize\":4096,\"max_bitmap_size\":" \
	"268435456},\"max_msg_fds\":16,\"max_data_xfer_size\":1048576,"          \
	"\"pgsizes\":4096,\"max_dma_maps\":65535,\"write_multiple\":true}}"

/** e2e_raw_connect() - connect to @path without negotiating; fd/-errno. */
int e2e_raw_connect(const char *path);
/** e2e_raw_send() - write a whole message (header built here).  0/-errno. */
int e2e_raw_send(int fd, uint16_t id, uint16_t cmd, uint32_t flags,
		 const void *payload, size_t len, const int *fds,
		 size_t nr_fds);
/** e2e_raw_send_bytes() - write @len bytes as they are.  0/-errno. */
int e2e_raw_send_bytes(int fd, const void *buf, size_t len);
/**
 * e2e_raw_recv() - read one message: header into @hdr, up to @len payload
 * bytes into @payload (the rest is discarded).
 * Return: payload bytes kept; -ECONNRESET when the server closed;
 * -ETIMEDOUT after E2E_WAIT_MS.
 */
int e2e_raw_recv(int fd, struct e2e_vu_hdr *hdr, void *payload, size_t len);
/** e2e_raw_negotiate() - VERSION 0.0 with QEMU's capabilities.  0/-errno. */
int e2e_raw_negotiate(int fd);
/** e2e_wait_closed() - true if the server closes @fd (EOF) in time. */
bool e2e_wait_closed(int fd);

/** e2e_eventfd_fired() - non-blocking: the eventfd's count (0 if none). */
uint64_t e2e_eventfd_count(int efd);
/** e2e_eventfd_wait() - wait up to E2E_WAIT_MS; the count (0: timeout). */
uint64_t e2e_eventfd_wait(int efd);

/**
 * e2e_run() - run @argv (argv[0] a path), capturing stdout and stderr
 * (malloc'd, caller frees) and feeding @input (may be NULL) to stdin.
 * Return: exit status, or -1.
 */
int e2e_run(char *const argv[], const char *input, char **out, char **err);

#endif
