// SPDX-License-Identifier: GPL-2.0
/*
 * bench's table.  Rows are shaped like selftests/bpf's bench output, so
 * numbers from the two compare at a glance:
 *
 *	uprobe-nop ( 2 cpus):    3.452 ± 0.005M/s  (  1.726M/s/cpu)
 *
 * followed by what a hit costs, the cost beyond the unprobed call, and
 * the kernel path the probe took.
 */
#include <stdio.h>
#include <linux/kernel.h>

#include "bench.h"

#define INDENT	"                       "

/* Column titles over the fields of print_row()'s format. */
static void print_columns(FILE *out)
{
	static const struct {
		int		 col;
		const char	*title;
	} titles[] = {
		{ 0, "# kind" }, { 12, "threads" }, { 23, "hits/s, all threads" },
		{ 45, "per thread" }, { 64, "cost of a hit" }, { 81, "above base" },
		{ 93, "kernel path" },
	};
	char line[128];
	size_t i, at = 0;

	for (i = 0; i < ARRAY_SIZE(titles); i++) {
		while (at < (size_t)titles[i].col)
			line[at++] = ' ';
		at += snprintf(line + at, sizeof(line) - at, "%s", titles[i].title);
	}
	fprintf(out, "%s\n", line);
}

static void print_header(const struct bench *b, FILE *out)
{
	const struct bench_env *env = &b->env;
	const struct ustat_kevents *sig = &env->signals;
	const char *sep = "";
	int i, have = 0;

	fprintf(out, "# uprobe-stat bench: Linux %s %s, %d CPUs online", env->release,
		env->machine, env->nr_cpus);
	if (env->loadavg >= 0)
		fprintf(out, ", load average %.2f", env->loadavg);
	fprintf(out, "\n# each run: %u x %.3f s timed, each after %.3f s of warm-up; %s\n",
		b->opts.repeat, b->opts.duration, b->opts.warmup,
		b->opts.record ? "every hit sampled into ring buffers and drained (--record)" :
		b->opts.no_attach ? "calls only, bench counts no hits" :
				    "the probes count hits, no samples");
	if (b->opts.no_attach)
		fputs("# probes: none attached (--no-attach): for an outside consumer\n"
		      "#   to probe functions of ", out);
	else if (env->on_tracefs)
		fputs("# probes: one uprobe defined in uprobe_events a site, an event\n"
		      "#   per online CPU on it (one handler a hit), on functions of ", out);
	else
		fprintf(out, "# probes: uprobe PMU events, one per online CPU (%d handlers a hit:\n"
			"#   uprobe_events is not writable), on functions of ", env->consumers);
	fprintf(out, "%s\n", env->binary);
	fputs("# uprobes_core tracepoints: ", out);
	if (!env->tracepoints_known) {
		fputs("cannot tell, tracefs is not mounted or not readable\n", out);
	} else {
		for (i = 0; i < USTAT_KEV_NR; i++) {
			if (!ustat_kevent_descs[i].patched || sig->id[i] < 0)
				continue;
			fprintf(out, "%s%s", sep, ustat_kevent_descs[i].name);
			sep = ", ";
			have++;
		}
		fputs(have ? " available (record and report use them)\n" :
			     "not in this kernel (tools-perf-patch/kernel/ adds them)\n", out);
	}
	if (env->loadavg > 0.5 * env->nr_cpus)
		fprintf(out,
			"# note: load average %.2f on %d CPUs: other work competes for the CPUs, the numbers are noisy\n",
			env->loadavg, env->nr_cpus);
	fputs("#\n", out);
	print_columns(out);
}

static void print_row(const struct bench *b, const struct bench_result *r, FILE *out)
{
	const char *label = bench_kinds[r->kind].label;
	u64 samples = 0, lost = 0;
	char above[32] = "-";
	unsigned int i;
	int t;

	if (!r->ran) {
		fprintf(out, "%-11s (%2d cpus): skipped: %s\n", label, r->nr_threads, r->skipped);
		return;
	}
	if (r->have_base)
		snprintf(above, sizeof(above), "%+.1f ns", r->ns_above_base);
	fprintf(out,
		"%-11s (%2d cpus): %8.3f ± %5.3fM/s  (%7.3fM/s/cpu)  %9.1f ns/hit  %11s  %s\n",
		label, r->nr_threads, r->rate.mean / 1e6, r->rate.stddev / 1e6,
		r->rate.mean / 1e6 / r->nr_threads, r->ns_per_hit, above,
		r->path ? r->path : "?");
	if (r->nr_threads > 1 && r->thread_rate) {
		fputs(INDENT "per thread:", out);
		for (t = 0; t < r->nr_threads; t++)
			fprintf(out, " %.3f", r->thread_rate[t] / 1e6);
		fputs("M/s", out);
		if (r->pinned) {
			fputs(" on CPUs", out);
			for (t = 0; t < r->nr_threads; t++)
				fprintf(out, "%s%d", t ? "," : " ", r->repeats[0].threads[t].cpu);
		} else {
			fputs(", not pinned: more threads than CPUs", out);
		}
		fputc('\n', out);
	}
	if (b->opts.record && bench__attaches(b, r->kind)) {
		for (i = 0; i < r->nr_repeats; i++) {
			samples += r->repeats[i].samples;
			lost += r->repeats[i].lost;
		}
		fprintf(out, INDENT "samples: %llu read, %llu lost\n",
			(unsigned long long)samples, (unsigned long long)lost);
	}
	if (!r->counts_ok && bench__attaches(b, r->kind))
		fprintf(out, INDENT "COUNTS DISAGREE: %s\n", r->mismatch);
}

/* Each kind's path, as judged at its smallest thread count. */
static void print_paths(const struct bench *b, FILE *out)
{
	int i, j;

	fputs("#\n# kernel paths:\n", out);
	for (i = 0; i < b->nr_results; i++) {
		const struct bench_result *r = &b->results[i];
		bool first = true;

		for (j = 0; j < b->nr_results; j++) {
			const struct bench_result *o = &b->results[j];

			if (o->kind == r->kind && o->ran &&
			    (o->nr_threads < r->nr_threads ||
			     (o->nr_threads == r->nr_threads && j < i)))
				first = false;
		}
		if (!r->ran || !first)
			continue;
		fprintf(out, "#   %-11s %-15s %s\n", bench_kinds[r->kind].label, r->path,
			r->path_detail);
	}
}

void bench__print_table(const struct bench *b, FILE *out)
{
	int i;

	print_header(b, out);
	for (i = 0; i < b->nr_results; i++)
		print_row(b, &b->results[i], out);
	print_paths(b, out);
}
