/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_TARGET_CPU_H
#define __USTAT_TARGET_CPU_H

#include <stdbool.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <linux/types.h>

#include "util/uprobe-stat/core/meta.h"

/*
 * The CPU time the target used while recorded, for the share of it that
 * went to uprobe hits (report-cost.c): for -- CMD the command's rusage
 * from wait4() (its whole run: it starts and ends with the recording),
 * for -p the utime+stime deltas of /proc/PID/stat between start and stop
 * (clock ticks, so 10 ms or so of resolution).  Otherwise, or when a
 * process ended before the stop, unknown, with why.
 */
struct ustat_target_cpu {
	u64	 start_ticks;
	u64	 ns;
	bool	 have;
	bool	 started;
	char	 how[128];	/* where NS came from, or why there is none */
};

/* -p: the processes' CPU time now. */
void ustat_target_cpu__start(struct ustat_target_cpu *t, const pid_t *pids, int nr);
/* -p: the time since the start; unknown if one of them is gone. */
void ustat_target_cpu__stop(struct ustat_target_cpu *t, const pid_t *pids, int nr);
/* -- CMD: what wait4() said of the command. */
void ustat_target_cpu__rusage(struct ustat_target_cpu *t, const struct rusage *ru);
void ustat_target_cpu__unknown(struct ustat_target_cpu *t, const char *why);
/* target_cpu_ns=N (absent when unknown) and target_cpu_how=... */
int ustat_target_cpu__meta(const struct ustat_target_cpu *t, struct ustat_meta_buf *m);

#endif /* __USTAT_TARGET_CPU_H */
