// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/uprobe-stat/bpf/bpf-report.h"
#include "cmd-end.h"
#include "report.h"
#include "report-callchains.h"
#include "report-cost.h"
#include "report-kevents.h"
#include "util/uprobe-stat/util/str-escape.h"

/* Show per-probe columns in the CPU table up to this many probes. */
#define CPU_TABLE_MAX_PROBES	6

/* Names come from the file: escaped (str-escape.h), a few alive at once. */
static const char *probe_name(const struct ustat_report *rep, int idx)
{
	static char bufs[4][512];
	static unsigned int k;

	return ustat_str__safe(rep->agg->infos->ev[idx].display, bufs[k++ % 4], sizeof(bufs[0]));
}

/* The main table's name: with the number of sites when there are several. */
static const char *probe_label(const struct ustat_report *rep, int idx, char *buf, size_t len)
{
	const struct ustat_event_info *info = &rep->agg->infos->ev[idx];

	if (ustat_event_info__sites(info) == 1)
		return probe_name(rep, idx);
	snprintf(buf, len, "%s (%d sites)", probe_name(rep, idx), ustat_event_info__sites(info));
	return buf;
}

static int name_width(const struct ustat_report *rep)
{
	char label[512];
	int i, w = 5;

	for (i = 0; i < rep->agg->infos->nr; i++) {
		int n = ustat_report__is_probe(rep, i) ?
			strlen(probe_label(rep, i, label, sizeof(label))) : 0;

		if (n > w)
			w = n;
	}
	return w > 48 ? 48 : w;
}

static void print_header(const struct ustat_report *rep, FILE *out)
{
	const struct ustat_recording *r = rep->rec;
	const struct ustat_agg *agg = rep->agg;
	char target[512], attach[64], how[256];
	int end, code;

	fputs("# uprobe-stat report: ", out);
	ustat_str__fput(out, rep->input);
	fputs("\n# target: ", out);
	ustat_str__fput(out, ustat_report__target(rep, target, sizeof(target)));
	fputc('\n', out);
	if (!ustat_report__cmd_end(rep, &end, &code)) {
		ustat_cmd_end__describe(end, code, target, sizeof(target));
		fprintf(out, "# command: %s\n", target);
	}
	if (ustat_report__attach(rep, attach, sizeof(attach), how, sizeof(how)))
		fprintf(out, "# attach: %s%s%s%s\n", attach, how[0] ? " (" : "", how,
			how[0] ? ")" : "");
	if (r->hostname || r->osrelease) {
		fputs("# host: ", out);
		ustat_str__fput(out, r->hostname ? r->hostname : "?");
		fputs(", Linux ", out);
		ustat_str__fput(out, r->osrelease ? r->osrelease : "?");
		fputc('\n', out);
	}
	if (ustat_report__is_bpf(rep))
		fprintf(out,
			"# consumer: bpf (hits and latencies counted in the kernel, no samples)\n# duration: %.6f s, hits: %llu, lost: %llu\n",
			rep->duration_ns / 1e9, (unsigned long long)agg->samples,
			(unsigned long long)agg->lost);
	else if (agg->counted)
		fprintf(out,
			"# consumer: %s (hits counted by perf counting events per probe and CPU%s)\n# duration: %.6f s, hits: %llu (counted %llu, sampled %llu), lost: %llu\n",
			ustat_report__consumer(rep),
			agg->counted == agg->samples ? ", no samples" : "; the rest sampled",
			rep->duration_ns / 1e9, (unsigned long long)agg->samples,
			(unsigned long long)agg->counted,
			(unsigned long long)(agg->samples - agg->counted),
			(unsigned long long)agg->lost);
	else
		fprintf(out,
			"# consumer: samples\n# duration: %.6f s, samples: %llu, lost: %llu\n",
			rep->duration_ns / 1e9, (unsigned long long)agg->samples,
			(unsigned long long)agg->lost);
	if (agg->lost)
		fprintf(out,
			"# WARNING: %llu events were lost in %llu ring-buffer overflows: the counts below are too low (record with a larger -m)\n",
			(unsigned long long)agg->lost, (unsigned long long)agg->lost_records);
	if (agg->pairing.too_deep)
		fprintf(out,
			"# WARNING: calls nested deeper than the kernel's uretprobe limit (%d) on %llu occasions: their latencies pair wrongly\n",
			USTAT_URETPROBE_DEPTH, (unsigned long long)agg->pairing.too_deep);
	fprintf(out, "#\n");
}

