/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * event_loop - umdevd's single epoll loop.  Everything the daemon does is a
 * callback from here: the control socket, each device's vfio-user server,
 * the core's timers, signals and pending removals.
 */
#ifndef UMDEV_DAEMON_EVENT_LOOP_H
#define UMDEV_DAEMON_EVENT_LOOP_H

#include <stdbool.h>
#include <stdint.h>

#include <umdev/mdev_host.h>
#include "vfio-user/server.h"

struct event_loop;

typedef void (*event_loop_cb)(void *arg, uint32_t revents);

/** event_loop_new() - an empty loop; NULL with errno set on failure. */
struct event_loop *event_loop_new(void);
/** event_loop_free() - close the epoll fd (watched fds stay open). */
void event_loop_free(struct event_loop *loop);

/**
 * event_loop_watch() - call @cb(@arg, revents) when @fd has @events.
 * Return: 0; -EEXIST if @fd is already watched; -ENOMEM; epoll's -errno.
 */
int event_loop_watch(struct event_loop *loop, int fd, uint32_t events,
		     event_loop_cb cb, void *arg);
/** event_loop_modify() - change the events of a watched @fd.  0/-errno. */
int event_loop_modify(struct event_loop *loop, int fd, uint32_t events);
/**
 * event_loop_unwatch() - forget @fd.  Safe from inside any callback, even
 * for an fd whose event is still queued in the current batch.
 */
void event_loop_unwatch(struct event_loop *loop, int fd);

/** event_loop_nr_watched() - how many fds are watched (for tests/logs). */
unsigned int event_loop_nr_watched(const struct event_loop *loop);

/**
 * event_loop_run() - dispatch events until event_loop_stop().
 * Return: 0, or epoll_wait's -errno.
 */
int event_loop_run(struct event_loop *loop);
/**
 * event_loop_set_poll_us() - before sleeping in epoll, busy-poll the
 * watched fds for up to @max_us microseconds (0, the default: never poll).
 * The window adapts between 0 and @max_us to how often polling finds an
 * event (rules in poll_window.h).  Takes effect at the next wait.
 */
void event_loop_set_poll_us(struct event_loop *loop, unsigned int max_us);

/* What polling did so far (for tests and logs); counted with polling on. */
struct event_loop_poll_stats {
	uint64_t poll_hits; /* waits that found their events while polling */
	uint64_t sleeps; /* waits that went to sleep in epoll_wait */
	uint64_t window_ns; /* the current window */
};

/** event_loop_get_poll_stats() - copy the counters into @stats. */
void event_loop_get_poll_stats(const struct event_loop *loop,
			       struct event_loop_poll_stats *stats);

/** event_loop_stop() - make event_loop_run() return after this batch. */
void event_loop_stop(struct event_loop *loop);

/* The loop as the vfio-user server and the mdev core want it. */
extern const struct vu_loop_ops event_loop_vu_ops;
extern const struct mdev_host_ops event_loop_host_ops;

#endif
