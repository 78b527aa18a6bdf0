// SPDX-License-Identifier: GPL-2.0
/*
 * perf uprobe-stat record: the recorder (recorder.c) drained into a
 * perf.data file that stock perf reads.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <linux/kernel.h>
#include <perf/event.h>
#include <subcmd/parse-options.h>

#include "util/uprobe-stat/core/cmd-end.h"
#include "util/uprobe-stat/util/debug.h"
#include "util/uprobe-stat/explain/dry-run.h"
#include "util/uprobe-stat/core/meta.h"
#include "util/uprobe-stat/standalone/perf-file.h"
#include "util/uprobe-stat/standalone/perf-writer.h"
#include "util/uprobe-stat/standalone/recorder.h"
#include "util/uprobe-stat/util/str-escape.h"
#include "util/uprobe-stat/standalone/synthesize.h"
#include "uprobe-stat.h"

struct file_recorder {
	struct recorder		r;
	struct ustat_writer	writer;
	bool			writer_open;
	bool			cmd_started;
	bool			cmd_ended;	/* -- CMD ran and ended as cmd_end says */
	enum ustat_cmd_end	cmd_end;
	int			cmd_code;
};

static void note_cmd_end(struct file_recorder *fr)
{
	struct record *rec = &fr->r.rec;

	/* Stopped during setup, CMD never ran: there is no end to tell. */
	if (!fr->cmd_started || !rec->has_workload || !rec->workload.exited ||
	    rec->workload.pid <= 0)
		return;
	fr->cmd_end = ustat_cmd_end__from_wait(rec->workload.status,
					       rec->workload.stopped || recorder__stopped(),
					       &fr->cmd_code);
	fr->cmd_ended = true;
}

static int write_record(void *ctx, const union perf_event *ev)
{
	struct file_recorder *fr = ctx;

	return ustat_writer__write(&fr->writer, ev, ev->header.size);
}

/* After each pass: nothing older than the previous round comes later. */
static int write_round(void *ctx)
{
	struct file_recorder *fr = ctx;
	struct perf_event_header round = {
		.type = PERF_RECORD_FINISHED_ROUND,
		.size = sizeof(round),
	};

	return ustat_writer__write(&fr->writer, &round, sizeof(round));
}

static int write_synth(void *ctx, const void *ev, size_t len)
{
	return ustat_writer__write(ctx, ev, len);
}

static int finish_file(struct file_recorder *fr)
{
	struct recorder *r = &fr->r;
	struct record *rec = &r->rec;
	struct ustat_file_pmu pmu = { .type = rec->pmu.type, .name = "uprobe" };
	struct ustat_meta_buf sm = { 0 };
	struct ustat_file_desc d = { 0 };
	char **extra = NULL;
	int ret, nr_extra = 0, i;

	if (ustat_meta__begin(&sm, "session") ||
	    ustat_meta__add(&sm, "tool", "uprobe-stat") ||
	    ustat_meta__add(&sm, "target", rec->target_desc) ||
	    ustat_meta__add(&sm, "attach", record_attach__name(rec->attach)) ||
	    ustat_meta__add(&sm, "attach_how", record_attach__desc(rec->attach)) ||
	    ustat_meta__add_u64(&sm, "filtered", rec->filtered) ||
	    ustat_meta__add_u64(&sm, "uprobe_pmu_type", rec->pmu.type) ||
	    (fr->cmd_ended &&
	     (ustat_meta__add(&sm, "cmd_end", ustat_cmd_end__name(fr->cmd_end)) ||
	      ustat_meta__add_u64(&sm, "cmd_code", fr->cmd_code))) ||
	    recorder__extra_meta(r, &extra, &nr_extra)) {
		ret = -ENOMEM;
		goto out;
	}
	d.events = r->events;
	d.nr_events = rec->nr_evsels;
	d.pmus = &pmu;
	d.nr_pmus = 1;
	d.argc = ustat_cmdline_argc;
	d.argv = ustat_cmdline_argv;
	d.session_meta = sm.s;
	d.extra_meta = (const char * const *)extra;
	d.nr_extra_meta = nr_extra;
	d.time_start = r->time_start;
	d.time_end = r->time_end;
	d.use_clockid = true;
	d.clockid = CLOCK_MONOTONIC;
	d.clock_res_ns = 1;
	d.clock_wall_ns = r->wall_start;
	d.clock_ref_ns = r->time_start;
	d.tracing_data = r->tdata.buf;
	d.tracing_data_size = r->tdata.len;
	ret = ustat_writer__finish(&fr->writer, &d);
out:
	for (i = 0; i < nr_extra; i++)
		free(extra[i]);
	free(extra);
	ustat_meta__free(&sm);
	return ret;
}

