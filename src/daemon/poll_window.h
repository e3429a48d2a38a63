/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * poll_window - how long umdevd's event loop busy-polls before it sleeps
 * (umdevd --poll-us).  The window adapts to how often polling pays off:
 *
 *  - an event found while polling is a hit: the window stays;
 *  - an event that came after the loop had gone to sleep, but within the
 *    maximum, would have been a hit with a longer window: the window
 *    grows (doubles, from POLL_WINDOW_START_NS);
 *  - an event that came later than the maximum (an idle source, a
 *    periodic timer) could not have been caught: the window halves, and
 *    below POLL_WINDOW_START_NS it closes (0: sleep at once).
 *
 * So a request/reply stream (a guest driver polling a register) keeps the
 * loop spinning between requests, and an idle daemon sleeps in epoll.
 * Pure arithmetic on durations: no clock, no syscalls.
 */
#ifndef UMDEV_DAEMON_POLL_WINDOW_H
#define UMDEV_DAEMON_POLL_WINDOW_H

#include <stdbool.h>
#include <stdint.h>

/* The first non-zero window, and the smallest one kept open. */
#define POLL_WINDOW_START_NS 4000u

struct poll_window {
	uint64_t max_ns; /* 0: polling off */
	uint64_t ns; /* the current window, 0..max_ns */
};

/** poll_window_init() - a closed window that may grow up to @max_ns. */
void poll_window_init(struct poll_window *w, uint64_t max_ns);

/**
 * poll_window_update() - learn from one wait.
 * @waited_ns: from the start of the wait (polling included) to the event
 * @hit:       true if polling found the event, false if the loop slept
 */
void poll_window_update(struct poll_window *w, uint64_t waited_ns, bool hit);

#endif
