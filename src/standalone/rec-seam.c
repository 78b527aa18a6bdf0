// SPDX-License-Identifier: GPL-2.0
/*
 * The recording part of the seam (core/backend.h) on the recorder: its
 * records drained into a perf.data (rec-file.h: the tool's writer
 * standalone, perf's header code inside perf) for record, or fed to a
 * live input for top.  The session metadata both give is built here.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <perf/event.h>
#include <subcmd/parse-options.h>

#include "util/uprobe-stat/bpf/bpf-record.h"
#include "util/uprobe-stat/core/backend.h"
#include "util/uprobe-stat/core/cmd-end.h"
#include "util/uprobe-stat/core/meta.h"
#include "util/uprobe-stat/core/record-opts.h"
#include "util/uprobe-stat/explain/dry-run.h"
#include "util/uprobe-stat/util/debug.h"
#include "out-file.h"
#include "perf-file.h"
#include "rec-file.h"
#include "recorder.h"

struct ustat_rec {
	struct recorder		 r;
	enum ustat_rec_sink	 sink;
	int			 argc;		/* the recording's command line */
	const char		**argv;
	/* USTAT_REC_FILE */
	struct ustat_rec_file	*file;
	bool			 cmd_started;
	bool			 cmd_ended;	/* -- CMD ran and ended as cmd_end says */
	enum ustat_cmd_end	 cmd_end;
	int			 cmd_code;
	bool			 failed;	/* a step could not write */
	/* USTAT_REC_LIVE */
	struct ustat_input	*input;
	bool			 stopped;
};

void ustat_rec__catch_stop(void)
{
	recorder__catch_stop();
}

bool ustat_rec__stopped(void)
{
	return recorder__stopped();
}

/* --bpf-signals WHEN, or -1 (said) when it is none of the four. */
static int kfunc_mode(const struct ustat_record_opts *o)
{
	static const char *const names[] = {
		[KFUNC_AUTO] = "auto", [KFUNC_OFF] = "off", [KFUNC_ALSO] = "also",
		[KFUNC_ONLY] = "only",
	};
	unsigned int i;

	if (o->no_kernel_events)
		return KFUNC_OFF;
	if (!o->bpf_signals)
		return KFUNC_AUTO;
	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(o->bpf_signals, names[i]))
			return i;
	ustat_err("--bpf-signals: '%s' is none of auto, off, also, only", o->bpf_signals);
	return -1;
}

/* The options, in the recorder's terms. */
static void rec__init(struct record *rec, const struct ustat_record_opts *o)
{
	rec->output = o->output;
	rec->exec = o->exec;
	rec->pids = o->pids;
	rec->tids = o->tids;
	rec->cpu_list = o->cpu_list;
	rec->attach_str = o->attach;
	rec->mmap_str = o->mmap_pages;
	rec->cmd_output = o->cmd_output;
	/* perf record -o -: the command's stdout is not the stream's. */
	rec->cmd_stdout_to_stderr = o->output && !strcmp(o->output, "-");
	rec->system_wide = o->system_wide;
	rec->force = o->force;
	rec->no_kevents = o->no_kernel_events;
	rec->use_bpf = o->use_bpf;
	rec->counting = o->counting || o->count_all;
	rec->count_all = o->count_all;
	rec->kfunc.mode = kfunc_mode(o);
	rec->callgraph = o->callgraph;
	rec->call_graph = o->call_graph;
	rec->cgroup.fd = -1;
	rec->mmap_pages = recorder__default_mmap_pages();
}

int ustat_rec__dry_run(const struct ustat_record_opts *o, int argc, const char **argv,
		       int cmd_at)
{
	struct recorder *r;
	int ret;

	if (kfunc_mode(o) < 0)
		return 1;
	r = calloc(1, sizeof(*r));
	if (!r) {
		ustat_err("out of memory");
		return 1;
	}
	rec__init(&r->rec, o);
	ret = ustat_dry_run(&ustat_dry_run_opts, &r->rec, argc, argv, cmd_at);
	recorder__exit(r);
	free(r);
	return ret;
}

int ustat_rec__new(struct ustat_rec **rp, const struct ustat_record_opts *o,
		   enum ustat_rec_sink sink)
{
	struct ustat_rec *u;

