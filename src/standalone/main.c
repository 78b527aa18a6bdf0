// SPDX-License-Identifier: GPL-2.0
/* The standalone perf-uprobe-stat: the same code as 'perf uprobe-stat'. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "util/uprobe-stat/cmd/uprobe-stat.h"
#include "util/uprobe-stat/util/debug.h"

int main(int argc, const char **argv)
{
	int ret;

	ustat_prog = "perf-uprobe-stat";
	ret = cmd_uprobe_stat(argc, argv);

	/* Flushed and checked already; close() itself may still fail (NFS). */
	if (fclose(stdout) && !ret && errno != EPIPE) {
		ustat_err("write error: standard output: %s", strerror(errno));
		ret = 1;
	}
	return ret;
}
