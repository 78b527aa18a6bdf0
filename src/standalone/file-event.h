/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_FILE_EVENT_H
#define __USTAT_FILE_EVENT_H

#include <linux/perf_event.h>
#include <linux/types.h>

/*
 * One event (evsel) as a perf.data file holds it in its attrs section and
 * EVENT_DESC: what the writer writes, and what a reader of a recording in
 * progress (top) is given instead of a file.
 */
struct ustat_file_event {
	struct perf_event_attr	 attr;
	const char		*name;		/* "group:name", as perf shows it */
	const u64		*ids;
	u32			 nr_ids;
	const char		*meta;		/* uprobe-stat metadata record, or NULL */
};

#endif /* __USTAT_FILE_EVENT_H */
