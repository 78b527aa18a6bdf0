// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmd-end.h"
#include "util/uprobe-stat/util/json-writer.h"
#include "util/uprobe-stat/bpf/bpf-report.h"
#include "report.h"
#include "report-callchains.h"
#include "report-cost.h"
#include "report-kevents.h"

/*
 * The JSON schema is documented in Documentation/perf-uprobe-stat.txt;
 * scripts rely on its keys, so keys are only ever added, never renamed.
 */
static void print_latency(const struct ustat_probe_agg *p, FILE *out)
{
	const struct ustat_hist *h = p->lat;

	if (!h) {
		fputs("null", out);
		return;
	}
	fputc('{', out);
	ustat_json__hist_fields(out, h);
	fprintf(out, ", \"open\": %llu}", (unsigned long long)p->open_entries);
}

/* A probe's uprobes: how many, and what each of them counted. */
static void print_sites(const struct ustat_report *rep, int i, FILE *out)
{
	const struct ustat_event_infos *infos = rep->agg->infos;
	int j, n = ustat_event_info__sites(&infos->ev[i]);

	fprintf(out, "     \"sites\": %d, \"per_site\": [", n);
	for (j = i; j < i + n && j < infos->nr; j++) {
		fputs(j > i ? ", {\"event\": " : "{\"event\": ", out);
		ustat_json__string(out, rep->events[j].name);
		fprintf(out, ", \"hits\": %llu}",
			(unsigned long long)rep->agg->probes[j].site_hits);
	}
	fputs("],\n", out);
}

static int print_probe(const struct ustat_report *rep, int i, FILE *out)
{
	const struct ustat_agg *agg = rep->agg;
	const struct ustat_event_info *info = &agg->infos->ev[i];
	const struct ustat_probe_agg *p = &agg->probes[i];
	bool first = true;
	u32 c;

	fputs("    {\"name\": ", out);
	ustat_json__string(out, info->display);
	fputs(", \"event\": ", out);
	ustat_json__string(out, rep->events[i].name);
	fputs(", \"binary\": ", out);
	if (info->binary)
		ustat_json__string(out, info->binary);
	else
		fputs("null", out);
	fprintf(out, ", \"kind\": \"%s\"",
		info->kind == USTAT_EVENT_PROBE ? "entry" :
		info->kind == USTAT_EVENT_RETPROBE ? "return" : "other");
	fputs(", \"pair\": ", out);
	if (info->pair >= 0)
		ustat_json__string(out, agg->infos->ev[info->pair].display);
	else
		fputs("null", out);
	fprintf(out,
		",\n     \"hits\": %llu, \"hits_per_sec\": %.3f, \"unmatched_returns\": %llu,\n",
		(unsigned long long)p->hits, ustat_report__rate(rep, p->hits),
		(unsigned long long)p->unmatched);
	print_sites(rep, i, out);
	fputs("     \"per_cpu\": [", out);
	for (c = 0; c < agg->nr_cpus; c++) {
		if (!p->cpu_hits[c])
			continue;
		fprintf(out, "%s{\"cpu\": %u, \"hits\": %llu}", first ? "" : ", ", c,
			(unsigned long long)p->cpu_hits[c]);
		first = false;
	}
	fputs("],\n     \"latency_ns\": ", out);
	print_latency(p, out);
	fputs(",\n     \"signals\": ", out);
	if (agg->sig.probe && ustat_kev_agg__any(&agg->sig))
		ustat_report__kev_stats_json(rep, &agg->sig.probe[i], out);
	else
		fputs("null", out);
	ustat_report__cost_json(rep, i, out);
	if (ustat_report__callchains_json(rep, i, out))
		return -ENOMEM;
	fputs("}", out);
	return 0;
}

