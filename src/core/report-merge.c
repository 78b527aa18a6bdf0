// SPDX-License-Identifier: GPL-2.0
/*
 * report -i a.data -i b.data ...: recordings of many hosts (or runs) in one
 * report.  Hits add up exactly; the rate of a probe is the sum of its rate
 * in each file (each over that file's own duration: what the hosts did
 * together); latency histograms are merged bucket by bucket; kernel-signal
 * counters add up.  --sort takes 'host' and 'file' besides 'probe' and
 * 'cpu'.  A probe that is not in every file is reported as such.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/uprobe-stat/util/debug.h"
#include "util/uprobe-stat/util/json-writer.h"
#include "report-multi.h"

struct merge {
	struct ustat_mset	 ms;
	struct ustat_mfile	*in;	/* ms.in */
	int			 nr_in;
	struct ustat_pmatch	*m;
	int			 nr_m;
	u64			 samples;
	u64			 lost;
};

static u64 probe_hits(const struct merge *mg, int m, double *rate)
{
	u64 hits = 0;
	int i;

	*rate = 0;
	for (i = 0; i < mg->nr_in; i++) {
		const struct ustat_probe_agg *p = ustat_pmatch__probe(&mg->m[m], mg->in, i);

		if (p) {
			hits += p->hits;
			*rate += ustat_report__rate(&mg->in[i].rep, p->hits);
		}
	}
	return hits;
}

/* The probe's latency over all files, or false when none pairs it. */
static bool probe_latency(const struct merge *mg, int m, struct ustat_hist *h)
{
	bool any = false;
	int i;

	ustat_hist__init(h);
	for (i = 0; i < mg->nr_in; i++) {
		const struct ustat_probe_agg *p = ustat_pmatch__probe(&mg->m[m], mg->in, i);

		if (p && p->lat) {
			ustat_hist__merge(h, p->lat);
			any = true;
		}
	}
	return any;
}

static bool probe_signals(const struct merge *mg, int m, u64 *counts)
{
	bool any = false;
	int i, k;

	memset(counts, 0, USTAT_KEV_COUNTERS * sizeof(*counts));
	for (i = 0; i < mg->nr_in; i++) {
		const struct ustat_kev_stats *st = ustat_pmatch__kevents(&mg->m[m], mg->in, i);

		for (k = 0; st && k < USTAT_KEV_COUNTERS; k++)
			counts[k] += ustat_kev_counter(st, k);
		any |= st != NULL;
	}
	return any;
}

/* -- stdio ------------------------------------------------------------- */

static const char *const key_titles[USTAT_MK_NR] = { "Probe", "CPU", "Command", "Host", "File" };

static int key_width(const struct merge *mg, enum ustat_mkey k)
{
	const struct ustat_mset *ms = &mg->ms;
	int i, n, w = strlen(key_titles[k]);

	n = k == USTAT_MK_PROBE ? ms->nr_m : k == USTAT_MK_HOST ? ms->nr_hosts :
	    k == USTAT_MK_FILE ? ms->nr_in : k == USTAT_MK_COMM ? ms->nr_comms : 0;
	for (i = 0; i < n; i++) {
		int l = strlen(k == USTAT_MK_PROBE ? ms->m[i].label :
			       k == USTAT_MK_HOST ? ms->hosts[i] :
			       k == USTAT_MK_FILE ? ms->in[i].path : ms->comms[i]);

		if (l > w)
			w = l;
	}
	return w > 40 ? 40 : w;
}

static void print_mismatched(const struct merge *mg, FILE *out)
{
	int m, i;

	for (m = 0; m < mg->nr_m; m++) {
		if (mg->m[m].nr_present == mg->nr_in)
			continue;
		fprintf(out, "# WARNING: probe %s is in %d of %d files, only in:", mg->m[m].label,
			mg->m[m].nr_present, mg->nr_in);
		for (i = 0; i < mg->nr_in; i++)
			if (mg->m[m].idx[i] >= 0)
				fprintf(out, " %s", mg->in[i].path);
		fputs(": its counts are theirs alone\n", out);
	}
}

