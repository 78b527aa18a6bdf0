/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_REPORT_KEVENTS_H
#define __USTAT_REPORT_KEVENTS_H

#include <stdio.h>

#include "report.h"

/*
 * The kernel signals' part of a report: where each signal came from (the
 * patched kernel's tracepoints, a stock-kernel fallback) or why it is
 * missing and how to get it, then the numbers kevent-agg.c computed, in
 * total, per probe and per CPU.
 */

/* One line: "uprobes_core:uprobe_lookup" or "unavailable: ...". */
const char *ustat_report__topic_source(const struct ustat_report *rep,
				       enum ustat_kevent_topic t, char *buf, size_t len);

void ustat_report__kevents_stdio(const struct ustat_report *rep, FILE *out);
/* The "signals" object of the top level, and one stats object. */
void ustat_report__kevents_json(const struct ustat_report *rep, FILE *out);
void ustat_report__kev_stats_json(const struct ustat_report *rep,
				  const struct ustat_kev_stats *st, FILE *out);
/* CSV: the extra columns' header, and their values for stats ST (NULL: empty). */
void ustat_report__kevents_csv_header(FILE *out);
void ustat_report__kevents_csv_row(const struct ustat_kev_stats *st, FILE *out);

#endif /* __USTAT_REPORT_KEVENTS_H */
