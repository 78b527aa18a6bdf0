/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_BENCH_PROBE_H
#define __USTAT_BENCH_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "util/uprobe-stat/standalone/uprobe-pmu.h"

struct perf_cpu_map;
struct perf_evlist;
struct perf_evsel;
struct perf_thread_map;

/*
 * The probe of one bench run: a uprobe PMU event on every online CPU for
 * every process (pid -1), made with the same attr as record's.  Per-CPU
 * events are never inherited, so the bench's threads are safe from the
 * EFAULT of uprobe-inherit.h, and their number does not change with the
 * thread count: each hit runs one perf handler per CPU, whatever the
 * threads.  Counting only, or, for --record, sampling every hit into
 * per-CPU ring buffers drained as record drains them.
 */
struct bench_probe {
	struct perf_evlist	*evlist;
	struct perf_evsel	*evsel;
	struct perf_cpu_map	*cpus;
	struct perf_thread_map	*threads;
	bool			 mapped;
	u64			 samples;	/* read from the ring buffers so far */
	u64			 lost;		/* reported lost by the kernel so far */
};

/*
 * Attach at PATH+OFFSET on CPUS (MMAP_PAGES 0: count only).  On failure
 * ERR says why in words a user can act on.
 */
int bench_probe__open(struct bench_probe *p, const struct ustat_uprobe_pmu *pmu,
		      struct perf_cpu_map *cpus, const char *path, u64 offset,
		      bool retprobe, unsigned int mmap_pages, char *err, size_t errlen);
/* The count of each CPU of the map, into PER_CPU. */
int bench_probe__read(struct bench_probe *p, u64 *per_cpu, int nr);
/* --record: wait for data up to TIMEOUT_MS, then read all there is. */
void bench_probe__poll(struct bench_probe *p, int timeout_ms);
void bench_probe__drain(struct bench_probe *p);
void bench_probe__close(struct bench_probe *p);

#endif /* __USTAT_BENCH_PROBE_H */