static void print_tables(const struct merge *mg, FILE *out)
{
	u64 counts[USTAT_KEV_COUNTERS];
	struct ustat_hist *h = malloc(sizeof(*h));
	bool header = false;
	int m, k;

	for (m = 0; h && m < mg->nr_m; m++) {
		if (!probe_latency(mg, m, h))
			continue;
		if (!header)
			fprintf(out, "# Latency, entry to return (ns), all files merged\n"
				"# %-24s %10s %10s %10s %10s %10s %10s %10s\n", "Probe", "Count",
				"Min", "Avg", "p50", "p90", "p99", "Max");
		header = true;
		fprintf(out, "  %-24s", mg->m[m].label);
		ustat_hist__print(out, h, " ", 10);
		fputc('\n', out);
	}
	free(h);
	if (header)
		fputs("#\n", out);
	header = false;
	for (m = 0; m < mg->nr_m; m++) {
		if (!probe_signals(mg, m, counts))
			continue;
		for (k = 0; k < USTAT_KEV_COUNTERS; k++) {
			if (!counts[k])
				continue;
			if (!header)
				fprintf(out, "# Kernel events per probe, all files added\n"
					"# %-24s %-18s %12s\n", "Probe", "Event", "Count");
			header = true;
			fprintf(out, "  %-24s %-18s %12llu\n", mg->m[m].label,
				ustat_kev_counter_names[k], (unsigned long long)counts[k]);
		}
	}
	if (header)
		fputs("#\n", out);
}

static int print_stdio(const struct merge *mg, FILE *out)
{
	const struct ustat_mset *ms = &mg->ms;
	int w[USTAT_MK_NR] = { 0 };
	struct ustat_mrow *rows;
	char target[512], buf[32];
	size_t nr, j;
	int i;

	for (i = 0; i + 1 < ms->nr_keys; i++)
		w[i] = key_width(mg, ms->keys[i]);
	fprintf(out, "# uprobe-stat report: %d files merged\n", mg->nr_in);
	for (i = 0; i < mg->nr_in; i++) {
		const struct ustat_mfile *in = &mg->in[i];

		fprintf(out, "#   %s: host %s, %s, %.6f s, %llu samples, %llu lost\n", in->path,
			in->host, ustat_report__target(&in->rep, target, sizeof(target)),
			in->rep.duration_ns / 1e9, (unsigned long long)in->agg.samples,
			(unsigned long long)in->agg.lost);
	}
	fprintf(out,
		"# samples: %llu, lost: %llu; Hits/s adds each file's rate over its own duration\n",
		(unsigned long long)mg->samples, (unsigned long long)mg->lost);
	if (mg->lost)
		fputs("# WARNING: events were lost: the counts below are too low\n", out);
	print_mismatched(mg, out);
	fputs("#\n", out);
	if (ustat_mset__rows(ms, &rows, &nr))
		return -ENOMEM;
	fprintf(out, "# %8s %12s %12s", "Overhead", "Hits", "Hits/s");
	for (i = 0; i < ms->nr_keys; i++)
		if (ms->keys[i] == USTAT_MK_CPU)
			fprintf(out, "  %4s", "CPU");
		else
			fprintf(out, "  %-*s", w[i], key_titles[ms->keys[i]]);
	fputc('\n', out);
	for (j = 0; j < nr; j++) {
		fprintf(out, "  %7.2f%% %12llu %12.1f",
			mg->samples ? 100.0 * rows[j].hits[0] / mg->samples : 0,
			(unsigned long long)rows[j].hits[0], rows[j].rate[0]);
		for (i = 0; i < ms->nr_keys; i++) {
			const char *v = ustat_mset__key_str(ms, &rows[j], ms->keys[i], buf,
							    sizeof(buf));

			if (ms->keys[i] == USTAT_MK_CPU)
				fprintf(out, "  %4s", v);
			else
				fprintf(out, "  %-*s", w[i], v);
		}
		fputc('\n', out);
	}
	ustat_mset__end_rows(rows, nr, out);
	print_tables(mg, out);
	return ferror(out) ? -EIO : 0;
}

