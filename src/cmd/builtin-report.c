// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include <linux/compiler.h>
#include <subcmd/parse-options.h>

#include "util/uprobe-stat/core/agg-session.h"
#include "util/uprobe-stat/core/aggregate.h"
#include "util/uprobe-stat/core/backend.h"
#include "util/uprobe-stat/bpf/bpf-meta.h"
#include "util/uprobe-stat/bpf/bpf-report.h"
#include "uprobe-stat.h"
#include "util/uprobe-stat/util/debug.h"
#include "util/uprobe-stat/core/report.h"
#include "util/uprobe-stat/core/report-multi.h"
#include "util/uprobe-stat/core/sample-filter.h"
#ifdef HAVE_UPROBE_STAT_TUI
#include "ui/uprobe-stat/tui-replay.h"
#endif

static const char * const report_usage[] = {
	"perf uprobe-stat report [<options>]",
	"perf uprobe-stat report -i A.data -i B.data ... [--sort probe,cpu,comm,host,file]",
	"perf uprobe-stat report --diff [<options>] [A.data B.data]",
	NULL
};

/* report --tui: the replay view, when built with it. */
static int report_tui(struct ustat_input *in, struct ustat_agg *agg, const char *input,
		      const char *consumer, double interval, double speed, bool paused)
{
#ifdef HAVE_UPROBE_STAT_TUI
	struct ustat_tui_opts opts = {
		.mode		= "replay",
		.target		= input,
		.consumer	= consumer,
		.interval	= interval,
		.speed		= speed,
		.paused		= paused,
		.rec		= ustat_input__recording(in),
	};
	char err[512] = "";
	int nr;

	opts.events = ustat_input__events(in, &nr);

	if (ustat_tui__replay(in, agg, &opts, err, sizeof(err))) {
		ustat_err("%s", err);
		return 1;
	}
	return 0;
#else
	ustat_err("report: this perf was built without ncurses (libncurses-dev): no --tui, use --stdio");
	return 1;
#endif
}

/* --sort pid, tid, comm: the aggregation, and the hits per thread beside it. */
struct thread_ctx {
	struct ustat_agg		*agg;
	const struct ustat_sample_filter *filter;
	struct ustat_thread_hits	 hits;
};

static int thread_sample(void *ctx, int idx, const struct ustat_sample *s)
{
	struct thread_ctx *tc = ctx;
	int ret = ustat_agg_input_ops.sample(tc->agg, idx, s);

	return ret ? ret : ustat_thread_hits__add(&tc->hits, tc->agg->infos, tc->filter, idx, s);
}

static int thread_lost(void *ctx, u32 cpu, u64 nr, u64 time)
{
	struct thread_ctx *tc = ctx;

	return ustat_agg_input_ops.lost(tc->agg, cpu, nr, time);
}

/* Counts have no thread: the aggregation's alone. */
static int thread_count(void *ctx, int idx, u32 cpu, u32 thread, u64 value)
{
	struct thread_ctx *tc = ctx;

	return ustat_agg_input_ops.count(tc->agg, idx, cpu, thread, value);
}

static int thread_mmap(void *ctx, u32 pid, u64 start, u64 len, u64 pgoff, const char *name)
{
	struct thread_ctx *tc = ctx;

	return ustat_agg_input_ops.mmap(tc->agg, pid, start, len, pgoff, name);
}

static int thread_fork(void *ctx, u32 pid, u32 ppid)
{
	struct thread_ctx *tc = ctx;

	return ustat_agg_input_ops.fork(tc->agg, pid, ppid);
}

static const struct ustat_input_ops thread_ops = {
	.sample	= thread_sample,
	.lost	= thread_lost,
	.count	= thread_count,
	.mmap	= thread_mmap,
	.fork	= thread_fork,
};