	*rp = NULL;
	if (kfunc_mode(o) < 0)
		return -EINVAL;
	u = calloc(1, sizeof(*u));
	*rp = u;
	if (!u)
		return -ENOMEM;
	rec__init(&u->r.rec, o);
	u->sink = sink;
	/* top reads no file: fentry counts would cost the target and show nowhere. */
	if (sink == USTAT_REC_LIVE) {
		u->r.rec.kfunc.mode = KFUNC_OFF;
		snprintf(u->r.rec.kfunc.state, sizeof(u->r.rec.kfunc.state),
			 "not tried (top shows no BPF fentry counts)");
	}
	u->argc = o->argc;
	u->argv = o->argv;
	return 0;
}

/*
 * The "session" record: what the recording was of and how it attached;
 * a file also says what wrote it and how the command ended.
 */
static int session_meta(struct ustat_rec *u, struct ustat_meta_buf *sm)
{
	struct record *rec = &u->r.rec;
	bool file = u->sink == USTAT_REC_FILE;

	if (ustat_meta__begin(sm, "session") ||
	    (file && ustat_meta__add(sm, "tool", "uprobe-stat")) ||
	    ustat_meta__add(sm, "target", rec->target_desc) ||
	    ustat_meta__add(sm, "attach", record_attach__name(rec->attach)) ||
	    ustat_meta__add(sm, "consumer", record__consumer(rec)))
		return -ENOMEM;
	if (!file)
		return 0;
	if (ustat_meta__add(sm, "attach_how", record_attach__desc(rec->attach)) ||
	    ustat_meta__add_u64(sm, "filtered", rec->filtered) ||
	    ustat_meta__add_u64(sm, "uprobe_pmu_type", rec->pmu.type) ||
	    (u->cmd_ended &&
	     (ustat_meta__add(sm, "cmd_end", ustat_cmd_end__name(u->cmd_end)) ||
	      ustat_meta__add_u64(sm, "cmd_code", u->cmd_code))) ||
	    ustat_target_cpu__meta(&u->r.target_cpu, sm))
		return -ENOMEM;
	return 0;
}

static void free_strs(char **v, int nr)
{
	int i;

	for (i = 0; i < nr; i++)
		free(v[i]);
	free(v);
}

/* ---- USTAT_REC_FILE ---------------------------------------------------------- */

static int write_error(struct ustat_rec *u, char *err, size_t errlen)
{
	int e = u->file && ustat_rec_file__error(u->file) ? -ustat_rec_file__error(u->file) : EIO;

	if (u->file && ustat_rec_file__pipe(u->file))
		snprintf(err, errlen,
			 "-o -: cannot write to standard output: %s (the stream is cut short)",
			 strerror(e));
	else
		snprintf(err, errlen, "cannot write '%s': %s (the file is removed)",
			 u->r.rec.output, strerror(e));
	return -EIO;
}

static int write_record(void *ctx, const union perf_event *ev)
{
	struct ustat_rec *u = ctx;

	return ustat_rec_file__write(u->file, ev, ev->header.size);
}

/* After each pass: nothing older than the previous round comes later. */
static int write_round(void *ctx)
{
	struct ustat_rec *u = ctx;
	struct perf_event_header round = {
		.type = PERF_RECORD_FINISHED_ROUND,
		.size = sizeof(round),
	};

	return ustat_rec_file__write(u->file, &round, sizeof(round));
}

/* What the file says of the recording before it starts: events, host, formats. */
static void base_desc(struct ustat_rec *u, struct ustat_file_desc *d, struct ustat_file_pmu *pmu)
{
	struct recorder *r = &u->r;

	*pmu = (struct ustat_file_pmu){ .type = r->rec.pmu.type, .name = "uprobe" };
	memset(d, 0, sizeof(*d));
	d->events = r->events;
	d->nr_events = r->rec.nr_evsels;
	d->pmus = pmu;
	d->nr_pmus = 1;
	d->argc = u->argc;
	d->argv = u->argv;
	d->use_clockid = true;
	d->clockid = CLOCK_MONOTONIC;
	d->clock_res_ns = 1;
	d->tracing_data = r->tdata.buf;
	d->tracing_data_size = r->tdata.len;
}

static int write_finished_init(struct ustat_rec *u)
{
	struct perf_event_header init = {
		.type = PERF_RECORD_FINISHED_INIT,
		.size = sizeof(init),
	};

	return ustat_rec_file__write(u->file, &init, sizeof(init));
}

