// SPDX-License-Identifier: GPL-2.0
/*
 * report --diff A B: two recordings side by side, as perf diff shows two
 * profiles -- A the baseline, B the other, and per probe (or per probe and
 * CPU, per --sort) the hits, rates, latency percentiles and kernel events
 * of each with the change, absolute and relative to A.  Probes in only one
 * file are shown as such, never paired with another.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kernel.h>

#include "util/uprobe-stat/util/debug.h"
#include "util/uprobe-stat/util/json-writer.h"
#include "report-multi.h"

struct diff {
	struct ustat_mset	 ms;
	struct ustat_mfile	*in;	/* ms.in: A and B */
	struct ustat_pmatch	*m;
	int			 nr_m;
	u32			 nr_cpus;
};

static u64 hits_of(const struct diff *d, int side, int m, int cpu)
{
	const struct ustat_agg *agg = &d->in[side].agg;
	const struct ustat_probe_agg *p;

	if (m < 0)
		return cpu < 0 ? agg->samples : (u32)cpu < agg->nr_cpus ? agg->cpu_hits[cpu] : 0;
	p = ustat_pmatch__probe(&d->m[m], d->in, side);
	if (!p)
		return 0;
	if (cpu < 0)
		return p->hits;
	return (u32)cpu < agg->nr_cpus ? p->cpu_hits[cpu] : 0;
}

static double rate_of(const struct diff *d, int side, u64 hits)
{
	return ustat_report__rate(&d->in[side].rep, hits);
}

static const char *where(const struct ustat_pmatch *m)
{
	return m->idx[0] >= 0 && m->idx[1] >= 0 ? "both" : m->idx[0] >= 0 ? "a" : "b";
}

/* -- stdio ------------------------------------------------------------- */

static void pct(FILE *out, double a, double b, int width)
{
	if (a > 0)
		fprintf(out, " %+*.2f%%", width - 1, (b - a) * 100.0 / a);
	else
		fprintf(out, " %*s", width, b > 0 ? "new" : "-");
}

static void print_file(const struct diff *d, int side, FILE *out)
{
	const struct ustat_mfile *in = &d->in[side];
	char target[512];

	fprintf(out, "# %s: %s: %s, host %s, %.6f s, %llu samples, %llu lost\n",
		side ? "B           " : "A (baseline)", in->path,
		ustat_report__target(&in->rep, target, sizeof(target)), in->host,
		in->rep.duration_ns / 1e9, (unsigned long long)in->agg.samples,
		(unsigned long long)in->agg.lost);
	if (in->agg.lost)
		fprintf(out, "# WARNING: %s lost %llu events: its counts are too low\n", in->path,
			(unsigned long long)in->agg.lost);
}

static void print_main(const struct diff *d, FILE *out)
{
	const struct ustat_mset *ms = &d->ms;
	struct ustat_mrow *rows;
	char label[512], buf[32];
	size_t nr, j;
	int i, w[USTAT_MK_NR] = { 0 };

	/* Text columns are padded when another follows. */
	for (i = 0; i + 1 < ms->nr_keys; i++) {
		enum ustat_mkey k = ms->keys[i];
		int n, v;

		w[i] = k == USTAT_MK_PROBE ? 5 : 7;	/* "Probe", "Command" */
		n = k == USTAT_MK_PROBE ? d->nr_m : k == USTAT_MK_COMM ? ms->nr_comms : 0;
		for (v = 0; v < n; v++) {
			int l = strlen(k == USTAT_MK_PROBE ? d->m[v].label : ms->comms[v]) +
				(k == USTAT_MK_PROBE ? 12 : 0);

			if (l > w[i])
				w[i] = l;
		}
		if (w[i] > 48)
			w[i] = 48;
	}
	if (ustat_mset__rows(ms, &rows, &nr))
		return;
	fprintf(out, "# %12s %12s %12s %9s %12s %12s", "Hits A", "Hits B", "Delta", "Delta%",
		"Hits/s A", "Hits/s B");
	for (i = 0; i < ms->nr_keys; i++)
		if (ms->keys[i] == USTAT_MK_CPU)
			fputs("   CPU", out);
		else
			fprintf(out, "  %-*s", w[i],
				ms->keys[i] == USTAT_MK_PROBE ? "Probe" : "Command");
	fputc('\n', out);
	for (j = 0; j < nr; j++) {
		const struct ustat_mrow *r = &rows[j];
		int pm = r->k[USTAT_MK_PROBE];

		fprintf(out, "  %12llu %12llu %+12lld", (unsigned long long)r->hits[0],
			(unsigned long long)r->hits[1], (long long)(r->hits[1] - r->hits[0]));
		pct(out, r->hits[0], r->hits[1], 9);
		fprintf(out, " %12.1f %12.1f", r->rate[0], r->rate[1]);
		for (i = 0; i < ms->nr_keys; i++) {
			enum ustat_mkey k = ms->keys[i];

			if (k == USTAT_MK_CPU) {
				fprintf(out, "  %4d", r->k[k]);
				continue;
			}
			if (k == USTAT_MK_PROBE && pm >= 0)
				snprintf(label, sizeof(label), "%s%s", d->m[pm].label,
					 d->m[pm].nr_present == 2 ? "" :
					 d->m[pm].idx[0] >= 0 ? " (only in A)" : " (only in B)");
			else
				snprintf(label, sizeof(label), "%s",
					 ustat_mset__key_str(ms, r, k, buf, sizeof(buf)));
			fprintf(out, "  %-*s", w[i], label);
		}
		fputc('\n', out);
	}
	ustat_mset__end_rows(rows, nr, out);
}

