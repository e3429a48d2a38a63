// SPDX-License-Identifier: GPL-2.0-only
/*
 * event_loop - one epoll instance and a table of handlers indexed by fd.
 *
 * Each epoll event carries the fd and a generation number, not a pointer:
 * a callback may unwatch (and the owner close and reuse) any fd, including
 * one whose event is still queued in the current batch, and the stale event
 * is then recognised by its generation and dropped.
 */
#include "event_loop.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#define EVENT_LOOP_BATCH 32

struct event_loop_handler {
	uint32_t generation; /* 0: slot unused */
	event_loop_cb cb; /* vu_loop_ops style */
	void (*ready)(void *arg); /* mdev_host_ops style */
	void *arg;
};

struct event_loop {
	int epfd;
	bool stop;
	uint32_t next_generation;
	unsigned int nr_watched;
	struct event_loop_handler *handlers; /* indexed by fd */
	unsigned int nr_handlers;
};

struct event_loop *event_loop_new(void)
{
	struct event_loop *loop = calloc(1, sizeof(*loop));

	if (!loop)
		return NULL;
	loop->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (loop->epfd < 0) {
		int err = errno;

		free(loop);
		errno = err;
		return NULL;
	}
	loop->next_generation = 1;
	return loop;
}

void event_loop_free(struct event_loop *loop)
{
	if (!loop)
		return;
	close(loop->epfd);
	free(loop->handlers);
	free(loop);
}

static int event_loop_grow(struct event_loop *loop, int fd)
{
	struct event_loop_handler *h;
	unsigned int n;

	if ((unsigned int)fd < loop->nr_handlers)
		return 0;
	n = loop->nr_handlers ? loop->nr_handlers : 64;
	while (n <= (unsigned int)fd)
		n *= 2;
	h = realloc(loop->handlers, n * sizeof(*h));
	if (!h)
		return -ENOMEM;
	memset(h + loop->nr_handlers, 0, (n - loop->nr_handlers) * sizeof(*h));
	loop->handlers = h;
	loop->nr_handlers = n;
	return 0;
}

static int event_loop_add(struct event_loop *loop, int fd, uint32_t events,
			  event_loop_cb cb, void (*ready)(void *), void *arg)
{
	struct event_loop_handler *h;
	struct epoll_event ev = { .events = events };
	int ret;

	if (fd < 0)
		return -EBADF;
	ret = event_loop_grow(loop, fd);
	if (ret)
		return ret;
	h = &loop->handlers[fd];
	if (h->generation)
		return -EEXIST;
	if (++loop->next_generation == 0)
		loop->next_generation = 1;
	ev.data.u64 = (uint64_t)loop->next_generation << 32 | (uint32_t)fd;
	if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		return -errno;
	h->generation = loop->next_generation;
	h->cb = cb;
	h->ready = ready;
	h->arg = arg;
	loop->nr_watched++;
	return 0;
}

int event_loop_watch(struct event_loop *loop, int fd, uint32_t events,
		     event_loop_cb cb, void *arg)
{
	return event_loop_add(loop, fd, events, cb, NULL, arg);
}

int event_loop_modify(struct event_loop *loop, int fd, uint32_t events)
{
	struct epoll_event ev = { .events = events };

	if (fd < 0 || (unsigned int)fd >= loop->nr_handlers ||
	    !loop->handlers[fd].generation)
		return -ENOENT;
	ev.data.u64 = (uint64_t)loop->handlers[fd].generation << 32 |
		      (uint32_t)fd;
	if (epoll_ctl(loop->epfd, EPOLL_CTL_MOD, fd, &ev) < 0)
		return -errno;
	return 0;
}

void event_loop_unwatch(struct event_loop *loop, int fd)
{
	if (fd < 0 || (unsigned int)fd >= loop->nr_handlers ||
	    !loop->handlers[fd].generation)
		return;
	epoll_ctl(loop->epfd, EPOLL_CTL_DEL, fd, NULL);
	memset(&loop->handlers[fd], 0, sizeof(loop->handlers[fd]));
	loop->nr_watched--;
}

unsigned int event_loop_nr_watched(const struct event_loop *loop)
{
	return loop->nr_watched;
}

static void event_loop_dispatch(struct event_loop *loop,
				const struct epoll_event *ev)
{
	int fd = (int)(uint32_t)ev->data.u64;
	uint32_t generation = ev->data.u64 >> 32;
	struct event_loop_handler h;

	if ((unsigned int)fd >= loop->nr_handlers ||
	    loop->handlers[fd].generation != generation)
		return; /* unwatched earlier in this batch */
	/* A copy: the callback may unwatch itself or grow the table. */
	h = loop->handlers[fd];
	if (h.cb)
		h.cb(h.arg, ev->events);
	else if (h.ready)
		h.ready(h.arg);
}

int event_loop_run(struct event_loop *loop)
{
	struct epoll_event events[EVENT_LOOP_BATCH];
	int i, n;

	loop->stop = false;
	while (!loop->stop) {
		n = epoll_wait(loop->epfd, events, EVENT_LOOP_BATCH, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (i = 0; i < n; i++)
			event_loop_dispatch(loop, &events[i]);
	}
	return 0;
}

void event_loop_stop(struct event_loop *loop)
{
	loop->stop = true;
}

static int event_loop_vu_watch(void *loop, int fd, uint32_t events,
			       void (*cb)(void *arg, uint32_t revents),
			       void *arg)
{
	return event_loop_watch(loop, fd, events, cb, arg);
}

static int event_loop_vu_modify(void *loop, int fd, uint32_t events)
{
	return event_loop_modify(loop, fd, events);
}

static void event_loop_vu_unwatch(void *loop, int fd)
{
	event_loop_unwatch(loop, fd);
}

const struct vu_loop_ops event_loop_vu_ops = {
	.watch = event_loop_vu_watch,
	.modify = event_loop_vu_modify,
	.unwatch = event_loop_vu_unwatch,
};

static int event_loop_host_watch(void *host, int fd, void (*ready)(void *arg),
				 void *arg)
{
	return event_loop_add(host, fd, EPOLLIN, NULL, ready, arg);
}

static void event_loop_host_unwatch(void *host, int fd)
{
	event_loop_unwatch(host, fd);
}

const struct mdev_host_ops event_loop_host_ops = {
	.watch_fd = event_loop_host_watch,
	.unwatch_fd = event_loop_host_unwatch,
};