static int file_setup(struct ustat_rec *u, int argc, const char **argv, int cmd_at,
		      char *err, size_t errlen)
{
	struct recorder *r = &u->r;
	struct record *rec = &r->rec;
	struct ustat_file_pmu pmu;
	struct ustat_file_desc d;

	if (ustat_rec_file__check_path(rec->output, err, errlen) ||
	    recorder__setup(r, argc, argv, cmd_at, err, errlen))
		return -1;
	r->sink.emit = write_record;
	r->sink.round = write_round;
	r->sink.ctx = u;
	if (ustat_rec_file__open(&u->file, rec->output, rec->force, err, errlen))
		return -1;
	/*
	 * A reader that goes away (| head) must end the recording as an
	 * error does, detaching everything, not kill it with SIGPIPE.
	 */
	if (ustat_rec_file__pipe(u->file))
		signal(SIGPIPE, SIG_IGN);
	base_desc(u, &d, &pmu);
	if (ustat_rec_file__begin(u->file, &d)) {
		if (ustat_rec_file__error(u->file) == -E2BIG) {
			snprintf(err, errlen,
				 "-o -: an event has more ids than a pipe record holds: record to a file");
			return -1;
		}
		return write_error(u, err, errlen);
	}
	/* Processes already running get their names and mappings from /proc. */
	if (ustat_rec_file__synthesize(u->file, rec->target_pids, rec->nr_target_pids,
				       rec->target == TARGET_SYSTEM))
		return write_error(u, err, errlen);
	/*
	 * What perf record writes once synthesized records are done; it also
	 * keeps the data section of an empty recording from being empty.
	 */
	if (write_finished_init(u))
		return write_error(u, err, errlen);
	return 0;
}

static int file_start(struct ustat_rec *u, char *err, size_t errlen)
{
	struct recorder *r = &u->r;

	/* Stopped during setup: an empty but complete file, and no command run. */
	if (recorder__stopped()) {
		r->wall_start = ustat_clock_ns(CLOCK_REALTIME);
		r->time_start = ustat_clock_ns(CLOCK_MONOTONIC);
	} else {
		if (recorder__start(r, err, errlen))
			return -1;
		u->cmd_started = true;
	}
	/* Started: only now does an existing output become FILE.old. */
	return ustat_rec_file__commit(u->file, err, errlen) ? -1 : 0;
}

static void note_cmd_end(struct ustat_rec *u)
{
	struct record *rec = &u->r.rec;

	/* Stopped during setup, CMD never ran: there is no end to tell. */
	if (!u->cmd_started || !rec->has_workload || !rec->workload.exited ||
	    rec->workload.pid <= 0)
		return;
	u->cmd_end = ustat_cmd_end__from_wait(rec->workload.status,
					      rec->workload.stopped || recorder__stopped(),
					      &u->cmd_code);
	u->cmd_ended = true;
}

static int finish_file(struct ustat_rec *u)
{
	struct recorder *r = &u->r;
	struct ustat_file_pmu pmu;
	struct ustat_meta_buf sm = { 0 };
	struct ustat_file_desc d;
	char **extra = NULL;
	int ret, nr_extra = 0;

	if (session_meta(u, &sm) || recorder__extra_meta(r, &extra, &nr_extra)) {
		ret = -ENOMEM;
		goto out;
	}
	base_desc(u, &d, &pmu);
	d.session_meta = sm.s;
	d.extra_meta = (const char * const *)extra;
	d.nr_extra_meta = nr_extra;
	d.time_start = r->time_start;
	d.time_end = r->time_end;
	d.clock_wall_ns = r->wall_start;
	d.clock_ref_ns = r->time_start;
	ret = ustat_rec_file__finish(u->file, &d);
out:
	free_strs(extra, nr_extra);
	ustat_meta__free(&sm);
	return ret;
}

static int file_stop(struct ustat_rec *u, char *err, size_t errlen)
{
	/* A step that failed to write: the file is lost, no last drain. */
	if (u->failed || recorder__stop(&u->r))
		return write_error(u, err, errlen);
	note_cmd_end(u);
	if (finish_file(u))
		return write_error(u, err, errlen);
	return 0;
}

/* ---- USTAT_REC_LIVE ---------------------------------------------------------- */

static int feed(void *ctx, const union perf_event *ev)
{
	struct ustat_rec *u = ctx;

	return ustat_input__feed(u->input, ev);
}

static int round_end(void *ctx)
{
	struct ustat_rec *u = ctx;

	return ustat_input__round(u->input);
}

