/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_SAMPLE_FILTER_H
#define __USTAT_SAMPLE_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include <subcmd/parse-options.h>

#include "sample.h"
#include "util/uprobe-stat/util/u64-map.h"

/*
 * Who pays, narrowed: report's and script's --pid, --tid, --comms (also
 * --comm), -C/--cpu and --time START,END, with perf report's and perf
 * script's names and formats (comma lists; times in seconds as script
 * prints them, either end may be left out).  The session applies it to
 * every sample before its consumer sees it; comm is the thread's name
 * from the file's COMM records.
 */
struct ustat_sample_filter {
	/* the options as typed */
	const char		*pid_str, *tid_str, *comm_str, *cpu_str, *time_str;
	/* parsed */
	struct ustat_map	 pids, tids, cpus;	/* key + 1 -> 1 */
	char			**comms;
	int			 nr_comms;
	int			 comms_cap;
	u64			 start, end;		/* ns; end 0: open */
	bool			 active;
	struct ustat_map	 names;			/* tid -> its comm (malloc'ed) */
};

/*
 * --pid, --tid, --comm(s), -C/--cpu and --time, for report's and script's
 * option tables: OPT_PARENT(ustat_sample_filter_options) as their last
 * entry.  What they parse is taken by ustat_sample_filter__init().
 */
extern const struct option ustat_sample_filter_options[];

/* Parse the strings; an error names the option and the bad part. */
int ustat_sample_filter__init(struct ustat_sample_filter *f, char *err, size_t errlen);
void ustat_sample_filter__exit(struct ustat_sample_filter *f);
/* A COMM record: the thread's new name. */
int ustat_sample_filter__comm(struct ustat_sample_filter *f, u32 tid, const char *comm);
bool ustat_sample_filter__keep(const struct ustat_sample_filter *f, const struct ustat_sample *s);
/*
 * A counter's total (record --count) on CPU: it has no process, thread or
 * time, so it passes -C alone, and no --pid, --tid, --comm or --time.
 */
bool ustat_sample_filter__keep_cpu(const struct ustat_sample_filter *f, u32 cpu);
/* The name of TID (else of PID), NULL when the file never said. */
const char *ustat_sample_filter__name(const struct ustat_sample_filter *f, u32 pid, u32 tid);

#endif /* __USTAT_SAMPLE_FILTER_H */