/* -- JSON -------------------------------------------------------------- */

static void json_files_of(const struct merge *mg, int m, bool present, FILE *out)
{
	bool first = true;
	int i;

	fputc('[', out);
	for (i = 0; i < mg->nr_in; i++) {
		if ((mg->m[m].idx[i] >= 0) != present)
			continue;
		fputs(first ? "" : ", ", out);
		ustat_json__string(out, mg->in[i].path);
		first = false;
	}
	fputc(']', out);
}

static void json_probe(const struct merge *mg, int m, struct ustat_hist *h, FILE *out)
{
	const struct ustat_pmatch *pm = &mg->m[m];
	u64 counts[USTAT_KEV_COUNTERS];
	bool first = true;
	double rate;
	u64 hits = probe_hits(mg, m, &rate);
	u32 c, nr_cpus = 0;
	int i, k;

	fputs("  {\"name\": ", out);
	ustat_json__string(out, pm->name);
	fputs(", \"binary\": ", out);
	ustat_json__string_or_null(out, pm->binary);
	fprintf(out,
		", \"kind\": \"%s\", \"hits\": %llu, \"hits_per_sec\": %.3f,\n   \"in_files\": ",
		ustat_pmatch__kind(pm), (unsigned long long)hits, rate);
	json_files_of(mg, m, true, out);
	fputs(", \"missing_from\": ", out);
	json_files_of(mg, m, false, out);
	fputs(",\n   \"per_file\": [", out);
	for (i = 0; i < mg->nr_in; i++) {
		const struct ustat_probe_agg *p = ustat_pmatch__probe(pm, mg->in, i);

		if (!p)
			continue;
		fputs(first ? "{\"file\": " : ", {\"file\": ", out);
		ustat_json__string(out, mg->in[i].path);
		fputs(", \"host\": ", out);
		ustat_json__string(out, mg->in[i].host);
		fprintf(out, ", \"hits\": %llu}", (unsigned long long)p->hits);
		first = false;
		if (mg->in[i].agg.nr_cpus > nr_cpus)
			nr_cpus = mg->in[i].agg.nr_cpus;
	}
	fputs("],\n   \"per_cpu\": [", out);
	first = true;
	for (c = 0; c < nr_cpus; c++) {
		u64 n = 0;

		for (i = 0; i < mg->nr_in; i++) {
			const struct ustat_probe_agg *p = ustat_pmatch__probe(pm, mg->in, i);

			if (p && c < mg->in[i].agg.nr_cpus)
				n += p->cpu_hits[c];
		}
		if (!n)
			continue;
		fprintf(out, "%s{\"cpu\": %u, \"hits\": %llu}", first ? "" : ", ", c,
			(unsigned long long)n);
		first = false;
	}
	fputs("],\n   \"latency_ns\": ", out);
	if (h && probe_latency(mg, m, h))
		ustat_json__hist(out, h);
	else
		fputs("null", out);
	fputs(",\n   \"signals\": ", out);
	if (probe_signals(mg, m, counts)) {
		for (k = 0; k < USTAT_KEV_COUNTERS; k++)
			fprintf(out, "%s\"%s\": %llu", k ? ", " : "{", ustat_kev_counter_names[k],
				(unsigned long long)counts[k]);
		fputc('}', out);
	} else {
		fputs("null", out);
	}
	fputc('}', out);
}

