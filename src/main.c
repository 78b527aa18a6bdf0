// SPDX-License-Identifier: GPL-2.0
/* The standalone perf-uprobe-stat: the same code as 'perf uprobe-stat'. */
#include "uprobe-stat.h"
#include "debug.h"

int main(int argc, const char **argv)
{
	ustat_prog = "perf-uprobe-stat";
	return cmd_uprobe_stat(argc, argv);
}
