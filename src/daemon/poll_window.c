// SPDX-License-Identifier: GPL-2.0-only
/*
 * poll_window - the adaptive busy-poll window of umdevd's event loop
 * (rules in poll_window.h).
 */
#include "poll_window.h"

void poll_window_init(struct poll_window *w, uint64_t max_ns)
{
	w->max_ns = max_ns;
	w->ns = 0;
}

void poll_window_update(struct poll_window *w, uint64_t waited_ns, bool hit)
{
	if (!w->max_ns || hit)
		return;
	if (waited_ns <= w->max_ns) {
		/* A longer window would have caught it. */
		w->ns = w->ns ? w->ns * 2 : POLL_WINDOW_START_NS;
		if (w->ns > w->max_ns)
			w->ns = w->max_ns;
		return;
	}
	/* Nothing within reach of any window: poll less. */
	w->ns /= 2;
	if (w->ns < POLL_WINDOW_START_NS)
		w->ns = 0;
}
