// SPDX-License-Identifier: GPL-2.0
/*
 * What a hit costs, in report: each probe's cost per hit split into the
 * parts of cost-model.c, from the calibration and site paths record saved,
 * plus what the recording measured itself: the waits of lookups that fell
 * back to mmap_lock (contention events on the lookup's fallback path).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/uprobe-stat/explain/calibration.h"
#include "util/uprobe-stat/util/json-writer.h"
#include "meta.h"
#include "report-cost.h"

static bool file_calib(const struct ustat_report *rep, struct ustat_calib *c,
		       unsigned long long *tool_ns)
{
	const struct ustat_recording *r = rep->rec;
	int i;

	for (i = 0; i < r->nr_meta; i++) {
		if (!ustat_meta__is(r->meta[i], "calibration"))
			continue;
		if (tool_ns && ustat_meta__get_u64(r->meta[i], "tool_cpu_ns", tool_ns))
			*tool_ns = 0;
		/* the cost part: a record of -b's part alone prices nothing */
		return !ustat_calib__from_meta(c, r->meta[i]) && c->valid;
	}
	memset(c, 0, sizeof(*c));
	return false;
}

static enum ustat_hit_path site_path(const struct ustat_report *rep, int idx)
{
	const char *meta = idx < rep->agg->infos->nr ? rep->events[idx].meta : NULL;
	char buf[32];

	if (!meta || ustat_meta__get(meta, "hit_path", buf, sizeof(buf)) <= 0)
		return USTAT_PATH_NR;
	return ustat_hit_path__parse(buf);
}

void ustat_report__cost(const struct ustat_report *rep, int idx, struct ustat_cost *cost,
			char *path, size_t pathlen)
{
	const struct ustat_agg *agg = rep->agg;
	const struct ustat_event_info *info = &agg->infos->ev[idx];
	bool is_return = info->kind == USTAT_EVENT_RETPROBE;
	int nr = ustat_event_info__sites(info), j, p;
	u64 hits = 0, waits = 0, wait_ns = 0, xwaits = 0, xwait_ns = 0;
	enum ustat_hit_path first = USTAT_PATH_NR;
	struct ustat_calib c;

	memset(cost, 0, sizeof(*cost));
	snprintf(path, pathlen, "?");
	if (!file_calib(rep, &c, NULL)) {
		snprintf(cost->why, sizeof(cost->why),
			 "the recording saved no calibration (an older record, or none could be measured)");
		return;
	}
	for (j = idx; j < idx + nr && j < agg->infos->nr; j++)
		hits += agg->probes[j].site_hits;
	/* A probe of several sites: each site's model, weighted by its hits. */
	for (j = idx; j < idx + nr && j < agg->infos->nr; j++) {
		enum ustat_hit_path sp = site_path(rep, j);
		double w = hits ? (double)agg->probes[j].site_hits / hits : 1.0 / nr;
		struct ustat_cost one;

		if (sp == USTAT_PATH_NR) {
			snprintf(cost->why, sizeof(cost->why),
				 "the recording did not say which kernel path the site takes");
			return;
		}
		if (first == USTAT_PATH_NR)
			first = sp;
		snprintf(path, pathlen, "%s", sp == first ? ustat_hit_path__name(sp) : "mixed");
		/* a counted site wrote no sample (the counting consumer) */
		ustat_cost__model(&c, sp, is_return,
				  agg->probes[j].site_counted < agg->probes[j].site_hits, &one);
		if (!one.valid) {
			*cost = one;
			return;
		}
		if (!cost->valid)
			*cost = one;	/* sources, bench kind */
		else if (!one.bench_kind || !cost->bench_kind ||
			 strcmp(one.bench_kind, cost->bench_kind))
			cost->bench_kind = NULL;
		if (j == idx) {
			cost->total_ns = cost->spread_ns = cost->bench_ns = 0;
			memset(cost->part_ns, 0, sizeof(cost->part_ns));
		}
		for (p = 0; p < USTAT_PART_NR; p++)
			cost->part_ns[p] += w * one.part_ns[p];
		cost->total_ns += w * one.total_ns;
		cost->spread_ns += w * one.spread_ns;
		cost->bench_ns += w * one.bench_ns;
		if (agg->sig.probe && agg->sig.probe[j].fallback_wait) {
			waits += agg->sig.probe[j].fallback_wait->count;
			wait_ns += agg->sig.probe[j].fallback_wait->sum;
		}
		if (agg->sig.probe && agg->sig.probe[j].xol_wait) {
			xwaits += agg->sig.probe[j].xol_wait->count;
			xwait_ns += agg->sig.probe[j].xol_wait->sum;
		}
	}
	if (waits && hits) {
		char src[160];

		snprintf(src, sizeof(src),
			 "measured: %llu mmap_lock waits in the lookup fallback, %.1f us in all (contention events)",
			 (unsigned long long)waits, wait_ns / 1e3);
		ustat_cost__add_lookup(cost, (double)wait_ns / hits, src);
		cost->measured_ns[USTAT_PART_LOOKUP] = wait_ns;
	}
	if (xwaits && hits) {
		char src[160];

		snprintf(src, sizeof(src),
			 "measured: %llu xol slot waits, %.1f us in all (uprobes_core events)",
			 (unsigned long long)xwaits, xwait_ns / 1e3);
		ustat_cost__add_singlestep(cost, (double)xwait_ns / hits, src);
		cost->measured_ns[USTAT_PART_SINGLESTEP] = xwait_ns;
	}
}

