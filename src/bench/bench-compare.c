// SPDX-License-Identifier: GPL-2.0
/*
 * bench --compare: read two bench --json files back (json-parse.c), pair
 * their results by kind and thread count, and test each pair's repeats
 * with Welch's t-test (welch.c).  The rates compared are each repeat's
 * "hits_per_sec", which bench --json keeps for every repeat.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench-compare.h"
#include "util/uprobe-stat/util/debug.h"
#include "util/uprobe-stat/util/file-util.h"
#include "util/uprobe-stat/util/json-parse.h"
#include "util/uprobe-stat/util/json-writer.h"

struct bench_cmp_res {
	const char		*kind;
	const char		*label;
	int			 threads;
	const char		*skipped;
	struct bench_stat	 rate;
};

struct bench_cmp_run {
	struct ustat_jv		 root;
	const char		*kernel;
	const char		*machine;
	bool			 attach;
	bool			 record;
	double			 duration;
	struct bench_cmp_res	*res;
	int			 nr;
};

static int load_result(const struct ustat_jv *r, struct bench_cmp_res *res, int i,
		       char *err, size_t errlen)
{
	const struct ustat_jv *reps = ustat_jv__get(r, "repeats");
	const struct ustat_jv *skipped = ustat_jv__get(r, "skipped");
	double threads, *rates;
	int j;

	res->kind = ustat_jv__string(r, "kind");
	res->label = ustat_jv__string(r, "name");
	if (!res->kind || !ustat_jv__number(r, "threads", &threads) || threads < 1 ||
	    threads > BENCH_MAX_THREADS || !reps || reps->type != USTAT_JV_ARRAY) {
		snprintf(err, errlen, "result %d lacks kind, threads or repeats", i);
		return -EINVAL;
	}
	if (!res->label)
		res->label = res->kind;
	res->threads = threads;
	if (skipped && skipped->type == USTAT_JV_STRING) {
		res->skipped = skipped->string;
		return 0;
	}
	rates = calloc(reps->nr ? reps->nr : 1, sizeof(*rates));
	if (!rates)
		return -ENOMEM;
	for (j = 0; j < reps->nr; j++) {
		if (!ustat_jv__number(&reps->items[j], "hits_per_sec", &rates[j]) ||
		    rates[j] < 0) {
			snprintf(err, errlen,
				 "result %d (%s, %d threads): repeat %d has no hits_per_sec",
				 i, res->kind, res->threads, j);
			free(rates);
			return -EINVAL;
		}
	}
	bench_stat__compute(&res->rate, rates, reps->nr);
	free(rates);
	return 0;
}

static int parse_run(const char *path, const char *text, struct bench_cmp_run *run,
		     char *err, size_t errlen)
{
	const struct ustat_jv *results, *v;
	char why[256] = "";
	int i, ret;

	ret = ustat_json__parse(text, &run->root, why, sizeof(why));
	if (ret) {
		snprintf(err, errlen, "%s: not JSON: %s", path, why);
		return -1;
	}
	v = &run->root;
	results = ustat_jv__get(v, "results");
	if (!ustat_jv__string(v, "tool") ||
	    strcmp(ustat_jv__string(v, "tool"), "uprobe-stat bench") ||
	    !results || results->type != USTAT_JV_ARRAY) {
		snprintf(err, errlen,
			 "%s: not a bench --json file (no \"tool\": \"uprobe-stat bench\" and results)",
			 path);
		return -1;
	}
	run->kernel = ustat_jv__string(v, "kernel");
	run->machine = ustat_jv__string(v, "machine");
	v = ustat_jv__get(&run->root, "attach");
	run->attach = !v || v->type != USTAT_JV_BOOL || v->boolean;
	v = ustat_jv__get(&run->root, "record");
	run->record = v && v->type == USTAT_JV_BOOL && v->boolean;
	if (!ustat_jv__number(&run->root, "duration_s", &run->duration))
		run->duration = 0;
	run->res = calloc(results->nr ? results->nr : 1, sizeof(*run->res));
	if (!run->res) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < results->nr; i++) {
		ret = load_result(&results->items[i], &run->res[i], i, why, sizeof(why));
		if (ret) {
			snprintf(err, errlen, "%s: %s", path,
				 ret == -ENOMEM ? "out of memory" : why);
			return -1;
		}
		run->nr++;
	}
	return 0;
}

static char *read_run(const char *path, char *err, size_t errlen)
{
	size_t len;
	char *text = ustat_read_file(path, &len);

	if (!text) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (strlen(text) != len) {
		snprintf(err, errlen, "%s: not a bench --json file (it holds a NUL byte)", path);
		free(text);
		return NULL;
	}
	return text;
}

static const struct bench_cmp_res *find_res(const struct bench_cmp_run *run,
					    const char *kind, int threads)
{
	int i;

	for (i = 0; i < run->nr; i++)
		if (!strcmp(run->res[i].kind, kind) && run->res[i].threads == threads)
			return &run->res[i];
	return NULL;
}

static void fill_side(struct bench_cmp_side *s, const struct bench_cmp_res *r)
{
	if (!r)
		return;
	s->skipped = r->skipped;
	s->have = !r->skipped && r->rate.n > 0;
	s->rate = r->rate;
	s->ns_per_hit = s->have && r->rate.mean > 0 ? r->threads * 1e9 / r->rate.mean : 0;
}

static void judge(struct bench_cmp_row *row)
{
	if (!row->a.have || !row->b.have) {
		row->verdict = !row->a.have && !row->a.skipped ? "only in B" :
			       !row->b.have && !row->b.skipped ? "only in A" :
			       !row->a.have ? "skipped in A" : "skipped in B";
		return;
	}
	row->ratio = row->a.rate.mean > 0 ? row->b.rate.mean / row->a.rate.mean : 0;
	ustat_welch(row->a.rate.mean, row->a.rate.stddev, row->a.rate.n,
		    row->b.rate.mean, row->b.rate.stddev, row->b.rate.n, &row->w);
	row->tested = row->w.valid;
	if (!row->tested)
		row->verdict = "untested (needs 2 repeats)";
	else if (row->w.p < USTAT_WELCH_ALPHA)
		row->verdict = "significant";
	else
		row->verdict = "within noise";
}

/* A's results in A's order, then what only B has. */
static int pair_rows(struct bench_cmp *c)
{
	struct bench_cmp_run *a = c->run[0], *b = c->run[1];
	int i, n = 0;

	c->rows = calloc(a->nr + b->nr + 1, sizeof(*c->rows));
	if (!c->rows)
		return -ENOMEM;
	for (i = 0; i < a->nr + b->nr; i++) {
		const struct bench_cmp_res *r = i < a->nr ? &a->res[i] : &b->res[i - a->nr];
		struct bench_cmp_row *row = &c->rows[n];

		if (i >= a->nr && find_res(a, r->kind, r->threads))
			continue;
		if (i < a->nr && find_res(a, r->kind, r->threads) != r)
			continue;	/* given twice: the first counts */
		row->kind = r->kind;
		row->label = r->label;
		row->threads = r->threads;
		fill_side(&row->a, find_res(a, r->kind, r->threads));
		fill_side(&row->b, find_res(b, r->kind, r->threads));
		judge(row);
		n++;
	}
	c->nr_rows = n;
	return 0;
}

