/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_REPORT_CALLCHAINS_H
#define __USTAT_REPORT_CALLCHAINS_H

#include <stdio.h>

#include "report.h"

/* The "Who called" section: nothing when the file has no callchains. */
int ustat_report__callchains_stdio(const struct ustat_report *rep, FILE *out);
/* Probe IDX's "callchains" key: null without callchains. */
int ustat_report__callchains_json(const struct ustat_report *rep, int idx, FILE *out);

#endif /* __USTAT_REPORT_CALLCHAINS_H */