static const struct {
	const char	*name;
	double		 pct;	/* 0: the mean */
} lat_cols[] = { { "avg", 0 }, { "p50", 50 }, { "p90", 90 }, { "p99", 99 } };

static u64 lat_value(const struct ustat_hist *h, int col)
{
	return lat_cols[col].pct ? ustat_hist__percentile(h, lat_cols[col].pct) :
				   ustat_hist__mean(h);
}

static void print_latency(const struct diff *d, FILE *out)
{
	bool header = false;
	int m, c;

	for (m = 0; m < d->nr_m; m++) {
		const struct ustat_probe_agg *a = ustat_pmatch__probe(&d->m[m], d->in, 0);
		const struct ustat_probe_agg *b = ustat_pmatch__probe(&d->m[m], d->in, 1);

		if (!a || !b || !a->lat || !b->lat)
			continue;
		if (!header) {
			fputs("# Latency, entry to return (ns): A, B and the change\n", out);
			fprintf(out, "# %-24s %10s %10s", "Probe", "Count A", "Count B");
			for (c = 0; c < (int)ARRAY_SIZE(lat_cols); c++)
				fprintf(out, " %8s A %8s B %7s", lat_cols[c].name, lat_cols[c].name,
					"Delta%");
			fputc('\n', out);
			header = true;
		}
		fprintf(out, "  %-24s %10llu %10llu", d->m[m].label,
			(unsigned long long)a->lat->count, (unsigned long long)b->lat->count);
		for (c = 0; c < (int)ARRAY_SIZE(lat_cols); c++) {
			u64 va = lat_value(a->lat, c), vb = lat_value(b->lat, c);

			fprintf(out, " %10llu %10llu", (unsigned long long)va,
				(unsigned long long)vb);
			pct(out, va, vb, 8);
		}
		fputc('\n', out);
	}
	if (header)
		fputs("#\n", out);
}

static void print_signals(const struct diff *d, FILE *out)
{
	bool header = false;
	int m, k;

	for (m = 0; m < d->nr_m; m++) {
		const struct ustat_kev_stats *a = ustat_pmatch__kevents(&d->m[m], d->in, 0);
		const struct ustat_kev_stats *b = ustat_pmatch__kevents(&d->m[m], d->in, 1);

		if (!a && !b)
			continue;
		for (k = 0; k < USTAT_KEV_COUNTERS; k++) {
			u64 va = a ? ustat_kev_counter(a, k) : 0;
			u64 vb = b ? ustat_kev_counter(b, k) : 0;

			if (!va && !vb)
				continue;
			if (!header) {
				fputs("# Kernel events per probe: A, B and the change\n", out);
				fprintf(out, "# %-24s %-18s %12s %12s %12s %9s\n", "Probe", "Event",
					"A", "B", "Delta", "Delta%");
				header = true;
			}
			fprintf(out, "  %-24s %-18s %12llu %12llu %+12lld", d->m[m].label,
				ustat_kev_counter_names[k], (unsigned long long)va,
				(unsigned long long)vb, (long long)(vb - va));
			pct(out, va, vb, 9);
			fputc('\n', out);
		}
	}
	if (header)
		fputs("#\n", out);
}

static void print_unmatched(const struct diff *d, FILE *out)
{
	int side, m;

	for (side = 0; side < 2; side++)
		for (m = 0; m < d->nr_m; m++)
			if (d->m[m].nr_present < 2 && d->m[m].idx[side] >= 0)
				fprintf(out, "# only in %c (%s): %s%s%s\n", 'A' + side,
					d->in[side].path, d->m[m].name,
					d->m[m].binary ? " in " : "",
					d->m[m].binary ? d->m[m].binary : "");
}

