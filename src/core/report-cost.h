/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_REPORT_COST_H
#define __USTAT_REPORT_COST_H

#include <stdio.h>

#include "cost-model.h"
#include "report.h"

/*
 * The cost of a hit in report: per probe, the model of its sites' paths
 * from the calibration the recording saved (cost-meta.c), weighted by the
 * hits of each site, with the lookup's mmap_lock waits as measured.
 */
void ustat_report__cost(const struct ustat_report *rep, int idx, struct ustat_cost *cost,
			char *path, size_t pathlen);

/* "# tool's own cost: ..." for the header. */
void ustat_report__cost_header_stdio(const struct ustat_report *rep, FILE *out);
/* The section "What a hit costs". */
void ustat_report__cost_stdio(const struct ustat_report *rep, FILE *out);
/* ,\n     "cost": {...} inside a probe's object; "tool_cost": {...}, at the top. */
void ustat_report__cost_json(const struct ustat_report *rep, int idx, FILE *out);
void ustat_report__tool_cost_json(const struct ustat_report *rep, FILE *out);
/* CSV columns, added last: header, and a probe row's (IDX < 0: empty). */
void ustat_report__cost_csv_header(FILE *out);
void ustat_report__cost_csv_row(const struct ustat_report *rep, int idx, int cpu, FILE *out);

/*
 * report-cost-cpu.c: the cost of PROBE's hits (-1: every probe's) on CPU,
 * in ns over those hits; and the share of the target's CPU time (session
 * record's target_cpu_ns) that went to hits.
 */
struct ustat_cpu_cost {
	bool	valid;
	u64	hits;
	double	total_ns;
	double	part_ns[USTAT_PART_NR];
};

void ustat_report__cost_cpu(const struct ustat_report *rep, int probe, u32 cpu,
			    struct ustat_cpu_cost *cc);
void ustat_report__cost_cpus_stdio(const struct ustat_report *rep, FILE *out);
/* , "cost": {...} inside a CPU's object. */
void ustat_report__cost_cpu_json(const struct ustat_report *rep, u32 cpu, FILE *out);
void ustat_report__cpu_share_stdio(const struct ustat_report *rep, FILE *out);
/* "target_cpu": {...}, at the top. */
void ustat_report__cpu_share_json(const struct ustat_report *rep, FILE *out);

#endif /* __USTAT_REPORT_COST_H */
