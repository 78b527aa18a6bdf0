// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <perf/cpumap.h>
#include <perf/event.h>
#include <perf/evlist.h>
#include <perf/evsel.h>
#include <perf/mmap.h>
#include <perf/threadmap.h>

#include "bench-probe.h"
#include "util/uprobe-stat/resolve/probe-resolve.h"
#include "util/uprobe-stat/util/debug.h"
#include "util/uprobe-stat/standalone/libperf-gaps.h"
#include "util/uprobe-stat/standalone/uprobe-pmu.h"

static void open_error(int e, const char *path, u64 offset, bool retprobe,
		       char *err, size_t errlen)
{
	switch (e) {
	case EACCES:
	case EPERM:
		snprintf(err, errlen,
			 "permission denied opening uprobe PMU events: run as root (or with CAP_PERFMON; perf_event_paranoid is %d)",
			 ustat_perf_event_paranoid());
		break;
	case EMFILE:
	case ENFILE:
		snprintf(err, errlen,
			 "too many open files for one event per CPU: raise 'ulimit -n'");
		break;
	default:
		snprintf(err, errlen, "the kernel refused a %s at %s+%#llx: %s",
			 retprobe ? "uretprobe" : "uprobe", path, (unsigned long long)offset,
			 strerror(e));
	}
}

void bench_probe__define(struct ustat_tracefs_probes *tp, const char *path, u64 offset,
			 bool retprobe, struct perf_event_attr *attr)
{
	char why[PATH_MAX + 64];
	struct ustat_probe *site;

	ustat_tracefs_probes__sweep();		/* what a killed run left */
	site = calloc(1, sizeof(*site));	/* PATH_MAX and more: not on the stack */
	if (!site)
		return;
	snprintf(site->path, sizeof(site->path), "%s", path);
	site->offset = offset;
	site->spec.is_return = retprobe;
	snprintf(site->event, sizeof(site->event), "bench:%s", retprobe ? "ret" : "entry");
	snprintf(site->display, sizeof(site->display), "%s+%#llx", path,
		 (unsigned long long)offset);
	if (ustat_tracefs_probes__try_create(tp, site, 1, why, sizeof(why)))
		ustat_tracefs_probes__attr(tp, 0, attr);
	else
		ustat_debug("bench: %s: a uprobe PMU event per CPU, a handler per CPU each hit",
			    why);
	free(site);
}

int bench_probe__open(struct bench_probe *p, const struct ustat_uprobe_pmu *pmu,
		      struct perf_cpu_map *cpus, const char *path, u64 offset,
		      bool retprobe, unsigned int mmap_pages, char *err, size_t errlen)
{
	struct perf_event_attr attr;
	int ret;

	memset(p, 0, sizeof(*p));
	ustat_uprobe_pmu__init_attr(pmu, &attr, path, offset, retprobe, 0);
	if (mmap_pages) {
		/* As record samples: every hit, with what record writes of it. */
		attr.sample_period = 1;
		attr.sample_type = PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | PERF_SAMPLE_TID |
				   PERF_SAMPLE_TIME | PERF_SAMPLE_CPU | PERF_SAMPLE_PERIOD;
		attr.sample_id_all = 1;
		attr.use_clockid = 1;
		attr.clockid = CLOCK_MONOTONIC;
		attr.watermark = 1;
		attr.wakeup_watermark = mmap_pages * sysconf(_SC_PAGESIZE) / 4;
	}
	/* Enabled from the start: the threads are parked until released. */
	attr.disabled = 0;
	bench_probe__define(&p->tp, path, offset, retprobe, &attr);
	p->consumers = p->tp.nr ? 1 : perf_cpu_map__nr(cpus);
	ustat_debug("bench: %d consumer%s of %s+%#llx (%s)", p->consumers,
		    p->consumers == 1 ? "" : "s", path, (unsigned long long)offset,
		    p->tp.nr ? "one uprobe_events definition" : "a uprobe PMU event per CPU");

	p->cpus = perf_cpu_map__get(cpus);
	p->threads = perf_thread_map__new_dummy();
	p->evlist = perf_evlist__new();
	p->evsel = perf_evsel__new(&attr);
	if (!p->threads || !p->evlist || !p->evsel) {
		snprintf(err, errlen, "out of memory");
		perf_evsel__delete(p->evsel);	/* not the evlist's yet */
		p->evsel = NULL;
		bench_probe__close(p);
		return -ENOMEM;
	}
	perf_evlist__add(p->evlist, p->evsel);
	perf_evlist__set_maps(p->evlist, p->cpus, p->threads);
	ret = perf_evlist__open(p->evlist);
	if (ret) {
		open_error(ret < 0 ? -ret : errno, path, offset, retprobe, err, errlen);
		bench_probe__close(p);
		return -EINVAL;
	}
	if (mmap_pages) {
		ret = perf_evlist__mmap(p->evlist, mmap_pages);
		if (ret) {
			snprintf(err, errlen,
				 "cannot map %u pages of ring buffer per CPU: %s (try a smaller -m, or raise /proc/sys/kernel/perf_event_mlock_kb)",
				 mmap_pages, strerror(ret < 0 ? -ret : errno));
			bench_probe__close(p);
			return -EINVAL;
		}
		p->mapped = true;
	}
	return 0;
}

int bench_probe__read(struct bench_probe *p, u64 *per_cpu, int nr)
{
	int idx;

	for (idx = 0; idx < nr; idx++) {
		struct perf_counts_values v = { 0 };

		if (perf_evsel__read(p->evsel, idx, 0, &v))
			return -EIO;
		per_cpu[idx] = v.val;
	}
	return 0;
}

void bench_probe__poll(struct bench_probe *p, int timeout_ms)
{
	if (p->mapped)
		perf_evlist__poll(p->evlist, timeout_ms);
}

void bench_probe__drain(struct bench_probe *p)
{
	struct perf_mmap *map;

	if (!p->mapped)
		return;
	perf_evlist__for_each_mmap(p->evlist, map, false) {
		union perf_event *ev;

		if (perf_mmap__read_init(map) < 0)
			continue;
		while ((ev = perf_mmap__read_event(map)) != NULL) {
			if (ev->header.type == PERF_RECORD_SAMPLE)
				p->samples++;
			else if (ev->header.type == PERF_RECORD_LOST)
				p->lost += ev->lost.lost;
			else if (ev->header.type == PERF_RECORD_LOST_SAMPLES)
				p->lost += ev->lost_samples.lost;
			perf_mmap__consume(map);
		}
		/*
		 * No perf_mmap__read_done(), as in record: on a non-overwrite
		 * buffer it moves the read position to the kernel's head read
		 * anew, skipping what was written since read_event() last saw
		 * the buffer empty -- samples that would go uncounted.
		 */
	}
}

void bench_probe__close(struct bench_probe *p)
{
	if (p->evlist) {
		if (p->mapped)
			perf_evlist__munmap(p->evlist);
		perf_evlist__close(p->evlist);
		ustat_evlist__drop_maps(p->evlist);
		perf_evlist__delete(p->evlist);		/* and its evsel */
	}
	/* Only once its events are closed: the kernel says EBUSY before. */
	ustat_tracefs_probes__destroy(&p->tp);
	perf_cpu_map__put(p->cpus);
	perf_thread_map__put(p->threads);
	memset(p, 0, sizeof(*p));
}
