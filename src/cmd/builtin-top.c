// SPDX-License-Identifier: GPL-2.0
/*
 * perf uprobe-stat top: a recording (core/backend.h) delivered to the live
 * view instead of a file.  Records go through the recording's live input
 * and the same aggregation as report.  The view is ui/'s, built only where
 * ncurses is.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/resource.h>
#include <time.h>
#include <linux/compiler.h>
#include <subcmd/parse-options.h>

#include "util/uprobe-stat/util/debug.h"
#include "uprobe-stat.h"

#ifdef HAVE_UPROBE_STAT_TUI
#include "util/uprobe-stat/core/agg-session.h"
#include "util/uprobe-stat/core/backend.h"
#include "util/uprobe-stat/explain/dry-run.h"
#include "util/uprobe-stat/core/openmetrics.h"
#include "ui/uprobe-stat/top-http.h"
#include "ui/uprobe-stat/top-stdio.h"
#include "ui/uprobe-stat/tui.h"
#include "record-options.h"

/* The most (probe, process) series the OpenMetrics endpoint keeps. */
#define TOP_OM_PROCESSES	512

struct top {
	struct ustat_rec	*rec;
	struct ustat_agg	agg;
	bool			agg_open;
	struct ustat_top_http	*http;
	struct ustat_tui_source	*src;
};

/*
 * What one look at the buffers may take.  Each pass is held to a budget
 * by the recording (what a buffer holds beyond it waits; a full buffer
 * makes the kernel drop and count), and passes follow one another only
 * while this lasts: under a flood the view still refreshes, and answers
 * q, on time.
 */
#define ADVANCE_BUDGET_NS	20000000ULL

static u64 mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Drain what the buffers hold now; the view asks at least ten times a second. */
static int live_advance(void *ctx, u64 now __maybe_unused, bool *ended, char *err, size_t errlen)
{
	struct top *top = ctx;
	struct ustat_rec_stats st;
	u64 until = mono_ns() + ADVANCE_BUDGET_NS;
	int step = 1, i;

	top->src->behind = false;
	for (i = 0; i < 64; i++) {
		step = ustat_rec__step(top->rec, 0);
		if (step < 0)
			break;
		if (!step || ustat_rec__stopped()) {
			/* the command is done: what it did up to its end is shown */
			*ended = true;
			if (ustat_rec__stop(top->rec, err, errlen))
				step = -1;
			break;
		}
		ustat_rec__stats(top->rec, &st);
		/* empty, or the budget spent: the view's turn */
		if (!st.pass_bytes)
			break;
		if (mono_ns() >= until) {
			top->src->behind = true;
			break;
		}
	}
	/* the counting events' totals, and -b: what the kernel counted */
	if (step >= 0 && !*ended && ustat_rec__count_update(top->rec))
		step = -1;
	if (step >= 0 && ustat_rec__bpf_update(top->rec, &top->agg))
		step = -1;
	if (step < 0) {
		snprintf(err, errlen, "cannot process the recorded events");
		return -EIO;
	}
	return 0;
}

static bool live_stopped(void *ctx __maybe_unused)
{
	return ustat_rec__stopped();
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
	struct ustat_rec_stats st;
	struct rusage ru;

	if (!getrusage(RUSAGE_SELF, &ru)) {
		s->cpu_user = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6;
		s->cpu_system = ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
	}
	ustat_rec__stats(top->rec, &st);
	s->records = st.samples;
	s->wakeups = st.wakeups;
}

static const char * const top_usage[] = {
	"perf uprobe-stat top [<options>] PROBE... [-p PID | -a | -- CMD [ARGS]]",
	NULL
};

