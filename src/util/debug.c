// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <perf/core.h>

#include "debug.h"
#include "str-escape.h"

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

void ustat_msg(const char *prefix, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s: %s", ustat_prog, prefix);
	ustat_str__fput(stderr, msg);
	fputc('\n', stderr);
}
