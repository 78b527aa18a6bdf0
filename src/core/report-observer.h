/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_REPORT_OBSERVER_H
#define __USTAT_REPORT_OBSERVER_H

#include <stdbool.h>
#include <stdio.h>

#include "report.h"

struct ustat_observer;

/*
 * The observer shift record saved the file (explain/observer.h), beside
 * the numbers it concerns: the lookups that fell back and the speculation
 * failures, per 100 lookups.  False (O invalid) when the file has none.
 */
bool ustat_report__observer(const struct ustat_report *rep, struct ustat_observer *o);
/* Its block after the speculation table (nothing when the file has no lookups). */
void ustat_report__observer_stdio(const struct ustat_report *rep, FILE *out);
/* "observer_shift": null | {...}, after a ",\n" (see the man page's schema). */
void ustat_report__observer_json(const struct ustat_report *rep, FILE *out);

#endif /* __USTAT_REPORT_OBSERVER_H */
