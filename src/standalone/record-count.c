// SPDX-License-Identifier: GPL-2.0
/*
 * The counting consumer: probes whose view needs no sample are opened as
 * counting events (sample_period 0) and read, per CPU and thread, with
 * perf_evsel__read(), as bench reads its own.  A hit then costs the probe
 * and a counter's add: no ring buffer write, no recorder wake-up.
 *
 * The counts travel as perf stat record writes them: PERF_RECORD_STAT per
 * (event, CPU index, thread index) holding the counter's running total,
 * after a PERF_RECORD_THREAD_MAP, PERF_RECORD_CPU_MAP and
 * PERF_RECORD_STAT_CONFIG that say what the indexes are, and a
 * PERF_RECORD_STAT_ROUND closing each read.  So stock perf script and
 * perf stat report find records they know in the file, and report (and
 * top's live input) get them through the seam's count callback.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/perf_event.h>
#include <perf/cpumap.h>
#include <perf/event.h>
#include <perf/evsel.h>
#include <perf/threadmap.h>

#include "util/uprobe-stat/util/debug.h"
#include "recorder.h"

/* perf's enum perf_stat_round_type (util/stat.h), which libperf does not export */
#define STAT_ROUND_INTERVAL	0
#define STAT_ROUND_FINAL	1

/* Two probes of one function, its entry and its %return: a latency pair. */
static bool paired(const struct record *rec, int i)
{
	const struct ustat_probe *p = &rec->probes[i];
	int j;

	if (p->spec.is_return)
		return true;
	if (p->site_kind != USTAT_SITE_FUNC || p->func_offset)
		return false;
	for (j = 0; j < rec->nr_probes; j++) {
		const struct ustat_probe *q = &rec->probes[j];

		if (q->spec.is_return && !strcmp(q->path, p->path) && !strcmp(q->func, p->func))
			return true;
	}
	return false;
}

int record__count_plan(struct record *rec)
{
	int i;

	rec->nr_counted = 0;
	if (!rec->counting || rec->bpf)
		return 0;
	/*
	 * The kernel signals are given to probes by the address the probe's
	 * own samples show in each process (kevent-attrib.c): counted, a
	 * probe would show none of its lookups, fallbacks or xol slots.  So
	 * top samples wherever it records kernel signals; record --count
	 * was asked to count, and its report says the signals are not
	 * attributed (unattributed: N).
	 */
	if (!rec->count_all && record__kevents_planned(rec)) {
		ustat_debug("kernel signals recorded: the probes are sampled, for their attribution");
		return 0;
	}
	/* Per-CPU events for everyone: a count cannot tell the target's hits. */
	if (rec->attach == ATTACH_FILTER) {
		ustat_warn("--attach filter: counts would include other processes' hits; recording samples instead");
		return 0;
	}
	rec->counted = calloc(rec->nr_probes, sizeof(*rec->counted));
	if (!rec->counted)
		return -ENOMEM;
	for (i = 0; i < rec->nr_probes; i++) {
		rec->counted[i] = rec->count_all || !paired(rec, i);
		rec->nr_counted += rec->counted[i];
	}
	return 0;
}

const char *record__consumer(const struct record *rec)
{
	if (rec->bpf)
		return "bpf";
	if (!rec->nr_counted)
		return "samples";
	return rec->nr_counted == rec->nr_probes ? "counting" : "counting+samples";
}

static int emit_thread_map(struct recorder *r, record_emit_fn emit)
{
	struct perf_thread_map *threads = r->rec.threads;
	int t, nr = perf_thread_map__nr(threads);
	size_t size = sizeof(struct perf_record_thread_map) +
		      nr * sizeof(struct perf_record_thread_map_entry);
	struct perf_record_thread_map *ev = calloc(1, size);
	int ret;

	if (!ev)
		return -ENOMEM;
	ev->header.type = PERF_RECORD_THREAD_MAP;
	ev->header.size = size;
	ev->nr = nr;
	for (t = 0; t < nr; t++)
		ev->entries[t].pid = perf_thread_map__pid(threads, t);
	ret = emit(r, (const union perf_event *)ev);
	free(ev);
	return ret;
}

