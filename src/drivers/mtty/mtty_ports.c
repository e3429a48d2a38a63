// SPDX-License-Identifier: GPL-2.0-only
/*
 * mtty_ports - the backends of a device's ports: the attributes that choose
 * them, the UART line they implement, and the event handling they share
 * (mtty_port_pty.c and mtty_port_socket.c make the fds).
 *
 * Transmit: the guest's bytes are written to the peer at once, as fast as
 * it reads (faster than the programmed baud rate: nothing is gained by
 * waiting, and a guest driver paces itself by THRE).  When the peer does
 * not read, write() says EAGAIN: the byte stays in the TX FIFO, THRE stays
 * clear, and EPOLLOUT resumes the transmitter.  With no peer the bytes are
 * dropped, as on an unplugged line.
 * Receive: the peer is read only while the RX FIFO has room, at most that
 * many bytes; with a full FIFO the fd leaves the epoll set until the guest
 * reads (the UART's rx_room), so the peer's bytes wait in the kernel.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "mtty_ports.h"
#include "mtty_state.h"

#define MTTY_SOCKET_PREFIX "socket:"

static struct mtty_model *mtty_port_model(struct mtty_port *p)
{
	return &p->state->model;
}

void mtty_port_update_interest(struct mtty_port *p)
{
	uint32_t events = (p->want_in ? EPOLLIN : 0) |
			  (p->want_out ? EPOLLOUT : 0);
	struct epoll_event ev = { .events = events, .data.fd = p->fd };

	if (p->fd < 0)
		return;
	/* A hung-up fd reports EPOLLHUP whatever it is registered for:
	 * with nothing wanted it leaves the set. */
	if (!events) {
		if (p->fd_in_epoll)
			epoll_ctl(p->epfd, EPOLL_CTL_DEL, p->fd, NULL);
		p->fd_in_epoll = false;
		return;
	}
	if (p->fd_in_epoll && events == p->fd_events)
		return;
	if (!epoll_ctl(p->epfd, p->fd_in_epoll ? EPOLL_CTL_MOD : EPOLL_CTL_ADD,
		       p->fd, &ev)) {
		p->fd_in_epoll = true;
		p->fd_events = events;
	}
}

void mtty_port_connected(struct mtty_port *p, int fd)
{
	if (p->fd != fd) {
		p->fd = fd;
		p->fd_in_epoll = false;
	}
	p->connected = true;
	p->want_in = true;
	p->want_out = false;
	mtty_port_update_interest(p);
	mtty_model_set_carrier(mtty_port_model(p), p->index, true);
	/* Bytes the transmitter held for a peer that went away go now. */
	mtty_model_tx_resume(mtty_port_model(p), p->index);
}

void mtty_port_disconnected(struct mtty_port *p)
{
	if (!p->connected)
		return;
	p->connected = false;
	p->want_out = false;
	switch (p->kind) {
	case MTTY_PORT_SOCKET:
		p->want_in = false;
		mtty_port_update_interest(p);
		close(p->fd);
		p->fd = -1;
		break;
	case MTTY_PORT_PTY:
		/* The master stays, and what the peer wrote is still read. */
		mtty_port_update_interest(p);
		mtty_pty_peer_gone(p);
		break;
	}
	mtty_model_set_carrier(mtty_port_model(p), p->index, false);
	/* Unplugged: what the transmitter held is gone. */
	mtty_model_tx_resume(mtty_port_model(p), p->index);
}

/* The peer has bytes (or hung up): take as many as the RX FIFO has room. */
static void mtty_port_readable(struct mtty_port *p, uint32_t events)
{
	uint8_t buf[UART16550_FIFO_SIZE];
	unsigned int room = mtty_model_rx_room(mtty_port_model(p), p->index);
	ssize_t n;

	if (!room) {
		/* Flow control: the peer waits until the guest reads. */
		p->want_in = false;
		mtty_port_update_interest(p);
		return;
	}
	n = read(p->fd, buf, room < sizeof(buf) ? room : sizeof(buf));
	if (n > 0) {
		p->rx_bytes += (uint64_t)n;
		mtty_model_receive(mtty_port_model(p), p->index, buf,
				   (size_t)n);
		return;
	}
	if (n < 0 && (errno == EAGAIN || errno == EINTR) &&
	    !(events & (EPOLLHUP | EPOLLERR)))
		return;
	/* EOF or an error: a socket's peer has gone; a pty (whose slave
	 * umdevd holds) has broken: stop reading it. */
	p->want_in = false;
	mtty_port_update_interest(p);
	mtty_port_disconnected(p);
}

