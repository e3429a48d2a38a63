// SPDX-License-Identifier: GPL-2.0-only
/*
 * event_loop - one epoll instance and a table of handlers indexed by fd.
 *
 * Each epoll event carries the fd and a generation number, not a pointer:
 * a callback may unwatch (and the owner close and reuse) any fd, including
 * one whose event is still queued in the current batch, and the stale event
 * is then recognised by its generation and dropped.
 *
 * With polling on (event_loop_set_poll_us()), each wait first asks epoll
 * without blocking, again and again, for up to the adaptive window of
 * poll_window.h, and only then sleeps in epoll_wait: a client that sends its
 * next request within the window finds the daemon running instead of
 * paying a wake-up.  The same one epoll set and the same dispatch serve
 * both ways, so the order of events and what is delivered do not change.
 */
#include "event_loop.h"

#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "poll_window.h"

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
	struct poll_window poll;
	struct event_loop_poll_stats stats;
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

void event_loop_set_poll_us(struct event_loop *loop, unsigned int max_us)
{
	poll_window_init(&loop->poll, (uint64_t)max_us * 1000);
}

void event_loop_get_poll_stats(const struct event_loop *loop,
			       struct event_loop_poll_stats *stats)
{
	*stats = loop->stats;
	stats->window_ns = loop->poll.ns;
}

static uint64_t event_loop_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/*
 * Busy-poll for up to the current window.  Return: events found (then
 * *@hit is true), 0 when the window passed (or the loop was stopped), or
 * -errno.
 */
static int event_loop_poll(struct event_loop *loop, struct epoll_event *events,
			   uint64_t start, bool *hit)
{
	uint64_t deadline = start + loop->poll.ns;
	int n;

	*hit = false;
	if (!loop->poll.ns)
		return 0;
	do {
		n = epoll_wait(loop->epfd, events, EVENT_LOOP_BATCH, 0);
		if (n > 0) {
			*hit = true;
			return n;
		}
		if (n < 0 && errno != EINTR)
			return -errno;
		/* A client on this CPU must run to send what we wait for. */
		sched_yield();
	} while (!loop->stop && event_loop_now_ns() < deadline);
	return 0;
}

/* Sleep in epoll until something is ready.  Events, or -errno. */
static int event_loop_sleep(struct event_loop *loop, struct epoll_event *events)
{
	int n = epoll_wait(loop->epfd, events, EVENT_LOOP_BATCH, -1);

	return n < 0 ? -errno : n;
}

/* Wait for the next batch: poll first if enabled, then sleep. */
static int event_loop_wait(struct event_loop *loop, struct epoll_event *events)
{
	uint64_t start;
	bool hit;
	int n;

	if (!loop->poll.max_ns)
		return event_loop_sleep(loop, events);
	start = event_loop_now_ns();
	n = event_loop_poll(loop, events, start, &hit);
	if (n == 0 && !loop->stop) {
		loop->stats.sleeps++;
		n = event_loop_sleep(loop, events);
	}
	if (n > 0) {
		if (hit)
			loop->stats.poll_hits++;
		poll_window_update(&loop->poll, event_loop_now_ns() - start,
				   hit);
	}
	return n;
}

int event_loop_run(struct event_loop *loop)
{
	struct epoll_event events[EVENT_LOOP_BATCH];
	int i, n;

	loop->stop = false;
	while (!loop->stop) {
		n = event_loop_wait(loop, events);
		if (n == -EINTR)
			continue;
		if (n < 0)
			return n;
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
