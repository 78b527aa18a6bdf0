/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_EVENT_INFO_H
#define __USTAT_EVENT_INFO_H

#include <stdbool.h>

#include "kevents.h"

enum ustat_event_kind {
	USTAT_EVENT_PROBE,	/* a uprobe: entry or an instruction */
	USTAT_EVENT_RETPROBE,	/* a uretprobe: %return */
	USTAT_EVENT_KERNEL,	/* a kernel signal's tracepoint (signals.h) */
	USTAT_EVENT_OTHER,	/* anything else a file may hold */
};

/*
 * What uprobe-stat knows about each event of a file: what it probes, how
 * to show it, and which entry and return belong together.  Built from our
 * metadata for our files, and from perf probe's naming ("probe_bin:func",
 * "probe_bin:func__return") for files stock perf recorded.
 */
struct ustat_event_info {
	enum ustat_event_kind	 kind;
	char			*display;	/* "work", "work%return", "libc.so.6:malloc" */
	char			*binary;	/* absolute path, or NULL if unknown */
	char			*func;		/* NULL if unknown */
	bool			 at_entry;	/* at the function's first instruction */
	int			 pair;		/* evsel idx of the partner, or -1 */
	int			 func_idx;	/* pairing slot shared by both, or -1 */
	enum ustat_kevent	 signal;	/* for USTAT_EVENT_KERNEL */
	/*
	 * One probe may be several events, its sites (a function and its
	 * inlined copies, the places a line's code starts): SITE is this
	 * event's index among them, the first site's event is at idx -
	 * SITE.  Zero for events of their own.
	 */
	int			 site;
	int			 nr_sites;	/* on every site; 0 or 1: one */
};

struct ustat_event_infos {
	struct ustat_event_info	*ev;
	int			 nr;
	int			 nr_funcs;	/* entry/return pairs */
};

/* The event that stands for IDX's probe: its first site. */
static inline int ustat_event_info__probe(const struct ustat_event_infos *infos, int idx)
{
	return idx - infos->ev[idx].site;
}

static inline int ustat_event_info__sites(const struct ustat_event_info *info)
{
	return info->nr_sites > 1 ? info->nr_sites : 1;
}

/* ustat_event_infos__build(): backend.h, it takes what the backend describes. */
void ustat_event_infos__exit(struct ustat_event_infos *infos);

#endif /* __USTAT_EVENT_INFO_H */