/* The host loop: something in the port's epoll set is ready. */
static void mtty_port_ready(void *arg)
{
	struct mtty_port *p = arg;
	struct epoll_event ev[3];
	int i, n = epoll_wait(p->epfd, ev, 3, 0);

	for (i = 0; i < n; i++) {
		if (p->listen_fd >= 0 && ev[i].data.fd == p->listen_fd) {
			mtty_socket_accept(p);
			continue;
		}
		if (p->notify_fd >= 0 && ev[i].data.fd == p->notify_fd) {
			mtty_pty_notified(p);
			continue;
		}
		if (ev[i].data.fd != p->fd || p->fd < 0)
			continue;
		if (p->want_out && (ev[i].events & (EPOLLOUT | EPOLLERR))) {
			p->want_out = false;
			mtty_port_update_interest(p);
			mtty_model_tx_resume(mtty_port_model(p), p->index);
		}
		if (p->fd >= 0 &&
		    (ev[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
			mtty_port_readable(p, ev[i].events);
	}
}

/* UART line: the guest transmits. */
static size_t mtty_port_transmit(void *opaque, const uint8_t *buf, size_t len)
{
	struct mtty_port *p = opaque;
	ssize_t n;

	if (!p->connected || p->want_out)
		return p->connected ? 0 :
				      len; /* unplugged: the bytes are gone */
	if (p->kind == MTTY_PORT_SOCKET)
		n = send(p->fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);
	else
		n = write(p->fd, buf, len);
	if (n < 0 && errno != EAGAIN && errno != EINTR) {
		/* The peer is going: the loop sees it hang up and drops the
		 * carrier (not here, inside the guest's access). */
		p->want_out = true;
		mtty_port_update_interest(p);
		return len;
	}
	if (n < 0)
		n = 0;
	p->tx_bytes += (uint64_t)n;
	if ((size_t)n < len) {
		p->want_out = true; /* THRE stays clear until EPOLLOUT */
		mtty_port_update_interest(p);
	}
	return (size_t)n;
}

/* UART line: the guest read from a full RX FIFO: read the peer again. */
static void mtty_port_rx_room(void *opaque)
{
	struct mtty_port *p = opaque;

	if (p->fd < 0 || p->want_in)
		return;
	p->want_in = true;
	mtty_port_update_interest(p);
}

/* UART line: DTR and RTS are kept for the status (neither a pty master
 * nor a stream socket can carry them to the peer). */
static void mtty_port_modem_control(void *opaque, uint8_t mcr)
{
	struct mtty_port *p = opaque;

	p->mcr = mcr;
}

static void mtty_port_free(struct mtty_port *p)
{
	if (!p)
		return;
	mtty_model_set_line(mtty_port_model(p), p->index, NULL);
	switch (p->kind) {
	case MTTY_PORT_PTY:
		mtty_pty_close(p);
		break;
	case MTTY_PORT_SOCKET:
		mtty_socket_close(p);
		break;
	}
	if (p->epfd >= 0) {
		mdev_fd_unwatch(p->state->mdev, p->epfd);
		close(p->epfd);
	}
	free(p);
}

static struct mtty_port *mtty_port_new(struct mdev_state *state,
				       unsigned int index,
				       enum mtty_port_kind kind)
{
	struct mtty_port *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->state = state;
	p->index = index;
	p->kind = kind;
	p->fd = -1;
	p->listen_fd = -1;
	p->dir_fd = -1;
	p->spare_fd = -1;
	p->slave_fd = -1;
	p->notify_fd = -1;
	p->line.transmit = mtty_port_transmit;
	p->line.rx_room = mtty_port_rx_room;
	p->line.modem_control = mtty_port_modem_control;
	p->line.opaque = p;
	p->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (p->epfd < 0) {
		free(p);
		return NULL;
	}
	if (mdev_fd_watch(state->mdev, p->epfd, mtty_port_ready, p)) {
		close(p->epfd);
		free(p);
		return NULL;
	}
	return p;
}

/* "port0" -> 0; -ENOENT for a name this device has no port for. */
static int mtty_port_index(const struct mdev_state *state, const char *name)
{
	if (strncmp(name, "port", 4) || !name[4] || name[5] || name[4] < '0' ||
	    name[4] > '9')
		return -ENOENT;
	if ((unsigned int)(name[4] - '0') >= state->model.nr_ports)
		return -ENOENT;
	return name[4] - '0';
}

int mtty_ports_set_attr(struct mdev_device *mdev, const char *name,
			const char *value)
{
	struct mdev_state *state = mdev_get_drvdata(mdev);
	int index = mtty_port_index(state, name);
	struct mtty_port *p = NULL;
	int ret = 0;

	if (index < 0)
		return index;
	if (!strcmp(value, "pty")) {
		p = mtty_port_new(state, index, MTTY_PORT_PTY);
		ret = p ? mtty_pty_open(p) : -errno;
	} else if (!strncmp(value, MTTY_SOCKET_PREFIX,
			    strlen(MTTY_SOCKET_PREFIX))) {
		p = mtty_port_new(state, index, MTTY_PORT_SOCKET);
		ret = p ? mtty_socket_listen(
				  p, value + strlen(MTTY_SOCKET_PREFIX)) :
			  -errno;
	} else if (strcmp(value, "loopback")) {
		return -EINVAL;
	}
	if (ret) {
		/* Refused: the port keeps its backend. */
		if (p) {
			mdev_fd_unwatch(mdev, p->epfd);
			close(p->epfd);
			p->epfd = -1;
			if (p->kind == MTTY_PORT_PTY)
				mtty_pty_close(p);
			else
				mtty_socket_close(p);
			free(p);
		}
		return ret == -ENOENT ? -EINVAL : ret;
	}
	mtty_port_free(state->ports[index]);
	state->ports[index] = p;
	if (!p)
		return 0; /* loopback: mtty_port_free() restored it */
	mtty_model_set_line(&state->model, index, &p->line);
	if (p->kind == MTTY_PORT_PTY) {
		/* The master is read from the start: a peer's bytes wait in
		 * the FIFO even before the carrier is seen. */
		p->want_in = true;
		mtty_port_update_interest(p);
	}
	return 0;
}

static const char *const mtty_port_names[MTTY_MAX_PORTS] = { "port0", "port1" };

int mtty_ports_attr_status(struct mdev_device *mdev, unsigned int index,
			   const char **name, char *buf, size_t len)
{
	struct mdev_state *state = mdev_get_drvdata(mdev);
	struct mtty_port *p;
	int n;

	if (index >= state->model.nr_ports)
		return -ENOENT;
	*name = mtty_port_names[index];
	p = state->ports[index];
	if (!p)
		n = snprintf(buf, len, "loopback");
	else if (p->kind == MTTY_PORT_PTY)
		n = snprintf(buf, len, "pty %s link %s %s dtr=%d rts=%d",
			     p->path, p->link[0] ? p->link : "-",
			     p->connected ? "connected" : "no-peer",
			     !!(p->mcr & UART_MCR_DTR),
			     !!(p->mcr & UART_MCR_RTS));
	else
		n = snprintf(buf, len, "socket %s %s dtr=%d rts=%d", p->path,
			     p->connected ? "connected" : "listening",
			     !!(p->mcr & UART_MCR_DTR),
			     !!(p->mcr & UART_MCR_RTS));
	if (n < 0)
		return -EIO;
	return (size_t)n >= len ? (int)len - 1 : n;
}

void mtty_ports_free_all(struct mdev_state *state)
{
	unsigned int i;

	for (i = 0; i < MTTY_MAX_PORTS; i++) {
		mtty_port_free(state->ports[i]);
		state->ports[i] = NULL;
	}
}