/* A list of CPUs: u16 type, u16 nr, u16 cpu[nr], padded to 8 bytes. */
static int emit_cpu_map(struct recorder *r, record_emit_fn emit)
{
	int i, nr = perf_cpu_map__nr(r->rec.cpus);
	size_t size = (sizeof(struct perf_event_header) + (2 + nr) * sizeof(u16) + 7) & ~7UL;
	struct perf_event_header *ev = calloc(1, size);
	u16 *p = (u16 *)(ev + 1);
	int ret;

	if (!ev)
		return -ENOMEM;
	ev->type = PERF_RECORD_CPU_MAP;
	ev->size = size;
	p[0] = PERF_CPU_MAP__CPUS;
	p[1] = nr;
	for (i = 0; i < nr; i++)
		p[2 + i] = perf_cpu_map__cpu(r->rec.cpus, i).cpu;
	ret = emit(r, (const union perf_event *)ev);
	free(ev);
	return ret;
}

/* Per CPU, not aggregated (perf's AGGR_NONE is 0), no interval, scaled. */
static int emit_stat_config(struct recorder *r, record_emit_fn emit)
{
	struct {
		struct perf_record_stat_config		rec;
		struct perf_record_stat_config_entry	e[3];
	} ev;

	memset(&ev, 0, sizeof(ev));
	ev.rec.header.type = PERF_RECORD_STAT_CONFIG;
	ev.rec.header.size = sizeof(ev);
	ev.rec.nr = 3;
	ev.e[0].tag = PERF_STAT_CONFIG_TERM__AGGR_MODE;
	ev.e[0].val = 0;
	ev.e[1].tag = PERF_STAT_CONFIG_TERM__INTERVAL;
	ev.e[1].val = 0;
	ev.e[2].tag = PERF_STAT_CONFIG_TERM__SCALE;
	ev.e[2].val = 1;
	return emit(r, (const union perf_event *)&ev);
}

int recorder__count_emit(struct recorder *r, bool final, record_emit_fn emit)
{
	struct record *rec = &r->rec;
	int cpu, t, i, ret, nr_cpus, nr_threads;
	struct perf_record_stat_round round;
	u64 now = ustat_clock_ns(CLOCK_MONOTONIC);

	if (!rec->nr_counted || !rec->evsels_in_evlist)
		return 0;
	/* What the indexes stand for, before the first counts. */
	if (!r->count_maps_sent) {
		ret = emit_thread_map(r, emit);
		if (!ret)
			ret = emit_cpu_map(r, emit);
		if (!ret)
			ret = emit_stat_config(r, emit);
		if (ret)
			return ret;
		r->count_maps_sent = true;
	}
	if (final)
		r->counted_hits = 0;
	nr_cpus = perf_cpu_map__nr(rec->cpus);
	nr_threads = perf_thread_map__nr(rec->threads);
	for (i = 0; i < rec->nr_probes; i++) {
		if (!rec->counted[i])
			continue;
		for (cpu = 0; cpu < nr_cpus; cpu++) {
			for (t = 0; t < nr_threads; t++) {
				struct perf_counts_values v;
				struct perf_record_stat st;

				memset(&v, 0, sizeof(v));
				/* a thread gone before the first read: nothing counted */
				if (perf_evsel__read(rec->evsels[i], cpu, t, &v))
					continue;
				memset(&st, 0, sizeof(st));
				st.header.type = PERF_RECORD_STAT;
				st.header.size = sizeof(st);
				st.id = v.id;	/* read_format has PERF_FORMAT_ID */
				st.cpu = cpu;
				st.thread = t;
				st.val = v.val;
				if (final)
					r->counted_hits += v.val;
				/* counted all along: enabled == running, nothing to scale */
				st.ena = st.run = now > r->time_start ? now - r->time_start : 1;
				ret = emit(r, (const union perf_event *)&st);
				if (ret)
					return ret;
			}
		}
	}
	memset(&round, 0, sizeof(round));
	round.header.type = PERF_RECORD_STAT_ROUND;
	round.header.size = sizeof(round);
	round.type = final ? STAT_ROUND_FINAL : STAT_ROUND_INTERVAL;
	round.time = now - r->time_start;
	return emit(r, (const union perf_event *)&round);
}

u64 recorder__counted(const struct recorder *r)
{
	return r->counted_hits;
}
