/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_VIEW_H
#define __USTAT_VIEW_H

#include <stdbool.h>
#include <linux/types.h>

#include "aggregate.h"
#include "backend.h"
#include "cost-model.h"

/*
 * What the live and replay views show, computed here from the aggregation
 * that report uses: rates over the last interval, the chosen per-CPU
 * metric and where each CPU sits on its scale, the probe table in the
 * chosen order, the history of total hits/s.  ui/ draws these numbers and
 * computes none of its own.
 */
enum ustat_metric {
	USTAT_METRIC_HITS,		/* hits/s over the last interval */
	USTAT_METRIC_LOOKUP_P99,	/* uprobe lookup latency p99, ns, since start */
	USTAT_METRIC_FALLBACK,		/* % of hits whose lookup fell back, since start */
	USTAT_METRIC_XOL_WAIT,		/* xol slot wait p99, ns, since start */
	USTAT_METRIC_LOCK_WAIT,		/* contention on uprobe paths p99, ns, since start */
	USTAT_METRIC_NR,
};

enum ustat_view_sort {
	USTAT_SORT_BY_HITS,
	USTAT_SORT_BY_RATE,
	USTAT_SORT_BY_LATENCY,
	USTAT_SORT_BY_FALLBACKS,
	USTAT_SORT_BY_NAME,
	USTAT_SORT_BY_NR,
};

#define USTAT_VIEW_HISTORY	60
#define USTAT_VIEW_LEVELS	8

struct ustat_view_cpu {
	u32	cpu;
	bool	has;		/* the metric means something here */
	double	value;		/* the metric */
	int	level;		/* 0 .. USTAT_VIEW_LEVELS - 1 on the metric's scale */
	u64	hits;
	double	rate;		/* hits/s, last interval */
	u64	lost;
	u64	lookups;
	u64	fallbacks;
	u64	xol_allocs;
	u64	contended;
	u64	tree_retries;	/* uprobes tree walks repeated (patched kernel) */
	u64	xol_area_fails;	/* hits restarted: no xol area (patched kernel) */
};

struct ustat_view_row {
	int		 idx;		/* event index */
	const char	*name;
	bool		 is_return;
	u64		 hits;
	double		 rate;		/* hits/s, last interval */
	double		 avg_rate;	/* hits/s since start */
	u64		 lat_count;	/* entry-to-return pairs, 0: no latency */
	u64		 lat_p50;
	u64		 lat_p99;
	u64		 lookups;
	u64		 fallbacks;	/* lookups that fell back (either source) */
	double		 fallback_pct;
	u64		 tree_retries;		/* in this probe's lookups */
	u64		 xol_area_fails;	/* its hits restarted */
	/* what a hit costs, in parts (report-cost.c), when the recording says */
	struct ustat_cost cost;
	char		 hit_path[24];
};

struct ustat_view {
	/* header */
	const char		*target;
	/* what the recording says of itself and its events (costs), or NULL */
	const struct ustat_recording	*rec;
	const struct ustat_event_desc	*events;
	u64			 elapsed_ns;
	double			 events_per_sec;	/* probe hits, last interval */
	u64			 samples;
	/*
	 * Samples the kernel dropped, its buffers full: what top did not
	 * keep up with (a flood).  Shown as "dropped" wherever the numbers
	 * are, so that a flood is not taken for a quiet target.
	 */
	u64			 lost;
	int			 nr_probes;
	char			 source[USTAT_TOPIC_NR][256];	/* where each answer comes from */
	enum ustat_topic_state	 topic[USTAT_TOPIC_NR];
	bool			 have_retries;	/* uprobe_find_retry can be decoded */
	bool			 have_area_fails;	/* xol_area_fail can be decoded */
	/* heat map */
	enum ustat_metric	 metric;
	const char		*metric_name;
	const char		*metric_unit;
	bool			 metric_available;
	double			 scale[USTAT_VIEW_LEVELS];	/* lower bound of each level */
	struct ustat_view_cpu	*cpus;
	int			 nr_cpus;
	/* probe table */
	enum ustat_view_sort	 sort;
	struct ustat_view_row	*rows;
	int			 nr_rows;
	/* history of total hits/s, oldest first */
	double			 history[USTAT_VIEW_HISTORY];
	int			 history_level[USTAT_VIEW_HISTORY];	/* on 0 .. max */
	int			 nr_history;
	double			 history_max;
	/* what happened since the previous interval */
	u64			 prev_time;
	u64			 prev_samples;
	u64			*prev_cpu_hits;
	u32			 prev_cpus;
	u64			*prev_probe_hits;
	/* the last interval's rates, kept for refreshes between ticks */
	double			*cpu_rate;
	u32			 nr_cpu_rate;
	double			*probe_rate;
	u32			 nr_probe_rate;
};

extern const char *const ustat_metric_names[USTAT_METRIC_NR];
extern const char *const ustat_view_sort_names[USTAT_SORT_BY_NR];

void ustat_view__init(struct ustat_view *v, const char *target);
void ustat_view__exit(struct ustat_view *v);

/*
 * A new interval ended at NOW (the recording's clock): take its rates,
 * push the history, and recompute everything.
 */
int ustat_view__tick(struct ustat_view *v, struct ustat_agg *agg, u64 start, u64 now);
/* Recompute for a new metric or order, without starting an interval. */
int ustat_view__refresh(struct ustat_view *v, struct ustat_agg *agg);

/* Where VALUE sits on a log (or, for percentages, linear) scale up to MAX. */
int ustat_view__level(enum ustat_metric m, double value, double max);

#endif /* __USTAT_VIEW_H */
