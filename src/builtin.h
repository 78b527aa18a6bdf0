/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_BUILTIN_H
#define __USTAT_BUILTIN_H

/*
 * The subcommands.  cmd_uprobe_stat() is the entry point both for the
 * standalone perf-uprobe-stat binary and for 'perf uprobe-stat' in perf.
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

#endif /* __USTAT_BUILTIN_H */
