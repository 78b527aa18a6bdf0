// SPDX-License-Identifier: GPL-2.0
/*
 * perf uprobe-stat list: what can be probed in a binary (functions, the
 * lines of a function, USDT probes), and what this kernel offers -- the
 * first thing to run on a new machine.
 */
#include <stdio.h>
#include <string.h>
#include <subcmd/parse-options.h>

#include "util/uprobe-stat/util/debug.h"
#include "util/uprobe-stat/list/list-binary.h"
#include "util/uprobe-stat/list/list-kernel.h"
#include "uprobe-stat.h"

static const char * const list_usage[] = {
	"perf uprobe-stat list [-x BINARY] [--funcs | --lines FUNC | --sdt]",
	"perf uprobe-stat list --kernel",
	NULL
};

int ustat_cmd_list(int argc, const char **argv)
{
	const char *exec = NULL, *lines = NULL;
	bool funcs = false, sdt = false, kernel = false;
	const struct option options[] = {
		OPT_STRING('x', "exec", &exec, "binary", "the binary to list"),
		OPT_BOOLEAN(0, "funcs", &funcs, "functions (with their inlined copies)"),
		OPT_STRING(0, "lines", &lines, "func", "the lines of FUNC that can be probed"),
		OPT_BOOLEAN(0, "sdt", &sdt, "USDT probes"),
		OPT_BOOLEAN(0, "kernel", &kernel, "what this kernel offers, and what is missing"),
		OPT_INCR('v', "verbose", &ustat_verbose, "be more verbose"),
		OPT_END()
	};
	struct ustat_kernel_caps caps;
	char err[1024] = "";
	int ret;

	argc = parse_options(argc, argv, options, list_usage, 0);
	if (argc) {
		ustat_err("list: unexpected argument '%s'", argv[0]);
		return 1;
	}
	if (funcs + sdt + kernel + !!lines > 1) {
		ustat_err("list: --funcs, --lines, --sdt and --kernel exclude each other");
		return 1;
	}
	/* Without a binary the kernel is what there is to list. */
	if (!funcs && !sdt && !lines && !kernel) {
		funcs = exec != NULL;
		kernel = exec == NULL;
	}
	if (kernel) {
		if (exec) {
			ustat_err("list: --kernel lists the kernel, not -x %s", exec);
			return 1;
		}
		ustat_kernel_caps__discover(&caps);
		ustat_kernel_caps__print(&caps, stdout);
		return fflush(stdout) ? 1 : 0;
	}
	if (!exec) {
		ustat_err("list: %s needs -x BINARY",
			  funcs ? "--funcs" : sdt ? "--sdt" : "--lines");
		return 1;
	}
	if (funcs)
		ret = ustat_list__funcs(exec, stdout, err, sizeof(err));
	else if (sdt)
		ret = ustat_list__sdt(exec, stdout, err, sizeof(err));
	else
		ret = ustat_list__lines(exec, lines, stdout, err, sizeof(err));
	if (ret) {
		ustat_err("%s", err);
		return 1;
	}
	return fflush(stdout) ? 1 : 0;
}