/* --sort with pid, tid or comm: "rows", one per combination of the keys. */
static int print_rows(const struct ustat_report *rep, FILE *out)
{
	struct ustat_report_row *rows;
	size_t nr, j;
	int i;

	if (ustat_report__rows(rep, &rows, &nr))
		return -ENOMEM;
	fputs(",\n \"rows\": [", out);
	for (j = 0; j < nr; j++) {
		fputs(j ? ",\n  {" : "\n  {", out);
		for (i = 0; i < rep->nr_keys; i++) {
			enum ustat_sort_key key = rep->keys[i];

			fprintf(out, "\"%s\": ", ustat_report__key_name(key));
			if (key == USTAT_SORT_PROBE)
				ustat_json__string(out, rep->agg->infos->ev[rows[j].probe].display);
			else if (key == USTAT_SORT_COMM)
				ustat_json__string(out, rows[j].comm);
			else
				fprintf(out, "%d", key == USTAT_SORT_CPU ? rows[j].cpu :
					key == USTAT_SORT_PID ? rows[j].pid : rows[j].tid);
			fputs(", ", out);
		}
		fprintf(out, "\"hits\": %llu}", (unsigned long long)rows[j].hits);
	}
	fputs("\n ]", out);
	free(rows);
	return 0;
}

int ustat_report__print_json(const struct ustat_report *rep, FILE *out)
{
	const struct ustat_agg *agg = rep->agg;
	char target[512], attach[64], how[256];
	bool first = true;
	int i, end, code;
	u32 c;

	fputs("{\"file\": ", out);
	ustat_json__string(out, rep->input);
	fputs(", \"target\": ", out);
	ustat_json__string(out, ustat_report__target(rep, target, sizeof(target)));
	if (ustat_report__attach(rep, attach, sizeof(attach), how, sizeof(how))) {
		fputs(", \"attach\": ", out);
		ustat_json__string(out, attach);
	}
	/* How CMD ended: null for -p, -a and files that do not say. */
	fputs(", \"command_end\": ", out);
	if (!ustat_report__cmd_end(rep, &end, &code)) {
		ustat_cmd_end__describe(end, code, target, sizeof(target));
		fprintf(out, "{\"how\": \"%s\", \"%s\": %d, \"text\": ",
			ustat_cmd_end__name(end), end == USTAT_CMD_EXITED ? "status" : "signal",
			code);
		ustat_json__string(out, target);
		fputc('}', out);
	} else {
		fputs("null", out);
	}
	fprintf(out,
		",\n \"consumer\": \"%s\", \"duration_ns\": %llu, \"samples\": %llu, \"lost\": %llu, \"lost_records\": %llu, \"nested_too_deep\": %llu,\n",
		ustat_report__consumer(rep), (unsigned long long)rep->duration_ns,
		ustat_report__is_bpf(rep) ? 0ULL :
		(unsigned long long)(agg->samples - agg->counted),
		(unsigned long long)agg->lost, (unsigned long long)agg->lost_records,
		(unsigned long long)agg->pairing.too_deep);
	ustat_report__tool_cost_json(rep, out);
	ustat_report__cpu_share_json(rep, out);
	fputs(" \"probes\": [\n", out);
	for (i = 0; i < agg->infos->nr; i++) {
		if (!ustat_report__is_probe(rep, i))
			continue;
		fputs(first ? "" : ",\n", out);
		if (print_probe(rep, i, out))
			return -ENOMEM;
		first = false;
	}
	first = true;
	fputs("\n ],\n", out);
	ustat_report__kevents_json(rep, out);
	ustat_report__bpf_json(rep, out);
	fputs(",\n \"cpus\": [", out);
	for (c = 0; c < agg->nr_cpus; c++) {
		if (!agg->cpu_hits[c] && !agg->cpu_lost[c])
			continue;
		fprintf(out,
			"%s\n  {\"cpu\": %u, \"hits\": %llu, \"lost\": %llu",
			first ? "" : ",",
			c, (unsigned long long)agg->cpu_hits[c],
			(unsigned long long)agg->cpu_lost[c]);
		ustat_report__cost_cpu_json(rep, c, out);
		fputc('}', out);
		first = false;
	}
	fputs("\n ]", out);
	if (ustat_report__by_thread(rep) && print_rows(rep, out))
		return -ENOMEM;
	fputs("\n}\n", out);
	return ferror(out) ? -EIO : 0;
}
