// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <perf/core.h>

#include "debug.h"

int ustat_verbose;
const char *ustat_prog = "uprobe-stat";

static int libperf_print(enum libperf_print_level level, const char *fmt,
			 va_list ap)
{
	/*
	 * libperf reports failed opens at LIBPERF_ERR, but the caller turns
	 * errno into a message that names the probe; show libperf's own
	 * words only with -v (errors) and more -v (the rest).
	 */
	if (ustat_verbose <= (int)level)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

void ustat_debug_init(void)
{
	libperf_init(libperf_print);
}
