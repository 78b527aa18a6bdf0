/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_BPF_REPORT_H
#define __USTAT_BPF_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "util/uprobe-stat/core/report.h"

/* The file was counted in the kernel by -b. */
bool ustat_report__is_bpf(const struct ustat_report *rep);
/* Which consumer counted: "bpf", "counting", "counting+samples" or "samples". */
const char *ustat_report__consumer(const struct ustat_report *rep);
struct ustat_recording;
const char *ustat_report__consumer_of(const struct ustat_recording *rec);
/* -b's extras: calibrated latency, hits per process, what was not counted. */
void ustat_report__bpf_stdio(const struct ustat_report *rep, FILE *out);
/* The same as a "bpf" member of the report object (nothing without -b). */
void ustat_report__bpf_json(const struct ustat_report *rep, FILE *out);

#endif /* __USTAT_BPF_REPORT_H */