/* The input's view of the events, as a file of them would say. */
static int open_input(struct ustat_rec *u, char *err, size_t errlen)
{
	struct recorder *r = &u->r;
	struct ustat_meta_buf sm = { 0 };
	struct ustat_recording rec = { .path = NULL };
	struct ustat_live_event *ev = NULL;
	char **extra = NULL;
	int nr_extra = 0, ret;

	if (session_meta(u, &sm) || recorder__extra_meta(r, &extra, &nr_extra) ||
	    recorder__live_events(r, &ev)) {
		snprintf(err, errlen, "out of memory");
		ret = -ENOMEM;
		goto out;
	}
	rec.session_meta = sm.s;
	rec.meta = extra;
	rec.nr_meta = nr_extra;
	ret = ustat_input__open_live(&u->input, ev, r->rec.nr_evsels, &rec, r->tdata.buf,
				     r->tdata.len, err, errlen);
out:
	free_strs(extra, nr_extra);
	free(ev);
	ustat_meta__free(&sm);
	return ret;
}

/*
 * What a pass over the buffers may spend for top, a view that must refresh
 * and answer keys whatever the rate (see drain() in recorder.c).  Short
 * turns: under a flood top gets a sliver of a CPU, and a turn longer than
 * the scheduler's slice waits behind every hammering thread.  A rate top
 * keeps up with is read in less; one it does not, in turns that follow
 * each other with a short wait.
 */
#define LIVE_PASS_BUDGET_NS	20000000ULL

static int live_setup(struct ustat_rec *u, int argc, const char **argv, int cmd_at,
		      char *err, size_t errlen)
{
	struct recorder *r = &u->r;

	r->pass_budget_ns = LIVE_PASS_BUDGET_NS;

	if (recorder__setup(r, argc, argv, cmd_at, err, errlen) || open_input(u, err, errlen))
		return -1;
	r->sink.emit = feed;
	r->sink.round = round_end;
	r->sink.ctx = u;
	return 0;
}

/* The events off, the buffers drained one last time, the queue delivered. */
static int live_stop(struct ustat_rec *u, char *err, size_t errlen)
{
	if (u->stopped)
		return 0;
	u->stopped = true;
	if (recorder__stop(&u->r)) {
		snprintf(err, errlen, "cannot process the recorded events");
		return -EIO;
	}
	return u->input ? ustat_input__end(u->input) : 0;
}

/* ---- Either ------------------------------------------------------------------ */

int ustat_rec__setup(struct ustat_rec *u, int argc, const char **argv, int cmd_at,
		     char *err, size_t errlen)
{
	return u->sink == USTAT_REC_FILE ? file_setup(u, argc, argv, cmd_at, err, errlen) :
					   live_setup(u, argc, argv, cmd_at, err, errlen);
}

struct ustat_input *ustat_rec__input(struct ustat_rec *u)
{
	return u->input;
}

int ustat_rec__start(struct ustat_rec *u, char *err, size_t errlen)
{
	if (u->sink == USTAT_REC_FILE)
		return file_start(u, err, errlen);
	return recorder__start(&u->r, err, errlen) ? -1 : 0;
}

int ustat_rec__step(struct ustat_rec *u, int timeout_ms)
{
	int ret = recorder__step(&u->r, timeout_ms);

	if (ret < 0)
		u->failed = true;
	return ret;
}

int ustat_rec__count_update(struct ustat_rec *u)
{
	return recorder__count_update(&u->r);
}

const char *ustat_rec__consumer(const struct ustat_rec *u)
{
	return record__consumer(&u->r.rec);
}

int ustat_rec__bpf_update(struct ustat_rec *u, struct ustat_agg *agg)
{
	return record__bpf_update(&u->r.rec, agg);
}

int ustat_rec__stop(struct ustat_rec *u, char *err, size_t errlen)
{
	return u->sink == USTAT_REC_FILE ? file_stop(u, err, errlen) :
					   live_stop(u, err, errlen);
}

void ustat_rec__detach(struct ustat_rec *u)
{
	record__detach(&u->r.rec);
}

void ustat_rec__exit(struct ustat_rec *u)
{
	if (!u)
		return;
	ustat_rec_file__close(u->file);
	ustat_input__close(u->input);
	recorder__exit(&u->r);
	free(u);
}

void ustat_rec__stats(const struct ustat_rec *u, struct ustat_rec_stats *st)
{
	const struct recorder *r = &u->r;

	memset(st, 0, sizeof(*st));
	st->samples = r->samples;
	st->counted = recorder__counted(r);
	st->lost = r->lost;
	st->wakeups = r->wakeups;
	st->time_start = r->time_start;
	st->bytes_written = u->file ? ustat_rec_file__size(u->file) : 0;
	st->pass_bytes = r->pass_bytes;
	st->target = r->rec.target_desc;
	st->cmd = r->rec.cmd_argv ? r->rec.cmd_argv[0] : NULL;
	st->cmd_ended = u->cmd_ended;
	st->cmd_end = u->cmd_end;
	st->cmd_code = u->cmd_code;
}
