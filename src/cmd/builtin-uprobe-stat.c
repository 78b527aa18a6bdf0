// SPDX-License-Identifier: GPL-2.0
/*
 * perf uprobe-stat: what does a uprobe hit cost, on which CPU, and why.
 *
 * The same cmd_uprobe_stat() runs as 'perf uprobe-stat' inside perf and as
 * the standalone perf-uprobe-stat binary.
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <linux/compiler.h>
#include <subcmd/parse-options.h>

#include "util/uprobe-stat/cmd/uprobe-stat.h"

int ustat_parse_positive(const char *s, double *v)
{
	char *end;

	*v = strtod(s, &end);
	return end == s || *end || !(*v > 0) || *v > 1e9 ? -1 : 0;
}


/*
 * A report on a full disk or a closed pipe must not look like a success:
 * what stdio could not write is an error, said once, whatever the
 * subcommand returned (perf checks its stdout too, after a 0 only).
 */
/* A pipe whose reader has gone ('| head') polls as POLLERR: not our error. */
const char *ustat_default_input(void)
{
	struct stat st;

	return !fstat(STDIN_FILENO, &st) && S_ISFIFO(st.st_mode) ? "-" : "perf.data";
}

static bool stdout_reader_gone(void)
{
	struct pollfd p = { .fd = STDOUT_FILENO, .events = POLLOUT };

	return poll(&p, 1, 0) == 1 && (p.revents & POLLERR);
}

int ustat_check_stdout(int ret)
{
	/* errno is the cause only if this flush fails; an earlier one is gone. */
	errno = 0;
	if (fflush(stdout) == EOF && errno) {
		if (errno == EPIPE || stdout_reader_gone())
			return ret;
		ustat_err("write error: standard output: %s", strerror(errno));
	} else if (ferror(stdout)) {
		if (stdout_reader_gone())
			return ret;
		ustat_err("write error: standard output");
	} else {
		return ret;
	}
	return ret ? ret : 1;
}

int ustat_cmdline_argc;
const char **ustat_cmdline_argv;

struct ustat_subcmd {
	const char	*name;
	int		(*fn)(int argc, const char **argv);
	const char	*help;
};

static const struct ustat_subcmd subcmds[] = {
	{ "record",	ustat_cmd_record,	"attach uprobes and record hits to perf.data" },
	{ "report",	ustat_cmd_report,	"per-probe and per-CPU tables, JSON or CSV" },
	{ "script",	ustat_cmd_script,	"one line per event, for scripts" },
	{ "top",	ustat_cmd_top,		"live per-CPU view of uprobe hits and costs" },
	{ "list",	ustat_cmd_list,		"what a binary can probe, what the kernel offers" },
	{ "bench",	ustat_cmd_bench,	"what a uprobe hit costs, by kind and threads" },
};

static const char * const uprobe_stat_usage[] = {
	"perf uprobe-stat {record|report|script|top|list|bench} [<options>]",
	NULL
};

int cmd_uprobe_stat(int argc, const char **argv)
{
	const char *names[ARRAY_SIZE(subcmds) + 1];
	const struct option options[] = {
		OPT_INCR('v', "verbose", &ustat_verbose, "be more verbose"),
		OPT_END()
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(subcmds); i++)
		names[i] = subcmds[i].name;
	names[i] = NULL;

	ustat_cmdline_argv = calloc(argc + 1, sizeof(*argv));
	if (ustat_cmdline_argv) {
		memcpy(ustat_cmdline_argv, argv, argc * sizeof(*argv));
		ustat_cmdline_argc = argc;
	}

	ustat_debug_init();
	/*
	 * The usage array is not written: parse_options_subcommand() only
	 * fills in usagestr[0] when it is NULL, and ours is not.
	 */
	argc = parse_options_subcommand(argc, argv, options, names,
					(const char **)uprobe_stat_usage,
					PARSE_OPT_STOP_AT_NON_OPTION);
	if (!argc)
		usage_with_options(uprobe_stat_usage, options);

	for (i = 0; i < ARRAY_SIZE(subcmds); i++)
		if (!strcmp(argv[0], subcmds[i].name))
			return ustat_check_stdout(subcmds[i].fn(argc, argv));

	ustat_err("unknown subcommand '%s' (known: record, report, script, top, list, bench)",
		  argv[0]);
	return 1;
}
