// SPDX-License-Identifier: GPL-2.0
/*
 * The report's part for the uprobes tree retries and the xol area
 * failures (kevent-agg-retry.c): where they came from, the table, and
 * their JSON fields.
 */
#include <stdio.h>
#include <string.h>

#include "report-retries.h"
#include "util/uprobe-stat/util/str-escape.h"

static const char *state(const struct ustat_kev_agg *sa, enum ustat_kevent s)
{
	const char *st = sa->state[s];

	return st && strcmp(st, "recorded") ? st : "not in this file";
}

const char *ustat_report__retries_source(const struct ustat_report *rep, char *buf,
					 size_t len)
{
	const struct ustat_kev_agg *sa = &rep->agg->sig;
	bool retry = sa->have[USTAT_KEV_FIND_RETRY], area = sa->have[USTAT_KEV_XOL_AREA_FAIL];

	if (retry && area)
		return "tracepoints uprobes_core:uprobe_find_retry, xol_area_fail";
	snprintf(buf, len,
		 "%s: not visible on a stock kernel; apply tools-perf-patch/kernel (uprobes_core:uprobe_find_retry: %s; xol_area_fail: %s)",
		 retry || area ? "partly" : "unavailable", state(sa, USTAT_KEV_FIND_RETRY),
		 state(sa, USTAT_KEV_XOL_AREA_FAIL));
	return buf;
}

static void row(const char *where, const struct ustat_kev_stats *st, bool writes, FILE *out)
{
	char w[16];

	snprintf(w, sizeof(w), "%llu", (unsigned long long)st->tree_writes);
	fprintf(out, "  %-24.24s %12llu %12s %14llu\n", where,
		(unsigned long long)st->find_retries, writes ? w : "-",
		(unsigned long long)st->xol_area_fails);
}

static bool has(const struct ustat_kev_stats *st)
{
	return st->find_retries || st->xol_area_fails;
}

void ustat_report__retries_stdio(const struct ustat_report *rep, FILE *out)
{
	const struct ustat_kev_agg *sa = &rep->agg->sig;
	char where[64], buf[256];
	u32 c;
	int i;

	if (!sa->have[USTAT_KEV_FIND_RETRY] && !sa->have[USTAT_KEV_XOL_AREA_FAIL])
		return;
	fprintf(out, "# Tree retries: lookups of the uprobes tree walked again because a\n");
	fprintf(out, "# registration changed it meanwhile (TreeWrites: the updates they saw).\n");
	fprintf(out, "# XolAreaFails: hits restarted because the mm got no xol area; each is\n");
	fprintf(out, "# counted again as a hit of its probe.\n");
	fprintf(out, "# source: %s\n", ustat_report__retries_source(rep, buf, sizeof(buf)));
	fprintf(out, "# %-24s %12s %12s %14s\n", "Where", "TreeRetries", "TreeWrites",
		"XolAreaFails");
	row("all", &sa->total, true, out);
	for (i = 0; sa->probe && i < sa->nr_events; i++) {
		if (!has(&sa->probe[i]))
			continue;
		snprintf(where, sizeof(where), "%.60s",
			 ustat_str__safe(rep->agg->infos->ev[i].display, buf, sizeof(buf)));
		row(where, &sa->probe[i], false, out);
	}
	for (i = 0; i < sa->nr_others; i++)
		if (has(&sa->others[i].st))
			row(ustat_str__safe(sa->others[i].where, buf, sizeof(buf)),
			    &sa->others[i].st, false, out);
	for (c = 0; c < sa->nr_cpus; c++) {
		if (!has(&sa->cpu[c]))
			continue;
		snprintf(where, sizeof(where), "cpu %u", c);
		row(where, &sa->cpu[c], true, out);
	}
	fprintf(out, "#\n");
}

void ustat_report__retries_json(const struct ustat_kev_stats *st, FILE *out)
{
	fprintf(out,
		",\n       \"tree_retries\": {\"count\": %llu, \"writes_seen\": %llu}, \"xol_area_fails\": %llu",
		(unsigned long long)st->find_retries, (unsigned long long)st->tree_writes,
		(unsigned long long)st->xol_area_fails);
}

void ustat_report__retries_csv_header(FILE *out)
{
	fputs(",tree_retries,tree_writes,xol_area_fails", out);
}

void ustat_report__retries_csv_row(const struct ustat_kev_stats *st, bool tree_writes,
				   FILE *out)
{
	if (!st) {
		fputs(",,,", out);
		return;
	}
	fprintf(out, ",%llu,", (unsigned long long)st->find_retries);
	if (tree_writes)
		fprintf(out, "%llu", (unsigned long long)st->tree_writes);
	fprintf(out, ",%llu", (unsigned long long)st->xol_area_fails);
}
