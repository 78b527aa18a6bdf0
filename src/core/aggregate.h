/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_AGGREGATE_H
#define __USTAT_AGGREGATE_H

#include <stdbool.h>
#include <linux/types.h>

#include "event-info.h"
#include "histogram.h"
#include "pairing.h"
#include "sample.h"
#include "kevent-agg.h"
#include "callchain.h"

struct ustat_input;

/*
 * The numbers every view shows (report in all formats, the TUI): hits per
 * probe per CPU, entry-to-return latency per paired probe, lost events per
 * CPU.  Everything is counted as records stream past; memory grows with
 * probes x CPUs x threads, never with the number of events.
 */
struct ustat_probe_agg {
	u64			 hits;		/* on the first site: all the probe's sites */
	u64			 site_hits;	/* this event's own */
	u64			 site_counted;	/* of them, counted (counting consumer) */
	u64			*cpu_hits;	/* [cpu_cap] */
	struct ustat_hist	*lat;		/* entry probes with a %return partner */
	u64			 unmatched;	/* returns whose entry was not seen */
	u64			 open_entries;	/* entries without a return at the end */
};

struct ustat_agg {
	const struct ustat_event_infos	*infos;
	struct ustat_probe_agg		*probes;	/* [infos->nr] */
	u32				 cpu_cap;
	u32				 nr_cpus;	/* highest CPU seen + 1 */
	u64				*cpu_hits;
	u64				*cpu_lost;
	u64				 samples;
	u64				 lost;
	u64				 lost_unknown_cpu;
	u64				 lost_records;
	u64				 first_time;
	u64				 last_time;
	u64				 bad_cpu;	/* samples with an absurd CPU number */
	bool				 has_kevents;	/* the file has kernel signals' events */
	struct ustat_pairing		 pairing;
	struct ustat_kev_agg		 sig;		/* the kernel signals */
	/*
	 * Hits per (probe, process) for the OpenMetrics exporter, off
	 * unless ustat_agg__count_processes() set a cap: at most proc_cap
	 * pairs are kept, the hits of others go to proc_other.
	 */
	struct ustat_map		 proc_hits;	/* key2(probe idx, pid) -> hits */
	u32				 proc_cap;
	u64				*proc_other;	/* [infos->nr] */
	/* counting consumer: each counter's last running total (agg-session.c) */
	struct ustat_map		 count_seen;
	u64				 counted;	/* of the hits: counted, not sampled */
	/* Who called the probes (report, when the file has callchains), or NULL. */
	struct ustat_callchains		*cc;
};

/* CPUs beyond this are taken for corruption, not hardware. */
#define USTAT_MAX_CPUS	8192

int ustat_agg__init(struct ustat_agg *agg, const struct ustat_event_infos *infos);
void ustat_agg__exit(struct ustat_agg *agg);

/*
 * Decode the kernel signals' tracepoints of input IN, their fields found
 * by name in its formats, with what its recording's notes say of them.
 * Signals whose format cannot be decoded are reported as unavailable.
 */
void ustat_agg__init_kevents(struct ustat_agg *agg, struct ustat_input *in);

/* Any sample of event IDX: a probe hit or a kernel signal. */
int ustat_agg__add(struct ustat_agg *agg, int idx, const struct ustat_sample *s);
/* Count hits per (probe, pid) too, at most CAP pairs.  0, or -ENOMEM. */
int ustat_agg__count_processes(struct ustat_agg *agg, u32 cap);
/* A probe hit (ustat_agg__add() calls this for probes). */
int ustat_agg__sample(struct ustat_agg *agg, int idx, u32 cpu, u32 tid, u64 time);
/* N hits of probe site IDX on CPU counted elsewhere (-b: in the kernel), unpaired. */
int ustat_agg__add_hits(struct ustat_agg *agg, int idx, u32 cpu, u64 n);
void ustat_agg__lost(struct ustat_agg *agg, u32 cpu, u64 nr);
/* End of input: count the entries left open. */
void ustat_agg__finish(struct ustat_agg *agg);

#endif /* __USTAT_AGGREGATE_H */
