/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fuzz_server - a real mtty-2 device served by the real vfio-user server in
 * process, and the client side of its socket (fuzz_server.c), for the
 * targets that speak vfio-user (fuzz_dispatch, fuzz_mig_commands).
 */
#ifndef UMDEV_FUZZ_SERVER_H
#define UMDEV_FUZZ_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vfio-user/server.h"

#define FUZZ_UUID "f0d15000-0000-4000-8000-000000000001"
/* The longest payload a target sends in one message. */
#define FUZZ_MAX_RECORD 4096
/* QEMU's VERSION proposal. */
#define FUZZ_QEMU_CAPS                                       \
	"{\"capabilities\":{\"migration\":{\"pgsize\":4096," \
	"\"max_bitmap_size\":268435456},\"max_msg_fds\":16," \
	"\"max_data_xfer_size\":1048576,\"pgsizes\":4096,"   \
	"\"max_dma_maps\":65535,\"write_multiple\":true}}"

extern struct mdev_core *core;
extern struct mdev_device *mdev;
extern struct vu_server *server;

/* Once: the core, the device, the server (freed at exit). */
void fuzz_setup(void);
/* Run every ready callback of the server once.  Return: how many ran. */
int fuzz_loop_once(void);
/* A client connected (and accepted); its fd. */
int fuzz_connect(void);
/* Send VERSION with QEMU's capabilities.  False if the server left. */
bool fuzz_negotiate(int fd);
/* Send bytes as they are / one message (@fds on its first byte). */
bool fuzz_send(int fd, const void *buf, size_t len, const int *fds,
	       size_t nr_fds);
bool fuzz_send_msg(int fd, uint16_t id, uint16_t cmd, uint32_t flags,
		   const void *payload, size_t len, const int *fds,
		   size_t nr_fds);
/* Read and drop what the server sent; false once it closed. */
bool fuzz_drain(int fd);
/* Let the server work (dropping its replies) until it is idle. */
void fuzz_pump(int fd);
/* Read one whole reply (header included) into @buf: its size, or -1. */
int fuzz_recv_msg(int fd, uint8_t *buf, size_t cap);
/* Disconnect, check the device is let go, reset it to power-on. */
void fuzz_end(int fd);
/*
 * Fds the device holds for its life: the port timers (timerfds) mtty has
 * made so far, the @owned of fuzz_check_fds().
 */
int fuzz_device_fds(void);

#endif