static int print_stdio(const struct diff *d, FILE *out)
{
	fputs("# uprobe-stat report --diff\n", out);
	print_file(d, 0, out);
	print_file(d, 1, out);
	fputs("# Delta: B - A; Delta%: relative to A; Hits/s: over each file's own duration\n#\n",
	      out);
	print_main(d, out);
	print_latency(d, out);
	print_signals(d, out);
	print_unmatched(d, out);
	return ferror(out) ? -EIO : 0;
}

/* -- JSON -------------------------------------------------------------- */

static void json_u64_pair(FILE *out, u64 a, u64 b)
{
	fprintf(out, "{\"a\": %llu, \"b\": %llu, \"delta\": %lld, \"delta_pct\": ",
		(unsigned long long)a, (unsigned long long)b, (long long)(b - a));
	if (a)
		fprintf(out, "%.3f}", (b - (double)a) * 100.0 / a);
	else
		fputs("null}", out);
}

static void json_rate_pair(FILE *out, double a, double b)
{
	fprintf(out, "{\"a\": %.3f, \"b\": %.3f, \"delta\": %.3f, \"delta_pct\": ", a, b, b - a);
	if (a > 0)
		fprintf(out, "%.3f}", (b - a) * 100.0 / a);
	else
		fputs("null}", out);
}

static void json_latency(const struct ustat_probe_agg *a, const struct ustat_probe_agg *b,
			 FILE *out)
{
	int c;

	if (!a || !b || !a->lat || !b->lat) {
		fputs("null", out);
		return;
	}
	fputs("{\"count\": ", out);
	json_u64_pair(out, a->lat->count, b->lat->count);
	for (c = 0; c < (int)ARRAY_SIZE(lat_cols); c++) {
		fprintf(out, ", \"%s\": ", lat_cols[c].name);
		json_u64_pair(out, lat_value(a->lat, c), lat_value(b->lat, c));
	}
	fputs(", \"max\": ", out);
	json_u64_pair(out, a->lat->max, b->lat->max);
	fputc('}', out);
}

static void json_signals(const struct ustat_kev_stats *a, const struct ustat_kev_stats *b,
			 FILE *out)
{
	int k;

	if (!a && !b) {
		fputs("null", out);
		return;
	}
	for (k = 0; k < USTAT_KEV_COUNTERS; k++) {
		fprintf(out, "%s\"%s\": ", k ? ", " : "{", ustat_kev_counter_names[k]);
		json_u64_pair(out, a ? ustat_kev_counter(a, k) : 0,
			      b ? ustat_kev_counter(b, k) : 0);
	}
	fputc('}', out);
}

static void json_probe(const struct diff *d, int m, FILE *out)
{
	const struct ustat_pmatch *pm = &d->m[m];
	const struct ustat_probe_agg *a = ustat_pmatch__probe(pm, d->in, 0);
	const struct ustat_probe_agg *b = ustat_pmatch__probe(pm, d->in, 1);
	bool first = true;
	u32 c;

	fputs("  {\"name\": ", out);
	ustat_json__string(out, pm->name);
	fputs(", \"binary\": ", out);
	ustat_json__string_or_null(out, pm->binary);
	fprintf(out, ", \"kind\": \"%s\", \"in\": \"%s\",\n   \"hits\": ", ustat_pmatch__kind(pm),
		where(pm));
	json_u64_pair(out, hits_of(d, 0, m, -1), hits_of(d, 1, m, -1));
	fputs(",\n   \"hits_per_sec\": ", out);
	json_rate_pair(out, rate_of(d, 0, hits_of(d, 0, m, -1)),
		       rate_of(d, 1, hits_of(d, 1, m, -1)));
	fputs(",\n   \"per_cpu\": [", out);
	for (c = 0; c < d->nr_cpus; c++) {
		u64 ha = hits_of(d, 0, m, c), hb = hits_of(d, 1, m, c);

		if (!ha && !hb)
			continue;
		fprintf(out, "%s{\"cpu\": %u, \"hits\": ", first ? "" : ", ", c);
		json_u64_pair(out, ha, hb);
		fputc('}', out);
		first = false;
	}
	fputs("],\n   \"latency_ns\": ", out);
	json_latency(a, b, out);
	fputs(",\n   \"signals\": ", out);
	json_signals(ustat_pmatch__kevents(pm, d->in, 0), ustat_pmatch__kevents(pm, d->in, 1), out);
	fputc('}', out);
}

