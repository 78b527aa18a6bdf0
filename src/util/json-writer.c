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

void ustat_json__string_or_null(FILE *out, const char *s)
{
	if (s)
		ustat_json__string(out, s);
	else
		fputs("null", out);
}

void ustat_json__hist(FILE *out, const struct ustat_hist *h)
{
	if (!h || !h->count) {
		fputs("null", out);
		return;
	}
	fputc('{', out);
	ustat_json__hist_fields(out, h);
	fputc('}', out);
}

void ustat_json__hist_fields(FILE *out, const struct ustat_hist *h)
{
	u64 v[USTAT_HIST_SUMMARY];
	int i;

	ustat_hist__summary(h, v);
	for (i = 0; i < USTAT_HIST_SUMMARY; i++)
		fprintf(out, "%s\"%s\": %llu", i ? ", " : "", ustat_hist_summary_names[i],
			(unsigned long long)v[i]);
}