int ustat_cmd_top(int argc, const char **argv)
{
	struct ustat_record_opts *o = &ustat_record_opts;
	struct top top = { .rec = NULL };
	const char *delay = "1", *openmetrics = NULL;
	bool use_stdio = false, json = false, samples = false;
	const struct option options[] = {
		OPT_STRING(0, "cmd-output", &o->cmd_output, "file",
			   "where the command's stdout and stderr go (default: /dev/null)"),
		OPT_STRING('d', "delay", &delay, "secs", "seconds between refreshes (default: 1)"),
		OPT_BOOLEAN(0, "stdio", &use_stdio,
			    "no terminal: print the numbers every interval, as perf stat -I"),
		OPT_BOOLEAN('j', "json", &json, "with --stdio: one JSON object a line"),
		OPT_STRING(0, "openmetrics", &openmetrics, "addr:port",
			   "serve /metrics there for Prometheus (e.g. 127.0.0.1:9464)"),
		OPT_BOOLEAN(0, "samples", &samples,
			    "sample every hit, even of probes a count would do for"),
		OPT_PARENT(ustat_record_options)
	};
	struct ustat_tui_source src = { .ctx = &top, .advance = live_advance,
					.stopped = live_stopped, .idle = live_idle,
					.live = true };
	struct ustat_tui_opts opts = { .mode = "top", .speed = 1 };
	struct ustat_rec_stats st;
	int cmd_at, nr_events, made, ret = 1;
	char err[1024] = "";

	top.src = &src;
	/* The view owns the terminal: the command writes elsewhere. */
	o->cmd_output = "/dev/null";
	ustat_rec__catch_stop();
	argc = ustat_record_options__parse(argc, argv, options, top_usage, "watch", &cmd_at);
	/*
	 * Sample only what the view needs: %return pairs (latency) and the
	 * kernel events; the other probes are counted.  The OpenMetrics
	 * series per process need every hit's pid: samples.
	 */
	o->counting = !openmetrics && !samples;
	if (ustat_dry_run_opts.on || ustat_dry_run_opts.json || ustat_dry_run_opts.rate)
		return ustat_rec__dry_run(o, argc, argv, cmd_at);
	if (ustat_parse_positive(delay, &opts.interval)) {
		ustat_err("top: -d takes a positive number of seconds");
		return 1;
	}
	if (json && !use_stdio) {
		ustat_err("top: -j goes with --stdio");
		return 1;
	}
	/* The option table is record's: top counts, it shows no callchains. */
	if (o->callgraph) {
		ustat_err("top: -g and --call-graph are record's: 'record -g', then 'report' shows who called");
		return 1;
	}
	/* Refuse before setting any probe: no terminal, no view. */
	if (!use_stdio && !ustat_tui__usable(err, sizeof(err))) {
		ustat_err("%s",
			  "top: the interactive view needs a terminal: use 'top --stdio' (-j for JSON Lines) instead");
		return 1;
	}
	made = ustat_rec__new(&top.rec, o, USTAT_REC_LIVE);
	if (made == -EINVAL)
		return 1;	/* a bad option, said: nothing is attached */
	if (made) {
		snprintf(err, sizeof(err), "out of memory");
		goto fail;
	}
	/* The port first, so a bad or busy one is refused before any probe. */
	if ((openmetrics &&
	     ustat_top_http__start(&top.http, openmetrics, &top.agg, self_cost, &top, err,
				   sizeof(err))) ||
	    ustat_rec__setup(top.rec, argc, argv, cmd_at, err, sizeof(err)))
		goto fail;
	if (ustat_agg__attach(&top.agg, ustat_rec__input(top.rec))) {
		snprintf(err, sizeof(err), "out of memory");
		goto fail;
	}
	top.agg_open = true;
	/* Scrapes are served from the loop only: none reads the aggregation before. */
	if (openmetrics && ustat_agg__count_processes(&top.agg, TOP_OM_PROCESSES)) {
		snprintf(err, sizeof(err), "out of memory");
		goto fail;
	}
	if (ustat_rec__start(top.rec, err, sizeof(err)))
		goto fail;
	ustat_rec__stats(top.rec, &st);
	src.start = st.time_start;
	opts.target = st.target;
	opts.consumer = ustat_rec__consumer(top.rec);
	/* The live input's notes: the calibration and each site's path, for costs. */
	opts.rec = ustat_input__recording(ustat_rec__input(top.rec));
	opts.events = ustat_input__events(ustat_rec__input(top.rec), &nr_events);
	if (use_stdio ?
	    ustat_top_stdio__run(&src, &top.agg, &opts, json, stdout, err, sizeof(err)) :
	    ustat_tui__run(&src, &top.agg, &opts, err, sizeof(err)))
		goto fail;
	ustat_rec__stop(top.rec, err, sizeof(err));
	ret = 0;
	goto out;
fail:
	/* The probes out first, then the word on why. */
	if (top.rec)
		ustat_rec__detach(top.rec);
	ustat_err("%s", err);
out:
	ustat_top_http__stop(top.http);
	if (top.agg_open)
		ustat_agg__exit(&top.agg);
	ustat_rec__exit(top.rec);
	return ret;
}
#else
int ustat_cmd_top(int argc __maybe_unused, const char **argv __maybe_unused)
{
	ustat_err("top: this perf was built without ncurses (libncurses-dev): use 'record' and 'report'");
	return 1;
}
#endif /* HAVE_UPROBE_STAT_TUI */