int ustat_cmd_report(int argc, const char **argv)
{
	const char *input, *sort = "probe";
	bool stdio = false, json = false, csv = false, tui = false, paused = false, diff = false;
	bool folded = false;
	struct ustat_callchains cc;
	struct ustat_input_list inputs = { .nr = 0 };
	struct ustat_multi_opts multi;
	const char *interval_str = "1", *speed_str = "1";
	struct ustat_sample_filter filter = { 0 };
	struct thread_ctx tc;
	double interval, speed;
	const struct option options[] = {
		OPT_CALLBACK('i', "input", &inputs, "file",
			     "input file name (default: perf.data, or - when stdin is a pipe); several are merged",
			     ustat_input_list__opt),
		OPT_BOOLEAN(0, "diff", &diff,
			    "compare two files: --diff A B (default: perf.data.old perf.data)"),
		OPT_BOOLEAN(0, "stdio", &stdio, "print tables (the default)"),
		OPT_BOOLEAN(0, "json", &json, "print JSON (schema in the man page)"),
		OPT_BOOLEAN(0, "csv", &csv, "print CSV, one row per --sort key combination"),
		OPT_BOOLEAN(0, "tui", &tui, "replay the recording in the interactive view"),
		OPT_BOOLEAN(0, "folded", &folded,
			    "print the callchains (record -g) as folded stacks, for flamegraph.pl"),
		OPT_STRING('d', "delay", &interval_str, "secs",
			   "--tui: recorded seconds per refresh (default: 1)"),
		OPT_STRING(0, "speed", &speed_str, "x",
			   "--tui: replay this many times faster (default: 1)"),
		OPT_BOOLEAN(0, "paused", &paused, "--tui: start paused (n steps one interval)"),
		OPT_STRING('s', "sort", &sort, "key[,key]",
			   "rows: probe, cpu, pid, tid, comm (default: probe); -i ...: host, file"),
		OPT_INCR('v', "verbose", &ustat_verbose, "be more verbose"),
		OPT_PARENT(ustat_sample_filter_options)
	};
	const struct ustat_recording *r;
	struct ustat_input *in;
	struct ustat_report rep;
	int nr_events;
	struct ustat_agg agg;
	char err[512] = "";
	int ret;

	argc = parse_options(argc, argv, options, report_usage, 0);
	if (stdio + json + csv + tui + folded > 1) {
		ustat_err("report: --stdio, --json, --csv, --tui and --folded exclude each other");
		return 1;
	}
	if (paused && !tui) {
		ustat_err("report: --paused needs --tui");
		return 1;
	}
	if (folded && (diff || inputs.nr > 1 || inputs.too_many)) {
		ustat_err("report: --folded reads one file");
		return 1;
	}
	if (diff || inputs.nr > 1 || inputs.too_many) {
		multi.sort = sort;
		multi.json = json;
		multi.one_file_format = csv || tui;
		multi.diff = diff;
		return ustat_report__multi_main(&inputs, argc, argv, &multi);
	}
	input = inputs.nr ? inputs.paths[0] : ustat_default_input();
	if (argc) {
		ustat_err("report: unexpected argument '%s'", argv[0]);
		return 1;
	}
	if (ustat_parse_positive(interval_str, &interval) ||
	    ustat_parse_positive(speed_str, &speed)) {
		ustat_err("report: --delay and --speed take a positive number");
		return 1;
	}
	/* The view reads its keys from stdin. */
	if (tui && !strcmp(input, "-")) {
		ustat_err("report: --tui reads keys from stdin: not with the stream on it (-i -)");
		return 1;
	}
#ifdef HAVE_UPROBE_STAT_TUI
	if (tui && !ustat_tui__usable(err, sizeof(err))) {
		ustat_err("report: %s", err);
		return 1;
	}
#endif
	memset(&rep, 0, sizeof(rep));
	if (ustat_report__parse_sort(&rep, sort, err, sizeof(err))) {
		ustat_err("report: %s", err);
		return 1;
	}
	if (ustat_sample_filter__init(&filter, err, sizeof(err))) {
		ustat_err("report: %s", err);
		ustat_sample_filter__exit(&filter);
		return 1;
	}
	if (ustat_input__open(&in, input, err, sizeof(err))) {
		ustat_err("%s", err);
		ustat_sample_filter__exit(&filter);
		return 1;
	}
	ustat_input__set_filter(in, &filter);
	ustat_thread_hits__init(&tc.hits);
	ustat_callchains__init(&cc, ustat_input__infos(in));
	ret = ustat_agg__attach(&agg, in);
	if (ret) {
		ustat_err("out of memory");
		goto out_agg;
	}
	if (!tui)
		agg.cc = &cc;
	if (tui) {
		/*
		 * -b: the kernel's counts are the file's metadata, what the
		 * maps held at the end: the view starts from them, as top -b
		 * showed them.
		 */
		r = ustat_input__recording(in);
		if (ustat_bpf_meta__apply(&agg, r->meta, r->nr_meta)) {
			ustat_err("out of memory");
			ret = -1;
			goto out_agg;
		}
		ret = report_tui(in, &agg, input, ustat_report__consumer_of(r), interval, speed,
				 paused);
		goto out_agg;
	}
	tc.agg = &agg;
	tc.filter = &filter;
	if (ustat_report__by_thread(&rep))
		ret = ustat_input__process(in, &thread_ops, &tc, err, sizeof(err));
	else
		ret = ustat_input__process(in, &ustat_agg_input_ops, &agg, err, sizeof(err));
	if (ret) {
		ustat_err("%s", err[0] ? err : "processing failed");
		goto out_agg;
	}
	/* -b: the counts are in the metadata, not in samples. */
	r = ustat_input__recording(in);
	if (ustat_bpf_meta__apply(&agg, r->meta, r->nr_meta)) {
		ustat_err("out of memory");
		ret = -1;
		goto out_agg;
	}
	ustat_agg__finish(&agg);

	rep.threads = &tc.hits;
	rep.input = input;
	rep.rec = r;
	rep.events = ustat_input__events(in, &nr_events);
	rep.agg = &agg;
	rep.cc = &cc;
	if (folded) {
		if (!cc.samples)
			ustat_warn("report: %s has no callchains (record -g)", input);
		ret = ustat_callchains__print_folded(&cc, stdout);
		if (ret && !ferror(stdout))
			ustat_err("report: out of memory");
		goto out_agg;
	}
	if (r->has_time && r->time_end > r->time_start)
		rep.duration_ns = r->time_end - r->time_start;
	else
		rep.duration_ns = agg.last_time - agg.first_time;

	if (json)
		ret = ustat_report__print_json(&rep, stdout);
	else if (csv)
		ret = ustat_report__print_csv(&rep, stdout);
	else
		ret = ustat_report__print_stdio(&rep, stdout);
	/* A write error is said once, by ustat_check_stdout(). */
	if (ret && !ferror(stdout))
		ustat_err("report: out of memory");
	if (ret)
		ret = -1;
out_agg:
	ustat_thread_hits__exit(&tc.hits);
	ustat_agg__exit(&agg);
	ustat_callchains__exit(&cc);
	ustat_input__close(in);
	ustat_sample_filter__exit(&filter);
	return ret ? 1 : 0;
}
