// SPDX-License-Identifier: GPL-2.0
/*
 * Records the kernel dropped and never said so.
 *
 * A full ring buffer drops the record and counts it (rb->lost); the count
 * goes out as a PERF_RECORD_LOST only in front of the next record that
 * fits.  When the last records of a run are the dropped ones, nothing
 * follows them, and the loss would stay in the kernel.  Each event also
 * counts what it dropped (event->lost_samples, read with PERF_FORMAT_LOST
 * since Linux 6.0; an inherited event's children count in the parent).
 * So, once the events are disabled and the buffers drained, what the
 * events counted on a CPU minus what that CPU's LOST records said is what
 * went unreported there: record writes it as a PERF_RECORD_LOST_SAMPLES,
 * as perf record does with its own count, so that report and perf report
 * --stats both show it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/perf_event.h>
#include <perf/cpumap.h>
#include <perf/event.h>
#include <perf/evsel.h>
#include <perf/threadmap.h>

#include "util/uprobe-stat/util/debug.h"
#include "recorder.h"
#include "sample-parse.h"

bool record__kernel_counts_lost(void)
{
	static int known = -1;
	struct perf_event_attr attr;
	int fd;

	if (known >= 0)
		return known;
	/* A software event of our own: any user may open it. */
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_SOFTWARE;
	attr.config = PERF_COUNT_SW_DUMMY;
	attr.disabled = 1;
	attr.read_format = PERF_FORMAT_LOST;
	fd = syscall(__NR_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
	known = fd >= 0;
	if (fd >= 0)
		close(fd);
	else
		ustat_debug("no PERF_FORMAT_LOST (%s): losses at the very end may go unreported",
			    strerror(errno));
	return known;
}

/* The slot of CPU in r->rb_lost; slot 0 is "no CPU" (-1). */
static int lost_slot(const struct recorder *r, int cpu)
{
	return cpu + 1 < r->nr_rb_lost && cpu >= -1 ? cpu + 1 : -1;
}

int recorder__lost_init(struct recorder *r)
{
	struct perf_cpu max = perf_cpu_map__max(r->rec.cpus);

	r->nr_rb_lost = max.cpu + 2;
	r->rb_lost = calloc(r->nr_rb_lost, sizeof(*r->rb_lost));
	return r->rb_lost ? 0 : -ENOMEM;
}

void recorder__lost_seen(struct recorder *r, int cpu, u64 lost)
{
	int slot = lost_slot(r, cpu);

	if (slot >= 0)
		r->rb_lost[slot] += lost;
}

/*
 * What the events on the CPU at IDX of rec->cpus counted as dropped; a
 * slot that is closed, or whose task is gone, reads as an error.
 */
static u64 counted_on(struct record *rec, int idx)
{
	int i, t, nr_threads = perf_thread_map__nr(rec->threads);
	u64 sum = 0;

	for (i = 0; i < rec->nr_evsels; i++) {
		for (t = 0; t < nr_threads; t++) {
			struct perf_counts_values v;

			memset(&v, 0, sizeof(v));
			if (perf_evsel__read(rec->evsels[i], idx, t, &v))
				continue;
			sum += v.lost;
		}
	}
	return sum;
}

static int emit_lost(struct recorder *r, int cpu, u64 lost,
		     int (*emit)(void *ctx, const union perf_event *ev))
{
	const struct ustat_file_event *fe = &r->events[0];
	struct {
		struct perf_record_lost_samples	rec;
		u64				id[6];
	} ev;
	struct ustat_sample s;

	memset(&ev, 0, sizeof(ev));
	memset(&s, 0, sizeof(s));
	s.pid = s.tid = (u32)-1;
	s.time = r->time_end;
	s.cpu = cpu;
	s.id = fe->nr_ids ? fe->ids[0] : 0;
	ev.rec.header.type = PERF_RECORD_LOST_SAMPLES;
	ev.rec.lost = lost;
	ev.rec.header.size = sizeof(ev.rec) + ustat_sample__write_id(&fe->attr, &s, ev.id);
	ustat_warn("%llu records dropped on CPU %d were not reported by the kernel: counted as lost",
		   (unsigned long long)lost, cpu);
	return emit(r, (const union perf_event *)&ev);
}

int recorder__lost_flush(struct recorder *r, int (*emit)(void *ctx, const union perf_event *ev))
{
	struct record *rec = &r->rec;
	int idx, nr = perf_cpu_map__nr(rec->cpus);

	/* perf_cpu_map__nr() is int in libperf 6.12, unsigned in 7.2: no for_each macro */
	/* -b opens no perf events: nothing of theirs to read */
	if (!rec->counts_lost || !r->rb_lost || !rec->evsels_in_evlist)
		return 0;
	for (idx = 0; idx < nr; idx++) {
		int cpu = perf_cpu_map__cpu(rec->cpus, idx).cpu;
		int slot = lost_slot(r, cpu);
		u64 counted = counted_on(rec, idx);
		u64 seen = slot >= 0 ? r->rb_lost[slot] : 0;

		if (counted > seen && emit_lost(r, cpu, counted - seen, emit))
			return -1;
	}
	return 0;
}
