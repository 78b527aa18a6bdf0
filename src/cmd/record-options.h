/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_RECORD_OPTIONS_H
#define __USTAT_RECORD_OPTIONS_H

#include <subcmd/parse-options.h>

#include "util/uprobe-stat/core/record-opts.h"

/*
 * What record and top share of their command line: the options both take,
 * into ustat_record_opts, as a table each ends its own with
 * OPT_PARENT(ustat_record_options) (the way builtin-lock.c shares
 * lock_options), the "PROBE... -- CMD" split, and the target options,
 * whose help says what the command does with the target (VERB: "record",
 * "watch").
 */
extern struct ustat_record_opts ustat_record_opts;
extern const struct option ustat_record_options[];

#define USTAT_RECORD_TARGET_OPTIONS(verb)					\
	OPT_STRING('p', "pid", &ustat_record_opts.pids, "pid[,pid]",		\
		   verb " these processes and their threads"),			\
	OPT_BOOLEAN('a', "all-cpus", &ustat_record_opts.system_wide,		\
		    verb " every process, on all CPUs"),			\
	OPT_STRING('t', "tid", &ustat_record_opts.tids, "tid[,tid]",		\
		   verb " these threads only"),					\
	OPT_BOOLEAN(0, "no-signals", &ustat_record_opts.no_kernel_events,	\
		    verb " the probes only, no kernel tracepoints")

/*
 * Parse ARGV with OPTIONS up to a "--", which parse-options must not see:
 * CMD's own options are CMD's.  Returns the number of PROBEs, now in
 * ARGV[0..), and sets *CMD_AT to CMD's index in ARGV (-1: no CMD).
 */
int ustat_record_options__parse(int argc, const char **argv, const struct option *options,
				const char * const *usage, int *cmd_at);

#endif /* __USTAT_RECORD_OPTIONS_H */