static void json_file(const struct diff *d, int side, FILE *out)
{
	const struct ustat_mfile *in = &d->in[side];
	char target[512];

	fputs("{\"file\": ", out);
	ustat_json__string(out, in->path);
	fputs(", \"target\": ", out);
	ustat_json__string(out, ustat_report__target(&in->rep, target, sizeof(target)));
	fputs(", \"host\": ", out);
	ustat_json__string(out, in->host);
	fprintf(out, ", \"duration_ns\": %llu}", (unsigned long long)in->rep.duration_ns);
}

static int print_json(const struct diff *d, FILE *out)
{
	struct ustat_mrow *rows;
	size_t nr, j;
	int m, side;

	fputs("{\"a\": ", out);
	json_file(d, 0, out);
	fputs(",\n \"b\": ", out);
	json_file(d, 1, out);
	fputs(",\n \"samples\": ", out);
	json_u64_pair(out, d->in[0].agg.samples, d->in[1].agg.samples);
	fputs(", \"lost\": ", out);
	json_u64_pair(out, d->in[0].agg.lost, d->in[1].agg.lost);
	fputs(",\n \"probes\": [\n", out);
	for (m = 0; m < d->nr_m; m++) {
		json_probe(d, m, out);
		fputs(m + 1 < d->nr_m ? ",\n" : "\n", out);
	}
	fputs(" ],\n", out);
	for (side = 0; side < 2; side++) {
		bool first = true;

		fprintf(out, " \"only_in_%c\": [", 'a' + side);
		for (m = 0; m < d->nr_m; m++) {
			if (d->m[m].nr_present == 2 || d->m[m].idx[side] < 0)
				continue;
			fputs(first ? "" : ", ", out);
			ustat_json__string(out, d->m[m].name);
			first = false;
		}
		fputs("],\n", out);
	}
	if (ustat_mset__rows(&d->ms, &rows, &nr))
		return -ENOMEM;
	fputs(" \"rows\": [", out);
	for (j = 0; j < nr; j++) {
		const struct ustat_mrow *r = &rows[j];

		fprintf(out, "%s\n  {\"probe\": ", j ? "," : "");
		if (r->k[USTAT_MK_PROBE] >= 0)
			ustat_json__string(out, d->m[r->k[USTAT_MK_PROBE]].name);
		else
			fputs("null", out);
		if (r->k[USTAT_MK_CPU] >= 0)
			fprintf(out, ", \"cpu\": %d", r->k[USTAT_MK_CPU]);
		else
			fputs(", \"cpu\": null", out);
		fputs(", \"comm\": ", out);
		if (r->k[USTAT_MK_COMM] >= 0)
			ustat_json__string(out, d->ms.comms[r->k[USTAT_MK_COMM]]);
		else
			fputs("null", out);
		fputs(", \"hits\": ", out);
		json_u64_pair(out, r->hits[0], r->hits[1]);
		fputs(", \"hits_per_sec\": ", out);
		json_rate_pair(out, r->rate[0], r->rate[1]);
		fputc('}', out);
	}
	fputs("\n ]\n}\n", out);
	free(rows);
	return ferror(out) ? -EIO : 0;
}

int ustat_report__diff_main(int argc, const char **argv, const struct ustat_multi_opts *o)
{
	const char *paths[2] = { "perf.data.old", "perf.data" };
	struct diff d;
	char err[512] = "";
	int ret = 1;

	memset(&d, 0, sizeof(d));
	if (argc == 2) {
		paths[0] = argv[0];
		paths[1] = argv[1];
	} else if (argc) {
		ustat_err("report --diff takes two files, A (the baseline) and B: '%s'%s",
			  argv[0], argc == 1 ? " alone" : " and more");
		return 1;
	}
	d.ms.two_sided = true;
	if (ustat_mset__parse_keys(&d.ms, o->sort, 1U << USTAT_MK_PROBE | 1U << USTAT_MK_CPU |
				   1U << USTAT_MK_COMM, err, sizeof(err))) {
		ustat_err("report: %s", err);
		return 1;
	}
	if (ustat_mset__load(&d.ms, paths, 2, err, sizeof(err))) {
		ustat_err("%s", err);
		goto out;
	}
	d.in = d.ms.in;
	d.m = d.ms.m;
	d.nr_m = d.ms.nr_m;
	d.nr_cpus = d.in[0].agg.nr_cpus > d.in[1].agg.nr_cpus ? d.in[0].agg.nr_cpus :
								 d.in[1].agg.nr_cpus;
	ret = ustat_mset__flushed(o->json ? print_json(&d, stdout) : print_stdio(&d, stdout));
out:
	ustat_mset__exit(&d.ms);
	return ret ? 1 : 0;
}