static int print_json(const struct merge *mg, FILE *out)
{
	struct ustat_hist *h = malloc(sizeof(*h));
	struct ustat_mrow *rows;
	char target[512];
	bool first = true;
	size_t nr, j;
	int i, m;

	fputs("{\"files\": [", out);
	for (i = 0; i < mg->nr_in; i++) {
		const struct ustat_mfile *in = &mg->in[i];

		fputs(i ? ",\n  {\"file\": " : "\n  {\"file\": ", out);
		ustat_json__string(out, in->path);
		fputs(", \"host\": ", out);
		ustat_json__string(out, in->host);
		fputs(", \"target\": ", out);
		ustat_json__string(out, ustat_report__target(&in->rep, target, sizeof(target)));
		fprintf(out, ", \"duration_ns\": %llu, \"samples\": %llu, \"lost\": %llu}",
			(unsigned long long)in->rep.duration_ns,
			(unsigned long long)in->agg.samples, (unsigned long long)in->agg.lost);
	}
	fprintf(out, "\n ],\n \"samples\": %llu, \"lost\": %llu,\n \"probes\": [\n",
		(unsigned long long)mg->samples, (unsigned long long)mg->lost);
	for (m = 0; m < mg->nr_m; m++) {
		json_probe(mg, m, h, out);
		fputs(m + 1 < mg->nr_m ? ",\n" : "\n", out);
	}
	free(h);
	fputs(" ],\n \"mismatched\": [", out);
	for (m = 0; m < mg->nr_m; m++) {
		if (mg->m[m].nr_present == mg->nr_in)
			continue;
		fputs(first ? "{\"name\": " : ", {\"name\": ", out);
		ustat_json__string(out, mg->m[m].name);
		fputs(", \"only_in\": ", out);
		json_files_of(mg, m, true, out);
		fputc('}', out);
		first = false;
	}
	fputs("],\n \"rows\": [", out);
	if (ustat_mset__rows(&mg->ms, &rows, &nr))
		return -ENOMEM;
	for (j = 0; j < nr; j++) {
		const struct ustat_mrow *r = &rows[j];
		int k;

		fputs(j ? ",\n  {" : "\n  {", out);
		for (k = 0; k < USTAT_MK_NR; k++) {
			fprintf(out, "%s\"%s\": ", k ? ", " : "", ustat_mkey_names[k]);
			if (r->k[k] < 0)
				fputs("null", out);
			else if (k == USTAT_MK_CPU)
				fprintf(out, "%d", r->k[k]);
			else
				ustat_json__string(out, ustat_mset__key_str(&mg->ms, r, k, target,
									     sizeof(target)));
		}
		fprintf(out, ", \"hits\": %llu, \"hits_per_sec\": %.3f}",
			(unsigned long long)r->hits[0], r->rate[0]);
	}
	fputs("\n ]\n}\n", out);
	free(rows);
	return ferror(out) ? -EIO : 0;
}

int ustat_report__merge_main(const struct ustat_input_list *l, const struct ustat_multi_opts *o)
{
	struct merge mg;
	char err[512] = "";
	int ret = 1, i;

	memset(&mg, 0, sizeof(mg));
	if (ustat_mset__parse_keys(&mg.ms, o->sort, (1U << USTAT_MK_NR) - 1, err, sizeof(err))) {
		ustat_err("report: %s", err);
		return 1;
	}
	if (ustat_mset__load(&mg.ms, l->paths, l->nr, err, sizeof(err))) {
		ustat_err("%s", err);
		goto out;
	}
	mg.in = mg.ms.in;
	mg.nr_in = mg.ms.nr_in;
	mg.m = mg.ms.m;
	mg.nr_m = mg.ms.nr_m;
	for (i = 0; i < mg.nr_in; i++) {
		mg.samples += mg.in[i].agg.samples;
		mg.lost += mg.in[i].agg.lost;
	}
	ret = ustat_mset__flushed(o->json ? print_json(&mg, stdout) : print_stdio(&mg, stdout));
out:
	ustat_mset__exit(&mg.ms);
	return ret ? 1 : 0;
}
