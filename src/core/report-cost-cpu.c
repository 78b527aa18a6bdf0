// SPDX-License-Identifier: GPL-2.0
/*
 * What hits cost per CPU, and the share of the target's CPU time they
 * took.  A CPU's cost is each probe's modelled parts times that CPU's hits
 * of it, plus the measured waits (lookup fallbacks on mmap_lock, xol slot
 * waits) where the kernel signals saw them: the modelled parts are the
 * same on every CPU, the waits are not.  Summed over the CPUs it is the
 * probes' cost times their hits, a uprobe two probes share (an entry and
 * its %return) entered once a hit (shares_way_in()).
 */
#include <stdio.h>
#include <string.h>

#include "util/uprobe-stat/util/json-writer.h"
#include "meta.h"
#include "report-cost.h"

/* Under the share, when the modelled hits took more than the target used. */
#define OVERSTATED "\n#   more than the target used: the model overstates this target's hits (delete the calibration to measure again)"

/* The parts measured per CPU: which signal histogram holds each. */
static const struct ustat_hist *cpu_wait(const struct ustat_kev_stats *st, int part)
{
	if (part == USTAT_PART_LOOKUP)
		return st->fallback_wait;
	if (part == USTAT_PART_SINGLESTEP)
		return st->xol_wait;
	return NULL;
}

/* CPU's share of PART's measured waits, all CPUs; -1 when no CPU saw one. */
static double wait_share(const struct ustat_agg *agg, int part, u32 cpu)
{
	double all = 0, mine = 0;
	u32 c;

	for (c = 0; c < agg->sig.nr_cpus; c++) {
		const struct ustat_hist *h = cpu_wait(&agg->sig.cpu[c], part);

		if (!h)
			continue;
		all += h->sum;
		if (c == cpu)
			mine = h->sum;
	}
	return all > 0 ? mine / all : -1;
}

/*
 * Probe I is on the same uprobe (binary and offset) as an earlier probe:
 * an entry and a %return on one function, say.  They share one trap, one
 * lookup, one single-step a hit: in a sum over probes, I adds only what
 * is its own (its consumer's sample, its return).
 */
static bool shares_way_in(const struct ustat_report *rep, int i)
{
	const struct ustat_agg *agg = rep->agg;
	char bin[4096], off[32], b2[4096], o2[32];
	int j;

	if (!rep->events || ustat_event_info__sites(&agg->infos->ev[i]) != 1 ||
	    !rep->events[i].meta ||
	    ustat_meta__get(rep->events[i].meta, "binary", bin, sizeof(bin)) <= 0 ||
	    ustat_meta__get(rep->events[i].meta, "offset", off, sizeof(off)) <= 0)
		return false;
	for (j = 0; j < i; j++) {
		const char *m = rep->events[j].meta;

		if (!ustat_report__is_probe(rep, j) || !m ||
		    ustat_event_info__sites(&agg->infos->ev[j]) != 1)
			continue;
		if (ustat_meta__get(m, "binary", b2, sizeof(b2)) > 0 &&
		    ustat_meta__get(m, "offset", o2, sizeof(o2)) > 0 &&
		    !strcmp(bin, b2) && !strcmp(off, o2))
			return true;
	}
	return false;
}

static bool shared_part(int p)
{
	return p == USTAT_PART_ENTRY || p == USTAT_PART_LOOKUP || p == USTAT_PART_SINGLESTEP;
}

static u64 cpu_hits(const struct ustat_agg *agg, int probe, u32 cpu)
{
	const u64 *h = agg->probes[probe].cpu_hits;

	return h && cpu < agg->cpu_cap ? h[cpu] : 0;
}

void ustat_report__cost_cpu(const struct ustat_report *rep, int probe, u32 cpu,
			    struct ustat_cpu_cost *cc)
{
	const struct ustat_agg *agg = rep->agg;
	char path[32];
	bool shared;
	int i, p;

	memset(cc, 0, sizeof(*cc));
	for (i = 0; i < agg->infos->nr; i++) {
		u64 all = agg->probes[i].hits, h = cpu_hits(agg, i, cpu);
		struct ustat_cost cost;

		if ((probe >= 0 && i != probe) || !ustat_report__is_probe(rep, i) || !all)
			continue;
		ustat_report__cost(rep, i, &cost, path, sizeof(path));
		if (!cost.valid)
			return;		/* a CPU's cost with a probe left out is no cost */
		cc->valid = true;
		cc->hits += h;
		shared = probe < 0 && shares_way_in(rep, i);
		for (p = 0; p < USTAT_PART_NR; p++) {
			double m = cost.measured_ns[p];
			double share = m > 0 ? wait_share(agg, p, cpu) : -1;
			double ns = (cost.part_ns[p] - m / all) * h;

			if (shared && shared_part(p))
				continue;
			/* No CPU saw the waits (not per CPU): they go with the hits. */
			ns += m * (share >= 0 ? share : (double)h / all);
			cc->part_ns[p] += ns;
			cc->total_ns += ns;
		}
	}
}