static int write_finished_init(struct file_recorder *fr)
{
	struct perf_event_header init = {
		.type = PERF_RECORD_FINISHED_INIT,
		.size = sizeof(init),
	};

	return ustat_writer__write(&fr->writer, &init, sizeof(init));
}

/* Processes already running get their names and mappings from /proc. */
static void synthesize(struct file_recorder *fr)
{
	struct recorder *r = &fr->r;
	struct record *rec = &r->rec;
	const struct perf_event_attr *attr = &r->events[0].attr;
	u64 id = r->events[0].nr_ids ? r->events[0].ids[0] : 0;
	int i;

	for (i = 0; i < rec->nr_target_pids; i++)
		ustat_synth__process(rec->target_pids[i], attr, id, write_synth, &fr->writer);
	if (rec->target == TARGET_SYSTEM)
		ustat_synth__all(attr, id, write_synth, &fr->writer);
}

static const char * const record_usage[] = {
	"perf uprobe-stat record [<options>] PROBE... [-p PID | -a | -- CMD [ARGS]]",
	"",
	"  PROBE: func, func+0xOFF, func%return, file.c:LINE, func:LINE, sdt:provider:name,",
	"         each with an optional BINARY: in front",
	NULL
};

static void print_summary(struct file_recorder *fr)
{
	struct recorder *r = &fr->r;
	struct record *rec = &r->rec;

	fprintf(stderr, "[ uprobe-stat record: Woken up %llu times to write data ]\n",
		(unsigned long long)r->wakeups);
	fprintf(stderr,
		"[ uprobe-stat record: Captured and wrote %.3f MB %s (%llu samples, %llu lost) ]\n",
		fr->writer.file_pos / 1048576.0, rec->output, (unsigned long long)r->samples,
		(unsigned long long)r->lost);
	if (r->lost)
		ustat_warn("%llu samples lost: the ring buffer overflowed; record with a larger -m",
			   (unsigned long long)r->lost);
	if (fr->cmd_ended) {
		char how[128];

		ustat_cmd_end__describe(fr->cmd_end, fr->cmd_code, how, sizeof(how));
		fputs("[ uprobe-stat record: '", stderr);
		ustat_str__fput(stderr, rec->cmd_argv[0]);
		fprintf(stderr, "' %s ]\n", how);
	}
}