/* The consumer's part of every probe's hits: what recording cost the target. */
static void tool_cost(const struct ustat_report *rep, double *consumer_ns, double *target_s,
		      double *tool_s, bool *have)
{
	const struct ustat_agg *agg = rep->agg;
	unsigned long long tool_ns = 0;
	struct ustat_calib c;
	double ns = 0;
	u64 hits = 0;
	char path[32];
	int i;

	*have = file_calib(rep, &c, &tool_ns);
	*consumer_ns = *target_s = 0;
	*tool_s = tool_ns / 1e9;
	for (i = 0; *have && i < agg->infos->nr; i++) {
		struct ustat_cost cost;

		if (!ustat_report__is_probe(rep, i))
			continue;
		ustat_report__cost(rep, i, &cost, path, sizeof(path));
		if (!cost.valid)
			continue;
		ns += cost.part_ns[USTAT_PART_CONSUMER] * agg->probes[i].hits;
		hits += agg->probes[i].hits;
	}
	*target_s = ns / 1e9;
	*consumer_ns = hits ? ns / hits : 0;
}

void ustat_report__cost_header_stdio(const struct ustat_report *rep, FILE *out)
{
	double consumer_ns, target_s, tool_s;
	bool have;

	tool_cost(rep, &consumer_ns, &target_s, &tool_s, &have);
	if (!have) {
		fprintf(out, "%s\n#\n",
			"# tool's own cost: unknown (the recording saved no calibration)");
		return;
	}
	fprintf(out,
		"# tool's own cost: %.0f ns a hit writing its sample (%.3f s of the target's CPU over %llu samples, modelled), and %.3f s of CPU in the recorder\n#\n",
		consumer_ns, target_s,
		(unsigned long long)(rep->agg->samples - rep->agg->counted), tool_s);
}

