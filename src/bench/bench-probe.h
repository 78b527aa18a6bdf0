/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_BENCH_PROBE_H
#define __USTAT_BENCH_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "util/uprobe-stat/standalone/uprobe-pmu.h"
#include "util/uprobe-stat/standalone/uprobe-tracefs.h"

struct perf_cpu_map;
struct perf_evlist;
struct perf_evsel;
struct perf_thread_map;

/*
 * The probe of one bench run: an event on every online CPU for every
 * process (pid -1), made with the same attr as record's.  Per-CPU events
 * are never inherited, so the bench's threads are safe from the EFAULT of
 * uprobe-inherit.h, and their number does not change with the thread
 * count.  The events go on one uprobe defined in uprobe_events where
 * tracefs is writable: one kernel consumer, one handler a hit, as record
 * and 'perf stat -e' have.  Without it, a uprobe PMU event per CPU, each
 * a consumer of its own: every hit runs a handler per CPU (see
 * record-attach.c, "Consumers"), and CONSUMERS says so.  Counting only,
 * or, for --record, sampling every hit into per-CPU ring buffers drained
 * as record drains them.
 */
struct bench_probe {
	struct perf_evlist	*evlist;
	struct perf_evsel	*evsel;
	struct perf_cpu_map	*cpus;
	struct perf_thread_map	*threads;
	bool			 mapped;
	u64			 samples;	/* read from the ring buffers so far */
	u64			 lost;		/* reported lost by the kernel so far */
	struct ustat_tracefs_probes tp;		/* the definition, if on uprobe_events */
	int			 consumers;	/* kernel consumers of the site: handlers a hit */
};

/*
 * Put ATTR (a uprobe PMU event's) on a uprobe defined in uprobe_events
 * for PATH+OFFSET, where tracefs lets us: one consumer for all the CPUs'
 * events.  Otherwise (or if the kernel refuses the definition) ATTR stays
 * as it was and TP empty.  ustat_tracefs_probes__destroy(TP) once the
 * events on it are closed.
 */
struct perf_event_attr;
void bench_probe__define(struct ustat_tracefs_probes *tp, const char *path, u64 offset,
			 bool retprobe, struct perf_event_attr *attr);

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
