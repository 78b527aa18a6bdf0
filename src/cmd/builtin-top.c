// SPDX-License-Identifier: GPL-2.0
/*
 * perf uprobe-stat top: the recorder drained into the live view instead of
 * a file.  Records go through a live input of the seam (core/backend.h)
 * and the same aggregation as report.  The view is ui/'s, built only where
 * ncurses is.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <linux/compiler.h>
#include <subcmd/parse-options.h>

#include "util/uprobe-stat/util/debug.h"
#include "uprobe-stat.h"

#ifdef HAVE_UPROBE_STAT_TUI
#include "util/uprobe-stat/core/agg-session.h"
#include "util/uprobe-stat/core/backend.h"
#include "util/uprobe-stat/explain/dry-run.h"
#include "util/uprobe-stat/bpf/bpf-record.h"
#include "util/uprobe-stat/core/meta.h"
#include "util/uprobe-stat/core/openmetrics.h"
#include "util/uprobe-stat/standalone/recorder.h"
#include "ui/uprobe-stat/top-http.h"
#include "ui/uprobe-stat/top-stdio.h"
#include "ui/uprobe-stat/tui.h"

/* The most (probe, process) series the OpenMetrics endpoint keeps. */
#define TOP_OM_PROCESSES	512

struct top {
	struct recorder		r;
	struct ustat_input	*input;
	struct ustat_agg	agg;
	bool			agg_open;
	bool			stopped;
	struct ustat_top_http	*http;
};

/* The events off, the buffers drained one last time, the queue delivered. */
static int top_stop(struct top *top)
{
	if (top->stopped)
		return 0;
	top->stopped = true;
	if (recorder__stop(&top->r))
		return -EIO;
	return top->input ? ustat_input__end(top->input) : 0;
}

static int feed(void *ctx, const union perf_event *ev)
{
	struct top *top = ctx;

	return ustat_input__feed(top->input, ev);
}

static int round_end(void *ctx)
{
	struct top *top = ctx;

	return ustat_input__round(top->input);
}

/* Drain what the buffers hold now; the view asks at least ten times a second. */
static int live_advance(void *ctx, u64 now __maybe_unused, bool *ended, char *err, size_t errlen)
{
	struct top *top = ctx;
	int step, i;

	for (i = 0; i < 64; i++) {
		step = recorder__step(&top->r, 0);
		if (step < 0)
			break;
		if (!step || recorder__stopped()) {
			/* the command is done: what it did up to its end is shown */
			*ended = true;
			if (top_stop(top))
				step = -1;
			break;
		}
		if (!top->r.pass_bytes)
			break;
	}
	/* -b: what the kernel counted since the last look */
	if (step >= 0 && record__bpf_update(&top->r.rec, &top->agg))
		step = -1;
	if (step < 0) {
		snprintf(err, errlen, "cannot process the recorded events");
		return -EIO;
	}
	return 0;
}

static bool live_stopped(void *ctx __maybe_unused)
{
	return recorder__stopped();
}

static void live_idle(void *ctx)
{
	struct top *top = ctx;

	ustat_top_http__run(top->http);
}

/* The exporter's own cost: what this process used and read. */
static void self_cost(void *ctx, struct ustat_om_self *s)
{
	struct top *top = ctx;
	struct rusage ru;

	if (!getrusage(RUSAGE_SELF, &ru)) {
		s->cpu_user = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6;
		s->cpu_system = ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
	}
	s->records = top->r.samples;
	s->wakeups = top->r.wakeups;
}