static void print_main_table(const struct ustat_report *rep, FILE *out)
{
	struct ustat_report_row *rows;
	int w = name_width(rep), i;
	char label[512];
	size_t nr, j;

	if (ustat_report__rows(rep, &rows, &nr))
		return;
	fprintf(out, "# %8s %12s %12s", "Overhead", "Hits", "Hits/s");
	for (i = 0; i < rep->nr_keys; i++) {
		bool last = i == rep->nr_keys - 1;

		if (rep->keys[i] == USTAT_SORT_PROBE)
			fprintf(out, "  %-*s", last ? 0 : w, "Probe");
		else if (rep->keys[i] == USTAT_SORT_CPU)
			fprintf(out, "  %4s", "CPU");
		else if (rep->keys[i] == USTAT_SORT_COMM)
			fprintf(out, "  %-*s", last ? 0 : 16, "Command");
		else
			fprintf(out, "  %7s", rep->keys[i] == USTAT_SORT_PID ? "Pid" : "Tid");
	}
	fprintf(out, "\n");
	for (j = 0; j < nr; j++) {
		double share = rep->agg->samples ? 100.0 * rows[j].hits / rep->agg->samples : 0;

		fprintf(out, "  %7.2f%% %12llu %12.1f", share, (unsigned long long)rows[j].hits,
			ustat_report__rate(rep, rows[j].hits));
		for (i = 0; i < rep->nr_keys; i++) {
			bool last = i == rep->nr_keys - 1;

			if (rep->keys[i] == USTAT_SORT_PROBE)
				fprintf(out, "  %-*s", last ? 0 : w,
					probe_label(rep, rows[j].probe, label, sizeof(label)));
			else if (rep->keys[i] == USTAT_SORT_CPU)
				fprintf(out, "  %4d", rows[j].cpu);
			else if (rep->keys[i] == USTAT_SORT_COMM)
				fprintf(out, "  %-*s", last ? 0 : 16,
					*rows[j].comm ? rows[j].comm : ":?");
			else
				fprintf(out, "  %7d", rep->keys[i] == USTAT_SORT_PID ?
					rows[j].pid : rows[j].tid);
		}
		fprintf(out, "\n");
	}
	if (!nr)
		fprintf(out, "  (no samples)\n");
	fprintf(out, "#\n");
	free(rows);
}

static void print_latency(const struct ustat_report *rep, FILE *out)
{
	const struct ustat_agg *agg = rep->agg;
	int w = name_width(rep), i;
	bool any = false;

	for (i = 0; i < agg->infos->nr; i++)
		any |= agg->probes[i].lat != NULL;
	if (!any)
		return;
	fprintf(out, "# Latency, entry to return (ns), paired per thread\n");
	fprintf(out, "# %-*s %10s %10s %10s %10s %10s %10s %10s %8s\n", w, "Probe", "Count",
		"Min", "Avg", "p50", "p90", "p99", "Max", "Open");
	for (i = 0; i < agg->infos->nr; i++) {
		const struct ustat_hist *h = agg->probes[i].lat;

		if (!h)
			continue;
		fprintf(out, "  %-*s", w, probe_name(rep, i));
		ustat_hist__print(out, h, " ", 10);
		fprintf(out, " %8llu\n", (unsigned long long)agg->probes[i].open_entries);
	}
	for (i = 0; i < agg->infos->nr; i++)
		if (agg->probes[i].unmatched)
			fprintf(out,
				"# %s: %llu returns without a recorded entry (calls already running when recording began)\n",
				probe_name(rep, i), (unsigned long long)agg->probes[i].unmatched);
	fprintf(out, "#\n");
}

static void print_cpu_table(const struct ustat_report *rep, FILE *out)
{
	const struct ustat_agg *agg = rep->agg;
	int nprobes = 0, i, w = 8;
	bool columns;
	u32 c;

	for (i = 0; i < agg->infos->nr; i++)
		nprobes += ustat_report__is_probe(rep, i);
	columns = nprobes > 1 && nprobes <= CPU_TABLE_MAX_PROBES;

	/* One column per probe when they fit, each as wide as its name. */
	for (i = 0; columns && i < agg->infos->nr; i++)
		if (ustat_report__is_probe(rep, i) && (int)strlen(probe_name(rep, i)) > w)
			w = strlen(probe_name(rep, i));
	if (w > 24)
		w = 24;
	fprintf(out, "# Per CPU\n# %4s %12s %8s %10s", "CPU", "Hits", "Share", "Lost");
	/*
	 * Names that share a long start ("/usr/bin/python3.11:...") differ at
	 * their end: a cut name keeps the end, after "..".
	 */
	for (i = 0; columns && i < agg->infos->nr; i++) {
		const char *name = probe_name(rep, i);
		int len = strlen(name);

		if (!ustat_report__is_probe(rep, i))
			continue;
		if (len > w)
			fprintf(out, "  ..%s", name + len - (w - 2));
		else
			fprintf(out, "  %*s", w, name);
	}
	fprintf(out, "\n");
	for (c = 0; c < agg->nr_cpus; c++) {
		u64 hits = agg->cpu_hits[c];

		if (!hits && !agg->cpu_lost[c])
			continue;
		fprintf(out, "  %4u %12llu %7.2f%% %10llu", c, (unsigned long long)hits,
			agg->samples ? 100.0 * hits / agg->samples : 0,
			(unsigned long long)agg->cpu_lost[c]);
		for (i = 0; columns && i < agg->infos->nr; i++)
			if (ustat_report__is_probe(rep, i))
				fprintf(out, "  %*llu", w,
					(unsigned long long)agg->probes[i].cpu_hits[c]);
		fprintf(out, "\n");
	}
	if (agg->lost_unknown_cpu)
		fprintf(out, "  %4s %12s %8s %10llu\n", "?", "", "",
			(unsigned long long)agg->lost_unknown_cpu);
}

int ustat_report__print_stdio(const struct ustat_report *rep, FILE *out)
{
	print_header(rep, out);
	ustat_report__cost_header_stdio(rep, out);
	ustat_report__cpu_share_stdio(rep, out);
	print_main_table(rep, out);
	print_latency(rep, out);
	ustat_report__cost_stdio(rep, out);
	ustat_report__cost_cpus_stdio(rep, out);
	ustat_report__bpf_stdio(rep, out);
	ustat_report__kevents_stdio(rep, out);
	print_cpu_table(rep, out);
	if (rep->cc && rep->cc->samples) {
		fputc('\n', out);
		if (ustat_report__callchains_stdio(rep, out))
			return -ENOMEM;
	}
	return ferror(out) ? -EIO : 0;
}
