// SPDX-License-Identifier: GPL-2.0
/*
 * bench --json.  The schema is in Documentation/perf-uprobe-stat.txt;
 * keys are only ever added, never renamed.  Every result has every key:
 * what a run did not measure is null.
 */
#include <stdio.h>

#include "bench.h"
#include "util/uprobe-stat/util/json-writer.h"

static void print_bytes(FILE *out, const u8 *bytes, unsigned int n)
{
	unsigned int i;

	fputc('"', out);
	for (i = 0; i < n; i++)
		fprintf(out, "%s%02x", i ? " " : "", bytes[i]);
	fputc('"', out);
}

static void print_u64_or_null(FILE *out, const char *key, u64 v, bool have)
{
	if (have)
		fprintf(out, "\"%s\": %llu", key, (unsigned long long)v);
	else
		fprintf(out, "\"%s\": null", key);
}

static void print_env(const struct bench *b, FILE *out)
{
	const struct bench_env *env = &b->env;
	int i;

	fputs("{\n  \"tool\": \"uprobe-stat bench\",\n  \"kernel\": ", out);
	ustat_json__string(out, env->release);
	fputs(",\n  \"machine\": ", out);
	ustat_json__string(out, env->machine);
	fputs(",\n  \"cpus\": [", out);
	for (i = 0; i < env->nr_cpus; i++)
		fprintf(out, "%s%d", i ? ", " : "", env->cpus[i]);
	fputs("],\n  \"loadavg\": ", out);
	if (env->loadavg >= 0)
		fprintf(out, "%.2f", env->loadavg);
	else
		fputs("null", out);
	fputs(",\n  \"binary\": ", out);
	ustat_json__string(out, env->binary);
	fprintf(out, ",\n  \"duration_s\": %.6f,\n  \"warmup_s\": %.6f,\n  \"repeat\": %u,\n",
		b->opts.duration, b->opts.warmup, b->opts.repeat);
	fprintf(out, "  \"record\": %s,\n  \"attach\": %s,\n  \"uprobe_pmu\": %s,\n",
		b->opts.record ? "true" : "false", b->opts.no_attach ? "false" : "true",
		env->have_pmu ? "true" : "false");
	/* The kernel consumers of each probed site: handlers a hit (bench-probe.h). */
	fprintf(out, "  \"consumers\": %d,\n  \"consumer\": \"%s\",\n", env->consumers,
		!env->consumers ? "none" : env->on_tracefs ? "uprobe_events" : "uprobe_pmu");
	fputs("  \"uprobes_core\": {\"tracefs\": ", out);
	if (env->tracepoints_known)
		ustat_json__string(out, env->signals.tracefs);
	else
		fputs("null", out);
	for (i = 0; i < USTAT_KEV_NR; i++) {
		if (!ustat_kevent_descs[i].patched)
			continue;
		fprintf(out, ", \"%s\": %s", ustat_kevent_descs[i].name,
			!env->tracepoints_known ? "null" :
			env->signals.id[i] >= 0 ? "true" : "false");
	}
	fputs("},\n", out);
}

static void print_repeat(const struct bench *b, const struct bench_result *r,
			 const struct bench_repeat *rep, FILE *out)
{
	bool probed = bench__attaches(b, r->kind);
	double secs = rep->window_ns / 1e9;
	int t, c;

	fprintf(out,
		"        {\"window_ns\": %llu, \"loops\": %llu, \"timed_loops\": %llu, \"timed_cpu_ns\": %llu, ",
		(unsigned long long)rep->window_ns, (unsigned long long)rep->loops,
		(unsigned long long)rep->timed, (unsigned long long)rep->timed_cpu_ns);
	print_u64_or_null(out, "hits", rep->hits, probed);
	fputs(", ", out);
	print_u64_or_null(out, "samples", rep->samples, probed && b->opts.record);
	fputs(", ", out);
	print_u64_or_null(out, "lost", rep->lost, probed && b->opts.record);
	fprintf(out, ",\n         \"hits_per_sec\": %.3f,\n         \"threads\": [",
		secs > 0 ? rep->timed / secs : 0);
	for (t = 0; t < r->nr_threads; t++) {
		const struct bench_thread_result *th = &rep->threads[t];

		fprintf(out, "%s{\"cpu\": ", t ? ", " : "");
		if (th->cpu >= 0)
			fprintf(out, "%d", th->cpu);
		else
			fputs("null", out);
		fprintf(out, ", \"loops\": %llu, \"timed_loops\": %llu, \"hits_per_sec\": %.3f}",
			(unsigned long long)th->loops, (unsigned long long)th->timed,
			secs > 0 ? th->timed / secs : 0);
	}
	fputs("],\n         \"per_cpu\": [", out);
	for (c = 0; probed && c < b->env.nr_cpus; c++)
		fprintf(out, "%s{\"cpu\": %d, \"hits\": %llu}", c ? ", " : "", b->env.cpus[c],
			(unsigned long long)rep->cpu_hits[c]);
	fputs("]}", out);
}

