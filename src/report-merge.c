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

#include "debug.h"
#include "json-writer.h"
#include "report-multi.h"

enum merge_key { MK_PROBE, MK_CPU, MK_HOST, MK_FILE, MK_NR };

static const char *const merge_key_names[MK_NR] = { "probe", "cpu", "host", "file" };

struct merge {
	struct ustat_input	*in;
	int			 nr_in;
	struct ustat_pmatch	*m;
	int			 nr_m;
	int			 host_id[USTAT_MAX_INPUTS];
	const char		*hosts[USTAT_MAX_INPUTS];
	int			 nr_hosts;
	enum merge_key		 keys[MK_NR];
	int			 nr_keys;
	bool			 by[MK_NR];
	u64			 samples;
	u64			 lost;
};

struct mrow {
	int	k[MK_NR];	/* match, cpu, host id, file; -1 when not a key */
	u64	hits;
	double	rate;
};

static int parse_keys(struct merge *mg, const char *str)
{
	char *copy = strdup(str), *tok, *save = NULL;
	int k, ret = 0;

	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		for (k = 0; k < MK_NR; k++)
			if (!strcmp(tok, merge_key_names[k]))
				break;
		if (k == MK_NR) {
			ustat_err("report: unknown --sort key '%s' (known: probe, cpu, host, file)",
				  tok);
			ret = -EINVAL;
			break;
		}
		if (!mg->by[k])
			mg->keys[mg->nr_keys++] = k;
		mg->by[k] = true;
	}
	if (!ret && !mg->nr_keys) {
		ustat_err("report: empty --sort");
		ret = -EINVAL;
	}
	free(copy);
	return ret;
}

static void add_atom(struct mrow *r, size_t *n, const struct merge *mg, int m, int cpu, int i,
		     u64 hits)
{
	if (!hits)
		return;
	r[*n].k[MK_PROBE] = mg->by[MK_PROBE] ? m : -1;
	r[*n].k[MK_CPU] = mg->by[MK_CPU] ? cpu : -1;
	r[*n].k[MK_HOST] = mg->by[MK_HOST] ? mg->host_id[i] : -1;
	r[*n].k[MK_FILE] = mg->by[MK_FILE] ? i : -1;
	r[*n].hits = hits;
	r[*n].rate = ustat_report__rate(&mg->in[i].rep, hits);
	(*n)++;
}

static int cmp_keys(const void *x, const void *y)
{
	const struct mrow *a = x, *b = y;
	int k;

	for (k = 0; k < MK_NR; k++)
		if (a->k[k] != b->k[k])
			return a->k[k] - b->k[k];
	return 0;
}

static int cmp_hits(const void *x, const void *y)
{
	const struct mrow *a = x, *b = y;

	if (a->hits != b->hits)
		return a->hits > b->hits ? -1 : 1;
	return cmp_keys(x, y);
}

/* Every (probe, file, CPU) count projected on the keys, then added up per key. */
static int merge_rows(const struct merge *mg, struct mrow **rows, size_t *nr)
{
	size_t cap = 1, n = 0, j, out;
	struct mrow *r;
	int i, m;
	u32 c;

	for (i = 0; i < mg->nr_in; i++)
		cap += (size_t)(mg->nr_m + 1) * (mg->in[i].agg.nr_cpus + 1);
	r = calloc(cap, sizeof(*r));
	if (!r)
		return -ENOMEM;
	for (i = 0; i < mg->nr_in; i++) {
		const struct ustat_agg *agg = &mg->in[i].agg;

		if (!mg->by[MK_PROBE]) {
			if (!mg->by[MK_CPU])
				add_atom(r, &n, mg, -1, -1, i, agg->samples);
			for (c = 0; mg->by[MK_CPU] && c < agg->nr_cpus; c++)
				add_atom(r, &n, mg, -1, c, i, agg->cpu_hits[c]);
			continue;
		}
		for (m = 0; m < mg->nr_m; m++) {
			const struct ustat_probe_agg *p = ustat_pmatch__probe(&mg->m[m], mg->in, i);

			if (!p)
				continue;
			if (!mg->by[MK_CPU])
				add_atom(r, &n, mg, m, -1, i, p->hits);
			for (c = 0; mg->by[MK_CPU] && c < agg->nr_cpus; c++)
				add_atom(r, &n, mg, m, c, i, p->cpu_hits[c]);
		}
	}
	qsort(r, n, sizeof(*r), cmp_keys);
	for (j = 0, out = 0; j < n; j++) {
		if (out && !cmp_keys(&r[out - 1], &r[j])) {
			r[out - 1].hits += r[j].hits;
			r[out - 1].rate += r[j].rate;
		} else {
			r[out++] = r[j];
		}
	}
	qsort(r, out, sizeof(*r), cmp_hits);
	*rows = r;
	*nr = out;
	return 0;
}

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

	memset(counts, 0, USTAT_SIG_COUNTERS * sizeof(*counts));
	for (i = 0; i < mg->nr_in; i++) {
		const struct ustat_sig_stats *st = ustat_pmatch__signals(&mg->m[m], mg->in, i);

		for (k = 0; st && k < USTAT_SIG_COUNTERS; k++)
			counts[k] += ustat_sig_counter(st, k);
		any |= st != NULL;
	}
	return any;
}

