/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_REPORT_THREADS_H
#define __USTAT_REPORT_THREADS_H

#include <linux/types.h>

#include "event-info.h"
#include "sample.h"
#include "util/uprobe-stat/util/u64-map.h"

/*
 * Who pays: hits per probe, CPU and thread, with the thread's process and
 * its name when it made its first hit there -- what --sort pid, tid and
 * comm group.  Kept only when --sort asks for one of them.
 */
struct ustat_thread_hit {
	int	probe;		/* the probe's first event */
	int	cpu;
	u32	pid;
	u32	tid;
	char	comm[17];	/* "" when the file never named the thread */
	u64	hits;
};

struct ustat_thread_hits {
	struct ustat_thread_hit	*v;
	int			 nr;
	int			 cap;
	struct ustat_map	 idx;	/* (tid, probe, cpu) -> index + 1 */
};

void ustat_thread_hits__init(struct ustat_thread_hits *t);
void ustat_thread_hits__exit(struct ustat_thread_hits *t);
struct ustat_sample_filter;

/*
 * A sample of event IDX of INFOS, its thread named by FILTER (which saw
 * the input's COMM records; NULL: unnamed); signals' events are not counted.
 */
int ustat_thread_hits__add(struct ustat_thread_hits *t, const struct ustat_event_infos *infos,
			   const struct ustat_sample_filter *filter, int idx,
			   const struct ustat_sample *s);

#endif /* __USTAT_REPORT_THREADS_H */