int bench_cmp__load_texts(struct bench_cmp *c, const char *a, const char *text_a,
			  const char *b, const char *text_b, char *err, size_t errlen)
{
	const char *text[2] = { text_a, text_b };
	int i;

	memset(c, 0, sizeof(*c));
	c->path[0] = a;
	c->path[1] = b;
	for (i = 0; i < 2; i++) {
		c->run[i] = calloc(1, sizeof(*c->run[i]));
		if (!c->run[i]) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		if (parse_run(c->path[i], text[i], c->run[i], err, errlen))
			return -1;
	}
	if (pair_rows(c)) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

int bench_cmp__load(struct bench_cmp *c, const char *a, const char *b, char *err, size_t errlen)
{
	char *ta, *tb = NULL;
	int ret = -1;

	memset(c, 0, sizeof(*c));
	ta = read_run(a, err, errlen);
	if (ta)
		tb = read_run(b, err, errlen);
	if (ta && tb)
		ret = bench_cmp__load_texts(c, a, ta, b, tb, err, errlen);
	free(ta);
	free(tb);
	return ret;
}

void bench_cmp__exit(struct bench_cmp *c)
{
	int i;

	for (i = 0; i < 2; i++) {
		if (!c->run[i])
			continue;
		free(c->run[i]->res);
		ustat_jv__free(&c->run[i]->root);
		free(c->run[i]);
	}
	free(c->rows);
	memset(c, 0, sizeof(*c));
}

static void print_run(const struct bench_cmp *c, int i, FILE *out)
{
	const struct bench_cmp_run *r = c->run[i];

	fprintf(out, "# %c: %s: Linux %s %s, %.3f s windows, %s\n", 'A' + i, c->path[i],
		r->kernel ? r->kernel : "?", r->machine ? r->machine : "?", r->duration,
		!r->attach ? "no probe attached (--no-attach)" :
		r->record ? "every hit sampled (--record)" : "probes counting");
}

void bench_cmp__print_table(const struct bench_cmp *c, FILE *out)
{
	int i;

	fputs("# uprobe-stat bench --compare\n", out);
	print_run(c, 0, out);
	print_run(c, 1, out);
	if (c->run[0]->attach != c->run[1]->attach || c->run[0]->record != c->run[1]->record)
		fputs("# note: A and B did not run the same way: the difference is expected\n",
		      out);
	fputs("# hits/s of all threads (M: millions): mean +- stddev over the repeats (n);\n"
	      "# B/A: ratio of the means; ns/hit: what a call costs a thread\n"
	      "# verdict: Welch's t-test on the repeats, two-sided, significant when p < 0.05\n#\n",
	      out);
	fprintf(out, "# %-6s %7s %22s %22s %8s %8s %9s %9s %9s  %s\n", "kind", "threads",
		"A hits/s", "B hits/s", "B/A", "change", "A ns/hit", "B ns/hit", "p",
		"verdict");
	for (i = 0; i < c->nr_rows; i++) {
		const struct bench_cmp_row *r = &c->rows[i];
		char a[64] = "-", b[64] = "-";

		if (r->a.have)
			snprintf(a, sizeof(a), "%.3f +- %.3fM (%u)", r->a.rate.mean / 1e6,
				 r->a.rate.stddev / 1e6, r->a.rate.n);
		if (r->b.have)
			snprintf(b, sizeof(b), "%.3f +- %.3fM (%u)", r->b.rate.mean / 1e6,
				 r->b.rate.stddev / 1e6, r->b.rate.n);
		fprintf(out, "  %-6s %7d %22s %22s", r->kind, r->threads, a, b);
		if (r->a.have && r->b.have)
			fprintf(out, " %8.3f %+7.1f%% %9.1f %9.1f", r->ratio, (r->ratio - 1) * 100,
				r->a.ns_per_hit, r->b.ns_per_hit);
		else
			fprintf(out, " %8s %8s %9s %9s", "-", "-", "-", "-");
		if (r->tested)
			fprintf(out, " %9.2g", r->w.p);
		else
			fprintf(out, " %9s", "-");
		fprintf(out, "  %s", r->verdict);
		if (!r->a.have && r->a.skipped)
			fprintf(out, ": %s", r->a.skipped);
		else if (!r->b.have && r->b.skipped)
			fprintf(out, ": %s", r->b.skipped);
		fputc('\n', out);
	}
}

static void print_side_json(const struct bench_cmp_side *s, FILE *out)
{
	if (!s->have) {
		fputs("null", out);
		return;
	}
	fprintf(out, "{\"mean\": %.3f, \"stddev\": %.3f, \"n\": %u, \"ns_per_hit\": %.3f}",
		s->rate.mean, s->rate.stddev, s->rate.n, s->ns_per_hit);
}

static void print_num_json(FILE *out, const char *key, double v, bool have)
{
	if (have && !isinf(v))
		fprintf(out, ", \"%s\": %.6g", key, v);
	else
		fprintf(out, ", \"%s\": null", key);
}

void bench_cmp__print_json(const struct bench_cmp *c, FILE *out)
{
	int i;

	fputs("{\"tool\": \"uprobe-stat bench --compare\",\n", out);
	for (i = 0; i < 2; i++) {
		const struct bench_cmp_run *r = c->run[i];

		fprintf(out, " \"%c\": {\"file\": ", 'a' + i);
		ustat_json__string(out, c->path[i]);
		fputs(", \"kernel\": ", out);
		ustat_json__string(out, r->kernel ? r->kernel : "");
		fprintf(out, ", \"attach\": %s, \"record\": %s},\n", r->attach ? "true" : "false",
			r->record ? "true" : "false");
	}
	fprintf(out, " \"test\": \"welch-t-two-sided\", \"alpha\": %.2f,\n \"results\": [\n",
		USTAT_WELCH_ALPHA);
	for (i = 0; i < c->nr_rows; i++) {
		const struct bench_cmp_row *r = &c->rows[i];
		bool both = r->a.have && r->b.have;

		fprintf(out, "  {\"kind\": \"%s\", \"threads\": %d, \"a\": ", r->kind, r->threads);
		print_side_json(&r->a, out);
		fputs(", \"b\": ", out);
		print_side_json(&r->b, out);
		print_num_json(out, "ratio", r->ratio, both);
		print_num_json(out, "change_pct", (r->ratio - 1) * 100, both);
		print_num_json(out, "t", r->w.t, r->tested);
		print_num_json(out, "df", r->w.df, r->tested);
		print_num_json(out, "p", r->w.p, r->tested);
		fputs(", \"verdict\": ", out);
		ustat_json__string(out, r->verdict);
		fputs(i + 1 < c->nr_rows ? "},\n" : "}\n", out);
	}
	fputs(" ]\n}\n", out);
}

int bench_compare_main(int argc, const char **argv, bool json)
{
	struct bench_cmp c;
	char err[1024] = "";
	int ret = 1;

	if (argc != 2) {
		ustat_err("bench --compare takes two bench --json files: A.json B.json");
		return 1;
	}
	if (!bench_cmp__load(&c, argv[0], argv[1], err, sizeof(err))) {
		if (json)
			bench_cmp__print_json(&c, stdout);
		else
			bench_cmp__print_table(&c, stdout);
		ret = fflush(stdout) ? 1 : 0;
		if (ret)
			ustat_err("bench --compare: cannot write the output");
	} else {
		ustat_err("bench --compare: %s", err);
	}
	bench_cmp__exit(&c);
	return ret;
}