/* -- stdio ------------------------------------------------------------- */

/* Names are padded to W unless they are the last column. */
static void print_key(const struct merge *mg, const struct mrow *r, enum merge_key k, int w,
		      FILE *out)
{
	switch (k) {
	case MK_PROBE:
		fprintf(out, "  %-*s", w, mg->m[r->k[k]].name);
		break;
	case MK_CPU:
		fprintf(out, "  %4d", r->k[k]);
		break;
	case MK_HOST:
		fprintf(out, "  %-*s", w, mg->hosts[r->k[k]]);
		break;
	case MK_FILE:
		fprintf(out, "  %-*s", w, mg->in[r->k[k]].path);
		break;
	case MK_NR:
	default:
		break;
	}
}

static int key_width(const struct merge *mg, enum merge_key k)
{
	int i, n = 0, w = 4;

	n = k == MK_PROBE ? mg->nr_m : k == MK_HOST ? mg->nr_hosts : k == MK_FILE ? mg->nr_in : 0;
	for (i = 0; i < n; i++) {
		int l = strlen(k == MK_PROBE ? mg->m[i].name :
			       k == MK_HOST ? mg->hosts[i] : mg->in[i].path);

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
		fprintf(out, "# WARNING: probe %s is in %d of %d files, only in:", mg->m[m].name,
			mg->m[m].nr_present, mg->nr_in);
		for (i = 0; i < mg->nr_in; i++)
			if (mg->m[m].idx[i] >= 0)
				fprintf(out, " %s", mg->in[i].path);
		fputs(": its counts are theirs alone\n", out);
	}
}

static void print_tables(const struct merge *mg, FILE *out)
{
	u64 counts[USTAT_SIG_COUNTERS];
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
		fprintf(out, "  %-24s %10llu %10llu %10llu %10llu %10llu %10llu %10llu\n",
			mg->m[m].name, (unsigned long long)h->count, (unsigned long long)h->min,
			(unsigned long long)ustat_hist__mean(h),
			(unsigned long long)ustat_hist__percentile(h, 50),
			(unsigned long long)ustat_hist__percentile(h, 90),
			(unsigned long long)ustat_hist__percentile(h, 99),
			(unsigned long long)h->max);
	}
	free(h);
	if (header)
		fputs("#\n", out);
	header = false;
	for (m = 0; m < mg->nr_m; m++) {
		if (!probe_signals(mg, m, counts))
			continue;
		for (k = 0; k < USTAT_SIG_COUNTERS; k++) {
			if (!counts[k])
				continue;
			if (!header)
				fprintf(out, "# Kernel events per probe, all files added\n"
					"# %-24s %-18s %12s\n", "Probe", "Event", "Count");
			header = true;
			fprintf(out, "  %-24s %-18s %12llu\n", mg->m[m].name,
				ustat_sig_counter_names[k], (unsigned long long)counts[k]);
		}
	}
	if (header)
		fputs("#\n", out);
}

