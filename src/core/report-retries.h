/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_REPORT_RETRIES_H
#define __USTAT_REPORT_RETRIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "report.h"

/* Where the tree retries and xol area failures came from, or why not. */
const char *ustat_report__retries_source(const struct ustat_report *rep, char *buf,
					 size_t len);
/* Their table (nothing when the file has neither event). */
void ustat_report__retries_stdio(const struct ustat_report *rep, FILE *out);
/* Their fields in a stats object, each after a ",\n". */
void ustat_report__retries_json(const struct ustat_kev_stats *st, FILE *out);

/*
 * Their CSV columns, after all the others (columns are only added), empty
 * where the row has no kernel-event stats (ST NULL); TREE_WRITES: the
 * writes seen are only counted in total and per CPU.
 */
void ustat_report__retries_csv_header(FILE *out);
void ustat_report__retries_csv_row(const struct ustat_kev_stats *st, bool tree_writes,
				   FILE *out);

#endif /* __USTAT_REPORT_RETRIES_H */
