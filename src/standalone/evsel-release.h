/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_EVSEL_RELEASE_H
#define __USTAT_EVSEL_RELEASE_H

struct perf_evsel;

/*
 * Drop what an evsel holds before perf_evlist__delete() or
 * perf_evsel__delete() frees it: libperf frees the evsel alone, and the
 * ids and the map references it took would stay behind.
 */
void ustat_evsel__release(struct perf_evsel *evsel);

#endif /* __USTAT_EVSEL_RELEASE_H */