static int print_stdio(const struct merge *mg, FILE *out)
{
	int w[MK_NR] = { 0 };
	struct mrow *rows;
	char target[512];
	size_t nr, j;
	int i;

	for (i = 0; i + 1 < mg->nr_keys; i++)
		w[i] = key_width(mg, mg->keys[i]);
	fprintf(out, "# uprobe-stat report: %d files merged\n", mg->nr_in);
	for (i = 0; i < mg->nr_in; i++) {
		const struct ustat_input *in = &mg->in[i];

		fprintf(out, "#   %s: host %s, %s, %.6f s, %llu samples, %llu lost\n", in->path,
			in->host, ustat_report__target(&in->rep, target, sizeof(target)),
			in->rep.duration_ns / 1e9, (unsigned long long)in->agg.samples,
			(unsigned long long)in->agg.lost);
	}
	fprintf(out, "# samples: %llu, lost: %llu; Hits/s adds each file's rate over its own duration\n",
		(unsigned long long)mg->samples, (unsigned long long)mg->lost);
	if (mg->lost)
		fputs("# WARNING: events were lost: the counts below are too low\n", out);
	print_mismatched(mg, out);
	fputs("#\n", out);
	if (merge_rows(mg, &rows, &nr))
		return -ENOMEM;
	fprintf(out, "# %8s %12s %12s", "Overhead", "Hits", "Hits/s");
	for (i = 0; i < mg->nr_keys; i++)
		if (mg->keys[i] == MK_CPU)
			fprintf(out, "  %4s", "CPU");
		else
			fprintf(out, "  %-*s", w[i], mg->keys[i] == MK_PROBE ? "Probe" :
				mg->keys[i] == MK_HOST ? "Host" : "File");
	fputc('\n', out);
	for (j = 0; j < nr; j++) {
		fprintf(out, "  %7.2f%% %12llu %12.1f",
			mg->samples ? 100.0 * rows[j].hits / mg->samples : 0,
			(unsigned long long)rows[j].hits, rows[j].rate);
		for (i = 0; i < mg->nr_keys; i++)
			print_key(mg, &rows[j], mg->keys[i], w[i], out);
		fputc('\n', out);
	}
	if (!nr)
		fputs("  (no samples)\n", out);
	fputs("#\n", out);
	free(rows);
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
	u64 counts[USTAT_SIG_COUNTERS];
	bool first = true;
	double rate;
	u64 hits = probe_hits(mg, m, &rate);
	u32 c, nr_cpus = 0;
	int i, k;

	fputs("  {\"name\": ", out);
	ustat_json__string(out, pm->name);
	fputs(", \"binary\": ", out);
	if (pm->binary)
		ustat_json__string(out, pm->binary);
	else
		fputs("null", out);
	fprintf(out, ", \"kind\": \"%s\", \"hits\": %llu, \"hits_per_sec\": %.3f,\n   \"in_files\": ",
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
		for (k = 0; k < USTAT_SIG_COUNTERS; k++)
			fprintf(out, "%s\"%s\": %llu", k ? ", " : "{", ustat_sig_counter_names[k],
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
	struct mrow *rows;
	char target[512];
	bool first = true;
	size_t nr, j;
	int i, m;

	fputs("{\"files\": [", out);
	for (i = 0; i < mg->nr_in; i++) {
		const struct ustat_input *in = &mg->in[i];

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
	if (merge_rows(mg, &rows, &nr))
		return -ENOMEM;
	for (j = 0; j < nr; j++) {
		const struct mrow *r = &rows[j];

		fputs(j ? ",\n  {\"probe\": " : "\n  {\"probe\": ", out);
		if (r->k[MK_PROBE] >= 0)
			ustat_json__string(out, mg->m[r->k[MK_PROBE]].name);
		else
			fputs("null", out);
		if (r->k[MK_CPU] >= 0)
			fprintf(out, ", \"cpu\": %d", r->k[MK_CPU]);
		else
			fputs(", \"cpu\": null", out);
		fputs(", \"host\": ", out);
		if (r->k[MK_HOST] >= 0)
			ustat_json__string(out, mg->hosts[r->k[MK_HOST]]);
		else
			fputs("null", out);
		fputs(", \"file\": ", out);
		if (r->k[MK_FILE] >= 0)
			ustat_json__string(out, mg->in[r->k[MK_FILE]].path);
		else
			fputs("null", out);
		fprintf(out, ", \"hits\": %llu, \"hits_per_sec\": %.3f}",
			(unsigned long long)r->hits, r->rate);
	}
	fputs("\n ]\n}\n", out);
	free(rows);
	return ferror(out) ? -EIO : 0;
}

static void index_hosts(struct merge *mg)
{
	int i, h;

	for (i = 0; i < mg->nr_in; i++) {
		for (h = 0; h < mg->nr_hosts; h++)
			if (!strcmp(mg->hosts[h], mg->in[i].host))
				break;
		if (h == mg->nr_hosts)
			mg->hosts[mg->nr_hosts++] = mg->in[i].host;
		mg->host_id[i] = h;
		mg->samples += mg->in[i].agg.samples;
		mg->lost += mg->in[i].agg.lost;
	}
}

int ustat_report__merge_main(const struct ustat_input_list *l, const struct ustat_multi_opts *o)
{
	struct merge mg;
	char err[512] = "";
	int ret = 1, i;

	memset(&mg, 0, sizeof(mg));
	if (parse_keys(&mg, o->sort))
		return 1;
	mg.in = calloc(l->nr, sizeof(*mg.in));
	if (!mg.in) {
		ustat_err("out of memory");
		return 1;
	}
	for (i = 0; i < l->nr; i++) {
		if (ustat_input__load(&mg.in[i], l->paths[i], err, sizeof(err))) {
			ustat_err("%s", err);
			mg.nr_in = i + 1;
			goto out;
		}
		mg.nr_in = i + 1;
	}
	if (ustat_pmatch__build(mg.in, mg.nr_in, &mg.m, &mg.nr_m)) {
		ustat_err("out of memory");
		goto out;
	}
	index_hosts(&mg);
	ret = o->json ? print_json(&mg, stdout) : print_stdio(&mg, stdout);
	if (fflush(stdout) || ret) {
		ustat_err("report: cannot write the output");
		ret = 1;
	}
out:
	for (i = 0; i < mg.nr_in; i++)
		ustat_input__exit(&mg.in[i]);
	free(mg.in);
	free(mg.m);
	return ret ? 1 : 0;
}
