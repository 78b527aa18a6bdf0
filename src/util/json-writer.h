/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_JSON_WRITER_H
#define __USTAT_JSON_WRITER_H

#include <stdio.h>

struct ustat_hist;

/* Write S as a JSON string, quotes included (control characters escaped). */
void ustat_json__string(FILE *out, const char *s);
/* The same, or null for a NULL S. */
void ustat_json__string_or_null(FILE *out, const char *s);
/*
 * A histogram's summary: {"count", "min", "avg", "p50", "p90", "p99",
 * "max"}, or null for a histogram that never counted anything.
 */
void ustat_json__hist(FILE *out, const struct ustat_hist *h);
/* The summary's "key": value pairs alone, for an object with more keys. */
void ustat_json__hist_fields(FILE *out, const struct ustat_hist *h);

#endif /* __USTAT_JSON_WRITER_H */