/* The input's view of the events, as a file of them would say. */
static int open_input(struct top *top, char *err, size_t errlen)
{
	struct recorder *r = &top->r;
	struct ustat_meta_buf sm = { 0 };
	struct ustat_recording rec = { .path = NULL };
	struct ustat_live_event *ev = NULL;
	char **extra = NULL;
	int nr_extra = 0, i, ret;

	if (ustat_meta__begin(&sm, "session") ||
	    ustat_meta__add(&sm, "target", r->rec.target_desc) ||
	    ustat_meta__add(&sm, "attach", record_attach__name(r->rec.attach)) ||
	    recorder__extra_meta(r, &extra, &nr_extra) ||
	    recorder__live_events(r, &ev)) {
		ustat_meta__free(&sm);
		for (i = 0; i < nr_extra; i++)
			free(extra[i]);
		free(extra);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	rec.session_meta = sm.s;
	rec.meta = extra;
	rec.nr_meta = nr_extra;
	ret = ustat_input__open_live(&top->input, ev, r->rec.nr_evsels, &rec, r->tdata.buf,
				     r->tdata.len, err, errlen);
	for (i = 0; i < nr_extra; i++)
		free(extra[i]);
	free(extra);
	free(ev);
	ustat_meta__free(&sm);
	if (ret)
		return ret;
	ret = ustat_agg__attach(&top->agg, top->input);
	if (ret) {
		snprintf(err, errlen, "out of memory");
		return ret;
	}
	top->agg_open = true;
	return 0;
}

static const char * const top_usage[] = {
	"perf uprobe-stat top [<options>] PROBE... [-p PID | -a | -- CMD [ARGS]]",
	NULL
};

int ustat_cmd_top(int argc, const char **argv)
{
	struct top top = {
		.r = {
			.rec = {
				.cgroup = { .fd = -1 },
			},
		},
	};
	struct record *rec = &top.r.rec;
	const char *delay = "1", *openmetrics = NULL;
	bool use_stdio = false, json = false;
	const struct option options[] = {
		OPT_STRING('x', "exec", &rec->exec, "binary",
			   "binary that PROBEs without BINARY: are in"),
		OPT_STRING('p', "pid", &rec->pids, "pid[,pid]",
			   "watch these processes and their threads"),
		OPT_BOOLEAN('a', "all-cpus", &rec->system_wide,
			    "watch every process, on all CPUs"),
		OPT_STRING('C', "cpu", &rec->cpu_list, "cpu", "only on these CPUs (0-3,5)"),
		OPT_STRING('t', "tid", &rec->tids, "tid[,tid]", "watch these threads only"),
		OPT_STRING(0, "cmd-output", &rec->cmd_output, "file",
			   "where the command's stdout and stderr go (default: /dev/null)"),
		OPT_STRING('d', "delay", &delay, "secs", "seconds between refreshes (default: 1)"),
		OPT_BOOLEAN(0, "stdio", &use_stdio,
			    "no terminal: print the numbers every interval, as perf stat -I"),
		OPT_BOOLEAN('j', "json", &json, "with --stdio: one JSON object a line"),
		OPT_STRING(0, "openmetrics", &openmetrics, "addr:port",
			   "serve /metrics there for Prometheus (e.g. 127.0.0.1:9464)"),
		OPT_STRING('m', "mmap-pages", &rec->mmap_str, "pages|size",
			   "ring buffer per CPU: pages (power of two) or a size with B/K/M/G"),
		OPT_BOOLEAN(0, "no-signals", &rec->no_signals,
			    "watch the probes only, no kernel tracepoints"),
		OPT_STRING(0, "attach", &rec->attach_str, "mode",
			   "auto, task, tracefs, cgroup or filter: how probes reach the target"),
		OPT_BOOLEAN('b', "use-bpf", &rec->use_bpf,
			    "count hits and latencies in the kernel with BPF: no samples"),
		OPT_INCR('v', "verbose", &ustat_verbose, "be more verbose"),
		OPT_PARENT(ustat_dry_run_options)
	};
	struct ustat_tui_source src = { .ctx = &top, .advance = live_advance,
					.stopped = live_stopped, .idle = live_idle,
					.live = true };
	struct ustat_tui_opts opts = { .mode = "top", .speed = 1 };
	int cmd_at = -1, i, ret = 1;
	char err[1024] = "";

	/* The view owns the terminal: the command writes elsewhere. */
	rec->cmd_output = "/dev/null";
	recorder__signals();
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			cmd_at = i + 1;
			break;
		}
	}
	rec->mmap_pages = recorder__default_mmap_pages();
	argc = parse_options(cmd_at >= 0 ? cmd_at - 1 : argc, argv, options, top_usage, 0);
	if (ustat_dry_run_opts.on || ustat_dry_run_opts.json || ustat_dry_run_opts.rate) {
		ret = ustat_dry_run(&ustat_dry_run_opts, rec, argc, argv, cmd_at);
		recorder__exit(&top.r);
		return ret;
	}
	if (ustat_parse_positive(delay, &opts.interval)) {
		ustat_err("top: -d takes a positive number of seconds");
		return 1;
	}
	if (json && !use_stdio) {
		ustat_err("top: -j goes with --stdio");
		return 1;
	}
	/* Refuse before setting any probe: no terminal, no view. */
	if (!use_stdio && !ustat_tui__usable(err, sizeof(err))) {
		ustat_err("%s",
			  "top: the interactive view needs a terminal: use 'top --stdio' (-j for JSON Lines) instead");
		return 1;
	}
	/* The port first, so a bad or busy one is refused before any probe. */
	if ((openmetrics &&
	     ustat_top_http__start(&top.http, openmetrics, &top.agg, self_cost, &top, err,
				   sizeof(err))) ||
	    recorder__setup(&top.r, argc, argv, cmd_at, err, sizeof(err)) ||
	    open_input(&top, err, sizeof(err)))
		goto fail;
	/* Scrapes are served from the loop only: none reads the aggregation before. */
	if (openmetrics && ustat_agg__count_processes(&top.agg, TOP_OM_PROCESSES)) {
		snprintf(err, sizeof(err), "out of memory");
		goto fail;
	}
	top.r.sink.emit = feed;
	top.r.sink.round = round_end;
	top.r.sink.ctx = &top;
	if (recorder__start(&top.r, err, sizeof(err)))
		goto fail;
	src.start = top.r.time_start;
	opts.target = rec->target_desc;
	if (use_stdio ?
	    ustat_top_stdio__run(&src, &top.agg, &opts, json, stdout, err, sizeof(err)) :
	    ustat_tui__run(&src, &top.agg, &opts, err, sizeof(err)))
		goto fail;
	top_stop(&top);
	ret = 0;
	goto out;
fail:
	/* The probes out first, then the word on why. */
	record__detach(rec);
	ustat_err("%s", err);
out:
	ustat_top_http__stop(top.http);
	if (top.agg_open)
		ustat_agg__exit(&top.agg);
	ustat_input__close(top.input);
	recorder__exit(&top.r);
	return ret;
}
#else
int ustat_cmd_top(int argc __maybe_unused, const char **argv __maybe_unused)
{
	ustat_err("top: this perf was built without ncurses (libncurses-dev): use 'record' and 'report'");
	return 1;
}
#endif /* HAVE_UPROBE_STAT_TUI */
