/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_TUI_H
#define __USTAT_TUI_H

#include <stdbool.h>
#include <linux/types.h>

struct ustat_recording;
struct ustat_event_desc;

struct ustat_agg;

/*
 * The ncurses view of 'top' (live) and 'report --tui' (replay).  It draws
 * what util/uprobe-stat/view.c computes from the aggregation that report
 * uses, and computes nothing of its own.
 *
 * Events reach the aggregation through the source: for top, the recorder
 * draining its ring buffers; for a replay, the file read up to a time.
 */
struct ustat_tui_source {
	/*
	 * Deliver everything up to NOW on the recording's clock (ns); set
	 * *ENDED once nothing more will come.  0, or -errno with ERR set.
	 */
	int	(*advance)(void *ctx, u64 now, bool *ended, char *err, size_t errlen);
	/*
	 * True once the view must end now (a signal came): checked after
	 * each wait for a key, at least ten times a second.  NULL: never.
	 */
	bool	(*stopped)(void *ctx);
	/* Called at every wake-up (the OpenMetrics server's turn).  NULL: none. */
	void	(*idle)(void *ctx);
	void	*ctx;
	u64	 start;		/* the recording's start on its clock */
	bool	 live;		/* the clock is the wall clock: no speed, no stepping */
	/*
	 * Set by advance: it stopped at its time budget with records still
	 * to read (a flood).  The loop then waits for keys a short while
	 * only, so that reading goes on in short turns between the ticks.
	 */
	bool	 behind;
};

struct ustat_tui_opts {
	const char	*mode;		/* "top" or "replay", for the title */
	const char	*target;
	const char	*consumer;	/* "samples", "counting", "bpf"...; NULL: unsaid */
	double		 interval;	/* seconds between refreshes (recording time) */
	double		 speed;		/* replay: recording seconds per real second */
	bool		 paused;	/* replay: start paused */
	/* the recording's notes and events: the cost of a hit in the detail, or NULL */
	const struct ustat_recording	*rec;
	const struct ustat_event_desc	*events;
};

/* True when stdout is a terminal the view can use; else ERR says why. */
bool ustat_tui__usable(char *err, size_t errlen);

/*
 * Run until 'q', the source's stopped(), the terminal going away (hangup,
 * EOF) or the source failing; the terminal is restored on each.  0, or
 * -errno with ERR set.
 */
int ustat_tui__run(struct ustat_tui_source *src, struct ustat_agg *agg,
		   const struct ustat_tui_opts *opts, char *err, size_t errlen);

#endif /* __USTAT_TUI_H */
