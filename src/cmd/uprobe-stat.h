/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_UPROBE_STAT_H
#define __USTAT_UPROBE_STAT_H

#include "util/uprobe-stat/util/debug.h"

/*
 * What the rest of perf (or the standalone main) sees of uprobe-stat: the
 * entry point cmd_uprobe_stat(), for the standalone perf-uprobe-stat binary
 * and for 'perf uprobe-stat' alike, and the subcommands it dispatches to.
 * Inside perf this lives in tools/perf/util/uprobe-stat/ and the
 * dispatcher includes it as "util/uprobe-stat/uprobe-stat.h".
 */
int cmd_uprobe_stat(int argc, const char **argv);

/*
 * The command line as typed, saved before option parsing rewrites argv:
 * recordings store it in perf.data (HEADER_CMDLINE), as perf does.
 */
extern int ustat_cmdline_argc;
extern const char **ustat_cmdline_argv;

int ustat_cmd_record(int argc, const char **argv);
int ustat_cmd_report(int argc, const char **argv);
int ustat_cmd_script(int argc, const char **argv);
int ustat_cmd_list(int argc, const char **argv);
/* ui/builtin-top.c; without ncurses, a refusal in builtin-uprobe-stat.c */
int ustat_cmd_top(int argc, const char **argv);

/* A positive number from an option (libsubcmd has no double options). */
int ustat_parse_positive(const char *s, double *v);
/*
 * The input when -i is not given: "-" (the stream on stdin) if stdin is
 * a pipe, as perf report and perf script decide, else "perf.data".
 */
const char *ustat_default_input(void);
/* RET, or 1 with one "write error" line if stdout could not be written. */
int ustat_check_stdout(int ret);
int ustat_cmd_bench(int argc, const char **argv);

#endif /* __USTAT_UPROBE_STAT_H */