static void print_result(const struct bench *b, const struct bench_result *r, FILE *out)
{
	const struct bench_kind_desc *kd = &bench_kinds[r->kind];
	unsigned int i;
	int t;

	fprintf(out, "    {\"kind\": \"%s\", \"name\": \"%s\", \"threads\": %d, \"pinned\": %s,\n",
		kd->name, kd->label, r->nr_threads, r->pinned ? "true" : "false");
	fputs("     \"insn\": ", out);
	ustat_json__string(out, kd->insn);
	fputs(", \"insn_bytes\": ", out);
	print_bytes(out, kd->bytes, kd->nr_bytes);
	fputs(", \"seen_bytes\": ", out);
	if (r->have_seen)
		print_bytes(out, r->seen, kd->nr_bytes);
	else
		fputs("null", out);
	fputs(",\n     \"skipped\": ", out);
	if (r->ran)
		fputs("null", out);
	else
		ustat_json__string(out, r->skipped);
	if (!r->ran) {
		fputs(",\n     \"hits_per_sec\": null, \"hits_per_sec_per_thread\": null,", out);
		fputs(" \"ns_per_hit\": null, \"ns_per_hit_above_base\": null,\n", out);
		fputs("     \"counts_ok\": null, \"mismatch\": null, \"path\": null,", out);
		fputs(" \"path_confirmed\": null, \"path_detail\": null,\n", out);
		fputs("     \"repeats\": []}", out);
		return;
	}
	fprintf(out, ",\n     \"hits_per_sec\": {\"mean\": %.3f, \"stddev\": %.3f},\n",
		r->rate.mean, r->rate.stddev);
	fputs("     \"hits_per_sec_per_thread\": [", out);
	for (t = 0; r->thread_rate && t < r->nr_threads; t++)
		fprintf(out, "%s%.3f", t ? ", " : "", r->thread_rate[t]);
	fprintf(out, "],\n     \"ns_per_hit\": %.3f, \"ns_per_hit_above_base\": ", r->ns_per_hit);
	if (r->have_base)
		fprintf(out, "%.3f", r->ns_above_base);
	else
		fputs("null", out);
	if (bench__attaches(b, r->kind))
		fprintf(out, ",\n     \"counts_ok\": %s, \"mismatch\": ",
			r->counts_ok ? "true" : "false");
	else
		fputs(",\n     \"counts_ok\": null, \"mismatch\": ", out);
	if (bench__attaches(b, r->kind) && !r->counts_ok)
		ustat_json__string(out, r->mismatch);
	else
		fputs("null", out);
	fputs(",\n     \"path\": ", out);
	ustat_json__string(out, r->path);
	fprintf(out, ", \"path_confirmed\": %s, \"path_detail\": ",
		r->path_confirmed ? "true" : "false");
	ustat_json__string(out, r->path_detail);
	fputs(",\n     \"repeats\": [\n", out);
	for (i = 0; i < r->nr_repeats; i++) {
		print_repeat(b, r, &r->repeats[i], out);
		fputs(i + 1 < r->nr_repeats ? ",\n" : "\n", out);
	}
	fputs("     ]}", out);
}

void bench__print_json(const struct bench *b, FILE *out)
{
	int i;

	print_env(b, out);
	fputs("  \"results\": [\n", out);
	for (i = 0; i < b->nr_results; i++) {
		print_result(b, &b->results[i], out);
		fputs(i + 1 < b->nr_results ? ",\n" : "\n", out);
	}
	fputs("  ]\n}\n", out);
}