void ustat_report__cost_cpus_stdio(const struct ustat_report *rep, FILE *out)
{
	const struct ustat_agg *agg = rep->agg;
	bool any = false;
	u32 c;
	int p;

	for (c = 0; c < agg->nr_cpus; c++) {
		struct ustat_cpu_cost cc;

		if (!agg->cpu_hits[c])
			continue;
		ustat_report__cost_cpu(rep, -1, c, &cc);
		if (!cc.valid || !cc.hits)
			continue;
		if (!any)
			fprintf(out,
				"# Per CPU (ns a hit over the CPU's hits of every probe; waits where they were measured)\n"
				"# %-5s %12s %12s %8s %8s %8s %10s %9s %8s\n",
				"CPU", "Hits", "ms in all", "Total", "Entry", "Lookup",
				"Singlestep", "Consumer", "Return");
		any = true;
		fprintf(out, "  %-5u %12llu %12.3f %8.0f", c, (unsigned long long)cc.hits,
			cc.total_ns / 1e6, cc.total_ns / cc.hits);
		for (p = 0; p < USTAT_PART_NR; p++)
			fprintf(out, " %*.0f", p == USTAT_PART_SINGLESTEP ? 10 :
				p == USTAT_PART_CONSUMER ? 9 : 8, cc.part_ns[p] / cc.hits);
		fputc('\n', out);
	}
	if (any)
		fprintf(out, "#\n");
}

void ustat_report__cost_cpu_json(const struct ustat_report *rep, u32 cpu, FILE *out)
{
	struct ustat_cpu_cost cc;
	int p;

	ustat_report__cost_cpu(rep, -1, cpu, &cc);
	if (!cc.valid || !cc.hits) {
		fputs(", \"cost\": null", out);
		return;
	}
	fprintf(out,
		", \"cost\": {\"hits\": %llu, \"ns\": %.1f, \"ns_per_hit\": %.1f, \"parts\": {",
		(unsigned long long)cc.hits, cc.total_ns, cc.total_ns / cc.hits);
	for (p = 0; p < USTAT_PART_NR; p++)
		fprintf(out, "%s\"%s_ns\": %.1f", p ? ", " : "", ustat_cost_part_names[p],
			cc.part_ns[p] / cc.hits);
	fputs("}}", out);
}

/* The target's CPU time the recording measured, or false and why not. */
static bool target_cpu(const struct ustat_report *rep, unsigned long long *ns, char *how,
		       size_t len)
{
	const char *meta = rep->rec ? rep->rec->session_meta : NULL;

	snprintf(how, len,
		 "the recording did not measure it (an older record, or not this tool's)");
	if (!meta)
		return false;
	ustat_meta__get(meta, "target_cpu_how", how, len);
	return !ustat_meta__get_u64(meta, "target_cpu_ns", ns) && *ns > 0;
}

/*
 * Every probe's hits, in ns: the cost per hit times the hits, a shared
 * uprobe's way in once; false if a probe has no cost.
 */
static bool hits_ns(const struct ustat_report *rep, double *ns)
{
	const struct ustat_agg *agg = rep->agg;
	char path[32];
	int i, p;

	*ns = 0;
	for (i = 0; i < agg->infos->nr; i++) {
		struct ustat_cost cost;

		if (!ustat_report__is_probe(rep, i) || !agg->probes[i].hits)
			continue;
		ustat_report__cost(rep, i, &cost, path, sizeof(path));
		if (!cost.valid)
			return false;
		if (shares_way_in(rep, i))
			for (p = 0; p < USTAT_PART_NR; p++)
				if (shared_part(p))
					cost.total_ns -= cost.part_ns[p];
		*ns += cost.total_ns * agg->probes[i].hits;
	}
	return true;
}

void ustat_report__cpu_share_stdio(const struct ustat_report *rep, FILE *out)
{
	unsigned long long tns = 0;
	char how[128];
	double ns;
	bool have_t = target_cpu(rep, &tns, how, sizeof(how)), have_h = hits_ns(rep, &ns);

	if (have_t && have_h)
		fprintf(out,
			"# share of the target's CPU time in uprobe hits: %.1f%% (%.3f s of %.3f s; %s)%s\n#\n",
			100.0 * ns / tns, ns / 1e9, tns / 1e9, how, ns > tns ? OVERSTATED : "");
	else
		fprintf(out, "# share of the target's CPU time in uprobe hits: unknown (%s)\n#\n",
			!have_h ? "no cost of a hit" : how);
}

void ustat_report__cpu_share_json(const struct ustat_report *rep, FILE *out)
{
	unsigned long long tns = 0;
	char how[128];
	double ns;
	bool have_t = target_cpu(rep, &tns, how, sizeof(how)), have_h = hits_ns(rep, &ns);

	fputs(" \"target_cpu\": {\"ns\": ", out);
	if (have_t)
		fprintf(out, "%llu", tns);
	else
		fputs("null", out);
	fputs(", \"how\": ", out);
	ustat_json__string(out, how);
	if (have_h)
		fprintf(out, ", \"hits_ns\": %.1f", ns);
	else
		fputs(", \"hits_ns\": null", out);
	if (have_t && have_h)
		fprintf(out, ", \"share\": %.6f},\n", ns / tns);
	else
		fputs(", \"share\": null},\n", out);
}
