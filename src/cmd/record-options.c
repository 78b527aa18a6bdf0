// SPDX-License-Identifier: GPL-2.0
/*
 * record's and top's common command line (record-options.h).
 */
#include <stdio.h>
#include <string.h>
#include <linux/compiler.h>
#include <subcmd/parse-options.h>

#include "util/uprobe-stat/explain/dry-run.h"
#include "util/uprobe-stat/util/debug.h"
#include "record-options.h"

struct ustat_record_opts ustat_record_opts;

/* The target options' help, worded for the command at parse time. */
static char help_pid[64], help_all[64], help_tid[64], help_no_kernel[64];

/* -g: perf record's, frame pointers. */
static int opt_g(const struct option *opt, const char *arg __maybe_unused, int unset)
{
	struct ustat_record_opts *o = opt->value;

	o->callgraph = unset ? USTAT_CALLGRAPH_NONE : USTAT_CALLGRAPH_FP;
	o->call_graph = NULL;
	return 0;
}

/* --call-graph MODE: checked with the rest by the recorder, in one line (record-opts.h). */
static int opt_call_graph(const struct option *opt, const char *arg, int unset)
{
	struct ustat_record_opts *o = opt->value;

	o->call_graph = unset ? NULL : arg;
	o->callgraph = unset ? USTAT_CALLGRAPH_NONE : USTAT_CALLGRAPH_FP;
	return 0;
}

const struct option ustat_record_options[] = {
	OPT_STRING('x', "exec", &ustat_record_opts.exec, "binary",
		   "binary that PROBEs without BINARY: are in"),
	OPT_STRING('p', "pid", &ustat_record_opts.pids, "pid[,pid]", help_pid),
	OPT_BOOLEAN('a', "all-cpus", &ustat_record_opts.system_wide, help_all),
	OPT_STRING('C', "cpu", &ustat_record_opts.cpu_list, "cpu", "only on these CPUs (0-3,5)"),
	OPT_STRING('t', "tid", &ustat_record_opts.tids, "tid[,tid]", help_tid),
	OPT_STRING('m', "mmap-pages", &ustat_record_opts.mmap_pages, "pages|size",
		   "ring buffer per CPU: pages (power of two) or a size with B/K/M/G"),
	OPT_BOOLEAN(0, "no-signals", &ustat_record_opts.no_kernel_events, help_no_kernel),
	OPT_STRING(0, "attach", &ustat_record_opts.attach, "mode",
		   "auto, task, tracefs, cgroup or filter: how probes reach the target"),
	OPT_STRING(0, "bpf-signals", &ustat_record_opts.bpf_signals, "when",
		   "BPF fentry on the kernel's uprobe code: auto, off, also or only"),
	OPT_BOOLEAN('b', "use-bpf", &ustat_record_opts.use_bpf,
		    "count hits and latencies in the kernel with BPF: no samples"),
	OPT_CALLBACK_NOOPT('g', NULL, &ustat_record_opts, NULL,
			   "record each hit's callchain (frame pointers: --call-graph fp)", opt_g),
	OPT_CALLBACK(0, "call-graph", &ustat_record_opts, "fp|dwarf[,size]",
		     "record each hit's callchain: frame pointers, or registers and SIZE bytes of stack (default 8192) unwound by report",
		     opt_call_graph),
	OPT_INCR('v', "verbose", &ustat_verbose, "be more verbose"),
	OPT_PARENT(ustat_dry_run_options)
};

int ustat_record_options__parse(int argc, const char **argv, const struct option *options,
				const char * const *usage, const char *verb, int *cmd_at)
{
	int i;

	snprintf(help_pid, sizeof(help_pid), "%s these processes and their threads", verb);
	snprintf(help_all, sizeof(help_all), "%s every process, on all CPUs", verb);
	snprintf(help_tid, sizeof(help_tid), "%s these threads only", verb);
	snprintf(help_no_kernel, sizeof(help_no_kernel),
		 "%s the probes only, no kernel tracepoints", verb);

	*cmd_at = -1;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			*cmd_at = i + 1;
			break;
		}
	}
	/* parse_options() moves the probes to argv[0..argc) and leaves CMD alone. */
	return parse_options(*cmd_at >= 0 ? *cmd_at - 1 : argc, argv, options, usage, 0);
}
