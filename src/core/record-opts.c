// SPDX-License-Identifier: GPL-2.0
/*
 * record's and top's options in the core's terms that need checking
 * (record-opts.h): the recorder checks them before it resolves or
 * attaches anything.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record-opts.h"

int ustat_callgraph__parse(const char *arg, enum ustat_callgraph *mode, u32 *stack_size,
			   char *err, size_t errlen)
{
	const char *size;
	unsigned long v;
	char *end;

	*stack_size = 0;
	if (!strcmp(arg, "fp")) {
		*mode = USTAT_CALLGRAPH_FP;
		return 0;
	}
	if (strncmp(arg, "dwarf", 5) || (arg[5] && arg[5] != ',')) {
		snprintf(err, errlen, "--call-graph: 'fp' or 'dwarf[,SIZE]', not '%s'", arg);
		return -EINVAL;
	}
	*mode = USTAT_CALLGRAPH_DWARF;
	*stack_size = USTAT_CALLGRAPH_STACK_DEFAULT;
	if (!arg[5])
		return 0;
	size = arg + 6;
	errno = 0;
	v = strtoul(size, &end, 0);
	if (errno || end == size || *end || !v || *size == '-' || v > USTAT_CALLGRAPH_STACK_MAX) {
		snprintf(err, errlen, "--call-graph dwarf,SIZE: SIZE is 1 to %d bytes, not '%s'",
			 USTAT_CALLGRAPH_STACK_MAX, size);
		return -EINVAL;
	}
	*stack_size = (v + 7) & ~7UL;
	return 0;
}
