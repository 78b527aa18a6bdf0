/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_PERF_EVLIST_H
#define __USTAT_PERF_EVLIST_H

#include <linux/types.h>

struct evlist;
struct perf_event_attr;

/*
 * The recording's events as perf's evsels, for its session (input-live.c:
 * top's live input; rec-file.c: record's file): an evsel of ATTR named
 * NAME at index IDX, with the NR_IDS ids of its kernel events, as
 * perf_session__read_header() adds a file's.  On failure the evlist still
 * owns what was added.
 */
int ustat_perf__add_evsel(struct evlist *evlist, const struct perf_event_attr *attr,
			  const char *name, const u64 *ids, u32 nr_ids, int idx);
/*
 * perf after 6.12 counts evlist references (evlist__put()); 6.12 has
 * evlist__delete().  scripts/perf-patch.sh looks in the tree it targets
 * and builds perf-evlist.c with USTAT_PERF_EVLIST_PUT for the former.
 */
void ustat_perf__evlist_free(struct evlist *evlist);

#endif /* __USTAT_PERF_EVLIST_H */
