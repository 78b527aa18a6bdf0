/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_OPENMETRICS_H
#define __USTAT_OPENMETRICS_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>

struct ustat_agg;

/*
 * The aggregation as metrics a Prometheus server scrapes, in the habits of
 * Cloudflare's ebpf_exporter: counters end in _total, durations are in
 * seconds, latency histograms have log2 buckets (le = 2^k ns).  Pure text
 * from the aggregation: the HTTP server (ui/top-http.c) only serves it.
 *
 * Two encodings of the same families: OpenMetrics 1.0 (what Prometheus
 * asks for, with # UNIT and # EOF) and the Prometheus text format 0.0.4
 * (for clients that do not ask, e.g. promtool and curl).
 */
enum ustat_om_format {
	USTAT_OM_OPENMETRICS,
	USTAT_OM_PROMETHEUS,
};

/* The exporter's own cost, which the aggregation does not know. */
struct ustat_om_self {
	double	cpu_user;	/* seconds of CPU the tool used */
	double	cpu_system;
	u64	records;	/* ring-buffer records read */
	u64	wakeups;	/* polls that returned events */
};

/* The format a client asked for in its Accept header (NULL: none). */
enum ustat_om_format ustat_om__negotiate(const char *accept);
const char *ustat_om__content_type(enum ustat_om_format fmt);

/*
 * Write every family to OUT.  Hits per process come from
 * ustat_agg__count_processes(); when its cap was reached the rest are
 * counted under pid="other" and uprobe_stat_processes_capped is 1.
 * SELF may be NULL.  0, or -EIO when OUT failed.
 */
int ustat_om__write(FILE *out, const struct ustat_agg *agg, const struct ustat_om_self *self,
		    enum ustat_om_format fmt);

#endif /* __USTAT_OPENMETRICS_H */