void ustat_report__cost_stdio(const struct ustat_report *rep, FILE *out)
{
	const struct ustat_agg *agg = rep->agg;
	char path[32], bench[48];
	bool any = false;
	int i, p;

	for (i = 0; i < agg->infos->nr; i++) {
		struct ustat_cost cost;

		if (!ustat_report__is_probe(rep, i))
			continue;
		ustat_report__cost(rep, i, &cost, path, sizeof(path));
		if (!any)
			fprintf(out,
				"# What a hit costs (ns a hit; the parts add up to the total; sources below)\n"
				"# %-20s %-16s %8s %8s %8s %10s %9s %8s  %s\n",
				"Probe", "Path", "Total", "Entry", "Lookup", "Singlestep",
				"Consumer", "Return", "Bench");
		any = true;
		if (!cost.valid) {
			fprintf(out, "  %-20s %-16s %8s  (%s)\n", agg->infos->ev[i].display, path,
				"-", cost.why);
			continue;
		}
		if (cost.bench_kind)
			snprintf(bench, sizeof(bench), "%s %.0f (%+.1f%%)", cost.bench_kind,
				 cost.bench_ns, cost.bench_ns > 0 ?
				 100 * (cost.total_ns - cost.bench_ns) / cost.bench_ns : 0);
		else
			snprintf(bench, sizeof(bench), "no single bench kind");
		fprintf(out, "  %-20s %-16s %8.0f %8.0f %8.0f %10.0f %9.0f %8.0f  %s\n",
			agg->infos->ev[i].display, path, cost.total_ns,
			cost.part_ns[USTAT_PART_ENTRY], cost.part_ns[USTAT_PART_LOOKUP],
			cost.part_ns[USTAT_PART_SINGLESTEP], cost.part_ns[USTAT_PART_CONSUMER],
			cost.part_ns[USTAT_PART_RETURN], bench);
		for (p = 0; p < USTAT_PART_NR; p++)
			fprintf(out, "#   %s: %s\n", ustat_cost_part_names[p], cost.source[p]);
	}
	if (any)
		fprintf(out, "#\n");
}

void ustat_report__cost_json(const struct ustat_report *rep, int idx, FILE *out)
{
	struct ustat_cost cost;
	char path[32];

	ustat_report__cost(rep, idx, &cost, path, sizeof(path));
	fputs(",\n     \"hit_path\": ", out);
	ustat_json__string(out, path);
	fputs(", \"cost\": ", out);
	ustat_cost__json(&cost, out);
}

void ustat_report__tool_cost_json(const struct ustat_report *rep, FILE *out)
{
	double consumer_ns, target_s, tool_s;
	bool have;

	tool_cost(rep, &consumer_ns, &target_s, &tool_s, &have);
	if (!have) {
		fputs(" \"tool_cost\": null,\n", out);
		return;
	}
	fprintf(out,
		" \"tool_cost\": {\"consumer_ns_per_hit\": %.1f, \"target_cpu_s\": %.6f, \"recorder_cpu_s\": %.6f},\n",
		consumer_ns, target_s, tool_s);
}

void ustat_report__cost_csv_header(FILE *out)
{
	int p;

	fputs(",hit_path,cost_total_ns", out);
	for (p = 0; p < USTAT_PART_NR; p++)
		fprintf(out, ",cost_%s_ns", ustat_cost_part_names[p]);
}

void ustat_report__cost_csv_row(const struct ustat_report *rep, int idx, int cpu, FILE *out)
{
	struct ustat_cpu_cost cc;
	struct ustat_cost cost;
	char path[32] = "";
	int p;

	if (idx < 0 && cpu < 0) {
		fputs(",,", out);
		for (p = 0; p < USTAT_PART_NR; p++)
			fputc(',', out);
		return;
	}
	if (idx >= 0)
		ustat_report__cost(rep, idx, &cost, path, sizeof(path));
	fprintf(out, ",%s,", path);
	/* A CPU's row: ns a hit over that CPU's hits (of the probe, or of all). */
	if (cpu >= 0) {
		ustat_report__cost_cpu(rep, idx, cpu, &cc);
		cost.valid = cc.valid && cc.hits;
		if (cost.valid) {
			cost.total_ns = cc.total_ns / cc.hits;
			for (p = 0; p < USTAT_PART_NR; p++)
				cost.part_ns[p] = cc.part_ns[p] / cc.hits;
		}
	}
	if (cost.valid)
		fprintf(out, "%.1f", cost.total_ns);
	for (p = 0; p < USTAT_PART_NR; p++) {
		if (cost.valid)
			fprintf(out, ",%.1f", cost.part_ns[p]);
		else
			fputc(',', out);
	}
}
