// SPDX-License-Identifier: GPL-2.0
#include "util/uprobe-stat/core/histogram.h"
#include "json-writer.h"
#include "str-escape.h"

void ustat_json__string(FILE *out, const char *s)
{
	fputc('"', out);
	ustat_str__json(out, s);
	fputc('"', out);
}

void ustat_json__hist(FILE *out, const struct ustat_hist *h)
{
	if (!h || !h->count) {
		fputs("null", out);
		return;
	}
	fprintf(out,
		"{\"count\": %llu, \"min\": %llu, \"avg\": %llu, \"p50\": %llu, \"p90\": %llu, \"p99\": %llu, \"max\": %llu}",
		(unsigned long long)h->count, (unsigned long long)h->min,
		(unsigned long long)ustat_hist__mean(h),
		(unsigned long long)ustat_hist__percentile(h, 50),
		(unsigned long long)ustat_hist__percentile(h, 90),
		(unsigned long long)ustat_hist__percentile(h, 99),
		(unsigned long long)h->max);
}
