/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_LIBPERF_GAPS_H
#define __USTAT_LIBPERF_GAPS_H

#include <linux/types.h>

struct perf_cpu_map;
struct perf_evlist;
struct perf_evsel;
struct perf_thread_map;

/*
 * What the recorder needs of an evsel that libperf's public API does not
 * give (Documentation/uprobe-stat-design.txt, "What libperf lacks"), done
 * with public calls and plain syscalls.  CPUS and THREADS are the maps the
 * evsel was opened with.
 */

/* The kernel ids of EVSEL's events (PERF_FORMAT_ID reads), in a new array. */
int ustat_evsel__ids(struct perf_evsel *evsel, struct perf_cpu_map *cpus,
		     struct perf_thread_map *threads, u64 **ids, u32 *nr);

/* PERF_EVENT_IOC_SET_FILTER on each of EVSEL's fds. */
int ustat_evsel__set_filter(struct perf_evsel *evsel, struct perf_cpu_map *cpus,
			    struct perf_thread_map *threads, const char *filter);
/* The same for NR evsels (FILTERS[i] NULL: none); *FAILED: which one failed. */
int ustat_evsels__set_filters(struct perf_evsel **evsels, const char *const *filters, int nr,
			      struct perf_cpu_map *cpus, struct perf_thread_map *threads,
			      int *failed);

/*
 * Open EVSEL on CPUS for the tasks of the cgroup CGROUP_FD (per CPU, one
 * "thread"); libperf then maps, polls, enables and closes them as its own.
 */
int ustat_evsel__open_cgroup(struct perf_evsel *evsel, struct perf_cpu_map *cpus,
			     int cgroup_fd);

/* perf_evlist__mmap() without the id tables only a private call frees. */
int ustat_evlist__mmap(struct perf_evlist *evlist, int pages);

/*
 * Drop the map references the evsels of EVLIST (or one EVSEL that is in no
 * evlist) took: libperf 6.12's perf_evsel__delete() frees the evsel alone.
 */
void ustat_evlist__drop_maps(struct perf_evlist *evlist);
void ustat_evsel__drop_maps(struct perf_evsel *evsel);

/*
 * Whether this process maps NR ring buffers of PAGES data pages each
 * (/proc/self/maps): libperf says nothing of the maps it made.  0, or
 * -EIO with the size found in *FOUND.
 */
int ustat_ring_buffers__check(int nr, unsigned long pages, unsigned long *found);

#endif /* __USTAT_LIBPERF_GAPS_H */
