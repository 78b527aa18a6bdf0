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
void ustat_report__cost_csv_row(const struct ustat_report *rep, int idx, FILE *out);

#endif /* __USTAT_REPORT_COST_H */