int ustat_cmd_record(int argc, const char **argv)
{
	struct file_recorder fr = {
		.r = {
			.rec = {
				.output = "perf.data",
				.cgroup = { .fd = -1 },
			},
		},
	};
	struct recorder *r = &fr.r;
	struct record *rec = &r->rec;
	const struct option options[] = {
		OPT_STRING('o', "output", &rec->output, "file",
			   "output file name (default: perf.data)"),
		OPT_STRING('x', "exec", &rec->exec, "binary",
			   "binary that PROBEs without BINARY: are in"),
		OPT_STRING('p', "pid", &rec->pids, "pid[,pid]",
			   "record these processes and their threads"),
		OPT_BOOLEAN('a', "all-cpus", &rec->system_wide,
			    "record every process, on all CPUs"),
		OPT_STRING('C', "cpu", &rec->cpu_list, "cpu", "only on these CPUs (0-3,5)"),
		OPT_STRING('t', "tid", &rec->tids, "tid[,tid]", "record these threads only"),
		OPT_STRING('m', "mmap-pages", &rec->mmap_str, "pages|size",
			   "ring buffer per CPU: pages (power of two) or a size with B/K/M/G"),
		OPT_BOOLEAN('f', "force", &rec->force,
			    "overwrite the output instead of keeping FILE.old"),
		OPT_BOOLEAN(0, "no-signals", &rec->no_signals,
			    "record the probes only, no kernel tracepoints"),
		OPT_STRING(0, "attach", &rec->attach_str, "mode",
			   "auto, task, tracefs, cgroup or filter: how probes reach the target"),
		OPT_BOOLEAN('b', "use-bpf", &rec->use_bpf,
			    "count hits and latencies in the kernel with BPF: no samples"),
		OPT_INCR('v', "verbose", &ustat_verbose, "be more verbose"),
		OPT_PARENT(ustat_dry_run_options)
	};
	int cmd_at = -1, i, ret = 1, step = 1;
	char err[1024] = "";

	/*
	 * Signals first: from here on SIGINT, SIGTERM and SIGHUP end the
	 * recording with a complete file, whenever they come.
	 */
	recorder__signals();

	/* Split "PROBE... -- CMD" first: parse-options must not eat CMD's options. */
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			cmd_at = i + 1;
			break;
		}
	}
	rec->mmap_pages = recorder__default_mmap_pages();
	/* parse_options() moves the probes to argv[0..argc) and leaves CMD alone. */
	argc = parse_options(cmd_at >= 0 ? cmd_at - 1 : argc, argv, options, record_usage, 0);
	if (ustat_dry_run_opts.on || ustat_dry_run_opts.json || ustat_dry_run_opts.rate) {
		ret = ustat_dry_run(&ustat_dry_run_opts, rec, argc, argv, cmd_at);
		goto out;
	}
	if (ustat_writer__check_path(rec->output, err, sizeof(err)) ||
	    recorder__setup(r, argc, argv, cmd_at, err, sizeof(err)))
		goto fail;
	r->sink.emit = write_record;
	r->sink.round = write_round;
	r->sink.ctx = &fr;
	if (ustat_writer__open(&fr.writer, rec->output, rec->force, err, sizeof(err)))
		goto fail;
	fr.writer_open = true;
	if (ustat_writer__begin(&fr.writer, r->events, rec->nr_evsels))
		goto write_error;
	synthesize(&fr);
	/*
	 * What perf record writes once synthesized records are done; it also
	 * keeps the data section of an empty recording from being empty.
	 */
	if (write_finished_init(&fr))
		goto write_error;
	/* Stopped during setup: an empty but complete file, and no command run. */
	if (recorder__stopped()) {
		r->wall_start = ustat_clock_ns(CLOCK_REALTIME);
		r->time_start = ustat_clock_ns(CLOCK_MONOTONIC);
	} else if (recorder__start(r, err, sizeof(err))) {
		goto fail;
	} else {
		fr.cmd_started = true;
	}
	/* Started: only now does an existing output become FILE.old. */
	if (ustat_writer__commit(&fr.writer, err, sizeof(err)))
		goto fail;

	while (!recorder__stopped() && (step = recorder__step(r, 100)) > 0)
		;
	if (step < 0 || recorder__stop(r))
		goto write_error;
	note_cmd_end(&fr);
	if (finish_file(&fr))
		goto write_error;
	fr.writer_open = false;
	print_summary(&fr);
	/* As perf record: CMD's exit status, 128 + the signal that killed it. */
	ret = fr.cmd_ended ? ustat_cmd_end__exit_code(fr.cmd_end, fr.cmd_code) : 0;
	goto out;

write_error:
	snprintf(err, sizeof(err), "cannot write '%s': %s (the file is removed)", rec->output,
		 strerror(fr.writer.error ? -fr.writer.error : EIO));
fail:
	ustat_err("%s", err);
out:
	if (fr.writer_open)
		ustat_writer__abort(&fr.writer);
	recorder__exit(r);
	return ret;
}
