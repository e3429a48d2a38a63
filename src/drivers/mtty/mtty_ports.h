/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Private to the mtty driver: a port's backend, chosen by the device
 * attribute "port0" / "port1":
 *   loopback      the default: the UART loops back (no backend object);
 *   pty           a pseudo-terminal, its slave linked as <runtime>/<uuid>.portN;
 *   socket:PATH   a UNIX stream socket listening at PATH, one peer at a time.
 * A backend is the UART's line (struct uart16550_line): it takes the bytes
 * the guest transmits, offers the model what the host peer wrote while the
 * RX FIFO has room, and drives the carrier (CTS, DSR, DCD) from the peer's
 * presence.  Everything is non-blocking, on the host's event loop through
 * one epoll fd per port (mdev_fd_watch()).
 */
#ifndef UMDEV_DRIVERS_MTTY_PORTS_H
#define UMDEV_DRIVERS_MTTY_PORTS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/mtty/uart16550.h"

struct mdev_device;
struct mdev_state;
struct mdev_timer;

enum mtty_port_kind {
	MTTY_PORT_PTY,
	MTTY_PORT_SOCKET,
};

struct mtty_port {
	struct mdev_state *state;
	unsigned int index;
	enum mtty_port_kind kind;
	struct uart16550_line line;
	int epfd; /* watched by the host loop; holds fd and listen_fd */
	int fd; /* pty master or the connected peer; -1 */
	int listen_fd; /* socket: the listening socket; -1 */
	int dir_fd; /* socket: PATH's directory, opened without symlinks */
	int spare_fd; /* socket: given up to refuse a peer when out of fds */
	int slave_fd; /* pty: umdevd's own hold of the slave (keeps raw mode) */
	int notify_fd; /* pty: inotify on the slave, sees peers open/close */
	int peer_opens; /* pty: the slave's opens minus closes by peers */
	bool connected; /* the peer is there: carrier up */
	bool want_in; /* reading the peer (the RX FIFO has room) */
	bool want_out; /* waiting for the peer to take bytes */
	bool fd_in_epoll;
	uint32_t fd_events; /* what fd is registered for */
	uint8_t mcr; /* the guest's modem control lines */
	char path[PATH_MAX]; /* pty slave or socket path */
	char link[PATH_MAX]; /* pty: the stable symlink ("" if none) */
	uint64_t tx_bytes, rx_bytes;
};

/* mtty_ports.c: the driver's set_attr / attr_status (struct mdev_driver). */
int mtty_ports_set_attr(struct mdev_device *mdev, const char *name,
			const char *value);
int mtty_ports_attr_status(struct mdev_device *mdev, unsigned int index,
			   const char **name, char *buf, size_t len);
/* Back to loopback on every port, freeing the backends (device removal). */
void mtty_ports_free_all(struct mdev_state *state);

/* mtty_ports.c, for the backends: the peer came (fd connected) or left. */
void mtty_port_connected(struct mtty_port *p, int fd);
void mtty_port_disconnected(struct mtty_port *p);
/* Make epfd hold fd with the events want_in / want_out call for. */
void mtty_port_update_interest(struct mtty_port *p);

/*
 * mtty_port_pty.c: open a pty for @p (raw, non-blocking), link it as
 * <runtime>/<uuid>.portN; close it and remove the link.  Peers are seen
 * opening and closing the slave through inotify (mtty_pty_notified()).
 */
int mtty_pty_open(struct mtty_port *p);
void mtty_pty_close(struct mtty_port *p);
/* The inotify fd is readable: count the peers' opens and closes. */
void mtty_pty_notified(struct mtty_port *p);
/* The last peer left: what it did not read of the guest's bytes goes. */
void mtty_pty_peer_gone(struct mtty_port *p);

/*
 * mtty_port_socket.c: listen at @path (absolute, no symlink anywhere on
 * it; an old socket there is replaced, anything else refused); accept a
 * peer when none is connected; close and unlink.
 * Return (listen): 0; -EINVAL not absolute or too long; -ELOOP a symlink
 * on the path; -EEXIST something else there; the -errno of socket/bind.
 */
int mtty_socket_listen(struct mtty_port *p, const char *path);
void mtty_socket_accept(struct mtty_port *p);
void mtty_socket_close(struct mtty_port *p);

#endif
